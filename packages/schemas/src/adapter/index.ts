import { defineContract, type ContractDefinition } from '../catalog/contract.js'
import { AgentLoginEventSchema } from './agent-login.js'
import { AgentLogoutEventSchema } from './agent-logout.js'
import { NewCallEventSchema } from './new-call.js'
import { CallRedactionStartedEventSchema } from './call-redaction-started.js'
import { CallRedactionStoppedEventSchema } from './call-redaction-stopped.js'
import { EndCallEventSchema } from './end-call.js'
import { NewChatEventSchema } from './new-chat.js'
import { ActiveChatEventSchema } from './active-chat.js'
import { ChatInboundMessageEventSchema } from './chat-inbound-message.js'
import { ChatOutboundMessageEventSchema } from './chat-outbound-message.js'
import { EndChatEventSchema } from './end-chat.js'
import { DismissedChatEventSchema } from './dismissed-chat.js'
import { CobrowseSessionStartedEventSchema } from './cobrowse-session-started.js'
import { CobrowseSessionRemoteControlChangedEventSchema } from './cobrowse-session-remote-control-changed.js'
import { CobrowseSessionFullDeviceChangedEventSchema } from './cobrowse-session-full-device-changed.js'
import { CobrowseSessionEndedEventSchema } from './cobrowse-session-ended.js'
import { TransferChatEventSchema } from './transfer-chat.js'
import { TransferCallEventSchema } from './transfer-call.js'
import { PartyAddedEventSchema } from './party-added.js'
import { AgentJoinedChatEventSchema } from './agent-joined-chat.js'
import { AgentJoinedCallEventSchema } from './agent-joined-call.js'
import { AgentAssistStartedEventSchema } from './agent-assist-started.js'
import { CrmRecordPopEventSchema } from './crm-record-pop.js'

export { AgentLoginEventSchema } from './agent-login.js'
export type { AgentLoginEvent } from './agent-login.js'
export { AgentLogoutEventSchema } from './agent-logout.js'
export type { AgentLogoutEvent } from './agent-logout.js'
export { NewCallEventSchema } from './new-call.js'
export type { NewCallEvent } from './new-call.js'
export { CallRedactionStartedEventSchema } from './call-redaction-started.js'
export type { CallRedactionStartedEvent } from './call-redaction-started.js'
export { CallRedactionStoppedEventSchema } from './call-redaction-stopped.js'
export type { CallRedactionStoppedEvent } from './call-redaction-stopped.js'
export { EndCallEventSchema } from './end-call.js'
export type { EndCallEvent } from './end-call.js'
export { NewChatEventSchema } from './new-chat.js'
export type { NewChatEvent } from './new-chat.js'
export { ActiveChatEventSchema } from './active-chat.js'
export type { ActiveChatEvent } from './active-chat.js'
export { ChatInboundMessageEventSchema } from './chat-inbound-message.js'
export type { ChatInboundMessageEvent } from './chat-inbound-message.js'
export { ChatOutboundMessageEventSchema } from './chat-outbound-message.js'
export type { ChatOutboundMessageEvent } from './chat-outbound-message.js'
export { EndChatEventSchema } from './end-chat.js'
export type { EndChatEvent } from './end-chat.js'
export { DismissedChatEventSchema } from './dismissed-chat.js'
export type { DismissedChatEvent } from './dismissed-chat.js'
export { CobrowseSessionStartedEventSchema } from './cobrowse-session-started.js'
export type { CobrowseSessionStartedEvent } from './cobrowse-session-started.js'
export { CobrowseSessionRemoteControlChangedEventSchema } from './cobrowse-session-remote-control-changed.js'
export type { CobrowseSessionRemoteControlChangedEvent } from './cobrowse-session-remote-control-changed.js'
export { CobrowseSessionFullDeviceChangedEventSchema } from './cobrowse-session-full-device-changed.js'
export type { CobrowseSessionFullDeviceChangedEvent } from './cobrowse-session-full-device-changed.js'
export { CobrowseSessionEndedEventSchema } from './cobrowse-session-ended.js'
export type { CobrowseSessionEndedEvent } from './cobrowse-session-ended.js'
export { TransferChatEventSchema } from './transfer-chat.js'
export type { TransferChatEvent } from './transfer-chat.js'
export { TransferCallEventSchema } from './transfer-call.js'
export type { TransferCallEvent } from './transfer-call.js'
export { PartyAddedEventSchema } from './party-added.js'
export type { PartyAddedEvent } from './party-added.js'
export { AgentJoinedChatEventSchema } from './agent-joined-chat.js'
export type { AgentJoinedChatEvent } from './agent-joined-chat.js'
export { AgentJoinedCallEventSchema } from './agent-joined-call.js'
export type { AgentJoinedCallEvent } from './agent-joined-call.js'
export { AgentAssistStartedEventSchema } from './agent-assist-started.js'
export type { AgentAssistStartedEvent } from './agent-assist-started.js'
export { CrmRecordPopEventSchema } from './crm-record-pop.js'
export type { CrmRecordPopEvent } from './crm-record-pop.js'
export { CallSessionDataSchema } from './call-session-data.js'
export type { CallSessionData } from './call-session-data.js'
export { ChatSessionDataSchema } from './chat-session-data.js'
export type { ChatSessionData } from './chat-session-data.js'
export { PartyTypeSchema } from './party-added.js'
export type { PartyType } from './party-added.js'
export {
  CobrowseStatusSchema,
  CobrowseRequestedBySchema,
  CobrowseEndedBySchema,
  cobrowseEventBaseShape,
} from './cobrowse-values.js'
export type { CobrowseStatus, CobrowseRequestedBy, CobrowseEndedBy } from './cobrowse-values.js'
export {
  AdapterSessionTypeSchema,
  AdapterVariablesSchema,
  AdapterCustomDataSchema,
  agentFieldsShape,
  customDataShape,
  campaignShape,
  sessionEventCommonShape,
} from './session-event-common.js'
export type {
  AdapterSessionType,
  AdapterVariables,
  AdapterCustomData,
} from './session-event-common.js'
export { transferFieldsShape } from './transfer-fields.js'
export {
  AdapterEventSchema,
  AnyAdapterEventSchema,
  ADAPTER_EVENT_SCHEMAS,
  ADAPTER_EVENT_TYPES,
  VTA_ADAPTER_EVENT_SCHEMAS,
  ANY_ADAPTER_EVENT_SCHEMAS,
  ANY_ADAPTER_EVENT_TYPES,
} from './adapter-event.js'
export type {
  AdapterEvent,
  AnyAdapterEvent,
  AdapterEventType,
  VtaAdapterEventType,
  AnyAdapterEventType,
} from './adapter-event.js'
export { parseAdapterMessage, adapterContractId } from './parse-adapter-message.js'
export type {
  ParseAdapterMessageOptions,
  ParseAdapterMessageResult,
} from './parse-adapter-message.js'

