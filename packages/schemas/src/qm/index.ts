import { defineContract, type ContractDefinition } from '../catalog/contract.js'
import { AgentStateEventSchema } from './agent-state-event.js'
import { CallStateEventSchema } from './call-state-event.js'
import { ChatStateEventSchema } from './chat-state-event.js'

export { QM_PARTICIPANT_TYPES, QmParticipantTypeSchema } from './qm-participant-type.js'
export type { QmParticipantType } from './qm-participant-type.js'
export { QmQueuePathIdsSchema } from './qm-queue-path-ids.js'
export type { QmQueuePathIds } from './qm-queue-path-ids.js'
export { QmChatDateTimeSchema } from './qm-chat-date-time.js'
export type { QmChatDateTime } from './qm-chat-date-time.js'
export { QM_AGENT_STATES, QmAgentStateValueSchema, AgentStateItemSchema } from './agent-state.js'
export type { QmAgentStateValue, AgentStateItem } from './agent-state.js'
export {
  QM_CALL_PARTICIPANT_STATES,
  QmCallParticipantStateSchema,
  QmCallParticipantSchema,
} from './qm-call-participant.js'
export type { QmCallParticipantState, QmCallParticipant } from './qm-call-participant.js'
export {
  QM_CALL_STATES,
  QmCallStateValueSchema,
  QM_CALL_DIRECTIONS,
  QmCallDirectionSchema,
  CallStateItemSchema,
} from './call-state.js'
export type { QmCallStateValue, QmCallDirection, CallStateItem } from './call-state.js'
export {
  QM_CHAT_PARTICIPANT_STATES,
  QmChatParticipantStateSchema,
  QmChatParticipantSchema,
} from './qm-chat-participant.js'
export type { QmChatParticipantState, QmChatParticipant } from './qm-chat-participant.js'
export {
  QM_CHAT_STATES,
  QmChatStateValueSchema,
  QM_CHAT_DIRECTIONS,
  QmChatDirectionSchema,
  QM_CHAT_SESSION_TYPES_V2,
  QmChatSessionTypeV2Schema,
  ChatStateItemSchema,
} from './chat-state.js'
export type {
  QmChatStateValue,
  QmChatDirection,
  QmChatSessionTypeV2,
  ChatStateItem,
} from './chat-state.js'
export { AgentStateEventSchema } from './agent-state-event.js'
export type { AgentStateEvent } from './agent-state-event.js'
export { CallStateEventSchema } from './call-state-event.js'
export type { CallStateEvent } from './call-state-event.js'
export { ChatStateEventSchema } from './chat-state-event.js'
export type { ChatStateEvent } from './chat-state-event.js'
export { QM_EVENT_TYPES, QmEventSchema } from './qm-event.js'
export type { QmEventType, QmEvent } from './qm-event.js'

const QM_CALL_PAGE =
  'https://docs.cloud.google.com/contact-center/ccai-platform/docs/qm-call-session-data'
const QM_CHAT_SEED = 'seeds/004_5582cdfd9e3a1a3c.txt'

const TRANSPORT_NOTE =
  'The documents name no transport for QM events (nor an endpoint, authentication or retry policy); ccai-sim delivers each event as a JSON HTTP POST to the configured QM endpoint.'

export const QM_CONTRACTS: readonly ContractDefinition[] = [
  defineContract({
    id: 'qm.AgentState',
    family: 'qm',
    title: 'QM AgentState event (agent login / logout)',
    direction: { from: 'ccai-platform', to: 'qm-receiver' },
    transport: 'http-webhook',
    schema: AgentStateEventSchema,
    source: { document: QM_CALL_PAGE, section: 'Agent logs in; Agent logs out' },
    confidence: 'doc-example',
    notes: `${TRANSPORT_NOTE} Fields known from the page's examples only; the chat page (${QM_CHAT_SEED}, General fields) names the same event type. Only login and logout are documented.`,
  }),
  defineContract({
    id: 'qm.CallState',
    family: 'qm',
    title: 'QM CallState event (call and participant states)',
    direction: { from: 'ccai-platform', to: 'qm-receiver' },
    transport: 'http-webhook',
    schema: CallStateEventSchema,
    source: { document: QM_CALL_PAGE, section: 'Inbound call is projected' },
    confidence: 'doc-example',
    notes: `${TRANSPORT_NOTE} Only the "Inbound call is projected" payload (State ringing) could be read; the call states connected/disconnected, the participant state disconnected and which keys are optional are inferred, so strict checking accepts the known values and tolerant checking any string for State, Direction and Participants[].State. Also seen via ${QM_CALL_PAGE}?hl=zh-cn and reference §2.3.`,
  }),
  defineContract({
    id: 'qm.ChatState',
    family: 'qm',
    title: 'QM ChatState event (chat and participant states)',
    direction: { from: 'ccai-platform', to: 'qm-receiver' },
    transport: 'http-webhook',
    schema: ChatStateEventSchema,
    source: {
      document: QM_CHAT_SEED,
      section: 'Chat session events and triggers; Chat session event fields',
    },
    confidence: 'documented',
    notes: `${TRANSPORT_NOTE} Seed 004 is a copy of https://docs.cloud.google.com/contact-center/ccai-platform/docs/qm-chat-session-data; its samples show only the item, the envelope comes from its General fields table. connected_at is "" (a primary form, not null) for a chat that ended in queue. queue_uuid, tenant, event_id and timestamp are in the field table but in no sample, with undocumented JSON types.`,
  }),
]
