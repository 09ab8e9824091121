import { z } from 'zod'
import {
  defineContract,
  type Confidence,
  type ContractDefinition,
  type ContractSource,
} from '../catalog/contract.js'
import { HarmonyBridgeChannelDialRequestSchema } from './bridge-channel-dial-request.js'
import { HarmonyBridgeChannelGroupInitQuerySchema } from './bridge-channel-group-init-query.js'
import { HarmonyBridgeChannelGroupInitResponseSchema } from './bridge-channel-group-init-response.js'
import { HarmonyBridgeChannelInitQuerySchema } from './bridge-channel-init-query.js'
import { HarmonyBridgeConversationInitQuerySchema } from './bridge-conversation-init-query.js'
import { HarmonyBridgeEventSchema } from './bridge-event.js'
import { HarmonyBridgeInteractionConsultRequestSchema } from './bridge-interaction-consult-request.js'
import { HarmonyBridgeInteractionInitQuerySchema } from './bridge-interaction-init-query.js'
import { HarmonyBridgeInteractionInitResponseSchema } from './bridge-interaction-init-response.js'
import { HarmonyBridgeQuerySchema } from './bridge-query.js'
import { HarmonyBridgeRequestSchema } from './bridge-request.js'
import { HarmonyBridgeResponseSchema } from './bridge-response.js'
import { HarmonyBridgeTelephonyInteractionInitResponseSchema } from './bridge-telephony-interaction-init-response.js'
import { HarmonyChannelActivateCommandSchema } from './channel-activate-command.js'
import { HarmonyChannelActivateResponseSchema } from './channel-activate-response.js'
import { HarmonyChannelCreatedEventSchema } from './channel-created-event.js'
import { HarmonyChannelDeactivateCommandSchema } from './channel-deactivate-command.js'
import { HarmonyChannelDeactivateResponseSchema } from './channel-deactivate-response.js'
import { HarmonyChannelDialCommandSchema } from './channel-dial-command.js'
import { HarmonyChannelDialResponseSchema } from './channel-dial-response.js'
import { HarmonyChannelDisposedEventSchema } from './channel-disposed-event.js'
import { HarmonyChannelGroupCreatedEventSchema } from './channel-group-created-event.js'
import { HarmonyChannelGroupDisposedEventSchema } from './channel-group-disposed-event.js'
import { HarmonyChannelGroupRequestActivateAllCommandSchema } from './channel-group-request-activate-all-command.js'
import { HarmonyChannelGroupRequestActivateCommandSchema } from './channel-group-request-activate-command.js'
import { HarmonyChannelGroupRequestDeactivateAllCommandSchema } from './channel-group-request-deactivate-all-command.js'
import { HarmonyChannelInfoChangedEventSchema } from './channel-info-changed-event.js'
import { HarmonyChannelInitializedEventSchema } from './channel-initialized-event.js'
import { HarmonyChannelNotReadyCommandSchema } from './channel-not-ready-command.js'
import { HarmonyChannelNotReadyResponseSchema } from './channel-not-ready-response.js'
import { HarmonyChannelReadyCommandSchema } from './channel-ready-command.js'
import { HarmonyChannelReadyResponseSchema } from './channel-ready-response.js'
import { HarmonyConversationCreatedEventSchema } from './conversation-created-event.js'
import { HarmonyConversationDisposedEventSchema } from './conversation-disposed-event.js'
import { HarmonyFailureResponseSchema, HarmonySuccessResponseSchema } from './envelope.js'
import { HarmonyHttpEndSessionRequestSchema } from './http-end-session-request.js'
import { HarmonyHttpStartSessionRequestSchema } from './http-start-session-request.js'
import { HarmonyInteractionConsultConferenceCommandSchema } from './interaction-consult-conference-command.js'
import { HarmonyInteractionConsultTransferCommandSchema } from './interaction-consult-transfer-command.js'
import { HarmonyInteractionConsultTransferResponseSchema } from './interaction-consult-transfer-response.js'
import { HarmonyInteractionCreatedEventSchema } from './interaction-created-event.js'
import { HarmonyInteractionEndedEventSchema } from './interaction-ended-event.js'
import { HarmonyInteractionFocusChangedEventSchema } from './interaction-focus-changed-event.js'
import { HarmonyInteractionRequestRecordingPauseCommandSchema } from './interaction-request-recording-pause-command.js'
import { HarmonyInteractionRequestRecordingPauseResponseSchema } from './interaction-request-recording-pause-response.js'
import { HarmonyInteractionRequestRecordingResumeCommandSchema } from './interaction-request-recording-resume-command.js'
import { HarmonyInteractionRequestRecordingStartCommandSchema } from './interaction-request-recording-start-command.js'
import { HarmonyInteractionRequestRecordingStopCommandSchema } from './interaction-request-recording-stop-command.js'
import { HarmonyInteractionRequestRecordingStopResponseSchema } from './interaction-request-recording-stop-response.js'
import { HarmonyPrepareSessionConfirmResponseSchema } from './prepare-session-confirm-response.js'
import { HarmonyPrepareSessionRequestSchema } from './prepare-session-request.js'
import { HarmonyServiceInfoSchema } from './service-info.js'
import { HarmonySessionAddChannelCommandSchema } from './session-add-channel-command.js'
import { HarmonySessionAddChannelGroupCommandSchema } from './session-add-channel-group-command.js'
import { HarmonySessionDisposedEventSchema } from './session-disposed-event.js'
import { HarmonySessionExternalLogoutReasonsUpdatedEventSchema } from './session-external-logout-reasons-updated-event.js'
import { HarmonySessionExternalNotReadyReasonsUpdatedEventSchema } from './session-external-not-ready-reasons-updated-event.js'
import { HarmonySessionInContactAddressBookUpdatedEventSchema } from './session-incontact-address-book-updated-event.js'
import { HarmonySessionInContactAgentLegFailedEventSchema } from './session-incontact-agent-leg-failed-event.js'
import { HarmonySessionInitializedEventSchema } from './session-initialized-event.js'
import { HarmonySessionRequestExternalLogoutReasonsCommandSchema } from './session-request-external-logout-reasons-command.js'
import { HarmonySessionRequestExternalNotReadyReasonsCommandSchema } from './session-request-external-not-ready-reasons-command.js'
import { HarmonySessionRequestInContactAddressBookCommandSchema } from './session-request-incontact-address-book-command.js'
import { HarmonySessionRequestInContactAddressBookResponseSchema } from './session-request-incontact-address-book-response.js'
import { HarmonySessionRequestLogoutCommandSchema } from './session-request-logout-command.js'
import { HarmonySessionStartCommandSchema } from './session-start-command.js'
import { HarmonyStateUpdatedEventSchema } from './state-updated-event.js'
import { HarmonyConversationAnswerCommandSchema } from './conversation-answer-command.js'
import { HarmonyConversationHoldCommandSchema } from './conversation-hold-command.js'
import { HarmonyConversationRetrieveCommandSchema } from './conversation-retrieve-command.js'
import { HarmonyConversationReleaseCommandSchema } from './conversation-release-command.js'
import { HarmonyInteractionAcceptCommandSchema } from './interaction-accept-command.js'
import { HarmonyInteractionRejectCommandSchema } from './interaction-reject-command.js'
import { HarmonyInteractionConsultCommandSchema } from './interaction-consult-command.js'
import {
  HarmonyPrepareSessionFailureResponseSchema,
  HarmonyPrepareSessionResponseSchema,
} from './prepare-session-response.js'