const SEED = 'seeds/000_2170762ce078838e.txt'
const EVENT_TYPES = 'Agent adapters › Event types ›'

/** Every agent adapter post event is a JSON string posted by the adapter iframe to its parent (the CRM page). */
export const ADAPTER_CONTRACTS: readonly ContractDefinition[] = [
  defineContract({
    id: 'adapter.Agent_Login',
    family: 'adapter',
    title: 'Agent_Login: Agent logged into the adapter',
    direction: { from: 'ccai-platform', to: 'crm-page' },
    transport: 'postMessage',
    schema: AgentLoginEventSchema,
    source: { document: SEED, section: `${EVENT_TYPES} Agent login` },
    confidence: 'documented',
  }),
  defineContract({
    id: 'adapter.Agent_Logout',
    family: 'adapter',
    title: 'Agent_Logout: Agent logged out of the adapter',
    direction: { from: 'ccai-platform', to: 'crm-page' },
    transport: 'postMessage',
    schema: AgentLogoutEventSchema,
    source: { document: SEED, section: `${EVENT_TYPES} Agent logout` },
    confidence: 'documented',
  }),
  defineContract({
    id: 'adapter.New_Call',
    family: 'adapter',
    title: 'New_Call: Agent answered a call',
    direction: { from: 'ccai-platform', to: 'crm-page' },
    transport: 'postMessage',
    schema: NewCallEventSchema,
    source: { document: SEED, section: `${EVENT_TYPES} New call` },
    confidence: 'documented',
  }),
  defineContract({
    id: 'adapter.Call_Redaction_Started',
    family: 'adapter',
    title: 'Call_Redaction_Started: Call redaction started (recording paused)',
    direction: { from: 'ccai-platform', to: 'crm-page' },
    transport: 'postMessage',
    schema: CallRedactionStartedEventSchema,
    source: { document: SEED, section: `${EVENT_TYPES} Call redaction started` },
    confidence: 'inferred',
    notes:
      'The docs show only the data object ({agent_id, call_id}) and never the wire type string; Call_Redaction_Started is our inference from the other event names.',
  }),
  defineContract({
    id: 'adapter.Call_Redaction_Stopped',
    family: 'adapter',
    title: 'Call_Redaction_Stopped: Call redaction stopped (recording resumed)',
    direction: { from: 'ccai-platform', to: 'crm-page' },
    transport: 'postMessage',
    schema: CallRedactionStoppedEventSchema,
    source: { document: SEED, section: `${EVENT_TYPES} Call redaction stopped` },
    confidence: 'inferred',
    notes:
      'The docs show only the data object and never the wire type string; the section says “stopped”, the event list “ended”. Call_Redaction_Stopped is our inference.',
  }),
  defineContract({
    id: 'adapter.End_Call',
    family: 'adapter',
    title: 'End_Call: Call ended',
    direction: { from: 'ccai-platform', to: 'crm-page' },
    transport: 'postMessage',
    schema: EndCallEventSchema,
    source: { document: SEED, section: `${EVENT_TYPES} End call` },
    confidence: 'documented',
  }),
  defineContract({
    id: 'adapter.New_Chat',
    family: 'adapter',
    title: 'New_Chat: Agent picked up a chat',
    direction: { from: 'ccai-platform', to: 'crm-page' },
    transport: 'postMessage',
    schema: NewChatEventSchema,
    source: { document: SEED, section: `${EVENT_TYPES} New chat` },
    confidence: 'documented',
    notes: 'The sample caption says New_chat; the JSON (the wire) says New_Chat.',
  }),
  defineContract({
    id: 'adapter.Active_Chat',
    family: 'adapter',
    title: 'Active_Chat: Agent switched to a chat tab',
    direction: { from: 'ccai-platform', to: 'crm-page' },
    transport: 'postMessage',
    schema: ActiveChatEventSchema,
    source: { document: SEED, section: `${EVENT_TYPES} Active chat` },
    confidence: 'documented',
  }),
  defineContract({
    id: 'adapter.Chat_Inbound_Message',
    family: 'adapter',
    title: 'Chat_Inbound_Message: End-user chat message received',
    direction: { from: 'ccai-platform', to: 'crm-page' },
    transport: 'postMessage',
    schema: ChatInboundMessageEventSchema,
    source: { document: SEED, section: `${EVENT_TYPES} Chat inbound message` },
    confidence: 'documented',
  }),
  defineContract({
    id: 'adapter.Chat_Outbound_Message',
    family: 'adapter',
    title: 'Chat_Outbound_Message: Agent chat message sent',
    direction: { from: 'ccai-platform', to: 'crm-page' },
    transport: 'postMessage',
    schema: ChatOutboundMessageEventSchema,
    source: { document: SEED, section: `${EVENT_TYPES} Chat outbound message` },
    confidence: 'documented',
    notes: 'The doc prose calls message “a new consumer message”; it is the agent’s outgoing text.',
  }),
  defineContract({
    id: 'adapter.End_Chat',
    family: 'adapter',
    title: 'End_Chat: Chat ended',
    direction: { from: 'ccai-platform', to: 'crm-page' },
    transport: 'postMessage',
    schema: EndChatEventSchema,
    source: { document: SEED, section: `${EVENT_TYPES} End chat` },
    confidence: 'documented',
  }),
  defineContract({
    id: 'adapter.Dismissed_Chat',
    family: 'adapter',
    title: 'Dismissed_Chat: Agent closed a chat tab',
    direction: { from: 'ccai-platform', to: 'crm-page' },
    transport: 'postMessage',
    schema: DismissedChatEventSchema,
    source: { document: SEED, section: `${EVENT_TYPES} Dismissed chat` },
    confidence: 'documented',
  }),
  defineContract({
    id: 'adapter.Cobrowse_Session_Started',
    family: 'adapter',
    title: 'Cobrowse_Session_Started: Co-browse session started',
    direction: { from: 'ccai-platform', to: 'crm-page' },
    transport: 'postMessage',
    schema: CobrowseSessionStartedEventSchema,
    source: { document: SEED, section: `${EVENT_TYPES} Co-browse session started` },
    confidence: 'documented',
    notes:
      'cobrowse_session_requested_by is end_user in one list and end-user in another; end-user is tolerant-only.',
  }),
  defineContract({
    id: 'adapter.Cobrowse_Session_Remote_Control_Changed',
    family: 'adapter',
    title: 'Cobrowse_Session_Remote_Control_Changed: Co-browse remote control state changed',
    direction: { from: 'ccai-platform', to: 'crm-page' },
    transport: 'postMessage',
    schema: CobrowseSessionRemoteControlChangedEventSchema,
    source: { document: SEED, section: `${EVENT_TYPES} Co-browse session remote control changed` },
    confidence: 'documented',
  }),
  defineContract({
    id: 'adapter.Cobrowse_Session_Full_Device_Changed',
    family: 'adapter',
    title: 'Cobrowse_Session_Full_Device_Changed: Co-browse full-device state changed',
    direction: { from: 'ccai-platform', to: 'crm-page' },
    transport: 'postMessage',
    schema: CobrowseSessionFullDeviceChangedEventSchema,
    source: { document: SEED, section: `${EVENT_TYPES} Co-browse session full device changed` },
    confidence: 'documented',
    notes:
      'The field list capitalises Cobrowse_session_id / Cobrowse_session_full_device; the example (lower-case) is taken as the wire.',
  }),
  defineContract({
    id: 'adapter.Cobrowse_Session_Ended',
    family: 'adapter',
    title: 'Cobrowse_Session_Ended: Co-browse session ended',
    direction: { from: 'ccai-platform', to: 'crm-page' },
    transport: 'postMessage',
    schema: CobrowseSessionEndedEventSchema,
    source: { document: SEED, section: `${EVENT_TYPES} Co-browse session ended` },
    confidence: 'documented',
    notes:
      'cobrowse_session_ended_by is end_user in one list and end-user in another; end-user is tolerant-only.',
  }),
  defineContract({
    id: 'adapter.Transfer_Chat',
    family: 'adapter',
    title: 'Transfer_Chat: Chat transferred',
    direction: { from: 'ccai-platform', to: 'crm-page' },
    transport: 'postMessage',
    schema: TransferChatEventSchema,
    source: { document: SEED, section: `${EVENT_TYPES} Transfer` },
    confidence: 'documented',
    notes:
      'The section is headed “Transfer”; the example JSON (missing commas in the page copy) uses Transfer_Chat.',
  }),
  defineContract({
    id: 'adapter.Transfer_Call',
    family: 'adapter',
    title: 'Transfer_Call: Call transferred',
    direction: { from: 'ccai-platform', to: 'crm-page' },
    transport: 'postMessage',
    schema: TransferCallEventSchema,
    source: { document: SEED, section: `${EVENT_TYPES} Transfer` },
    confidence: 'inferred',
    notes:
      'The Transfer section covers calls and chats but shows only Transfer_Chat; Transfer_Call is our inference.',
  }),
  defineContract({
    id: 'adapter.Party_Added',
    family: 'adapter',
    title: 'Party_Added: Participant added to a call or chat',
    direction: { from: 'ccai-platform', to: 'crm-page' },
    transport: 'postMessage',
    schema: PartyAddedEventSchema,
    source: { document: SEED, section: `${EVENT_TYPES} Party added` },
    confidence: 'documented',
  }),
  defineContract({
    id: 'adapter.Agent_Joined_Chat',
    family: 'adapter',
    title: 'Agent_Joined_Chat: Agent connected to a chat session',
    direction: { from: 'ccai-platform', to: 'crm-page' },
    transport: 'postMessage',
    schema: AgentJoinedChatEventSchema,
    source: { document: SEED, section: `${EVENT_TYPES} Agent connects to session` },
    confidence: 'documented',
  }),
  defineContract({
    id: 'adapter.Agent_Joined_Call',
    family: 'adapter',
    title: 'Agent_Joined_Call: Agent connected to a call session',
    direction: { from: 'ccai-platform', to: 'crm-page' },
    transport: 'postMessage',
    schema: AgentJoinedCallEventSchema,
    source: { document: SEED, section: `${EVENT_TYPES} Agent connects to session` },
    confidence: 'inferred',
    notes:
      'The docs say the event type depends on call or chat but show only Agent_Joined_Chat; Agent_Joined_Call is our inference.',
  }),
  defineContract({
    id: 'adapter.Agent_Assist_Started',
    family: 'adapter',
    title: 'Agent_Assist_Started: Agent Assist turned on',
    direction: { from: 'ccai-platform', to: 'crm-page' },
    transport: 'postMessage',
    schema: AgentAssistStartedEventSchema,
    source: { document: SEED, section: `${EVENT_TYPES} Agent Assist started` },
    confidence: 'documented',
    notes:
      'Listed as “Agent Assist added”. queue_id and agent_id are strings here; timestamp is a time of day.',
  }),
  defineContract({
    id: 'adapter.CRM_Record_Pop',
    family: 'adapter',
    title: 'CRM_Record_Pop: Pop a CRM record (background screen pop)',
    direction: { from: 'ccai-platform', to: 'crm-page' },
    transport: 'postMessage',
    schema: CrmRecordPopEventSchema,
    source: { document: SEED, section: 'Agent adapters › Background screen pop › CRM record pop' },
    confidence: 'documented',
    notes:
      'Only data.recordUrl is documented (through the listener sample); the docs show no full payload.',
  }),
]
