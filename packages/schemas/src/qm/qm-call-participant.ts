import { z } from 'zod'
import { openVocabulary } from '../internal/modes.js'
import { QmParticipantTypeSchema } from './qm-participant-type.js'

/**
 * `ringing` and `connected` appear in the "Inbound call is projected" example (agent ringing, caller
 * connected). `disconnected` is inferred: the page's later events (hangup, transfer) could not be
 * read, and the chat page uses `disconnected` for a participant who left.
 */
export const QM_CALL_PARTICIPANT_STATES = ['ringing', 'connected', 'disconnected'] as const

/**
 * The `State` of a participant in a QM CallState event. Known to be incomplete: tolerant checking
 * accepts any string here (see `openVocabulary`).
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/qm-call-session-data (Inbound call is projected)
 * Confidence: doc-example (`ringing`, `connected`); inferred (`disconnected`).
 */
export const QmCallParticipantStateSchema = z.enum(QM_CALL_PARTICIPANT_STATES)
export type QmCallParticipantState = z.infer<typeof QmCallParticipantStateSchema>

/**
 * One entry of `item.Participants` in a QM CallState event.
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/qm-call-session-data (Inbound call is projected)
 * Confidence: doc-example.
 */
export const QmCallParticipantSchema = z.object({
  /** The caller's phone number for `external`, the agent id as a string for `agent`. */
  ParticipantID: z.string().min(1),
  Type: QmParticipantTypeSchema,
  State: openVocabulary(QmCallParticipantStateSchema),
})
export type QmCallParticipant = z.infer<typeof QmCallParticipantSchema>