export { HarmonyAddressBookDestinationSchema } from './address-book-destination.js'
export type { HarmonyAddressBookDestination } from './address-book-destination.js'
export {
  HarmonyAddressBookEntryPropertiesSchema,
  HarmonyAddressBookEntrySchema,
} from './address-book-entry.js'
export type {
  HarmonyAddressBookEntryProperties,
  HarmonyAddressBookEntry,
} from './address-book-entry.js'
export { HarmonyAddressBookGroupSchema } from './address-book-group.js'
export type { HarmonyAddressBookGroup } from './address-book-group.js'
export { HarmonyAddressBookSchema, HarmonyAddressBooksDataSchema } from './address-book.js'
export type { HarmonyAddressBook, HarmonyAddressBooksData } from './address-book.js'
export {
  HARMONY_AGENT_STATUSES,
  HARMONY_CHANNEL_STATES,
  HarmonyAgentStatusSchema,
} from './agent-status.js'
export type { HarmonyAgentStatus } from './agent-status.js'
export { HarmonyBridgeChannelDialRequestSchema } from './bridge-channel-dial-request.js'
export type { HarmonyBridgeChannelDialRequest } from './bridge-channel-dial-request.js'
export { HarmonyBridgeChannelGroupInitQuerySchema } from './bridge-channel-group-init-query.js'
export type { HarmonyBridgeChannelGroupInitQuery } from './bridge-channel-group-init-query.js'
export { HarmonyBridgeChannelGroupInitResponseSchema } from './bridge-channel-group-init-response.js'
export type { HarmonyBridgeChannelGroupInitResponse } from './bridge-channel-group-init-response.js'
export { HarmonyBridgeChannelInitQuerySchema } from './bridge-channel-init-query.js'
export type { HarmonyBridgeChannelInitQuery } from './bridge-channel-init-query.js'
export { HarmonyBridgeConversationInitQuerySchema } from './bridge-conversation-init-query.js'
export type { HarmonyBridgeConversationInitQuery } from './bridge-conversation-init-query.js'
export { HarmonyBridgeEventSchema } from './bridge-event.js'
export type { HarmonyBridgeEvent } from './bridge-event.js'
export {
  HARMONY_BRIDGE_MESSAGE_TYPES,
  HarmonyBridgeHeaderSchema,
  harmonyBridgeMessage,
  harmonyBridgeResponse,
} from './bridge-header.js'
export type { HarmonyBridgeMessageType, HarmonyBridgeHeader } from './bridge-header.js'
export { HarmonyBridgeInteractionConsultRequestSchema } from './bridge-interaction-consult-request.js'
export type { HarmonyBridgeInteractionConsultRequest } from './bridge-interaction-consult-request.js'
export { HarmonyBridgeInteractionInitQuerySchema } from './bridge-interaction-init-query.js'
export type { HarmonyBridgeInteractionInitQuery } from './bridge-interaction-init-query.js'
export { HarmonyBridgeInteractionInitResponseSchema } from './bridge-interaction-init-response.js'
export type { HarmonyBridgeInteractionInitResponse } from './bridge-interaction-init-response.js'
export { HarmonyBridgeInteractionStateSchema } from './bridge-interaction-state.js'
export type { HarmonyBridgeInteractionState } from './bridge-interaction-state.js'
export { HarmonyBridgeQuerySchema } from './bridge-query.js'
export type { HarmonyBridgeQuery } from './bridge-query.js'
export { HarmonyBridgeRequestSchema } from './bridge-request.js'
export type { HarmonyBridgeRequest } from './bridge-request.js'
export { HarmonyBridgeResponseSchema } from './bridge-response.js'
export type { HarmonyBridgeResponse } from './bridge-response.js'
export { HarmonyBridgeTelephonyInteractionInitResponseSchema } from './bridge-telephony-interaction-init-response.js'
export type { HarmonyBridgeTelephonyInteractionInitResponse } from './bridge-telephony-interaction-init-response.js'
export { HarmonyChannelActivateCommandSchema } from './channel-activate-command.js'
export type { HarmonyChannelActivateCommand } from './channel-activate-command.js'
export { HarmonyChannelActivateDataSchema } from './channel-activate-data.js'
export type { HarmonyChannelActivateData } from './channel-activate-data.js'
export { HarmonyChannelActivateOptionsSchema } from './channel-activate-options.js'
export type { HarmonyChannelActivateOptions } from './channel-activate-options.js'
export { HarmonyChannelActivateResponseSchema } from './channel-activate-response.js'
export type { HarmonyChannelActivateResponse } from './channel-activate-response.js'
export { HarmonyChannelCreatedEventSchema } from './channel-created-event.js'
export type { HarmonyChannelCreatedEvent } from './channel-created-event.js'
export { HarmonyChannelDeactivateCommandSchema } from './channel-deactivate-command.js'
export type { HarmonyChannelDeactivateCommand } from './channel-deactivate-command.js'
export { HarmonyChannelDeactivateDataSchema } from './channel-deactivate-data.js'
export type { HarmonyChannelDeactivateData } from './channel-deactivate-data.js'
export { HarmonyChannelDeactivateOptionsSchema } from './channel-deactivate-options.js'
export type { HarmonyChannelDeactivateOptions } from './channel-deactivate-options.js'
export { HarmonyChannelDeactivateResponseSchema } from './channel-deactivate-response.js'
export type { HarmonyChannelDeactivateResponse } from './channel-deactivate-response.js'
export { HARMONY_CHANNEL_TYPES, HarmonyChannelDescriptorSchema } from './channel-descriptor.js'
export type { HarmonyChannelDescriptor } from './channel-descriptor.js'
export { HarmonyChannelDialCommandSchema } from './channel-dial-command.js'
export type { HarmonyChannelDialCommand } from './channel-dial-command.js'
export { HarmonyChannelDialDataSchema } from './channel-dial-data.js'
export type { HarmonyChannelDialData } from './channel-dial-data.js'
export { HarmonyChannelDialResponseSchema } from './channel-dial-response.js'
export type { HarmonyChannelDialResponse } from './channel-dial-response.js'
export { HarmonyChannelDisposedEventSchema } from './channel-disposed-event.js'
export type { HarmonyChannelDisposedEvent } from './channel-disposed-event.js'
export { HarmonyChannelGroupCreatedEventSchema } from './channel-group-created-event.js'
export type { HarmonyChannelGroupCreatedEvent } from './channel-group-created-event.js'
export { HarmonyChannelGroupDisposedEventSchema } from './channel-group-disposed-event.js'
export type { HarmonyChannelGroupDisposedEvent } from './channel-group-disposed-event.js'
export { HarmonyChannelGroupRequestActivateAllCommandSchema } from './channel-group-request-activate-all-command.js'
export type { HarmonyChannelGroupRequestActivateAllCommand } from './channel-group-request-activate-all-command.js'
export { HarmonyChannelGroupRequestActivateCommandSchema } from './channel-group-request-activate-command.js'
export type { HarmonyChannelGroupRequestActivateCommand } from './channel-group-request-activate-command.js'
export { HarmonyChannelGroupRequestDeactivateAllCommandSchema } from './channel-group-request-deactivate-all-command.js'
export type { HarmonyChannelGroupRequestDeactivateAllCommand } from './channel-group-request-deactivate-all-command.js'
export { HarmonyChannelInfoChangedEventSchema } from './channel-info-changed-event.js'
export type { HarmonyChannelInfoChangedEvent } from './channel-info-changed-event.js'
export { HarmonyChannelInitializedEventSchema } from './channel-initialized-event.js'
export type { HarmonyChannelInitializedEvent } from './channel-initialized-event.js'
export { HarmonyChannelNotReadyCommandSchema } from './channel-not-ready-command.js'
export type { HarmonyChannelNotReadyCommand } from './channel-not-ready-command.js'
export { HarmonyChannelNotReadyDataSchema } from './channel-not-ready-data.js'
export type { HarmonyChannelNotReadyData } from './channel-not-ready-data.js'
export { HarmonyChannelNotReadyResponseSchema } from './channel-not-ready-response.js'
export type { HarmonyChannelNotReadyResponse } from './channel-not-ready-response.js'
export { HarmonyChannelReadyCommandSchema } from './channel-ready-command.js'
export type { HarmonyChannelReadyCommand } from './channel-ready-command.js'
export { HarmonyChannelReadyResponseSchema } from './channel-ready-response.js'
export type { HarmonyChannelReadyResponse } from './channel-ready-response.js'
export { HarmonyConversationCreatedEventSchema } from './conversation-created-event.js'
export type { HarmonyConversationCreatedEvent } from './conversation-created-event.js'
export { HarmonyConversationDisposedEventSchema } from './conversation-disposed-event.js'
export type { HarmonyConversationDisposedEvent } from './conversation-disposed-event.js'
export {
  HarmonyOpenDataSchema,
  HarmonyRequestSchema,
  HarmonySuccessResponseSchema,
  HarmonyFailureResponseSchema,
  HarmonyObjectEventSchema,
  harmonyCommand,
  harmonyResponseCommand,
  harmonySuccessResponse,
  harmonyFailureResponse,
  harmonyEvent,
} from './envelope.js'
export type {
  HarmonyOpenData,
  HarmonyRequest,
  HarmonySuccessResponse,
  HarmonyFailureResponse,
  HarmonyObjectEvent,
} from './envelope.js'
export { HarmonyFailureSchema, HARMONY_SIMULATOR_ERROR_CODES } from './failure.js'
export type { HarmonyFailure, HarmonySimulatorErrorCode } from './failure.js'
export { HarmonyHttpEndSessionRequestSchema } from './http-end-session-request.js'
export type { HarmonyHttpEndSessionRequest } from './http-end-session-request.js'
export { HarmonyHttpSessionClientSchema } from './http-session-client.js'
export type { HarmonyHttpSessionClient } from './http-session-client.js'
export { HarmonyHttpStartSessionRequestSchema } from './http-start-session-request.js'
export type { HarmonyHttpStartSessionRequest } from './http-start-session-request.js'
export { HarmonyHttpStartSessionResponseSchema } from './http-start-session-response.js'
export type { HarmonyHttpStartSessionResponse } from './http-start-session-response.js'
export { HarmonyInteractionConsultConferenceCommandSchema } from './interaction-consult-conference-command.js'
export type { HarmonyInteractionConsultConferenceCommand } from './interaction-consult-conference-command.js'
export { HarmonyInteractionConsultTransferCommandSchema } from './interaction-consult-transfer-command.js'
export type { HarmonyInteractionConsultTransferCommand } from './interaction-consult-transfer-command.js'
export { HarmonyInteractionConsultTransferResponseSchema } from './interaction-consult-transfer-response.js'
export type { HarmonyInteractionConsultTransferResponse } from './interaction-consult-transfer-response.js'
export { HarmonyInteractionCreatedEventSchema } from './interaction-created-event.js'
export type { HarmonyInteractionCreatedEvent } from './interaction-created-event.js'
export { HarmonyInteractionEndedEventSchema } from './interaction-ended-event.js'
export type { HarmonyInteractionEndedEvent } from './interaction-ended-event.js'
export { HarmonyInteractionFocusChangedEventSchema } from './interaction-focus-changed-event.js'
export type { HarmonyInteractionFocusChangedEvent } from './interaction-focus-changed-event.js'
export { HarmonyInteractionRequestRecordingPauseCommandSchema } from './interaction-request-recording-pause-command.js'
export type { HarmonyInteractionRequestRecordingPauseCommand } from './interaction-request-recording-pause-command.js'
export { HarmonyInteractionRequestRecordingPauseResponseSchema } from './interaction-request-recording-pause-response.js'
export type { HarmonyInteractionRequestRecordingPauseResponse } from './interaction-request-recording-pause-response.js'
export { HarmonyInteractionRequestRecordingResumeCommandSchema } from './interaction-request-recording-resume-command.js'
export type { HarmonyInteractionRequestRecordingResumeCommand } from './interaction-request-recording-resume-command.js'
export { HarmonyInteractionRequestRecordingStartCommandSchema } from './interaction-request-recording-start-command.js'
export type { HarmonyInteractionRequestRecordingStartCommand } from './interaction-request-recording-start-command.js'
export { HarmonyInteractionRequestRecordingStopCommandSchema } from './interaction-request-recording-stop-command.js'
export type { HarmonyInteractionRequestRecordingStopCommand } from './interaction-request-recording-stop-command.js'
export { HarmonyInteractionRequestRecordingStopResponseSchema } from './interaction-request-recording-stop-response.js'
export type { HarmonyInteractionRequestRecordingStopResponse } from './interaction-request-recording-stop-response.js'
export { HarmonyLogoutReasonSchema } from './logout-reason.js'
export type { HarmonyLogoutReason } from './logout-reason.js'
export { HarmonyMessageContextSchema } from './message-context.js'
export type { HarmonyMessageContext } from './message-context.js'
export { HarmonyPrepareSessionConfirmResponseSchema } from './prepare-session-confirm-response.js'
export type { HarmonyPrepareSessionConfirmResponse } from './prepare-session-confirm-response.js'
export { HarmonyPrepareSessionRequestSchema } from './prepare-session-request.js'
export type { HarmonyPrepareSessionRequest } from './prepare-session-request.js'
export { HarmonyReasonCodeSchema } from './reason-code.js'
export type { HarmonyReasonCode } from './reason-code.js'
export { HarmonyReasonLabelSchema } from './reason-label.js'
export type { HarmonyReasonLabel } from './reason-label.js'
export { HarmonyServiceInfoSchema } from './service-info.js'
export type { HarmonyServiceInfo } from './service-info.js'
export { HarmonySessionAddChannelCommandSchema } from './session-add-channel-command.js'
export type { HarmonySessionAddChannelCommand } from './session-add-channel-command.js'
export { HarmonySessionAddChannelGroupCommandSchema } from './session-add-channel-group-command.js'
export type { HarmonySessionAddChannelGroupCommand } from './session-add-channel-group-command.js'
export { HarmonySessionDisposedEventSchema } from './session-disposed-event.js'
export type { HarmonySessionDisposedEvent } from './session-disposed-event.js'
export { HarmonySessionExternalLogoutReasonsUpdatedEventSchema } from './session-external-logout-reasons-updated-event.js'
export type { HarmonySessionExternalLogoutReasonsUpdatedEvent } from './session-external-logout-reasons-updated-event.js'
export { HarmonySessionExternalNotReadyReasonsUpdatedEventSchema } from './session-external-not-ready-reasons-updated-event.js'
export type { HarmonySessionExternalNotReadyReasonsUpdatedEvent } from './session-external-not-ready-reasons-updated-event.js'
export { HarmonySessionInContactAddressBookUpdatedEventSchema } from './session-incontact-address-book-updated-event.js'
export type { HarmonySessionInContactAddressBookUpdatedEvent } from './session-incontact-address-book-updated-event.js'
export { HarmonySessionInContactAgentLegFailedEventSchema } from './session-incontact-agent-leg-failed-event.js'
export type { HarmonySessionInContactAgentLegFailedEvent } from './session-incontact-agent-leg-failed-event.js'
export { HarmonySessionInitializedEventSchema } from './session-initialized-event.js'
export type { HarmonySessionInitializedEvent } from './session-initialized-event.js'
export { HarmonySessionRequestExternalLogoutReasonsCommandSchema } from './session-request-external-logout-reasons-command.js'
export type { HarmonySessionRequestExternalLogoutReasonsCommand } from './session-request-external-logout-reasons-command.js'
export { HarmonySessionRequestExternalNotReadyReasonsCommandSchema } from './session-request-external-not-ready-reasons-command.js'
export type { HarmonySessionRequestExternalNotReadyReasonsCommand } from './session-request-external-not-ready-reasons-command.js'
export { HarmonySessionRequestInContactAddressBookCommandSchema } from './session-request-incontact-address-book-command.js'
export type { HarmonySessionRequestInContactAddressBookCommand } from './session-request-incontact-address-book-command.js'
export { HarmonySessionRequestInContactAddressBookResponseSchema } from './session-request-incontact-address-book-response.js'
export type { HarmonySessionRequestInContactAddressBookResponse } from './session-request-incontact-address-book-response.js'
export { HarmonySessionRequestLogoutCommandSchema } from './session-request-logout-command.js'
export type { HarmonySessionRequestLogoutCommand } from './session-request-logout-command.js'
export { HarmonySessionStartCommandSchema } from './session-start-command.js'
export type { HarmonySessionStartCommand } from './session-start-command.js'
export { HarmonyStateUpdatedEventSchema } from './state-updated-event.js'
export type { HarmonyStateUpdatedEvent } from './state-updated-event.js'
export { HarmonyConversationAnswerCommandSchema } from './conversation-answer-command.js'
export type { HarmonyConversationAnswerCommand } from './conversation-answer-command.js'
export { HarmonyConversationHoldCommandSchema } from './conversation-hold-command.js'
export type { HarmonyConversationHoldCommand } from './conversation-hold-command.js'
export { HarmonyConversationRetrieveCommandSchema } from './conversation-retrieve-command.js'
export type { HarmonyConversationRetrieveCommand } from './conversation-retrieve-command.js'
export { HarmonyConversationReleaseCommandSchema } from './conversation-release-command.js'
export type { HarmonyConversationReleaseCommand } from './conversation-release-command.js'
export { HarmonyInteractionAcceptCommandSchema } from './interaction-accept-command.js'
export type { HarmonyInteractionAcceptCommand } from './interaction-accept-command.js'
export { HarmonyInteractionRejectCommandSchema } from './interaction-reject-command.js'
export type { HarmonyInteractionRejectCommand } from './interaction-reject-command.js'
export { HarmonyInteractionConsultCommandSchema } from './interaction-consult-command.js'
export type { HarmonyInteractionConsultCommand } from './interaction-consult-command.js'
export {
  HarmonyPrepareSessionFailureResponseSchema,
  HarmonyPrepareSessionResponseSchema,
} from './prepare-session-response.js'
export type {
  HarmonyPrepareSessionFailureResponse,
  HarmonyPrepareSessionResponse,
} from './prepare-session-response.js'
export {
  HARMONY_TARGET_PATTERNS,
  HarmonyTargetSchema,
  HarmonySessionTargetSchema,
  HarmonyChannelGroupTargetSchema,
  HarmonyChannelTargetSchema,
  HarmonyInteractionTargetSchema,
  HarmonyConversationTargetSchema,
  harmonyTargetSegments,
} from './target.js'
export type {
  HarmonyTarget,
  HarmonySessionTarget,
  HarmonyChannelGroupTarget,
  HarmonyChannelTarget,
  HarmonyInteractionTarget,
  HarmonyConversationTarget,
} from './target.js'

