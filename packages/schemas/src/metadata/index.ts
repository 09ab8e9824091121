import { defineContract, type ContractDefinition } from '../catalog/contract.js'
import { CallSessionMetadataSchema } from './call-session-metadata.js'
import { ChatSessionMetadataSchema } from './chat-session-metadata.js'

export {
  SESSION_STATUS_CODES,
  SESSION_STATUS_BY_CODE,
  INFERRED_SESSION_STATUS_NAMES,
  CallStatusSchema,
  ChatStatusSchema,
  CallStatusFieldSchema,
  ChatStatusFieldSchema,
  SubStatusSchema,
  SubStatusFieldSchema,
} from './session-status.js'
export type {
  SessionStatusWithCode,
  CallStatus,
  ChatStatus,
  CallStatusField,
  ChatStatusField,
  SubStatus,
  SubStatusField,
} from './session-status.js'
export {
  CALL_FAIL_REASON_CODES,
  CHAT_FAIL_REASON_CODES,
  CallFailReasonSchema,
  ChatFailReasonSchema,
  CallFailReasonFieldSchema,
  ChatFailReasonFieldSchema,
} from './fail-reason.js'
export type {
  CallFailReason,
  ChatFailReason,
  CallFailReasonField,
  ChatFailReasonField,
} from './fail-reason.js'
export {
  VA_CALL_FINISH_REASON_CODES,
  VA_TRANSFER_FAIL_REASON_CODES,
  ESCALATION_STATUS_CODES,
  ESCALATION_REASON_CODES,
  VaCallFinishReasonSchema,
  VaTransferFailReasonSchema,
  EscalationStatusSchema,
  EscalationReasonSchema,
  EscalationStatusFieldSchema,
  EscalationReasonFieldSchema,
  VaCallFinishReasonFieldSchema,
} from './virtual-agent-reason.js'
export type {
  VaCallFinishReason,
  VaTransferFailReason,
  EscalationStatus,
  EscalationReason,
} from './virtual-agent-reason.js'
export {
  CallTypeSchema,
  CallSessionTypeV2Schema,
  ChatTypeSchema,
  ChatSessionTypeV2Schema,
  CallTypeFieldSchema,
  CallSessionTypeV2FieldSchema,
  ChatTypeFieldSchema,
  ChatSessionTypeV2FieldSchema,
} from './session-type.js'
export type {
  CallType,
  CallSessionTypeV2,
  ChatType,
  ChatSessionTypeV2,
  CallTypeField,
  CallSessionTypeV2Field,
  ChatTypeField,
  ChatSessionTypeV2Field,
} from './session-type.js'
export {
  DisconnectedBySchema,
  DisconnectedByFieldSchema,
  RecordingPermissionSchema,
  RecordingPermissionFieldSchema,
  VoicemailReasonSchema,
  VoicemailReasonFieldSchema,
  DeflectionSchema,
  DeflectionFieldSchema,
  OfferTypeSchema,
  OfferTypeFieldSchema,
  AnswerTypeSchema,
  AnswerTypeFieldSchema,
  MenuTypeSchema,
  MenuTypeFieldSchema,
} from './session-vocabularies.js'
export type {
  DisconnectedBy,
  RecordingPermission,
  VoicemailReason,
  Deflection,
  OfferType,
  AnswerType,
  MenuType,
} from './session-vocabularies.js'
export { OptionalTimestampSchema, ConnectedAtSchema } from './timestamps.js'
export type { OptionalTimestamp, ConnectedAt } from './timestamps.js'
export {
  AgentNumberSchema,
  HumanAgentInfoSchema,
  VirtualAgentInfoSchema,
  AgentInfoSchema,
  agentInfoKind,
  isVirtualAgentInfo,
} from './agent-info.js'
export type { AgentNumber, HumanAgentInfo, VirtualAgentInfo, AgentInfo } from './agent-info.js'
export { VirtualAgentRefSchema } from './virtual-agent-ref.js'
export type { VirtualAgentRef } from './virtual-agent-ref.js'
export { EndUserSchema } from './end-user.js'
export type { EndUser } from './end-user.js'
export { SelectedMenuSchema } from './selected-menu.js'
export type { SelectedMenu } from './selected-menu.js'
export { MenuPathSchema } from './menu-path.js'
export type { MenuPath } from './menu-path.js'
export { PhotoSchema } from './photo.js'
export type { Photo } from './photo.js'
export { VideoSchema } from './video.js'
export type { Video } from './video.js'
export { TransferSchema, TransferStatusSchema, TransferFailReasonSchema } from './transfer.js'
export type { Transfer, TransferStatus, TransferFailReason } from './transfer.js'
export { EscalationSchema } from './escalation.js'
export type { Escalation } from './escalation.js'
export {
  CallParticipantSchema,
  ChatParticipantSchema,
  ParticipantTypeSchema,
  ParticipantStatusSchema,
} from './participant.js'
export type {
  CallParticipant,
  ChatParticipant,
  ParticipantType,
  ParticipantStatus,
} from './participant.js'
export { HandleDurationSchema } from './handle-duration.js'
export type { HandleDuration } from './handle-duration.js'
export { QueueDurationSchema } from './queue-duration.js'
export type { QueueDuration } from './queue-duration.js'
export { VirtualAgentHandleDurationSchema } from './virtual-agent-handle-duration.js'
export type { VirtualAgentHandleDuration } from './virtual-agent-handle-duration.js'
export { ConsumerHandleDurationSchema } from './consumer-handle-duration.js'
export type { ConsumerHandleDuration } from './consumer-handle-duration.js'
export { ConsumerEventDurationSchema } from './consumer-event-duration.js'
export type { ConsumerEventDuration } from './consumer-event-duration.js'
export { RecordingSchema } from './recording.js'
export type { Recording } from './recording.js'
export { DeflectionDetailSchema } from './deflection-detail.js'
export type { DeflectionDetail } from './deflection-detail.js'
export { OfferEventSchema } from './offer-event.js'
export type { OfferEvent } from './offer-event.js'
export { CallSessionMetadataSchema, RatingSchema } from './call-session-metadata.js'
export type { CallSessionMetadata, Rating } from './call-session-metadata.js'
export { ChatSessionMetadataSchema } from './chat-session-metadata.js'
export type { ChatSessionMetadata } from './chat-session-metadata.js'
export {
  SessionMetadataSchema,
  isCallSessionMetadata,
  isChatSessionMetadata,
} from './session-metadata.js'
export type { SessionMetadata } from './session-metadata.js'

