import { z } from 'zod'
import { AddParticipantPayloadSchema } from './add-participant-payload.js'
import { AmqMsgPayloadSchema } from './amq-msg-payload.js'
import { AmqSendPayloadSchema } from './amq-send-payload.js'
import { AmqSubPayloadSchema } from './amq-sub-payload.js'
import { BargeInPayloadSchema } from './barge-in-payload.js'
import { ChatMessageSchema } from './chat-message.js'
import { ConversationInfoPayloadSchema } from './conversation-info-payload.js'
import { ConversationListPayloadSchema } from './conversation-list-payload.js'
import { EndConversationPayloadSchema } from './end-conversation-payload.js'
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

/*
 * On the wire every message is `socket.emit(<eventName>, <json>)`: a socket.io EVENT packet
 * `42["joinConversation",{"conversationId":"abc333"}]`. Most payloads carry nothing that names the
 * event (joinConversation, silentMonitor, bargeIn and endConversation are all `{conversationId}`),
 * so the unit a contract checks is the frame `{ event, payload }`: the event name as a literal
 * beside the payload. `expertflowFrameFromSocketIo` turns a captured packet into one.
 */
function frame<const TEvent extends string, TPayload extends z.ZodType>(
  event: TEvent,
  payload: TPayload,
) {
  return z.object({ event: z.literal(event), payload })
}

/**
 * The `amq-sub` event as a frame: `{ event: "amq-sub", payload }`.
 * @see seeds/003_1d4ee430392b9662.txt §amq-sub — documented
 */
export const AmqSubFrameSchema = frame('amq-sub', AmqSubPayloadSchema)
export type AmqSubFrame = z.infer<typeof AmqSubFrameSchema>

/**
 * The `amq-send` event as a frame: `{ event: "amq-send", payload }`.
 * @see seeds/003_1d4ee430392b9662.txt §amq-send, §changeState — documented
 */
export const AmqSendFrameSchema = frame('amq-send', AmqSendPayloadSchema)
export type AmqSendFrame = z.infer<typeof AmqSendFrameSchema>

/**
 * The `amq-msg` event as a frame: `{ event: "amq-msg", payload }`.
 * @see seeds/003_1d4ee430392b9662.txt §amq-msg, §receiveChatRequest — documented
 */
export const AmqMsgFrameSchema = frame('amq-msg', AmqMsgPayloadSchema)
export type AmqMsgFrame = z.infer<typeof AmqMsgFrameSchema>

/**
 * The `login` event as a frame: `{ event: "login", payload }`.
 * @see seeds/003_1d4ee430392b9662.txt §login — documented
 */
export const LoginFrameSchema = frame('login', LoginPayloadSchema)
export type LoginFrame = z.infer<typeof LoginFrameSchema>

/**
 * The `joinConversation` event as a frame: `{ event: "joinConversation", payload }`.
 * @see seeds/003_1d4ee430392b9662.txt §joinConversation — documented
 */
export const JoinConversationFrameSchema = frame('joinConversation', JoinConversationPayloadSchema)
export type JoinConversationFrame = z.infer<typeof JoinConversationFrameSchema>

/**
 * The `addParticipant` event as a frame: `{ event: "addParticipant", payload }`.
 * @see seeds/003_1d4ee430392b9662.txt §addParticipant — documented
 */
export const AddParticipantFrameSchema = frame('addParticipant', AddParticipantPayloadSchema)
export type AddParticipantFrame = z.infer<typeof AddParticipantFrameSchema>

/**
 * The `removeParticipant` event as a frame: `{ event: "removeParticipant", payload }`.
 * @see seeds/003_1d4ee430392b9662.txt §removeParticipant — documented
 */
export const RemoveParticipantFrameSchema = frame(
  'removeParticipant',
  RemoveParticipantPayloadSchema,
)
export type RemoveParticipantFrame = z.infer<typeof RemoveParticipantFrameSchema>

