import { z } from 'zod'
import { UjetMediaItemSchema, ujetMessageBaseFields } from './ujet-message-parts.js'

/**
 * The `ujet` object of a virtual-agent custom payload of type `image`: a reply showing images.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/va-custom-payload
 * confidence: doc-example
 */
export const UjetImageMessageSchema = z.object({
  type: z.literal('image'),
  ...ujetMessageBaseFields,
  images: z.array(UjetMediaItemSchema),
})
export type UjetImageMessage = z.infer<typeof UjetImageMessageSchema>

/**
 * Dialogflow custom payload carrying a message of type `image` for the CCAI Platform web and mobile SDKs.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/va-custom-payload
 * confidence: doc-example
 */
export const UjetImagePayloadSchema = z.object({
  ujet: UjetImageMessageSchema,
})
export type UjetImagePayload = z.infer<typeof UjetImagePayloadSchema>
