import { z } from 'zod'
import { ujetMessageBaseFields } from './ujet-message-parts.js'

/**
 * The `ujet` object of a virtual-agent custom payload of type `text`: a plain text reply of one or more chat bubbles.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/va-custom-payload
 * confidence: doc-example
 */
export const UjetTextMessageSchema = z.object({
  type: z.literal('text'),
  ...ujetMessageBaseFields,
  messages: z.array(z.string()),
})
export type UjetTextMessage = z.infer<typeof UjetTextMessageSchema>

/**
 * Dialogflow custom payload carrying a message of type `text` for the CCAI Platform web and mobile SDKs.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/va-custom-payload
 * confidence: doc-example
 */
export const UjetTextPayloadSchema = z.object({
  ujet: UjetTextMessageSchema,
})
export type UjetTextPayload = z.infer<typeof UjetTextPayloadSchema>