/**
 * The `transferChat` event as a frame: `{ event: "transferChat", payload }`.
 * @see seeds/003_1d4ee430392b9662.txt §transferChat — documented
 */
export const TransferChatFrameSchema = frame('transferChat', TransferChatPayloadSchema)
export type TransferChatFrame = z.infer<typeof TransferChatFrameSchema>

/**
 * The `raiseHand` event as a frame: `{ event: "raiseHand", payload }`.
 * @see seeds/003_1d4ee430392b9662.txt §raiseHand — documented
 */
export const RaiseHandFrameSchema = frame('raiseHand', RaiseHandPayloadSchema)
export type RaiseHandFrame = z.infer<typeof RaiseHandFrameSchema>

/**
 * The `wrapUp` event as a frame: `{ event: "wrapUp", payload }`.
 * @see seeds/003_1d4ee430392b9662.txt §wrapUp — documented
 */
export const WrapUpFrameSchema = frame('wrapUp', WrapUpPayloadSchema)
export type WrapUpFrame = z.infer<typeof WrapUpFrameSchema>

/**
 * The `silentMonitor` event as a frame: `{ event: "silentMonitor", payload }`.
 * @see seeds/003_1d4ee430392b9662.txt §silentMonitor — documented
 */
export const SilentMonitorFrameSchema = frame('silentMonitor', SilentMonitorPayloadSchema)
export type SilentMonitorFrame = z.infer<typeof SilentMonitorFrameSchema>

/**
 * The `bargeIn` event as a frame: `{ event: "bargeIn", payload }`.
 * @see seeds/003_1d4ee430392b9662.txt §bargeIn — documented
 */
export const BargeInFrameSchema = frame('bargeIn', BargeInPayloadSchema)
export type BargeInFrame = z.infer<typeof BargeInFrameSchema>

/**
 * The `leaveConversation` event as a frame: `{ event: "leaveConversation", payload }`.
 * @see seeds/003_1d4ee430392b9662.txt §leaveConversation — documented
 */
export const LeaveConversationFrameSchema = frame(
  'leaveConversation',
  LeaveConversationPayloadSchema,
)
export type LeaveConversationFrame = z.infer<typeof LeaveConversationFrameSchema>

/**
 * Both directions: the owner emits it, then the server emits it to every participant.
 * @see seeds/003_1d4ee430392b9662.txt §endConversation — documented
 */
export const EndConversationFrameSchema = frame('endConversation', EndConversationPayloadSchema)
export type EndConversationFrame = z.infer<typeof EndConversationFrameSchema>

/**
 * The `getConversationInfo` event as a frame: `{ event: "getConversationInfo", payload }`.
 * @see seeds/003_1d4ee430392b9662.txt §getConversationInfo — documented
 */
export const GetConversationInfoFrameSchema = frame(
  'getConversationInfo',
  GetConversationInfoPayloadSchema,
)
export type GetConversationInfoFrame = z.infer<typeof GetConversationInfoFrameSchema>

/**
 * Documented for the Customer API; that agents send chat text with it too is inferred.
 * @see https://docs.expertflow.com/chat/3.15/customer-channel-api (reference §2.3.1) — inferred
 */
export const SendMessageFrameSchema = frame('sendMessage', ChatMessageSchema)
export type SendMessageFrame = z.infer<typeof SendMessageFrameSchema>

/**
 * The `messageArrived` event as a frame: `{ event: "messageArrived", payload }`.
 * @see seeds/003_1d4ee430392b9662.txt §messageArrived — documented
 */
export const MessageArrivedFrameSchema = frame('messageArrived', MessageSchema)
export type MessageArrivedFrame = z.infer<typeof MessageArrivedFrameSchema>

/**
 * The `conversationInfo` event as a frame: `{ event: "conversationInfo", payload }`.
 * @see seeds/003_1d4ee430392b9662.txt §conversationInfo — documented
 */
