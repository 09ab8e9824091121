import { defineContract, type ContractDefinition } from '../catalog/contract.js'
import { TaskVaJoinedEventSchema } from './task-va-joined.js'
import { TaskVaLeftEventSchema } from './task-va-left.js'
import { TaskVaVariablesReceivedEventSchema } from './task-va-variables-received.js'
import { UjetComplexPayloadSchema } from './ujet-complex-payload.js'
import { UjetDirectTransferActionPayloadSchema } from './ujet-direct-transfer-action-payload.js'
import { UjetDocumentPayloadSchema } from './ujet-document-payload.js'
import { UjetEndActionPayloadSchema } from './ujet-end-action-payload.js'
import { UjetEscalationActionPayloadSchema } from './ujet-escalation-action-payload.js'
import { UjetImagePayloadSchema } from './ujet-image-payload.js'
import { UjetInlineButtonPayloadSchema } from './ujet-inline-button-payload.js'
import { UjetSessionVariablePayloadSchema } from './ujet-session-variable-payload.js'
import { UjetStickyButtonPayloadSchema } from './ujet-sticky-button-payload.js'
import { UjetTextPayloadSchema } from './ujet-text-payload.js'
import { UjetVideoPayloadSchema } from './ujet-video-payload.js'

export { CapturedVariableSchema } from './captured-variable.js'
export type { CapturedVariable } from './captured-variable.js'
export { omittedIfUnavailable } from './vta-optional.js'
export {
  VtaDataParametersSchema,
  VtaCallSessionDataSchema,
  VtaChatSessionDataSchema,
  vtaEventData,
} from './vta-session-data.js'
export type {
  VtaDataParameters,
  VtaCallSessionData,
  VtaChatSessionData,
} from './vta-session-data.js'
export { TaskVaJoinedDataSchema, TaskVaJoinedEventSchema } from './task-va-joined.js'
export type { TaskVaJoinedData, TaskVaJoinedEvent } from './task-va-joined.js'
export { TaskVaLeftDataSchema, TaskVaLeftEventSchema } from './task-va-left.js'
export type { TaskVaLeftData, TaskVaLeftEvent } from './task-va-left.js'
export {
  TaskVaVariablesReceivedDataSchema,
  TaskVaVariablesReceivedEventSchema,
} from './task-va-variables-received.js'
export type {
  TaskVaVariablesReceivedData,
  TaskVaVariablesReceivedEvent,
} from './task-va-variables-received.js'
export { VtaEventSchema } from './vta-event.js'
export type { VtaEvent } from './vta-event.js'

export {
  CaptureTypeSchema,
  CaptureTargetSchema,
  PayloadSessionVariableSchema,
  EndUserResponseSessionVariableSchema,
  SessionVariableSchema,
} from './session-variable.js'
export type {
  CaptureType,
  CaptureTarget,
  PayloadSessionVariable,
  EndUserResponseSessionVariable,
  SessionVariable,
} from './session-variable.js'
export { UjetSessionVariablePayloadSchema } from './ujet-session-variable-payload.js'
export type { UjetSessionVariablePayload } from './ujet-session-variable-payload.js'
export {
  UjetButtonSchema,
  UjetMediaItemSchema,
  EscalationReasonSchema,
} from './ujet-message-parts.js'
export type { UjetButton, UjetMediaItem, EscalationReason } from './ujet-message-parts.js'
export { UjetTextMessageSchema, UjetTextPayloadSchema } from './ujet-text-payload.js'
export type { UjetTextMessage, UjetTextPayload } from './ujet-text-payload.js'
export {
  UjetInlineButtonMessageSchema,
  UjetInlineButtonPayloadSchema,
} from './ujet-inline-button-payload.js'
export type {
  UjetInlineButtonMessage,
  UjetInlineButtonPayload,
} from './ujet-inline-button-payload.js'
export {
  UjetStickyButtonMessageSchema,
  UjetStickyButtonPayloadSchema,
} from './ujet-sticky-button-payload.js'
export type {
  UjetStickyButtonMessage,
  UjetStickyButtonPayload,
} from './ujet-sticky-button-payload.js'
export { UjetImageMessageSchema, UjetImagePayloadSchema } from './ujet-image-payload.js'
export type { UjetImageMessage, UjetImagePayload } from './ujet-image-payload.js'
export { UjetVideoMessageSchema, UjetVideoPayloadSchema } from './ujet-video-payload.js'
export type { UjetVideoMessage, UjetVideoPayload } from './ujet-video-payload.js'
export { UjetDocumentMessageSchema, UjetDocumentPayloadSchema } from './ujet-document-payload.js'
export type { UjetDocumentMessage, UjetDocumentPayload } from './ujet-document-payload.js'
export { UjetComplexMessageSchema, UjetComplexPayloadSchema } from './ujet-complex-payload.js'
export type { UjetComplexMessage, UjetComplexPayload } from './ujet-complex-payload.js'
export {
  UjetEscalationActionMessageSchema,
  UjetEscalationActionPayloadSchema,
} from './ujet-escalation-action-payload.js'
export type {
  UjetEscalationActionMessage,
  UjetEscalationActionPayload,
} from './ujet-escalation-action-payload.js'
export {
  UjetEndActionMessageSchema,
  UjetEndActionPayloadSchema,
} from './ujet-end-action-payload.js'
export type { UjetEndActionMessage, UjetEndActionPayload } from './ujet-end-action-payload.js'
export {
  UjetDirectTransferActionMessageSchema,
  UjetDirectTransferActionPayloadSchema,
} from './ujet-direct-transfer-action-payload.js'
export type {
  UjetDirectTransferActionMessage,
  UjetDirectTransferActionPayload,
} from './ujet-direct-transfer-action-payload.js'
export { UjetActionMessageSchema } from './ujet-action-message.js'
export type { UjetActionMessage } from './ujet-action-message.js'
export {
  UjetMessageSchema,
  UjetCustomPayloadSchema,
  VaCustomPayloadSchema,
  selectVaCustomPayloadSchema,
} from './va-custom-payload.js'
export type { UjetMessage, UjetCustomPayload, VaCustomPayload } from './va-custom-payload.js'

