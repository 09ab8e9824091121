import { z } from 'zod'
import {
  UjetButtonSchema,
  UjetMediaItemSchema,
  ujetMessageBaseFields,
} from './ujet-message-parts.js'

/**
 * The `ujet` object of a virtual-agent custom payload of type `complex`: one view combining several
 * message types. The docs define it only as "combination one or more message types" beside a single
 * template holding every content key, so every content key is accepted here and none is required;
 * how a complex view tells inline from sticky buttons is not documented.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/va-custom-payload
 * confidence: inferred
 */
export const UjetComplexMessageSchema = z.object({
  type: z.literal('complex'),
  ...ujetMessageBaseFields,
  messages: z.array(z.string()).nullish(),
  buttons: z.array(UjetButtonSchema).nullish(),
  images: z.array(UjetMediaItemSchema).nullish(),
  videos: z.array(UjetMediaItemSchema).nullish(),
  documents: z.array(UjetMediaItemSchema).nullish(),
})
export type UjetComplexMessage = z.infer<typeof UjetComplexMessageSchema>

/**
 * Dialogflow custom payload carrying a message of type `complex` for the CCAI Platform web and mobile SDKs.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/va-custom-payload
 * confidence: inferred
 */
export const UjetComplexPayloadSchema = z.object({
  ujet: UjetComplexMessageSchema,
})
export type UjetComplexPayload = z.infer<typeof UjetComplexPayloadSchema>
