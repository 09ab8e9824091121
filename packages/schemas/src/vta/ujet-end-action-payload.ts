import { z } from 'zod'
import { ujetMessageBaseFields } from './ujet-message-parts.js'

/**
 * The `ujet` object of an `action` / `end` custom payload: end the support session.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/va-custom-payload
 * confidence: doc-example
 */
export const UjetEndActionMessageSchema = z.object({
  type: z.literal('action'),
  action: z.literal('end'),
  ...ujetMessageBaseFields,
})
export type UjetEndActionMessage = z.infer<typeof UjetEndActionMessageSchema>

/**
 * Dialogflow custom payload asking CCAI Platform to end the support session.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/va-custom-payload
 * confidence: doc-example
 */
export const UjetEndActionPayloadSchema = z.object({
  ujet: UjetEndActionMessageSchema,
})
export type UjetEndActionPayload = z.infer<typeof UjetEndActionPayloadSchema>
