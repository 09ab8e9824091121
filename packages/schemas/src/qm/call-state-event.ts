import { z } from 'zod'
import { CallStateItemSchema } from './call-state.js'

/**
 * A QM CallState event: the state of a call and its participants changed.
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/qm-call-session-data (Inbound call is projected)
 * Confidence: doc-example.
 */
export const CallStateEventSchema = z.object({
  type: z.literal('CallState'),
  item: CallStateItemSchema,
})
export type CallStateEvent = z.infer<typeof CallStateEventSchema>
