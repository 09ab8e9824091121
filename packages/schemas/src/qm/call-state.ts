import { z } from 'zod'
import { openVocabulary } from '../internal/modes.js'
import { QmCallParticipantSchema } from './qm-call-participant.js'
import { QmQueuePathIdsSchema } from './qm-queue-path-ids.js'

/**
 * `ringing` is the state of the documented "Inbound call is projected" event. `connected` (the
 * "Inbound call is answered" event, whose payload could not be read) and `disconnected` (call ended)
 * are inferred from the participant states in that example and from the chat vocabulary.
 */
export const QM_CALL_STATES = ['ringing', 'connected', 'disconnected'] as const

/**
 * The `item.State` of a QM CallState event. Known to be incomplete (the call page lists more events
 * than could be read): tolerant checking accepts any string here (see `openVocabulary`).
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/qm-call-session-data (Inbound call is projected)
 * Confidence: doc-example (`ringing`); inferred (`connected`, `disconnected`).
 */
export const QmCallStateValueSchema = z.enum(QM_CALL_STATES)
export type QmCallStateValue = z.infer<typeof QmCallStateValueSchema>

/**
 * Only `incoming` is shown. The platform also places outbound calls, but whether and how they reach
 * QM is not readable, so tolerant checking accepts any string here.
 */
export const QM_CALL_DIRECTIONS = ['incoming'] as const

/**
 * The `item.Direction` of a QM CallState event, from the contact centre's point of view.
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/qm-call-session-data (Inbound call is projected)
 * Confidence: doc-example.
 */
export const QmCallDirectionSchema = z.enum(QM_CALL_DIRECTIONS)
export type QmCallDirection = z.infer<typeof QmCallDirectionSchema>

/**
 * The `item` of a QM CallState event. Keys are PascalCase / Capitalised_snake exactly as on the wire
 * (`CallID`, `Queue_path_ids`), unlike the snake_case chat side.
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/qm-call-session-data (Inbound call is projected)
 * Confidence: doc-example (the call-side field table could not be read; which keys are optional is
 * inferred from the chat table, where the queue and language fields apply to incoming sessions only).
 */
export const CallStateItemSchema = z.object({
  /** Opaque string (`"846802bf90d1"`), not the integer call id of metadata and adapter events. */
  CallID: z.string().min(1),
  State: openVocabulary(QmCallStateValueSchema),
  Direction: openVocabulary(QmCallDirectionSchema),
  /** The caller's phone number on an inbound call. */
  Initiator: z.string(),
  Queue_path_ids: QmQueuePathIdsSchema.nullish(),
  /** Queue names joined by `/` without spaces (`"support/orders/status"`). */
  Queue_path_names: z.string().nullish(),
  Language: z.string().nullish(),
  /** An integer queue id despite the name. */
  Queue_uuid: z.int().nullish(),
  Recording_permitted: z.boolean().nullish(),
  Participants: z.array(QmCallParticipantSchema),
  /** The carrier's media (SIP) id, e.g. `"208188811_124248155@67.231.1.110"`. */
  MediaID: z.string().nullish(),
})
export type CallStateItem = z.infer<typeof CallStateItemSchema>
