import { z } from 'zod'
import { TaskVaJoinedEventSchema } from '../vta/task-va-joined.js'
import { TaskVaLeftEventSchema } from '../vta/task-va-left.js'
import { TaskVaVariablesReceivedEventSchema } from '../vta/task-va-variables-received.js'
import { ActiveChatEventSchema } from './active-chat.js'
import { AgentAssistStartedEventSchema } from './agent-assist-started.js'
import { AgentJoinedCallEventSchema } from './agent-joined-call.js'
import { AgentJoinedChatEventSchema } from './agent-joined-chat.js'
import { AgentLoginEventSchema } from './agent-login.js'
import { AgentLogoutEventSchema } from './agent-logout.js'
import { CallRedactionStartedEventSchema } from './call-redaction-started.js'
import { CallRedactionStoppedEventSchema } from './call-redaction-stopped.js'
import { ChatInboundMessageEventSchema } from './chat-inbound-message.js'
import { ChatOutboundMessageEventSchema } from './chat-outbound-message.js'
import { CobrowseSessionEndedEventSchema } from './cobrowse-session-ended.js'
import { CobrowseSessionFullDeviceChangedEventSchema } from './cobrowse-session-full-device-changed.js'
import { CobrowseSessionRemoteControlChangedEventSchema } from './cobrowse-session-remote-control-changed.js'
import { CobrowseSessionStartedEventSchema } from './cobrowse-session-started.js'
import { CrmRecordPopEventSchema } from './crm-record-pop.js'
import { DismissedChatEventSchema } from './dismissed-chat.js'
import { EndCallEventSchema } from './end-call.js'
import { EndChatEventSchema } from './end-chat.js'
import { NewCallEventSchema } from './new-call.js'
import { NewChatEventSchema } from './new-chat.js'
import { PartyAddedEventSchema } from './party-added.js'
import { TransferCallEventSchema } from './transfer-call.js'
import { TransferChatEventSchema } from './transfer-chat.js'

/**
 * Every adapter post event schema of this family, keyed by its wire `type`. The `Task_VA_*` events
 * live in the `vta` family and are added in `ANY_ADAPTER_EVENT_SCHEMAS`.
 */
export const ADAPTER_EVENT_SCHEMAS = {
  Agent_Login: AgentLoginEventSchema,
  Agent_Logout: AgentLogoutEventSchema,
  New_Call: NewCallEventSchema,
  Call_Redaction_Started: CallRedactionStartedEventSchema,
  Call_Redaction_Stopped: CallRedactionStoppedEventSchema,
  End_Call: EndCallEventSchema,
  New_Chat: NewChatEventSchema,
  Active_Chat: ActiveChatEventSchema,
  Chat_Inbound_Message: ChatInboundMessageEventSchema,
  Chat_Outbound_Message: ChatOutboundMessageEventSchema,
  End_Chat: EndChatEventSchema,
  Dismissed_Chat: DismissedChatEventSchema,
  Cobrowse_Session_Started: CobrowseSessionStartedEventSchema,
  Cobrowse_Session_Remote_Control_Changed: CobrowseSessionRemoteControlChangedEventSchema,
  Cobrowse_Session_Full_Device_Changed: CobrowseSessionFullDeviceChangedEventSchema,
  Cobrowse_Session_Ended: CobrowseSessionEndedEventSchema,
  Transfer_Chat: TransferChatEventSchema,
  Transfer_Call: TransferCallEventSchema,
  Party_Added: PartyAddedEventSchema,
  Agent_Joined_Chat: AgentJoinedChatEventSchema,
  Agent_Joined_Call: AgentJoinedCallEventSchema,
  Agent_Assist_Started: AgentAssistStartedEventSchema,
  CRM_Record_Pop: CrmRecordPopEventSchema,
} as const

export type AdapterEventType = keyof typeof ADAPTER_EVENT_SCHEMAS

/** The wire `type` strings of this family's adapter events, in documentation order. */
export const ADAPTER_EVENT_TYPES = Object.keys(ADAPTER_EVENT_SCHEMAS) as AdapterEventType[]

/** The virtual task assistant post events (family `vta`), which the same adapter posts the same way. */
export const VTA_ADAPTER_EVENT_SCHEMAS = {
  Task_VA_Joined: TaskVaJoinedEventSchema,
  Task_VA_Left: TaskVaLeftEventSchema,
  Task_VA_Variables_Received: TaskVaVariablesReceivedEventSchema,
} as const

export type VtaAdapterEventType = keyof typeof VTA_ADAPTER_EVENT_SCHEMAS

/** Every post event the agent adapter can send, keyed by wire `type`. */
export const ANY_ADAPTER_EVENT_SCHEMAS = {
  ...ADAPTER_EVENT_SCHEMAS,
  ...VTA_ADAPTER_EVENT_SCHEMAS,
} as const

export type AnyAdapterEventType = keyof typeof ANY_ADAPTER_EVENT_SCHEMAS

/** Every wire `type` string the agent adapter can post, the `Task_VA_*` ones included. */
export const ANY_ADAPTER_EVENT_TYPES = Object.keys(
  ANY_ADAPTER_EVENT_SCHEMAS,
) as AnyAdapterEventType[]

/**
 * An agent adapter post event (`{ type, data }`) of this family, picked by its `type`.
 *
 * @see seeds/000_2170762ce078838e.txt, Agent adapters › Event types
 * confidence: documented (the members marked `inferred` in the catalog are inferred)
 */
export const AdapterEventSchema = z.discriminatedUnion('type', [
  AgentLoginEventSchema,
  AgentLogoutEventSchema,
  NewCallEventSchema,
  CallRedactionStartedEventSchema,
  CallRedactionStoppedEventSchema,
  EndCallEventSchema,
  NewChatEventSchema,
  ActiveChatEventSchema,
  ChatInboundMessageEventSchema,
  ChatOutboundMessageEventSchema,
  EndChatEventSchema,
  DismissedChatEventSchema,
  CobrowseSessionStartedEventSchema,
  CobrowseSessionRemoteControlChangedEventSchema,
  CobrowseSessionFullDeviceChangedEventSchema,
  CobrowseSessionEndedEventSchema,
  TransferChatEventSchema,
  TransferCallEventSchema,
  PartyAddedEventSchema,
  AgentJoinedChatEventSchema,
  AgentJoinedCallEventSchema,
  AgentAssistStartedEventSchema,
  CrmRecordPopEventSchema,
])
export type AdapterEvent = z.infer<typeof AdapterEventSchema>

/**
 * Any post event the agent adapter sends to the parent window: this family's events plus the
 * virtual task assistant events `Task_VA_Joined`, `Task_VA_Left`, `Task_VA_Variables_Received`.
 *
 * @see seeds/000_2170762ce078838e.txt, Agent adapters › Event types
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/post-events-for-vtas
 * confidence: documented (the members marked `inferred` in the catalog are inferred)
 */
export const AnyAdapterEventSchema = z.discriminatedUnion('type', [
  ...AdapterEventSchema.options,
  TaskVaJoinedEventSchema,
  TaskVaLeftEventSchema,
  TaskVaVariablesReceivedEventSchema,
])
export type AnyAdapterEvent = z.infer<typeof AnyAdapterEventSchema>