// ---------------------------------------------------------------------------------------------
// Discriminated unions
// ---------------------------------------------------------------------------------------------

/**
 * Every command a Harmony client (MediaBar-like app) sends, picked by its exact wire `command`.
 * Includes the `prepareSession` service request (no `target`).
 * @see seeds/001_6a59e76a77c67195.txt; reference/harmony-and-expertflow.md §1.5 — documented
 */
export const HarmonyCommandSchema = z.discriminatedUnion('command', [
  HarmonyPrepareSessionRequestSchema,
  HarmonySessionStartCommandSchema,
  HarmonySessionRequestExternalNotReadyReasonsCommandSchema,
  HarmonySessionRequestExternalLogoutReasonsCommandSchema,
  HarmonySessionRequestInContactAddressBookCommandSchema,
  HarmonySessionRequestLogoutCommandSchema,
  HarmonySessionAddChannelCommandSchema,
  HarmonySessionAddChannelGroupCommandSchema,
  HarmonyChannelActivateCommandSchema,
  HarmonyChannelDeactivateCommandSchema,
  HarmonyChannelReadyCommandSchema,
  HarmonyChannelNotReadyCommandSchema,
  HarmonyChannelDialCommandSchema,
  HarmonyChannelGroupRequestActivateCommandSchema,
  HarmonyChannelGroupRequestActivateAllCommandSchema,
  HarmonyChannelGroupRequestDeactivateAllCommandSchema,
  HarmonyInteractionConsultTransferCommandSchema,
  HarmonyInteractionConsultConferenceCommandSchema,
  HarmonyInteractionRequestRecordingStopCommandSchema,
  HarmonyInteractionRequestRecordingPauseCommandSchema,
  HarmonyInteractionRequestRecordingStartCommandSchema,
  HarmonyInteractionRequestRecordingResumeCommandSchema,
  HarmonyConversationAnswerCommandSchema,
  HarmonyConversationHoldCommandSchema,
  HarmonyConversationRetrieveCommandSchema,
  HarmonyConversationReleaseCommandSchema,
  HarmonyInteractionAcceptCommandSchema,
  HarmonyInteractionRejectCommandSchema,
  HarmonyInteractionConsultCommandSchema,
])
export type HarmonyCommand = z.infer<typeof HarmonyCommandSchema>

