import { z } from 'zod'
import { EpochSecondsSchema, IntegerIdSchema } from '../common/primitives.js'
import { tolerantOnly } from '../internal/modes.js'
import { openVocabulary } from '../internal/modes.js'
import { QmChatDateTimeSchema } from './qm-chat-date-time.js'
import { QmChatParticipantSchema } from './qm-chat-participant.js'
import { QmQueuePathIdsSchema } from './qm-queue-path-ids.js'

/**
 * The chat states of the field table. A transfer is not an event of its own: the documented transfer
 * payload has `participantDisconnect`, although `transferred` is listed.
 */
export const QM_CHAT_STATES = [
  'waiting',
  'connected',
  'disconnected',
  'dismissed',
  'resumed',
  'participantDisconnect',
  'transferred',
] as const

/**
 * The `item.state` of a QM ChatState event.
 * @see seeds/004_5582cdfd9e3a1a3c.txt (Chat state fields, `state`)
 * Confidence: documented.
 */
export const QmChatStateValueSchema = z.enum(QM_CHAT_STATES)
export type QmChatStateValue = z.infer<typeof QmChatStateValueSchema>

/** Chats are inbound only: the table gives `incoming` as the one value. */
export const QM_CHAT_DIRECTIONS = ['incoming'] as const

/**
 * The `item.direction` of a QM ChatState event.
 * @see seeds/004_5582cdfd9e3a1a3c.txt (Chat state fields, `direction`)
 * Confidence: documented.
 */
export const QmChatDirectionSchema = z.enum(QM_CHAT_DIRECTIONS)
export type QmChatDirection = z.infer<typeof QmChatDirectionSchema>

/**
 * QM chat's own `session_type_v2` vocabulary — a short code, not the metadata files'
 * `"Messaging Inbound (Web Chat)"` strings. Only `In-web` is shown although the page says "QM chat
 * event data supports the web SDK and the mobile SDKs"; `In-app` is our inference for mobile-SDK
 * chats (the platform's own name for them is "App Chat"), and tolerant checking accepts any string
 * here (see `openVocabulary`), so a different real value is a note, not an error.
 */
export const QM_CHAT_SESSION_TYPES_V2 = ['In-web', 'In-app'] as const

/**
 * The `item.session_type_v2` of a QM ChatState event.
 * @see seeds/004_5582cdfd9e3a1a3c.txt (Chat state fields, `session_type_v2`)
 * Confidence: documented (`In-web`), inferred (`In-app`, mobile SDKs).
 */
export const QmChatSessionTypeV2Schema = z.enum(QM_CHAT_SESSION_TYPES_V2)
export type QmChatSessionTypeV2 = z.infer<typeof QmChatSessionTypeV2Schema>

/**
 * The `item` of a QM ChatState event. Keys are snake_case exactly as on the wire, unlike the
 * PascalCase call side.
 *
 * `connected_at` is absent until the chat connects, a timestamp once it has, and the empty string
 * `""` when the chat ended before anyone connected (ended while waiting in queue). `""` is the form
 * the chat page shows for that case and the only one it shows, so it is a primary form here (strict
 * accepts it and the simulator emits it); `null`, the usual empty value elsewhere, is never shown for
 * this key and is accepted in tolerant checking only.
 *
 * @see seeds/004_5582cdfd9e3a1a3c.txt (Chat session events and triggers; Chat session event fields)
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/qm-chat-session-data
 * Confidence: documented.
 */
export const ChatStateItemSchema = z.object({
  /** Incoming chats only; missing from the "resumed" and some "participant left" examples. */
  queue_path_ids: QmQueuePathIdsSchema.nullish(),
  queue_path_names: z.string().nullish(),
  language: z.string().nullish(),
  /** "Not applicable for chat": always `null` when present. */
  support_number: z.null().optional(),
  session_type_v2: openVocabulary(QmChatSessionTypeV2Schema),
  // Own instance for the same reason as `AgentStateItemSchema.ParticipantID`.
  chat_id: IntegerIdSchema.describe(
    "The integer session id of the chat's metadata record (not an opaque string like CallID).",
  ),
  state: QmChatStateValueSchema,
  direction: QmChatDirectionSchema,
  /** The party whose action produced this state: `end_user_5`, `agent_1`, `virtual_agent_2`. */
  initiator: z.string().min(1),
  participants: z.array(QmChatParticipantSchema),
  connected_at: z.union([QmChatDateTimeSchema, z.literal(''), tolerantOnly(z.null())]).optional(),
  ends_at: QmChatDateTimeSchema.nullish(),
  /** In the field table only. Named a UUID and described as "the queue ID": the call side sends an integer. */
  queue_uuid: z.union([z.int(), z.string()]).nullish(),
  /** In the field table only: the instance name. */
  tenant: z.string().nullish(),
  /** In the field table only; its JSON type is not documented. */
  event_id: z.union([z.string(), z.int()]).nullish(),
  /** In the field table only: Unix epoch time, taken to be integer seconds. */
  timestamp: EpochSecondsSchema.nullish(),
})
export type ChatStateItem = z.infer<typeof ChatStateItemSchema>
