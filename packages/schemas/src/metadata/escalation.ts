import { z } from 'zod'
import { IntegerIdSchema } from '../common/primitives.js'
import { OptionalTimestampSchema } from './timestamps.js'
import { EscalationReasonFieldSchema, EscalationStatusFieldSchema } from './virtual-agent-reason.js'
import { VirtualAgentRefSchema } from './virtual-agent-ref.js'

/**
 * One item of `escalations`: a virtual agent handing the session to a human queue or another VA.
 * `status`, `reason` and the from/to virtual agents are documented; `id` and `created_at` are our
 * inference by analogy with transfers (the definition is not readable).
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/virtual-agent-reason-codes
 * documented (status, reason, from/to), inferred (id, created_at)
 */
export const EscalationSchema = z.object({
  id: IntegerIdSchema.nullish(),
  status: EscalationStatusFieldSchema.nullish(),
  reason: EscalationReasonFieldSchema.nullish(),
  from_virtual_agent: VirtualAgentRefSchema.nullish(),
  to_virtual_agent: VirtualAgentRefSchema.nullish(),
  created_at: OptionalTimestampSchema,
})
export type Escalation = z.infer<typeof EscalationSchema>
