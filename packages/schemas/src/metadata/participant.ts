import { z } from 'zod'
import { DurationSecondsSchema, IntegerIdSchema } from '../common/primitives.js'
import { CallFailReasonFieldSchema, ChatFailReasonFieldSchema } from './fail-reason.js'
import { openVocabulary } from '../internal/modes.js'
import { ConnectedAtSchema, OptionalTimestampSchema } from './timestamps.js'

/**
 * Participant `type`. `end_user` and `agent` are in the examples; `virtual_agent` is inferred from
 * the documented participant field `virtual_agent_id`.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/apps-api-call
 * doc-example (end_user, agent), inferred (virtual_agent)
 */
export const ParticipantTypeSchema = z.enum(['end_user', 'agent', 'virtual_agent'])
export type ParticipantType = z.infer<typeof ParticipantTypeSchema>

/**
 * Participant `status`. `waiting` and `connected` are in the examples; `finished` (what an ended
 * session's participants carry, alongside `finished_at`) is our inference.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/apps-api-call
 * doc-example (waiting, connected), inferred (finished)
 */
export const ParticipantStatusSchema = z.enum(['waiting', 'connected', 'finished'])
export type ParticipantStatus = z.infer<typeof ParticipantStatusSchema>

/** Fields every participant has, on calls and on chats. */
const participantBase = {
  id: IntegerIdSchema,
  type: openVocabulary(ParticipantTypeSchema),
  status: openVocabulary(ParticipantStatusSchema).nullish(),
  /** The agent's user id; null for the end-user. */
  user_id: IntegerIdSchema.nullish(),
  end_user_id: IntegerIdSchema.nullish(),
  virtual_agent_id: IntegerIdSchema.nullish(),
  connected_at: ConnectedAtSchema,
  ended_at: OptionalTimestampSchema,
  finished_at: OptionalTimestampSchema,
  phone_number: z.string().nullish(),
  adapter_fail_code: z.union([z.string(), z.int()]).nullish(),
  adapter_fail_message: z.string().nullish(),
}

/**
 * One item of a call's `participants`. `fail_reason` is `"nothing"` when the participant did not
 * fail. `virtual_agent_id`, `phone_number`, `finished_at` and the adapter fail fields come from the
 * QM page and third-party parsers.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/apps-api-call
 * doc-example
 */
export const CallParticipantSchema = z.object({
  ...participantBase,
  call_id: IntegerIdSchema,
  call_duration: DurationSecondsSchema.nullish(),
  hold_duration: DurationSecondsSchema.nullish(),
  fail_reason: CallFailReasonFieldSchema.nullish(),
})
export type CallParticipant = z.infer<typeof CallParticipantSchema>

/**
 * One item of a chat's `participants` (no hold on chats).
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/apps-api-sms
 * doc-example
 */
export const ChatParticipantSchema = z.object({
  ...participantBase,
  chat_id: IntegerIdSchema,
  chat_duration: DurationSecondsSchema.nullish(),
  fail_reason: ChatFailReasonFieldSchema.nullish(),
})
export type ChatParticipant = z.infer<typeof ChatParticipantSchema>
