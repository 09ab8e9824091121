import { z } from 'zod'
import { UjetMediaItemSchema, ujetMessageBaseFields } from './ujet-message-parts.js'

/**
 * The `ujet` object of a virtual-agent custom payload of type `video`: a reply showing videos.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/va-custom-payload
 * confidence: doc-example
 */
export const UjetVideoMessageSchema = z.object({
  type: z.literal('video'),
  ...ujetMessageBaseFields,
  videos: z.array(UjetMediaItemSchema),
})
export type UjetVideoMessage = z.infer<typeof UjetVideoMessageSchema>

/**
 * Dialogflow custom payload carrying a message of type `video` for the CCAI Platform web and mobile SDKs.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/va-custom-payload
 * confidence: doc-example
 */
export const UjetVideoPayloadSchema = z.object({
  ujet: UjetVideoMessageSchema,
})
export type UjetVideoPayload = z.infer<typeof UjetVideoPayloadSchema>
