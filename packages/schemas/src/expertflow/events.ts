import type { z } from 'zod'
import { AddParticipantPayloadSchema } from './add-participant-payload.js'
import { AmqMsgPayloadSchema } from './amq-msg-payload.js'
import { AmqSendPayloadSchema } from './amq-send-payload.js'
import { AmqSubPayloadSchema } from './amq-sub-payload.js'
import { BargeInPayloadSchema } from './barge-in-payload.js'
import { ChatMessageSchema } from './chat-message.js'
import { ConversationInfoPayloadSchema } from './conversation-info-payload.js'
import { ConversationListPayloadSchema } from './conversation-list-payload.js'
import { EndConversationPayloadSchema } from './end-conversation-payload.js'
import {
  AddParticipantFrameSchema,
  AmqMsgFrameSchema,
  AmqSendFrameSchema,
  AmqSubFrameSchema,
  BargeInFrameSchema,
  ConversationInfoFrameSchema,
  ConversationListFrameSchema,
  EndConversationFrameSchema,
  GetConversationInfoFrameSchema,
  JoinConversationFrameSchema,
  LeaveConversationFrameSchema,
  LoginFrameSchema,
  MessageArrivedFrameSchema,
  RaiseHandFrameSchema,
  RemoveParticipantFrameSchema,
  RoleUpdatedFrameSchema,
  SendMessageFrameSchema,
  SilentMonitorFrameSchema,
  TeamInfoFrameSchema,
  TransferChatFrameSchema,
  WrapUpFrameSchema,
} from './frames.js'
import { GetConversationInfoPayloadSchema } from './get-conversation-info-payload.js'
import { JoinConversationPayloadSchema } from './join-conversation-payload.js'
import { LeaveConversationPayloadSchema } from './leave-conversation-payload.js'
import { LoginPayloadSchema } from './login-payload.js'
import { MessageSchema } from './message.js'
import { RaiseHandPayloadSchema } from './raise-hand-payload.js'
import { RemoveParticipantPayloadSchema } from './remove-participant-payload.js'
import { RoleUpdatedPayloadSchema } from './role-updated-payload.js'
import { SilentMonitorPayloadSchema } from './silent-monitor-payload.js'
import { TeamInfoPayloadSchema } from './team-info-payload.js'
import { TransferChatPayloadSchema } from './transfer-chat-payload.js'
import { WrapUpPayloadSchema } from './wrap-up-payload.js'

/** Who emits a socket.io event: the agent/supervisor client, the chat server, or either. */
export type ExpertflowEventDirection = 'client-to-server' | 'server-to-client' | 'both'

export interface ExpertflowEventEntry {
  readonly direction: ExpertflowEventDirection
  /** The second argument of `socket.emit(event, payload)`. */
  readonly payload: z.ZodType
  /** `{ event, payload }`, the unit the catalog contract checks. */
  readonly frame: z.ZodType
  /** The catalog contract id. */
  readonly contract: string
}

/**
 * Every socket.io event of the Agent API, by its exact wire name. The seed's "changeState" and
 * "receiveChatRequest" are not socket events: they travel as `amq-send` (`head: "AgentState"`) and
 * `amq-msg` (`head: "TaskAssigned"`).
 * @see seeds/003_1d4ee430392b9662.txt §Events
 */
