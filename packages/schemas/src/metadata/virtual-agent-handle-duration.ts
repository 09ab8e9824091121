import { z } from 'zod'
import { DurationSecondsSchema, IntegerIdSchema } from '../common/primitives.js'
import { OptionalTimestampSchema } from './timestamps.js'
import {
  EscalationReasonFieldSchema,
  VaCallFinishReasonFieldSchema,
} from './virtual-agent-reason.js'
import { VirtualAgentRefSchema } from './virtual-agent-ref.js'

/**
 * One item of `virtual_agent_handle_durations`: a virtual agent's span on the session. The array is
 * named by the metadata page (where to read the VA when `agent_info` is absent); the fields come from
 * a third-party parser. `sentiment`'s type is unknown (number or string).
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/call-session-metadata?hl=zh-cn
 * documented (array), inferred (fields)
 */
export const VirtualAgentHandleDurationSchema = z.object({
  virtual_agent: VirtualAgentRefSchema.nullish(),
  started_at: OptionalTimestampSchema,
  ended_at: OptionalTimestampSchema,
  call_duration: DurationSecondsSchema.nullish(),
  chat_duration: DurationSecondsSchema.nullish(),
  escalation_reason: EscalationReasonFieldSchema.nullish(),
  finish_reason: VaCallFinishReasonFieldSchema.nullish(),
  sentiment: z.union([z.number(), z.string()]).nullish(),
  response_count: z.int().nonnegative().nullish(),
  fallback_response_count: z.int().nonnegative().nullish(),
  transfer_id: IntegerIdSchema.nullish(),
})
export type VirtualAgentHandleDuration = z.infer<typeof VirtualAgentHandleDurationSchema>
