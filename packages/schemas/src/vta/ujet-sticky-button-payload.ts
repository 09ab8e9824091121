import { z } from 'zod'
import { UjetButtonSchema, ujetMessageBaseFields } from './ujet-message-parts.js'

/**
 * The `ujet` object of a virtual-agent custom payload of type `sticky_button`: a reply with sticky buttons (they cannot be combined with inline buttons).
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/va-custom-payload
 * confidence: doc-example
 */
export const UjetStickyButtonMessageSchema = z.object({
  type: z.literal('sticky_button'),
  ...ujetMessageBaseFields,
  buttons: z.array(UjetButtonSchema),
})
export type UjetStickyButtonMessage = z.infer<typeof UjetStickyButtonMessageSchema>

/**
 * Dialogflow custom payload carrying a message of type `sticky_button` for the CCAI Platform web and mobile SDKs.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/va-custom-payload
 * confidence: doc-example
 */
export const UjetStickyButtonPayloadSchema = z.object({
  ujet: UjetStickyButtonMessageSchema,
})
export type UjetStickyButtonPayload = z.infer<typeof UjetStickyButtonPayloadSchema>
