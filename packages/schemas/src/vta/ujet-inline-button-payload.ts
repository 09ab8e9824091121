import { z } from 'zod'
import { UjetButtonSchema, ujetMessageBaseFields } from './ujet-message-parts.js'

/**
 * The `ujet` object of a virtual-agent custom payload of type `inline_button`: a reply with buttons shown inline in the conversation (they cannot be combined with sticky buttons).
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/va-custom-payload
 * confidence: doc-example
 */
export const UjetInlineButtonMessageSchema = z.object({
  type: z.literal('inline_button'),
  ...ujetMessageBaseFields,
  buttons: z.array(UjetButtonSchema),
})
export type UjetInlineButtonMessage = z.infer<typeof UjetInlineButtonMessageSchema>

/**
 * Dialogflow custom payload carrying a message of type `inline_button` for the CCAI Platform web and mobile SDKs.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/va-custom-payload
 * confidence: doc-example
 */
export const UjetInlineButtonPayloadSchema = z.object({
  ujet: UjetInlineButtonMessageSchema,
})
export type UjetInlineButtonPayload = z.infer<typeof UjetInlineButtonPayloadSchema>