/** The exact wire `command` strings `HarmonyCommandSchema` knows. */
export type HarmonyCommandName = HarmonyCommand['command']

/**
 * Every object event the host sends (`messageType: "objectEvent"`), picked by its `name`.
 * @see seeds/001_6a59e76a77c67195.txt (Session Management Events); reference/harmony-and-expertflow.md §1.5.5 — documented
 */
export const HarmonyEventSchema = z.discriminatedUnion('name', [
  HarmonySessionInitializedEventSchema,
  HarmonySessionExternalNotReadyReasonsUpdatedEventSchema,
  HarmonySessionExternalLogoutReasonsUpdatedEventSchema,
  HarmonySessionInContactAgentLegFailedEventSchema,
  HarmonySessionInContactAddressBookUpdatedEventSchema,
  HarmonySessionDisposedEventSchema,
  HarmonyChannelCreatedEventSchema,
  HarmonyChannelInfoChangedEventSchema,
  HarmonyChannelInitializedEventSchema,
  HarmonyChannelDisposedEventSchema,
  HarmonyChannelGroupCreatedEventSchema,
  HarmonyChannelGroupDisposedEventSchema,
  HarmonyStateUpdatedEventSchema,
  HarmonyInteractionCreatedEventSchema,
  HarmonyInteractionFocusChangedEventSchema,
  HarmonyInteractionEndedEventSchema,
  HarmonyConversationCreatedEventSchema,
  HarmonyConversationDisposedEventSchema,
])
export type HarmonyEvent = z.infer<typeof HarmonyEventSchema>

/** The event `name` strings `HarmonyEventSchema` knows. */
export type HarmonyEventName = HarmonyEvent['name']

/**
 * Any Session Resource response, picked by `result`.
 * @see seeds/001_6a59e76a77c67195.txt (Success Response, Failure Response) — documented
 */
export const HarmonyResponseSchema = z.discriminatedUnion('result', [
  HarmonySuccessResponseSchema,
  HarmonyFailureResponseSchema,
])
export type HarmonyResponse = z.infer<typeof HarmonyResponseSchema>