export const ConversationInfoFrameSchema = frame('conversationInfo', ConversationInfoPayloadSchema)
export type ConversationInfoFrame = z.infer<typeof ConversationInfoFrameSchema>

/**
 * The `conversationList` event as a frame: `{ event: "conversationList", payload }`.
 * @see seeds/003_1d4ee430392b9662.txt §Events (event table) — inferred
 */
export const ConversationListFrameSchema = frame('conversationList', ConversationListPayloadSchema)
export type ConversationListFrame = z.infer<typeof ConversationListFrameSchema>

/**
 * The `teamInfo` event as a frame: `{ event: "teamInfo", payload }`.
 * @see seeds/003_1d4ee430392b9662.txt §teamInfo — documented
 */
export const TeamInfoFrameSchema = frame('teamInfo', TeamInfoPayloadSchema)
export type TeamInfoFrame = z.infer<typeof TeamInfoFrameSchema>

/**
 * The `RoleUpdated` event as a frame: `{ event: "RoleUpdated", payload }`.
 * @see seeds/003_1d4ee430392b9662.txt §RoleUpdated — documented
 */
export const RoleUpdatedFrameSchema = frame('RoleUpdated', RoleUpdatedPayloadSchema)
export type RoleUpdatedFrame = z.infer<typeof RoleUpdatedFrameSchema>

/**
 * Any frame an agent or supervisor client emits, told apart by `event`.
 * @see seeds/003_1d4ee430392b9662.txt §Events — documented
 */
export const ExpertflowClientFrameSchema = z.discriminatedUnion('event', [
  AmqSubFrameSchema,
  AmqSendFrameSchema,
  LoginFrameSchema,
  JoinConversationFrameSchema,
  AddParticipantFrameSchema,
  RemoveParticipantFrameSchema,
  TransferChatFrameSchema,
  RaiseHandFrameSchema,
  WrapUpFrameSchema,
  SilentMonitorFrameSchema,
  BargeInFrameSchema,
  LeaveConversationFrameSchema,
  EndConversationFrameSchema,
  GetConversationInfoFrameSchema,
  SendMessageFrameSchema,
])
export type ExpertflowClientFrame = z.infer<typeof ExpertflowClientFrameSchema>

/**
 * Any frame the chat server emits to an agent or supervisor client, told apart by `event`.
 * @see seeds/003_1d4ee430392b9662.txt §Events — documented
 */
export const ExpertflowServerFrameSchema = z.discriminatedUnion('event', [
  AmqMsgFrameSchema,
  MessageArrivedFrameSchema,
  ConversationInfoFrameSchema,
  ConversationListFrameSchema,
  TeamInfoFrameSchema,
  RoleUpdatedFrameSchema,
  EndConversationFrameSchema,
])
export type ExpertflowServerFrame = z.infer<typeof ExpertflowServerFrameSchema>

/**
 * Any Agent API frame in either direction; an unknown event fails, naming `event`.
 * @see seeds/003_1d4ee430392b9662.txt §Events — documented
 */
export const ExpertflowFrameSchema = z.discriminatedUnion('event', [
  AmqSubFrameSchema,
  AmqSendFrameSchema,
  LoginFrameSchema,
  JoinConversationFrameSchema,
  AddParticipantFrameSchema,
  RemoveParticipantFrameSchema,
  TransferChatFrameSchema,
  RaiseHandFrameSchema,
  WrapUpFrameSchema,
  SilentMonitorFrameSchema,
  BargeInFrameSchema,
  LeaveConversationFrameSchema,
  EndConversationFrameSchema,
  GetConversationInfoFrameSchema,
  SendMessageFrameSchema,
  AmqMsgFrameSchema,
  MessageArrivedFrameSchema,
  ConversationInfoFrameSchema,
  ConversationListFrameSchema,
  TeamInfoFrameSchema,
  RoleUpdatedFrameSchema,
])
export type ExpertflowFrame = z.infer<typeof ExpertflowFrameSchema>