const POST_EVENTS_FOR_VTAS =
  'https://docs.cloud.google.com/contact-center/ccai-platform/docs/post-events-for-vtas'
const SEED_002 = 'seeds/002_5e2fa59d62bac538.txt'
const VA_CUSTOM_PAYLOAD =
  'https://docs.cloud.google.com/contact-center/ccai-platform/docs/va-custom-payload'
const VA_TO_HUMAN =
  'https://docs.cloud.google.com/contact-center/ccai-platform/docs/virtual-agent-to-human-agent-transfers'

const postEvent = {
  direction: { from: 'ccai-platform', to: 'crm-page' },
  transport: 'postMessage',
} as const
const customPayload = {
  direction: { from: 'dialogflow', to: 'ccai-platform' },
  transport: 'dialogflow-custom-payload',
} as const

const ADAPTER_ENVELOPE_NOTE =
  'Posted by the agent adapter iframe with window.postMessage as a JSON string ({ type, data }). ' +
  '`data` carries `call_id` (voice) or `chat_id` (chat); every example is a chat. `timestamp` is epoch seconds as a string.'

export const VTA_CONTRACTS: readonly ContractDefinition[] = [
  defineContract({
    id: 'vta.Task_VA_Joined',
    family: 'vta',
    title: 'Virtual task assistant joined (adapter post event)',
    ...postEvent,
    schema: TaskVaJoinedEventSchema,
    source: {
      document: POST_EVENTS_FOR_VTAS,
      section: `Virtual task assistant joined; ${SEED_002}`,
    },
    confidence: 'documented',
    notes: ADAPTER_ENVELOPE_NOTE,
  }),
  defineContract({
    id: 'vta.Task_VA_Left',
    family: 'vta',
    title: 'Virtual task assistant left (adapter post event)',
    ...postEvent,
    schema: TaskVaLeftEventSchema,
    source: { document: POST_EVENTS_FOR_VTAS, section: `Virtual task assistant left; ${SEED_002}` },
    confidence: 'documented',
    notes: `${ADAPTER_ENVELOPE_NOTE} Adds free-text \`finish_reason\` and \`captured_variables\`.`,
  }),
  defineContract({
    id: 'vta.Task_VA_Variables_Received',
    family: 'vta',
    title: 'Virtual task assistant custom session variables received (adapter post event)',
    ...postEvent,
    schema: TaskVaVariablesReceivedEventSchema,
    source: {
      document: POST_EVENTS_FOR_VTAS,
      section: `Virtual task assistant custom session variables received; ${SEED_002}`,
    },
    confidence: 'documented',
    notes: `${ADAPTER_ENVELOPE_NOTE} Fired for session-variable payloads whose capture_type includes "event"; participant_id is missing from this event's field list but present in its example.`,
  }),
  defineContract({
    id: 'vta.ujet.session_variable',
    family: 'vta',
    title: 'Dialogflow custom session-variable payload',
    ...customPayload,
    schema: UjetSessionVariablePayloadSchema,
    source: {
      document: SEED_002,
      section:
        'Dialogflow payload for custom session variables (用于自定义会话变量的 Dialogflow 载荷)',
    },
    confidence: 'documented',
    notes:
      'Also https://cloud.google.com/contact-center/ccai-platform/docs/session-data-agent-adapter. ' +
      'The value shape of display_order_in_adapter is not readable in the docs (array of keys assumed).',
  }),
  defineContract({
    id: 'vta.ujet.text',
    family: 'vta',
    title: 'Virtual-agent custom payload: text',
    ...customPayload,
    schema: UjetTextPayloadSchema,
    source: {
      document: VA_CUSTOM_PAYLOAD,
      section: 'Contact Center AI Platform (CCAI Platform) payload',
    },
    confidence: 'doc-example',
    notes:
      'The docs show one merged template for all types; which keys belong to which type is read from it.',
  }),
  defineContract({
    id: 'vta.ujet.inline_button',
    family: 'vta',
    title: 'Virtual-agent custom payload: inline buttons',
    ...customPayload,
    schema: UjetInlineButtonPayloadSchema,
    source: {
      document: VA_CUSTOM_PAYLOAD,
      section: 'Contact Center AI Platform (CCAI Platform) payload',
    },
    confidence: 'doc-example',
    notes:
      'Sticky and inline buttons cannot coexist in one payload. Only "quick_reply" is documented as button action.',
  }),
  defineContract({
    id: 'vta.ujet.sticky_button',
    family: 'vta',
    title: 'Virtual-agent custom payload: sticky buttons',
    ...customPayload,
    schema: UjetStickyButtonPayloadSchema,
    source: {
      document: VA_CUSTOM_PAYLOAD,
      section: 'Contact Center AI Platform (CCAI Platform) payload',
    },
    confidence: 'doc-example',
    notes: 'Sticky and inline buttons cannot coexist in one payload.',
  }),
  defineContract({
    id: 'vta.ujet.image',
    family: 'vta',
    title: 'Virtual-agent custom payload: images',
    ...customPayload,
    schema: UjetImagePayloadSchema,
    source: {
      document: VA_CUSTOM_PAYLOAD,
      section: 'Contact Center AI Platform (CCAI Platform) payload',
    },
    confidence: 'doc-example',
  }),
  defineContract({
    id: 'vta.ujet.video',
    family: 'vta',
    title: 'Virtual-agent custom payload: videos',
    ...customPayload,
    schema: UjetVideoPayloadSchema,
    source: {
      document: VA_CUSTOM_PAYLOAD,
      section: 'Contact Center AI Platform (CCAI Platform) payload',
    },
    confidence: 'doc-example',
  }),
  defineContract({
    id: 'vta.ujet.document',
    family: 'vta',
    title: 'Virtual-agent custom payload: documents',
    ...customPayload,
    schema: UjetDocumentPayloadSchema,
    source: { document: VA_CUSTOM_PAYLOAD, section: 'Custom response message types (Documents)' },
    confidence: 'inferred',
    notes:
      'The type is listed; the key `documents: [{ url, text }]` is inferred from images/videos (that part of the page was not readable).',
  }),
  defineContract({
    id: 'vta.ujet.complex',
    family: 'vta',
    title: 'Virtual-agent custom payload: complex view',
    ...customPayload,
    schema: UjetComplexPayloadSchema,
    source: {
      document: VA_CUSTOM_PAYLOAD,
      section: 'Custom response message types (Complex views)',
    },
    confidence: 'inferred',
    notes:
      'Only described as a combination of message types; all content keys accepted, none required.',
  }),
  defineContract({
    id: 'vta.ujet.action.escalation',
    family: 'vta',
    title:
      'Virtual-agent custom payload: escalate to a queue (human or, with allow_virtual_agent, VA→VA)',
    ...customPayload,
    schema: UjetEscalationActionPayloadSchema,
    source: {
      document: VA_CUSTOM_PAYLOAD,
      section: 'Contact Center AI Platform (CCAI Platform) payload',
    },
    confidence: 'doc-example',
    notes:
      'menu_id, allow_virtual_agent and language come from https://docs.cloud.google.com/contact-center/ccai-platform/docs/va-to-va-transfers.',
  }),
  defineContract({
    id: 'vta.ujet.action.end',
    family: 'vta',
    title: 'Virtual-agent custom payload: end the support session',
    ...customPayload,
    schema: UjetEndActionPayloadSchema,
    source: {
      document: VA_CUSTOM_PAYLOAD,
      section: 'Contact Center AI Platform (CCAI Platform) payload',
    },
    confidence: 'doc-example',
  }),
  defineContract({
    id: 'vta.ujet.action.direct',
    family: 'vta',
    title: 'Virtual-agent custom payload: direct transfer to a human agent (voice)',
    ...customPayload,
    schema: UjetDirectTransferActionPayloadSchema,
    source: { document: VA_TO_HUMAN, section: 'Custom payload using an agent extension' },
    confidence: 'documented',
    notes:
      'Exactly one of agent_extension / agent_id. The agent-id variant is announced but its example was not readable; the key name agent_id is inferred.',
  }),
]
