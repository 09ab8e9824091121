import { z } from 'zod'
import { DurationSecondsSchema, IntegerIdSchema, IsoDateTimeSchema } from '../common/primitives.js'
import { tolerantOnly } from '../internal/modes.js'
import { AgentInfoSchema } from './agent-info.js'
import { ConsumerEventDurationSchema } from './consumer-event-duration.js'
import { ConsumerHandleDurationSchema } from './consumer-handle-duration.js'
import { DeflectionDetailSchema } from './deflection-detail.js'
import { EndUserSchema } from './end-user.js'
import { EscalationSchema } from './escalation.js'
import { CallFailReasonFieldSchema } from './fail-reason.js'
import { HandleDurationSchema } from './handle-duration.js'
import { MenuPathSchema } from './menu-path.js'
import { OfferEventSchema } from './offer-event.js'
import { CallParticipantSchema } from './participant.js'
import { PhotoSchema } from './photo.js'
import { QueueDurationSchema } from './queue-duration.js'
import { RecordingSchema } from './recording.js'
import { SelectedMenuSchema } from './selected-menu.js'
import { CallStatusFieldSchema, SubStatusFieldSchema } from './session-status.js'
import { CallSessionTypeV2FieldSchema, CallTypeFieldSchema } from './session-type.js'
import {
  AnswerTypeFieldSchema,
  DeflectionFieldSchema,
  DisconnectedByFieldSchema,
  OfferTypeFieldSchema,
  RecordingPermissionFieldSchema,
  VoicemailReasonFieldSchema,
} from './session-vocabularies.js'
import { ConnectedAtSchema, OptionalTimestampSchema } from './timestamps.js'
import { TransferSchema } from './transfer.js'
import { VideoSchema } from './video.js'
import { VirtualAgentHandleDurationSchema } from './virtual-agent-handle-duration.js'

/**
 * `rating`: the CSAT score, null when none was given. An integer on the documents; a third-party
 * schema types it as a string, which tolerant mode accepts.
 */
export const RatingSchema = z.union([z.int().nonnegative(), tolerantOnly(z.string())]).nullish()
export type Rating = z.infer<typeof RatingSchema>

/**
 * The call session metadata record: one JSON object per call, written to external storage
 * (`ujet-metadata/call-{id}.json`) about 15 minutes after the call ends, and also the body of the
 * session-end command to CRM integrations and of the session-outcome email.
 *
 * Required keys are the fields the schema page marks non-nullable (`voip_provider`, always the literal
 * `"deprecated"`, is left optional). `subStatus` is the page's spelling; `sub_status` (the chat page's
 * and a parser's spelling) and `end-user` are accepted in tolerant mode only. Field lists of the nested
 * arrays are partly third-party (see each nested schema); disposition codes/notes, survey answers,
 * Smart Action text input and custom data are listed as file content but their keys are not readable,
 * so they pass only in tolerant mode, as unknown keys.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/call-session-metadata
 * documented
 */
export const CallSessionMetadataSchema = z.object({
  id: IntegerIdSchema,
  /** Ties the call to its source/destination in Dynamic Call Routing (newer revision only). */
  call_uuid: z.string().nullish(),
  parent_id: IntegerIdSchema.nullish(),
  lang: z.string(),
  call_type: CallTypeFieldSchema,
  /** Deprecated duplicate of `call_type`. */
  session_type: CallTypeFieldSchema,
  session_type_v2: CallSessionTypeV2FieldSchema,
  status: CallStatusFieldSchema,
  subStatus: SubStatusFieldSchema.nullish(),
  sub_status: tolerantOnly(SubStatusFieldSchema.nullish()),
  created_at: IsoDateTimeSchema,
  queued_at: OptionalTimestampSchema,
  assigned_at: OptionalTimestampSchema,
  connected_at: ConnectedAtSchema,
  /** `ends_at`, not `ended_at`. */
  ends_at: OptionalTimestampSchema,
  scheduled_at: OptionalTimestampSchema,
  updated_at: IsoDateTimeSchema,
  wait_duration: DurationSecondsSchema,
  call_duration: DurationSecondsSchema,
  hold_duration: DurationSecondsSchema.nullish(),
  rating: RatingSchema,
  has_feedback: z.boolean(),
  /** The CSAT comment text (third-party parser). */
  feedback: z.string().nullish(),
  /** Deprecated: always `"deprecated"` in metadata. */
  voip_provider: z.string().nullish(),
  out_ticket_id: z.string().nullish(),
  out_ticket_url: z.string().nullish(),
  is_out_ticket_account: z.boolean().nullish(),
  verified: z.boolean(),
  recording_url: z.string().nullish(),
  recording_permission: RecordingPermissionFieldSchema.nullish(),
  voicemail_reason: VoicemailReasonFieldSchema.nullish(),
  deflection: DeflectionFieldSchema.nullish(),
  disconnected_by: DisconnectedByFieldSchema.nullish(),
  fail_reason: CallFailReasonFieldSchema.nullish(),
  fail_details: z.string().nullish(),
  support_number: z.string().nullish(),
  outbound_number: z.string().nullish(),
  offer_type: OfferTypeFieldSchema.nullish(),
  answer_type: AnswerTypeFieldSchema.nullish(),
  in_queue_wait_time_va: DurationSecondsSchema.nullish(),
  automation_redirection: z.union([z.boolean(), z.string()]).nullish(),
  selected_menu: SelectedMenuSchema.nullish(),
  menu_path: MenuPathSchema.nullish(),
  agent_info: AgentInfoSchema.nullish(),
  end_user: EndUserSchema.nullish(),
  'end-user': tolerantOnly(EndUserSchema.nullish()),
  photos: z.array(PhotoSchema).nullish(),
  videos: z.array(VideoSchema).nullish(),
  recordings: z.array(RecordingSchema).nullish(),
  transfers: z.array(TransferSchema).nullish(),
  escalations: z.array(EscalationSchema).nullish(),
  participants: z.array(CallParticipantSchema).nullish(),
  deflection_details: z.array(DeflectionDetailSchema).nullish(),
  offer_events: z.array(OfferEventSchema).nullish(),
  handle_durations: z.array(HandleDurationSchema).nullish(),
  queue_durations: z.array(QueueDurationSchema).nullish(),
  virtual_agent_handle_durations: z.array(VirtualAgentHandleDurationSchema).nullish(),
  consumer_handle_durations: z.array(ConsumerHandleDurationSchema).nullish(),
  consumer_in_menu_durations: z.array(ConsumerEventDurationSchema).nullish(),
  consumer_event_durations: z.array(ConsumerEventDurationSchema).nullish(),
})
export type CallSessionMetadata = z.infer<typeof CallSessionMetadataSchema>
