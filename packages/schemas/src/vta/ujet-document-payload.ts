import { z } from 'zod'
import { UjetMediaItemSchema, ujetMessageBaseFields } from './ujet-message-parts.js'

/**
 * The `ujet` object of a virtual-agent custom payload of type `document`: a reply offering documents.
 *
 * The page lists the document type, but the part of its template naming the key was not
 * readable: `documents: [{ url, text }]` is inferred from `images` and `videos`.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/va-custom-payload
 * confidence: inferred
 */
export const UjetDocumentMessageSchema = z.object({
  type: z.literal('document'),
  ...ujetMessageBaseFields,
  documents: z.array(UjetMediaItemSchema),
})
export type UjetDocumentMessage = z.infer<typeof UjetDocumentMessageSchema>

/**
 * Dialogflow custom payload carrying a message of type `document` for the CCAI Platform web and mobile SDKs.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/va-custom-payload
 * confidence: inferred
 */
export const UjetDocumentPayloadSchema = z.object({
  ujet: UjetDocumentMessageSchema,
})
export type UjetDocumentPayload = z.infer<typeof UjetDocumentPayloadSchema>