/**
 * The success responses whose `data` the documents show, picked by `command` (the leading-space
 * spelling is accepted in tolerant mode).
 * @see seeds/001_6a59e76a77c67195.txt (Success Response) — documented
 */
export const HarmonyCommandSuccessResponseSchema = z.discriminatedUnion('command', [
  HarmonySessionRequestInContactAddressBookResponseSchema,
  HarmonyChannelActivateResponseSchema,
  HarmonyChannelDeactivateResponseSchema,
  HarmonyChannelReadyResponseSchema,
  HarmonyChannelNotReadyResponseSchema,
  HarmonyChannelDialResponseSchema,
  HarmonyInteractionConsultTransferResponseSchema,
  HarmonyInteractionRequestRecordingStopResponseSchema,
  HarmonyInteractionRequestRecordingPauseResponseSchema,
])
export type HarmonyCommandSuccessResponse = z.infer<typeof HarmonyCommandSuccessResponseSchema>

/**
 * The HTTP transport's `POST /sessions` bodies, picked by `messageType`.
 * @see https://openmethodsdev.atlassian.net/wiki/pages/diffpages.action?originalId=2446000167&pageId=2446032937 — documented
 */
export const HarmonyHttpSessionRequestSchema = z.discriminatedUnion('messageType', [
  HarmonyHttpStartSessionRequestSchema,
  HarmonyHttpEndSessionRequestSchema,
])
export type HarmonyHttpSessionRequest = z.infer<typeof HarmonyHttpSessionRequestSchema>

/**
 * Any southbound Processor Bridge message. The discriminator (`header.type`) is nested, so this is a
 * plain union.
 * @see https://openmethodsdev.atlassian.net/wiki/spaces/HAR/pages/2445869057/Processor+Bridge — documented
 */
export const HarmonyBridgeMessageSchema = z.union([
  HarmonyBridgeQuerySchema,
  HarmonyBridgeRequestSchema,
  HarmonyBridgeResponseSchema,
  HarmonyBridgeEventSchema,
])
export type HarmonyBridgeMessage = z.infer<typeof HarmonyBridgeMessageSchema>

// ---------------------------------------------------------------------------------------------
// Contracts
// ---------------------------------------------------------------------------------------------

const SEED = 'seeds/001_6a59e76a77c67195.txt'
const REFERENCE = 'reference/harmony-and-expertflow.md'
const IP_SERVICE_URL =
  'https://openmethodsdev.atlassian.net/wiki/spaces/HAR/pages/2445803535/Interaction+Processor+Service'
const HTTP_TRANSPORT_URL =
  'https://openmethodsdev.atlassian.net/wiki/pages/diffpages.action?originalId=2446000167&pageId=2446032937'
const SESSION_START_URL =
  'https://openmethodsdev.atlassian.net/wiki/pages/diffpages.action?originalId=2445607170&pageId=2445541615'
const TELEPHONY_URL =
  'https://openmethodsdev.atlassian.net/wiki/pages/diffpages.action?originalId=2446098531&pageId=2446065799'
const RECORDING_URL =
  'https://openmethodsdev.atlassian.net/wiki/pages/diffpages.action?originalId=2446065799&pageId=2445607196'
const DIAL_URL =
  'https://openmethodsdev.atlassian.net/wiki/pages/diffpages.action?originalId=2463793475&pageId=2469167161'
const GENERIC_INTERACTION_URL = 'https://openmethodsdev.atlassian.net/wiki/x/XoDIkQ'
const TELEPHONY_INTERACTION_URL =
  'https://openmethodsdev.atlassian.net/wiki/spaces/HAR/pages/2445475916/Telephony+Interaction+Destination+Messages'
const CONVERSATION_URL =
  'https://openmethodsdev.atlassian.net/wiki/pages/viewpage.action?pageId=2445901925'
const TELEPHONY_NAME_NOTE =
  'The documents list this feature on the Processor Bridge only; the client-side command name is the simulator\'s (reference §1.8: "full telephony command names … not retrieved"). Success echoes data; failures use harmony.response.failure.'
const LOGOUT_URL = 'https://openmethodsdev.atlassian.net/wiki/x/DgBslQ'
const BRIDGE_URL =
  'https://openmethodsdev.atlassian.net/wiki/spaces/HAR/pages/2445869057/Processor+Bridge'

const WEBSOCKET_NOTE =
  'The documents name a framed TCP socket and HTTP polling but no WebSocket transport; the simulator carries Session Resource messages as JSON over WebSocket (reference §4.1).'
const OPEN_DATA_NOTE = 'The documents do not show its data: any object (or none) is accepted.'
const BRIDGE_NOTE =
  'Southbound: HIS Processor Bridge ↔ CTI plug-in, 4-byte length + UTF-8 JSON over TCP.'

const APP_TO_HOST = { from: 'harmony-app', to: 'harmony-host' } as const
const HOST_TO_APP = { from: 'harmony-host', to: 'harmony-app' } as const
const HOST_TO_PLUGIN = { from: 'harmony-host', to: 'harmony-cti-plugin' } as const
const PLUGIN_TO_HOST = { from: 'harmony-cti-plugin', to: 'harmony-host' } as const

/** Queries and requests go down to the CTI plug-in; its responses and events come back up. */
function bridgeDirection(name: string): typeof HOST_TO_PLUGIN | typeof PLUGIN_TO_HOST {
  return /(^|\.)(response|event)(\.|$)/.test(name) ? PLUGIN_TO_HOST : HOST_TO_PLUGIN
}