const DELIVERY_NOTE =
  'The same record is also the body of the session-end command sent to CRM integrations and the JSON body of the session-outcome email (sent ~15 minutes after the session, for successfully finished sessions only).'

export const METADATA_CONTRACTS: readonly ContractDefinition[] = [
  defineContract({
    id: 'metadata.call',
    family: 'metadata',
    title: 'Call session metadata record (ujet-metadata/call-{id}.json)',
    direction: { from: 'ccai-platform', to: 'external-storage' },
    transport: 'file',
    schema: CallSessionMetadataSchema,
    source: {
      document:
        'https://docs.cloud.google.com/contact-center/ccai-platform/docs/call-session-metadata',
      section: 'Schema root; Core information (reference §1.1, §1.2, §1.5–1.7)',
    },
    confidence: 'documented',
    notes: `${DELIVERY_NOTE} Root fields are documented; the nested duration arrays, recordings and deflection details are only partly readable and follow third-party parsers (inferred). Disposition, survey, Smart Action text-input and custom-data keys are not readable and pass only in tolerant mode.`,
  }),
  defineContract({
    id: 'metadata.chat',
    family: 'metadata',
    title: 'Chat session metadata record (ujet-metadata/chat-{id}.json)',
    direction: { from: 'ccai-platform', to: 'external-storage' },
    transport: 'file',
    schema: ChatSessionMetadataSchema,
    source: {
      document:
        'https://docs.cloud.google.com/contact-center/ccai-platform/docs/chat-session-metadata',
      section: 'Core information (reference §1.3, §1.5–1.7)',
    },
    confidence: 'documented',
    notes: `${DELIVERY_NOTE} The chat page spells \`sub_status\` (primary here); \`subStatus\` is tolerated. Fields beyond the readable core come from the REST API chat objects and third-party parsers.`,
  }),
]