export const EXPERTFLOW_EVENTS = {
  'amq-sub': {
    direction: 'client-to-server',
    payload: AmqSubPayloadSchema,
    frame: AmqSubFrameSchema,
    contract: 'expertflow.amq-sub',
  },
  'amq-send': {
    direction: 'client-to-server',
    payload: AmqSendPayloadSchema,
    frame: AmqSendFrameSchema,
    contract: 'expertflow.amq-send',
  },
  login: {
    direction: 'client-to-server',
    payload: LoginPayloadSchema,
    frame: LoginFrameSchema,
    contract: 'expertflow.login',
  },
  joinConversation: {
    direction: 'client-to-server',
    payload: JoinConversationPayloadSchema,
    frame: JoinConversationFrameSchema,
    contract: 'expertflow.joinConversation',
  },
  addParticipant: {
    direction: 'client-to-server',
    payload: AddParticipantPayloadSchema,
    frame: AddParticipantFrameSchema,
    contract: 'expertflow.addParticipant',
  },
  removeParticipant: {
    direction: 'client-to-server',
    payload: RemoveParticipantPayloadSchema,
    frame: RemoveParticipantFrameSchema,
    contract: 'expertflow.removeParticipant',
  },
  transferChat: {
    direction: 'client-to-server',
    payload: TransferChatPayloadSchema,
    frame: TransferChatFrameSchema,
    contract: 'expertflow.transferChat',
  },
  raiseHand: {
    direction: 'client-to-server',
    payload: RaiseHandPayloadSchema,
    frame: RaiseHandFrameSchema,
    contract: 'expertflow.raiseHand',
  },
  wrapUp: {
    direction: 'client-to-server',
    payload: WrapUpPayloadSchema,
    frame: WrapUpFrameSchema,
    contract: 'expertflow.wrapUp',
  },
  silentMonitor: {
    direction: 'client-to-server',
    payload: SilentMonitorPayloadSchema,
    frame: SilentMonitorFrameSchema,
    contract: 'expertflow.silentMonitor',
  },
  bargeIn: {
    direction: 'client-to-server',
    payload: BargeInPayloadSchema,
    frame: BargeInFrameSchema,
    contract: 'expertflow.bargeIn',
  },
  leaveConversation: {
    direction: 'client-to-server',
    payload: LeaveConversationPayloadSchema,
    frame: LeaveConversationFrameSchema,
    contract: 'expertflow.leaveConversation',
  },
  endConversation: {
    direction: 'both',
    payload: EndConversationPayloadSchema,
    frame: EndConversationFrameSchema,
    contract: 'expertflow.endConversation',
  },
  getConversationInfo: {
    direction: 'client-to-server',
    payload: GetConversationInfoPayloadSchema,
    frame: GetConversationInfoFrameSchema,
    contract: 'expertflow.getConversationInfo',
  },
  sendMessage: {
    direction: 'client-to-server',
    payload: ChatMessageSchema,
    frame: SendMessageFrameSchema,
    contract: 'expertflow.sendMessage',
  },
  'amq-msg': {
    direction: 'server-to-client',
    payload: AmqMsgPayloadSchema,
    frame: AmqMsgFrameSchema,
    contract: 'expertflow.amq-msg',
  },
  messageArrived: {
    direction: 'server-to-client',
    payload: MessageSchema,
    frame: MessageArrivedFrameSchema,
    contract: 'expertflow.messageArrived',
  },
  conversationInfo: {
    direction: 'server-to-client',
    payload: ConversationInfoPayloadSchema,
    frame: ConversationInfoFrameSchema,
    contract: 'expertflow.conversationInfo',
  },
  conversationList: {
    direction: 'server-to-client',
    payload: ConversationListPayloadSchema,
    frame: ConversationListFrameSchema,
    contract: 'expertflow.conversationList',
  },
  teamInfo: {
    direction: 'server-to-client',
    payload: TeamInfoPayloadSchema,
    frame: TeamInfoFrameSchema,
    contract: 'expertflow.teamInfo',
  },
  RoleUpdated: {
    direction: 'server-to-client',
    payload: RoleUpdatedPayloadSchema,
    frame: RoleUpdatedFrameSchema,
    contract: 'expertflow.RoleUpdated',
  },
} as const satisfies Record<string, ExpertflowEventEntry>

export type ExpertflowEventName = keyof typeof EXPERTFLOW_EVENTS

export const EXPERTFLOW_EVENT_NAMES = Object.keys(EXPERTFLOW_EVENTS) as ExpertflowEventName[]

export function isExpertflowEventName(name: string): name is ExpertflowEventName {
  return Object.hasOwn(EXPERTFLOW_EVENTS, name)
}