export const HARMONY_CONTRACTS: readonly ContractDefinition[] = [
  // Service level
  defineContract({
    id: 'harmony.prepareSession',
    family: 'harmony',
    title: 'Harmony prepareSession service request (agent credentials, call model)',
    direction: APP_TO_HOST,
    transport: 'websocket',
    schema: HarmonyPrepareSessionRequestSchema,
    source: { document: IP_SERVICE_URL, section: `prepareSession; ${REFERENCE} §1.5.1` },
    confidence: 'documented',
    notes: `Sent to the Interaction Processor service, not to a session: no target. Its success response (carrying the new session resource id) is not shown. ${WEBSOCKET_NOTE}`,
  }),
  defineContract({
    id: 'harmony.prepareSession.confirm',
    family: 'harmony',
    title: 'Harmony prepareSession confirmation response (a session already exists)',
    direction: HOST_TO_APP,
    transport: 'websocket',
    schema: HarmonyPrepareSessionConfirmResponseSchema,
    source: { document: IP_SERVICE_URL, section: 'prepareSession, Confirmation Response' },
    confidence: 'documented',
    notes: WEBSOCKET_NOTE,
  }),
  defineContract({
    id: 'harmony.service.info',
    family: 'harmony',
    title: 'Harmony Interaction Processor service information',
    direction: HOST_TO_APP,
    transport: 'websocket',
    schema: HarmonyServiceInfoSchema,
    source: {
      document: IP_SERVICE_URL,
      section: `Service Specific Information; ${REFERENCE} §1.5.1`,
    },
    confidence: 'documented',
    notes:
      'Delivered inside the getServices core response or Service Monitor events, whose envelopes are not documented.',
  }),
  defineContract({
    id: 'harmony.startSession',
    family: 'harmony',
    title: 'Harmony HTTP transport startSession (POST /sessions)',
    direction: APP_TO_HOST,
    transport: 'http-request',
    schema: HarmonyHttpStartSessionRequestSchema,
    source: { document: HTTP_TRANSPORT_URL, section: `${REFERENCE} §1.5.1` },
    confidence: 'documented',
    notes:
      'Answered with { id } (HarmonyHttpStartSessionResponseSchema). That answer has no contract of its own: it is indistinguishable on the wire from other { id } bodies (crm.upload.response), so detection could never pick it.',
  }),
  defineContract({
    id: 'harmony.endSession',
    family: 'harmony',
    title: 'Harmony HTTP transport endSession (POST /sessions)',
    direction: APP_TO_HOST,
    transport: 'http-request',
    schema: HarmonyHttpEndSessionRequestSchema,
    source: { document: HTTP_TRANSPORT_URL, section: `${REFERENCE} §1.5.1` },
    confidence: 'documented',
    notes: 'Answered 200, or 404 when the session is unknown; no body documented.',
  }),
  // Session management
  command('session.start', HarmonySessionStartCommandSchema, {
    source: {
      document: SESSION_START_URL,
      section: `session.start; ${REFERENCE} §1.5.2`,
    },
  }),
  command(
    'session.request.externalnotreadyreasons',
    HarmonySessionRequestExternalNotReadyReasonsCommandSchema,
    {
      source: { document: SEED, section: 'session.externalnotreadyreasons.updated' },
      notes: `Named in the event text only. ${OPEN_DATA_NOTE}`,
    },
  ),
  command(
    'session.request.externallogoutreasons',
    HarmonySessionRequestExternalLogoutReasonsCommandSchema,
    {
      source: { document: SEED, section: 'session.externallogoutreasons.updated' },
      notes: `Named in the event text only. ${OPEN_DATA_NOTE}`,
    },
  ),
  command(
    'session.request.incontact.addressbook',
    HarmonySessionRequestInContactAddressBookCommandSchema,
    {
      source: { document: SEED, section: 'session.request.incontact.addressbook, Request' },
      confidence: 'doc-example',
      notes: 'inContact processor only (from the name); only the example is shown.',
    },
  ),
  command('session.request.logout', HarmonySessionRequestLogoutCommandSchema, {
    source: {
      document: LOGOUT_URL,
      section: `MediaBar Logout use case; ${REFERENCE} §1.5.2, §1.6`,
    },
    notes: `The logout reason the platform may require travels in data, shape unknown. ${OPEN_DATA_NOTE}`,
  }),
  command('session.addchannel', HarmonySessionAddChannelCommandSchema, {
    source: { document: SEED, section: 'channel.created' },
    notes: `Named in the channel.created text only. ${OPEN_DATA_NOTE}`,
  }),
  command('session.addchannelgroup', HarmonySessionAddChannelGroupCommandSchema, {
    source: { document: SEED, section: 'channel.created' },
    notes: `Named in the channel.created text only. ${OPEN_DATA_NOTE}`,
  }),
  // Channel group and channel
  command('channel.activate', HarmonyChannelActivateCommandSchema, {
    source: {
      document: SEED,
      section: 'channel.activate, Request',
    },
    notes:
      'The document spells data.channeloptions here; channelOptions is accepted in tolerant mode.',
  }),
  command('channel.deactivate', HarmonyChannelDeactivateCommandSchema, {
    source: {
      document: SEED,
      section: 'channel.deactivate, Request',
    },
    notes:
      'The document spells data.channelOptions here; channeloptions is accepted in tolerant mode.',
  }),
  command('channel.ready', HarmonyChannelReadyCommandSchema, {
    source: {
      document: SEED,
      section: 'channel.ready, Request',
    },
  }),
  command('channel.notready', HarmonyChannelNotReadyCommandSchema, {
    source: {
      document: SEED,
      section: 'channel.notready, Request',
    },
  }),
  command('channel.dial', HarmonyChannelDialCommandSchema, {
    source: {
      document: DIAL_URL,
      section: `channel.dial; ${REFERENCE} §1.5.4 (dial)`,
    },
    notes: 'A later revision of the Session Resource page than seed 001.',
  }),
  command('channelgroup.request.activate', HarmonyChannelGroupRequestActivateCommandSchema, {
    source: {
      document: 'https://openmethodsdev.atlassian.net/wiki/x/AQBclQ',
      section: `MediaBar Activate Channel use case; ${REFERENCE} §1.5.3`,
    },
    notes: `Probably a later revision's name for channel.activate; the target (group or channel) is not shown, both pass. ${OPEN_DATA_NOTE}`,
  }),
  command('channelgroup.request.activateall', HarmonyChannelGroupRequestActivateAllCommandSchema, {
    source: {
      document: 'https://openmethodsdev.atlassian.net/wiki/pages/viewpage.action?pageId=2505048065',
      section: `MediaBar Activate All use case; ${REFERENCE} §1.5.3`,
    },
    notes: OPEN_DATA_NOTE,
  }),
  command(
    'channelgroup.request.deactivateall',
    HarmonyChannelGroupRequestDeactivateAllCommandSchema,
    {
      source: {
        document:
          'https://openmethodsdev.atlassian.net/wiki/pages/viewpage.action?pageId=2505048081',
        section: `MediaBar Deactivate All use case; ${REFERENCE} §1.5.3`,
      },
      notes: OPEN_DATA_NOTE,
    },
  ),
  // Interaction / telephony
  command('interaction.consulttransfer', HarmonyInteractionConsultTransferCommandSchema, {
    source: {
      document: TELEPHONY_URL,
      section: `interaction.consulttransfer; ${REFERENCE} §1.5.4`,
    },
  }),
  command('interaction.consultconference', HarmonyInteractionConsultConferenceCommandSchema, {
    source: {
      document: TELEPHONY_URL,
      section: `interaction.consultconference; ${REFERENCE} §1.5.4`,
    },
  }),
  command(
    'interaction.request.recording.stop',
    HarmonyInteractionRequestRecordingStopCommandSchema,
    {
      source: {
        document: RECORDING_URL,
        section: `interaction.request.recording.stop; ${REFERENCE} §1.5.4`,
      },
    },
  ),
  command(
    'interaction.request.recording.pause',
    HarmonyInteractionRequestRecordingPauseCommandSchema,
    {
      source: {
        document: RECORDING_URL,
        section: `interaction.request.recording.pause; ${REFERENCE} §1.5.4`,
      },
    },
  ),
  command(
    'interaction.request.recording.start',
    HarmonyInteractionRequestRecordingStartCommandSchema,
    {
      source: { document: REFERENCE, section: '§1.5.4' },
      confidence: 'inferred',
      notes: 'Name inferred from the documented stop/pause pair.',
    },
  ),
  command(
    'interaction.request.recording.resume',
    HarmonyInteractionRequestRecordingResumeCommandSchema,
    {
      source: { document: REFERENCE, section: '§1.5.4' },
      confidence: 'inferred',
      notes: 'Name inferred from the documented stop/pause pair.',
    },
  ),
  // Telephony commands the documents name only as bridge features (reference §1.5.4): the
  // client-side names are ours, in the `<object>.<verb>` form of the documented commands.
  command('interaction.accept', HarmonyInteractionAcceptCommandSchema, {
    source: { document: GENERIC_INTERACTION_URL, section: `accept/reject; ${REFERENCE} §1.5.4` },
    confidence: 'inferred',
    notes: TELEPHONY_NAME_NOTE,
  }),
  command('interaction.reject', HarmonyInteractionRejectCommandSchema, {
    source: { document: GENERIC_INTERACTION_URL, section: `accept/reject; ${REFERENCE} §1.5.4` },
    confidence: 'inferred',
    notes: TELEPHONY_NAME_NOTE,
  }),
  command('interaction.consult', HarmonyInteractionConsultCommandSchema, {
    source: {
      document: TELEPHONY_INTERACTION_URL,
      section: `interaction.request.consult; ${REFERENCE} §1.5.4`,
    },
    confidence: 'inferred',
    notes: `${TELEPHONY_NAME_NOTE} Its destination key follows channel.dial.`,
  }),
  command('conversation.answer', HarmonyConversationAnswerCommandSchema, {
    source: { document: CONVERSATION_URL, section: `answer; ${REFERENCE} §1.5.4` },
    confidence: 'inferred',
    notes: TELEPHONY_NAME_NOTE,
  }),
  command('conversation.hold', HarmonyConversationHoldCommandSchema, {
    source: { document: CONVERSATION_URL, section: `hold/retrieve; ${REFERENCE} §1.5.4` },
    confidence: 'inferred',
    notes: TELEPHONY_NAME_NOTE,
  }),
  command('conversation.retrieve', HarmonyConversationRetrieveCommandSchema, {
    source: { document: CONVERSATION_URL, section: `hold/retrieve; ${REFERENCE} §1.5.4` },
    confidence: 'inferred',
    notes: TELEPHONY_NAME_NOTE,
  }),
  command('conversation.release', HarmonyConversationReleaseCommandSchema, {
    source: { document: CONVERSATION_URL, section: `release; ${REFERENCE} §1.5.4` },
    confidence: 'inferred',
    notes: TELEPHONY_NAME_NOTE,
  }),
  defineContract({
    id: 'harmony.prepareSession.response',
    family: 'harmony',
    title: 'Harmony prepareSession success response (the new session resource id)',
    direction: HOST_TO_APP,
    transport: 'websocket',
    schema: HarmonyPrepareSessionResponseSchema,
    source: { document: IP_SERVICE_URL, section: `prepareSession; ${REFERENCE} §1.5.1` },
    confidence: 'inferred',
    notes: `The document says the response carries the resource id without showing it: { command, result: "success", data: { id } } is ours. ${WEBSOCKET_NOTE}`,
  }),
  defineContract({
    id: 'harmony.prepareSession.failure',
    family: 'harmony',
    title: 'Harmony prepareSession failure response (credentials refused, malformed request)',
    direction: HOST_TO_APP,
    transport: 'websocket',
    schema: HarmonyPrepareSessionFailureResponseSchema,
    source: { document: IP_SERVICE_URL, section: `prepareSession; ${REFERENCE} §1.7` },
    confidence: 'inferred',
    notes: `The Session Resource failure shape without a target (prepareSession has none). ${WEBSOCKET_NOTE}`,
  }),
  // Responses (typed successes before the generic ones, so detection prefers them)
  response(
    'session.request.incontact.addressbook',
    HarmonySessionRequestInContactAddressBookResponseSchema,
    {
      source: {
        document: SEED,
        section: 'session.request.incontact.addressbook, Success Response',
      },
      confidence: 'doc-example',
    },
  ),
  response('channel.activate', HarmonyChannelActivateResponseSchema, {
    source: {
      document: SEED,
      section: 'channel.activate, Success Response',
    },
  }),
  response('channel.deactivate', HarmonyChannelDeactivateResponseSchema, {
    source: {
      document: SEED,
      section: 'channel.deactivate, Success Response',
    },
  }),
  response('channel.ready', HarmonyChannelReadyResponseSchema, {
    source: {
      document: SEED,
      section: 'channel.ready, Success Response',
    },
  }),
  response('channel.notready', HarmonyChannelNotReadyResponseSchema, {
    source: {
      document: SEED,
      section: 'channel.notready, Success Response',
    },
  }),
  response('channel.dial', HarmonyChannelDialResponseSchema, {
    source: {
      document: DIAL_URL,
      section: 'channel.dial, Success Response',
    },
  }),
  response('interaction.consulttransfer', HarmonyInteractionConsultTransferResponseSchema, {
    source: {
      document: TELEPHONY_URL,
      section: 'interaction.consulttransfer, Success Response',
    },
  }),
  response(
    'interaction.request.recording.stop',
    HarmonyInteractionRequestRecordingStopResponseSchema,
    {
      source: {
        document: RECORDING_URL,
        section: 'interaction.request.recording.stop, Success Response',
      },
    },
  ),
  response(
    'interaction.request.recording.pause',
    HarmonyInteractionRequestRecordingPauseResponseSchema,
    {
      source: {
        document: RECORDING_URL,
        section: 'interaction.request.recording.pause, Success Response',
      },
    },
  ),
  defineContract({
    id: 'harmony.response.success',
    family: 'harmony',
    title: 'Harmony success response (any command)',
    direction: HOST_TO_APP,
    transport: 'websocket',
    schema: HarmonySuccessResponseSchema,
    source: { document: SEED, section: 'Success Response' },
    confidence: 'documented',
    notes: `Matched to its request by command + target: the documents show no request id. ${WEBSOCKET_NOTE}`,
  }),
  defineContract({
    id: 'harmony.response.failure',
    family: 'harmony',
    title: 'Harmony failure response (any command), with the request echoed in original',
    direction: HOST_TO_APP,
    transport: 'websocket',
    schema: HarmonyFailureResponseSchema,
    source: { document: SEED, section: 'Failure Response' },
    confidence: 'documented',
    notes: `No list of failure codes is published; the simulator's own are HARMONY_SIMULATOR_ERROR_CODES. ${WEBSOCKET_NOTE}`,
  }),
  // Events
  event('session.initialized', HarmonySessionInitializedEventSchema, {
    source: { document: SEED, section: 'session.initialized' },
  }),
  event(
    'session.externalnotreadyreasons.updated',
    HarmonySessionExternalNotReadyReasonsUpdatedEventSchema,
    {
      source: {
        document: SEED,
        section: 'session.externalnotreadyreasons.updated',
      },
    },
  ),
  event(
    'session.externallogoutreasons.updated',
    HarmonySessionExternalLogoutReasonsUpdatedEventSchema,
    {
      source: {
        document: SEED,
        section: 'session.externallogoutreasons.updated',
      },
    },
  ),
  event('session.incontact.agentleg.failed', HarmonySessionInContactAgentLegFailedEventSchema, {
    source: {
      document: SEED,
      section: 'session.incontact.agentleg.failed',
    },
  }),
  event(
    'session.incontact.addressbook.updated',
    HarmonySessionInContactAddressBookUpdatedEventSchema,
    {
      source: { document: SEED, section: 'session.incontact.addressbook.updated' },
      confidence: 'doc-example',
      notes:
        'The document describes it with the agentleg.failed sentence (copy-paste); meaning read from the name and payload.',
    },
  ),
  event('session.disposed', HarmonySessionDisposedEventSchema, {
    source: { document: LOGOUT_URL, section: `${REFERENCE} §1.5.5` },
    confidence: 'inferred',
    notes: `Logout "disposes of … the session, generating the appropriate events"; the name is inferred. ${OPEN_DATA_NOTE}`,
  }),
  event('channel.created', HarmonyChannelCreatedEventSchema, {
    source: { document: SEED, section: 'channel.created' },
  }),
  event('channel.infochanged', HarmonyChannelInfoChangedEventSchema, {
    source: { document: SEED, section: 'channel.infochanged' },
  }),
  event('channel.initialized', HarmonyChannelInitializedEventSchema, {
    source: { document: SEED, section: 'channel.initialized' },
    notes: 'Its data is not shown; {} is assumed (strict mode rejects other keys).',
  }),
  event('channel.disposed', HarmonyChannelDisposedEventSchema, {
    source: { document: LOGOUT_URL, section: `${REFERENCE} §1.5.5` },
    confidence: 'inferred',
    notes: `Name inferred by symmetry with conversation.disposed. ${OPEN_DATA_NOTE}`,
  }),
  event('channelgroup.created', HarmonyChannelGroupCreatedEventSchema, {
    source: { document: REFERENCE, section: '§1.5.5' },
    confidence: 'inferred',
    notes: `Name inferred by symmetry with channel.created. ${OPEN_DATA_NOTE}`,
  }),
  event('channelgroup.disposed', HarmonyChannelGroupDisposedEventSchema, {
    source: { document: LOGOUT_URL, section: `${REFERENCE} §1.5.5` },
    confidence: 'inferred',
    notes: `Name inferred by symmetry. ${OPEN_DATA_NOTE}`,
  }),
  event('state.updated', HarmonyStateUpdatedEventSchema, {
    source: { document: SEED, section: 'Secondary Events' },
    notes: `Targets a channel, interaction or conversation. ${OPEN_DATA_NOTE}`,
  }),
  event('interaction.created', HarmonyInteractionCreatedEventSchema, {
    source: { document: DIAL_URL, section: 'channel.dial, Secondary Events' },
    notes: OPEN_DATA_NOTE,
  }),
  event('interaction.focuschanged', HarmonyInteractionFocusChangedEventSchema, {
    source: { document: TELEPHONY_URL, section: 'interaction.consulttransfer, Secondary Events' },
    notes: OPEN_DATA_NOTE,
  }),
  event('interaction.ended', HarmonyInteractionEndedEventSchema, {
    source: { document: TELEPHONY_URL, section: 'interaction.consulttransfer, Secondary Events' },
    notes: OPEN_DATA_NOTE,
  }),
  event('conversation.created', HarmonyConversationCreatedEventSchema, {
    source: { document: DIAL_URL, section: 'channel.dial, Secondary Events' },
    notes: `The conversation target form (one segment below the interaction) is inferred. ${OPEN_DATA_NOTE}`,
  }),
  event('conversation.disposed', HarmonyConversationDisposedEventSchema, {
    source: { document: TELEPHONY_URL, section: 'interaction.consulttransfer, Secondary Events' },
    notes: `The conversation target form (one segment below the interaction) is inferred. ${OPEN_DATA_NOTE}`,
  }),
  // Southbound Processor Bridge (specific messages before the generic ones, so detection prefers them)
  bridge('channelgroup.query.init', HarmonyBridgeChannelGroupInitQuerySchema, {
    title: 'Harmony bridge channelgroup.query.init query',
    document: 'https://openmethodsdev.atlassian.net/wiki/pages/viewpage.action?pageId=2445574231',
  }),
  bridge('channelgroup.query.init.response', HarmonyBridgeChannelGroupInitResponseSchema, {
    title: 'Harmony bridge channelgroup.query.init response (member channels)',
    document: 'https://openmethodsdev.atlassian.net/wiki/pages/viewpage.action?pageId=2445574231',
  }),
  bridge('channel.query.init', HarmonyBridgeChannelInitQuerySchema, {
    title: 'Harmony bridge channel.query.init query',
    document: 'https://openmethodsdev.atlassian.net/wiki/pages/viewpage.action?pageId=2445869144',
  }),
  bridge('channel.request.dial', HarmonyBridgeChannelDialRequestSchema, {
    title: 'Harmony bridge channel.request.dial request (telephony channel)',
    document: 'https://openmethodsdev.atlassian.net/wiki/pages/viewpage.action?pageId=2446098802',
  }),
  bridge('interaction.query.init', HarmonyBridgeInteractionInitQuerySchema, {
    title: 'Harmony bridge interaction.query.init query',
    document: 'https://openmethodsdev.atlassian.net/wiki/x/XoDIkQ',
  }),
  bridge('interaction.query.init.response', HarmonyBridgeInteractionInitResponseSchema, {
    title: 'Harmony bridge interaction.query.init response (generic interaction)',
    document: 'https://openmethodsdev.atlassian.net/wiki/x/XoDIkQ',
  }),
  bridge(
    'interaction.query.init.response.telephony',
    HarmonyBridgeTelephonyInteractionInitResponseSchema,
    {
      title:
        'Harmony bridge interaction.query.init response (telephony interaction, with conversations)',
      document:
        'https://openmethodsdev.atlassian.net/wiki/spaces/HAR/pages/2445475916/Telephony+Interaction+Destination+Messages',
    },
  ),
  defineContract({
    id: 'harmony.bridge.interaction.request.consult',
    family: 'harmony',
    title: 'Harmony bridge interaction.request.consult request (dial consult)',
    direction: HOST_TO_PLUGIN,
    transport: 'tcp',
    schema: HarmonyBridgeInteractionConsultRequestSchema,
    source: {
      document:
        'https://openmethodsdev.atlassian.net/wiki/spaces/HAR/pages/2445475916/Telephony+Interaction+Destination+Messages',
      section: `${REFERENCE} §1.5.6`,
    },
    confidence: 'inferred',
    notes: `The request name is documented; its body key (destination) is inferred from channel.request.dial. ${BRIDGE_NOTE}`,
  }),
  bridge('conversation.query.init', HarmonyBridgeConversationInitQuerySchema, {
    title: 'Harmony bridge conversation.query.init query',
    document: 'https://openmethodsdev.atlassian.net/wiki/pages/viewpage.action?pageId=2445901925',
  }),
  bridge('cti.query', HarmonyBridgeQuerySchema, {
    title: 'Harmony bridge query (any)',
    document: BRIDGE_URL,
  }),
  bridge('cti.request', HarmonyBridgeRequestSchema, {
    title: 'Harmony bridge request (any)',
    document: BRIDGE_URL,
  }),
  bridge('cti.response', HarmonyBridgeResponseSchema, {
    title: 'Harmony bridge response (any)',
    document: BRIDGE_URL,
  }),
  bridge('cti.event', HarmonyBridgeEventSchema, {
    title: 'Harmony bridge event (any)',
    document: BRIDGE_URL,
  }),
]

