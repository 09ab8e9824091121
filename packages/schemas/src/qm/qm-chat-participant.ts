import { z } from 'zod'
import { QmParticipantTypeSchema } from './qm-participant-type.js'

/** The participant states listed in the chat field table; every one appears in an example. */
export const QM_CHAT_PARTICIPANT_STATES = [
  'connected',
  'disconnected',
  'accepted',
  'dismissed',
  'resumed',
] as const

/**
 * The `state` of a participant in a QM ChatState event.
 * @see seeds/004_5582cdfd9e3a1a3c.txt (Chat session event fields, participants `state`)
 * Confidence: documented.
 */
export const QmChatParticipantStateSchema = z.enum(QM_CHAT_PARTICIPANT_STATES)
export type QmChatParticipantState = z.infer<typeof QmChatParticipantStateSchema>

/**
 * One entry of `item.participants` in a QM ChatState event. The agent fields (`agent_number`, `name`,
 * `alias`) appear on human agents only, and `media_id` is missing from some examples, so all of them
 * are optional.
 * @see seeds/004_5582cdfd9e3a1a3c.txt (Chat session event fields, participants)
 * Confidence: documented.
 */
export const QmChatParticipantSchema = z.object({
  state: QmChatParticipantStateSchema,
  type: QmParticipantTypeSchema,
  /** The carrier's media id: a Twilio `MB…` id or a Nexmo id. */
  media_id: z.string().nullish(),
  agent_number: z.string().nullish(),
  name: z.string().nullish(),
  alias: z.string().nullish(),
  /** Directory number: `end_user_5`, `agent_1`, `virtual_agent_2`. */
  dn: z.string().min(1),
  /**
   * In the field table but in no example. Agent or virtual agent id, a third party's phone number,
   * or null; its JSON type is not documented, so both a string and an integer are accepted.
   */
  participant_id: z.union([z.string(), z.int()]).nullish(),
})
export type QmChatParticipant = z.infer<typeof QmChatParticipantSchema>
