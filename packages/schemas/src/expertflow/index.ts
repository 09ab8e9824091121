import { defineContract, type ContractDefinition } from '../catalog/contract.js'
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

export { ActivityTypeSchema, ActivityMessageSchema } from './activity-message.js'
export type { ActivityType, ActivityMessage } from './activity-message.js'
export { AddParticipantPayloadSchema } from './add-participant-payload.js'
export type { AddParticipantPayload } from './add-participant-payload.js'
export { AgentStateSchema, RequestableAgentStateSchema } from './agent-state.js'
export type { AgentState, RequestableAgentState } from './agent-state.js'
export { AgentSchema } from './agent.js'
export type { Agent } from './agent.js'
export { AmqMsgAgentInfoSchema } from './amq-msg-agent-info.js'
export type { AmqMsgAgentInfo } from './amq-msg-agent-info.js'
export { AmqMsgPayloadSchema } from './amq-msg-payload.js'
export type { AmqMsgPayload } from './amq-msg-payload.js'
export { TaskAssignedParamSchema, AmqMsgTaskAssignedSchema } from './amq-msg-task-assigned.js'
export type { TaskAssignedParam, AmqMsgTaskAssigned } from './amq-msg-task-assigned.js'
export { AmqSendAgentStateSchema } from './amq-send-agent-state.js'
export type { AmqSendAgentState } from './amq-send-agent-state.js'
export { AmqSendConnectSchema } from './amq-send-connect.js'
export type { AmqSendConnect } from './amq-send-connect.js'
export { AmqSendLoginSchema } from './amq-send-login.js'
export type { AmqSendLogin } from './amq-send-login.js'
export { AmqSendPayloadSchema } from './amq-send-payload.js'
export type { AmqSendPayload } from './amq-send-payload.js'
export { AmqSubPayloadSchema } from './amq-sub-payload.js'
export type { AmqSubPayload } from './amq-sub-payload.js'
export { AttachmentSchema } from './attachment.js'
export type { Attachment } from './attachment.js'
export { BargeInPayloadSchema } from './barge-in-payload.js'
export type { BargeInPayload } from './barge-in-payload.js'
export { KNOWN_EXPERTFLOW_CHANNELS, ExpertflowChannelSchema } from './channel.js'
export type { ExpertflowChannel } from './channel.js'
export { ChatMessageSchema } from './chat-message.js'
export type { ChatMessage } from './chat-message.js'
export { ConversationInfoPayloadSchema } from './conversation-info-payload.js'
export type { ConversationInfoPayload } from './conversation-info-payload.js'
export { ConversationListPayloadSchema } from './conversation-list-payload.js'
export type { ConversationListPayload } from './conversation-list-payload.js'
export { ConversationSchema } from './conversation.js'
export type { Conversation } from './conversation.js'
export { CustomerSchema } from './customer.js'
export type { Customer } from './customer.js'
export { EndConversationPayloadSchema } from './end-conversation-payload.js'
export type { EndConversationPayload } from './end-conversation-payload.js'
export { EXPERTFLOW_EVENTS, EXPERTFLOW_EVENT_NAMES, isExpertflowEventName } from './events.js'
export type {
  ExpertflowEventDirection,
  ExpertflowEventEntry,
  ExpertflowEventName,
} from './events.js'
export {
  AmqSubFrameSchema,
  AmqSendFrameSchema,
  AmqMsgFrameSchema,
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
  MessageArrivedFrameSchema,
  ConversationInfoFrameSchema,
  ConversationListFrameSchema,
  TeamInfoFrameSchema,
  RoleUpdatedFrameSchema,
  ExpertflowClientFrameSchema,
  ExpertflowServerFrameSchema,
  ExpertflowFrameSchema,
} from './frames.js'
export type {
  AmqSubFrame,
  AmqSendFrame,
  AmqMsgFrame,
  LoginFrame,
  JoinConversationFrame,
  AddParticipantFrame,
  RemoveParticipantFrame,
  TransferChatFrame,
  RaiseHandFrame,
  WrapUpFrame,
  SilentMonitorFrame,
  BargeInFrame,
  LeaveConversationFrame,
  EndConversationFrame,
  GetConversationInfoFrame,
  SendMessageFrame,
  MessageArrivedFrame,
  ConversationInfoFrame,
  ConversationListFrame,
  TeamInfoFrame,
  RoleUpdatedFrame,
  ExpertflowClientFrame,
  ExpertflowServerFrame,
  ExpertflowFrame,
} from './frames.js'
export { GetConversationInfoPayloadSchema } from './get-conversation-info-payload.js'
export type { GetConversationInfoPayload } from './get-conversation-info-payload.js'
export { JoinConversationPayloadSchema } from './join-conversation-payload.js'
export type { JoinConversationPayload } from './join-conversation-payload.js'
export { LeaveConversationPayloadSchema } from './leave-conversation-payload.js'
export type { LeaveConversationPayload } from './leave-conversation-payload.js'
export { LoginPayloadSchema } from './login-payload.js'
export type { LoginPayload } from './login-payload.js'
export { MessageSchema } from './message.js'
export type { Message } from './message.js'
export {
  ParticipantTypeSchema,
  ParticipantRoleSchema,
  ParticipantStatusSchema,
  ParticipantSchema,
} from './participant.js'
export type {
  ParticipantType,
  ParticipantRole,
  ParticipantStatus,
  Participant,
} from './participant.js'
export { RaiseHandPayloadSchema } from './raise-hand-payload.js'
export type { RaiseHandPayload } from './raise-hand-payload.js'
export { RemoveParticipantPayloadSchema } from './remove-participant-payload.js'
export type { RemoveParticipantPayload } from './remove-participant-payload.js'
export { RoleUpdatedPayloadSchema } from './role-updated-payload.js'
export type { RoleUpdatedPayload } from './role-updated-payload.js'
export { SilentMonitorPayloadSchema } from './silent-monitor-payload.js'
export type { SilentMonitorPayload } from './silent-monitor-payload.js'
export { expertflowFrameFromSocketIo, socketIoArgsOf } from './socket-io.js'
export type { ExpertflowFrameCandidate } from './socket-io.js'
export { SupervisorSchema } from './supervisor.js'
export type { Supervisor } from './supervisor.js'
export { TeamInfoPayloadSchema } from './team-info-payload.js'
export type { TeamInfoPayload } from './team-info-payload.js'
export { TeamSchema } from './team.js'
export type { Team } from './team.js'
export { TransferChatPayloadSchema } from './transfer-chat-payload.js'
export type { TransferChatPayload } from './transfer-chat-payload.js'
export { WrapUpPayloadSchema } from './wrap-up-payload.js'
export type { WrapUpPayload } from './wrap-up-payload.js'