interface ContractMeta {
  readonly source: ContractSource
  readonly confidence?: Confidence
  readonly notes?: string
}

function command(
  name: HarmonyCommandName,
  schema: z.ZodType,
  meta: ContractMeta,
): ContractDefinition {
  return defineContract({
    id: `harmony.${name}`,
    family: 'harmony',
    title: `Harmony ${name} command`,
    direction: APP_TO_HOST,
    transport: 'websocket',
    schema,
    source: meta.source,
    confidence: meta.confidence ?? 'documented',
    notes: [meta.notes, WEBSOCKET_NOTE].filter(Boolean).join(' '),
  })
}

function response(
  name: HarmonyCommandName,
  schema: z.ZodType,
  meta: ContractMeta,
): ContractDefinition {
  return defineContract({
    id: `harmony.${name}.response`,
    family: 'harmony',
    title: `Harmony ${name} success response`,
    direction: HOST_TO_APP,
    transport: 'websocket',
    schema,
    source: meta.source,
    confidence: meta.confidence ?? 'documented',
    notes: `Failures use harmony.response.failure. The documents show some responses with a leading space in command, accepted in tolerant mode. ${WEBSOCKET_NOTE}`,
  })
}

function event(name: HarmonyEventName, schema: z.ZodType, meta: ContractMeta): ContractDefinition {
  return defineContract({
    id: `harmony.event.${name}`,
    family: 'harmony',
    title: `Harmony ${name} event`,
    direction: HOST_TO_APP,
    transport: 'websocket',
    schema,
    source: meta.source,
    confidence: meta.confidence ?? 'documented',
    notes: [meta.notes, WEBSOCKET_NOTE].filter(Boolean).join(' '),
  })
}

function bridge(
  name: string,
  schema: z.ZodType,
  meta: { readonly title: string; readonly document: string },
): ContractDefinition {
  return defineContract({
    id: `harmony.bridge.${name}`,
    family: 'harmony',
    title: meta.title,
    direction: bridgeDirection(name),
    transport: 'tcp',
    schema,
    source: { document: meta.document, section: `${REFERENCE} §1.5.6` },
    confidence: 'documented',
    notes: BRIDGE_NOTE,
  })
}
