import { z } from 'zod'
import { UjetDirectTransferActionMessageSchema } from './ujet-direct-transfer-action-payload.js'
import { UjetEndActionMessageSchema } from './ujet-end-action-payload.js'
import { UjetEscalationActionMessageSchema } from './ujet-escalation-action-payload.js'

/**
 * The `ujet` object of any `type: "action"` custom payload, told apart by `action`
 * (`escalation`, `end`, `direct`).
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/va-custom-payload
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/virtual-agent-to-human-agent-transfers
 * confidence: documented
 */
export const UjetActionMessageSchema = z.discriminatedUnion('action', [
  UjetEscalationActionMessageSchema,
  UjetEndActionMessageSchema,
  UjetDirectTransferActionMessageSchema,
])
export type UjetActionMessage = z.infer<typeof UjetActionMessageSchema>