/*
 * Contracts check the frame `{ event, payload }` (see frames.ts): the socket.io event name is a
 * literal beside the payload, so a captured packet (`expertflowFrameFromSocketIo`) is recognised
 * by its event even where payloads look alike.
 */
export const EXPERTFLOW_CONTRACTS: readonly ContractDefinition[] = [
  defineContract({
    id: 'expertflow.amq-sub',
    family: 'expertflow',
    title: "amq-sub: subscribe to the agent's ActiveMQ topic",
    direction: { from: 'expertflow-agent-client', to: 'expertflow-server' },
    transport: 'websocket',
    schema: AmqSubFrameSchema,
    source: { document: 'seeds/003_1d4ee430392b9662.txt', section: 'amq-sub' },
    confidence: 'documented',
    notes: "The seed's example ends in a trailing comma (fixed in the golden example).",
  }),
  defineContract({
    id: 'expertflow.amq-send',
    family: 'expertflow',
    title:
      'amq-send: ActiveMQ message to the media routing side (changeState = head AgentState; Login; Connect)',
    direction: { from: 'expertflow-agent-client', to: 'expertflow-server' },
    transport: 'websocket',
    schema: AmqSendFrameSchema,
    source: { document: 'seeds/003_1d4ee430392b9662.txt', section: 'amq-send; changeState' },
    confidence: 'documented',
    notes:
      'Payload is a discriminated union on the JMS type `head`. AgentState and Login are in the seed; their JMS bodies and Connect come from the Media Routing API page (reference §2.3.3); that the agent client sends Connect is inferred. Other JMS types were not retrieved and fail.',
  }),
  defineContract({
    id: 'expertflow.login',
    family: 'expertflow',
    title: 'login: agent logs in to an MRD',
    direction: { from: 'expertflow-agent-client', to: 'expertflow-server' },
    transport: 'websocket',
    schema: LoginFrameSchema,
    source: { document: 'seeds/003_1d4ee430392b9662.txt', section: 'login' },
    confidence: 'documented',
  }),
  defineContract({
    id: 'expertflow.joinConversation',
    family: 'expertflow',
    title: 'joinConversation: accept a chat request / subscribe to a conversation',
    direction: { from: 'expertflow-agent-client', to: 'expertflow-server' },
    transport: 'websocket',
    schema: JoinConversationFrameSchema,
    source: { document: 'seeds/003_1d4ee430392b9662.txt', section: 'joinConversation' },
    confidence: 'documented',
  }),
  defineContract({
    id: 'expertflow.addParticipant',
    family: 'expertflow',
    title: 'addParticipant: add a READY agent to the chat',
    direction: { from: 'expertflow-agent-client', to: 'expertflow-server' },
    transport: 'websocket',
    schema: AddParticipantFrameSchema,
    source: { document: 'seeds/003_1d4ee430392b9662.txt', section: 'addParticipant' },
    confidence: 'documented',
    notes:
      'The seed\'s example has the placeholder string "participant object" for the participant.',
  }),
  defineContract({
    id: 'expertflow.removeParticipant',
    family: 'expertflow',
    title: 'removeParticipant: owner removes a participant (never the customer)',
    direction: { from: 'expertflow-agent-client', to: 'expertflow-server' },
    transport: 'websocket',
    schema: RemoveParticipantFrameSchema,
    source: { document: 'seeds/003_1d4ee430392b9662.txt', section: 'removeParticipant' },
    confidence: 'documented',
  }),
  defineContract({
    id: 'expertflow.transferChat',
    family: 'expertflow',
    title: 'transferChat: hand the chat to a participant already in it',
    direction: { from: 'expertflow-agent-client', to: 'expertflow-server' },
    transport: 'websocket',
    schema: TransferChatFrameSchema,
    source: { document: 'seeds/003_1d4ee430392b9662.txt', section: 'transferChat' },
    confidence: 'documented',
  }),
  defineContract({
    id: 'expertflow.raiseHand',
    family: 'expertflow',
    title: 'raiseHand: ask the supervisor to join',
    direction: { from: 'expertflow-agent-client', to: 'expertflow-server' },
    transport: 'websocket',
    schema: RaiseHandFrameSchema,
    source: { document: 'seeds/003_1d4ee430392b9662.txt', section: 'raiseHand' },
    confidence: 'documented',
  }),
  defineContract({
    id: 'expertflow.wrapUp',
    family: 'expertflow',
    title: 'wrapUp: submit wrap-up text',
    direction: { from: 'expertflow-agent-client', to: 'expertflow-server' },
    transport: 'websocket',
    schema: WrapUpFrameSchema,
    source: { document: 'seeds/003_1d4ee430392b9662.txt', section: 'wrapUp' },
    confidence: 'documented',
    notes:
      "The seed's JSON is malformed; the flat `conversationId` is the strict form, `conversation: {conversationId}` is tolerated.",
  }),
  defineContract({
    id: 'expertflow.silentMonitor',
    family: 'expertflow',
    title: 'silentMonitor: supervisor watches a conversation',
    direction: { from: 'expertflow-agent-client', to: 'expertflow-server' },
    transport: 'websocket',
    schema: SilentMonitorFrameSchema,
    source: { document: 'seeds/003_1d4ee430392b9662.txt', section: 'silentMonitor' },
    confidence: 'documented',
  }),
  defineContract({
    id: 'expertflow.bargeIn',
    family: 'expertflow',
    title: 'bargeIn: monitoring supervisor joins the conversation',
    direction: { from: 'expertflow-agent-client', to: 'expertflow-server' },
    transport: 'websocket',
    schema: BargeInFrameSchema,
    source: { document: 'seeds/003_1d4ee430392b9662.txt', section: 'bargeIn' },
    confidence: 'documented',
  }),
  defineContract({
    id: 'expertflow.leaveConversation',
    family: 'expertflow',
    title: 'leaveConversation: a non-owner agent leaves',
    direction: { from: 'expertflow-agent-client', to: 'expertflow-server' },
    transport: 'websocket',
    schema: LeaveConversationFrameSchema,
    source: { document: 'seeds/003_1d4ee430392b9662.txt', section: 'leaveConversation' },
    confidence: 'documented',
    notes:
      '`notify` is documented as a boolean but the seed\'s example sends the string "true" (tolerated).',
  }),
  defineContract({
    id: 'expertflow.endConversation',
    family: 'expertflow',
    title:
      'endConversation: owner ends the conversation (the server echoes the event to every participant)',
    direction: { from: 'expertflow-agent-client', to: 'expertflow-server' },
    transport: 'websocket',
    schema: EndConversationFrameSchema,
    source: { document: 'seeds/003_1d4ee430392b9662.txt', section: 'endConversation' },
    confidence: 'documented',
    notes:
      'The server emits the same event to all participants; that payload is not shown and is read as the same `{conversationId}` (EXPERTFLOW_EVENTS marks the event `both`). One contract covers both directions because the frames are identical.',
  }),
  defineContract({
    id: 'expertflow.getConversationInfo',
    family: 'expertflow',
    title: 'getConversationInfo: agent asks for all its conversations after login',
    direction: { from: 'expertflow-agent-client', to: 'expertflow-server' },
    transport: 'websocket',
    schema: GetConversationInfoFrameSchema,
    source: { document: 'seeds/003_1d4ee430392b9662.txt', section: 'getConversationInfo' },
    confidence: 'documented',
    notes:
      'The seed\'s table says "Source: server" but its text says the agent emits it on login; read as client → server.',
  }),
  defineContract({
    id: 'expertflow.sendMessage',
    family: 'expertflow',
    title: 'sendMessage: post a ChatMessage to the conversation',
    direction: { from: 'expertflow-agent-client', to: 'expertflow-server' },
    transport: 'websocket',
    schema: SendMessageFrameSchema,
    source: {
      document: 'seeds/003_1d4ee430392b9662.txt',
      section: 'messageArrived (ChatMessage); Customer API sendMessage',
    },
    confidence: 'inferred',
    notes:
      'Documented for the Customer API (https://docs.expertflow.com/chat/3.15/customer-channel-api); that agent clients send chat text with it is inferred (reference §2.3.1).',
  }),
  defineContract({
    id: 'expertflow.amq-msg',
    family: 'expertflow',
    title:
      'amq-msg: ActiveMQ message for the agent (receiveChatRequest = head TaskAssigned; AgentInfo)',
    direction: { from: 'expertflow-server', to: 'expertflow-agent-client' },
    transport: 'websocket',
    schema: AmqMsgFrameSchema,
    source: { document: 'seeds/003_1d4ee430392b9662.txt', section: 'amq-msg; receiveChatRequest' },
    confidence: 'documented',
    notes:
      'Payload is a discriminated union on the JMS type `head`. Only `head` is documented for AgentInfo and only "customer information and chatId" for TaskAssigned.param; their other keys are inferred.',
  }),
  defineContract({
    id: 'expertflow.messageArrived',
    family: 'expertflow',
    title: 'messageArrived: a ChatMessage or ActivityMessage in a joined conversation',
    direction: { from: 'expertflow-server', to: 'expertflow-agent-client' },
    transport: 'websocket',
    schema: MessageArrivedFrameSchema,
    source: {
      document: 'seeds/003_1d4ee430392b9662.txt',
      section: 'messageArrived; Schema › ActivityMessage object',
    },
    confidence: 'documented',
    notes: 'Payload is a discriminated union on `type` (ChatMessage | ActivityMessage).',
  }),
  defineContract({
    id: 'expertflow.conversationInfo',
    family: 'expertflow',
    title: 'conversationInfo: the whole conversation, on join or on getConversationInfo',
    direction: { from: 'expertflow-server', to: 'expertflow-agent-client' },
    transport: 'websocket',
    schema: ConversationInfoFrameSchema,
    source: { document: 'seeds/003_1d4ee430392b9662.txt', section: 'conversationInfo' },
    confidence: 'documented',
    notes:
      'The seed\'s example holds only placeholders ("conversation", "[]", "<string>", "<boolean>").',
  }),
  defineContract({
    id: 'expertflow.conversationList',
    family: 'expertflow',
    title: 'conversationList: all conversations (bot connector only)',
    direction: { from: 'expertflow-server', to: 'expertflow-agent-client' },
    transport: 'websocket',
    schema: ConversationListFrameSchema,
    source: { document: 'seeds/003_1d4ee430392b9662.txt', section: 'Events (event table)' },
    confidence: 'inferred',
    notes:
      "Named in the seed's event table with no payload; read as an array of Conversation objects. Sent to the bot connector, not to agent clients.",
  }),
  defineContract({
    id: 'expertflow.teamInfo',
    family: 'expertflow',
    title: 'teamInfo: team members and their states',
    direction: { from: 'expertflow-server', to: 'expertflow-agent-client' },
    transport: 'websocket',
    schema: TeamInfoFrameSchema,
    source: { document: 'seeds/003_1d4ee430392b9662.txt', section: 'teamInfo' },
    confidence: 'documented',
  }),
  defineContract({
    id: 'expertflow.RoleUpdated',
    family: 'expertflow',
    title: "RoleUpdated: a participant's role changed",
    direction: { from: 'expertflow-server', to: 'expertflow-agent-client' },
    transport: 'websocket',
    schema: RoleUpdatedFrameSchema,
    source: { document: 'seeds/003_1d4ee430392b9662.txt', section: 'RoleUpdated' },
    confidence: 'documented',
  }),
]
