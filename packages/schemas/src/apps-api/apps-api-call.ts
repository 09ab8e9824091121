import { z } from 'zod'
import { DurationSecondsSchema, IntegerIdSchema, IsoDateTimeSchema } from '../common/primitives.js'
import {
  AgentInfoSchema,
  AnswerTypeFieldSchema,
  CallFailReasonFieldSchema,
  CallParticipantSchema,
  CallStatusFieldSchema,
  CallTypeFieldSchema,
  ConnectedAtSchema,
  DeflectionDetailSchema,
  DeflectionFieldSchema,
  DisconnectedByFieldSchema,
  EndUserSchema,
  MenuPathSchema,
  OfferEventSchema,
  OfferTypeFieldSchema,
  OptionalTimestampSchema,
  PhotoSchema,
  RatingSchema,
  RecordingPermissionFieldSchema,
  SelectedMenuSchema,
  TransferSchema,
  VideoSchema,
  VoicemailReasonFieldSchema,
} from '../metadata/index.js'

/**
 * The Apps API call object: the body of a successful `POST /apps/api/v1/calls` (201) and the call
 * resource. Keys are sent with `null` when empty (`"agent_info": null` before assignment), while
 * `voip_provider` (`voip_provider_twilio`) is missing from the inbound examples and `parent_id` from all
 * but the type skeleton — everything beyond the core is optional. Nested objects are the session
 * metadata ones (the API page says to expect unrecognised keys, which tolerant mode allows).
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/apps-api-call
 * documented
 */
export const AppsApiCallSchema = z.object({
  id: IntegerIdSchema,
  parent_id: IntegerIdSchema.nullish(),
  lang: z.string(),
  call_type: CallTypeFieldSchema,
  status: CallStatusFieldSchema,
  created_at: IsoDateTimeSchema,
  queued_at: OptionalTimestampSchema,
  assigned_at: OptionalTimestampSchema,
  connected_at: ConnectedAtSchema,
  ends_at: OptionalTimestampSchema,
  scheduled_at: OptionalTimestampSchema,
  wait_duration: DurationSecondsSchema,
  call_duration: DurationSecondsSchema,
  hold_duration: DurationSecondsSchema.nullish(),
  rating: RatingSchema,
  has_feedback: z.boolean(),
  voip_provider: z.string().nullish(),
  out_ticket_id: z.string().nullish(),
  out_ticket_url: z.string().nullish(),
  verified: z.boolean(),
  recording_url: z.string().nullish(),
  recording_permission: RecordingPermissionFieldSchema.nullish(),
  voicemail_reason: VoicemailReasonFieldSchema.nullish(),
  deflection: DeflectionFieldSchema.nullish(),
  disconnected_by: DisconnectedByFieldSchema.nullish(),
  fail_reason: CallFailReasonFieldSchema.nullish(),
  fail_details: z.string().nullish(),
  support_number: z.string().nullish(),
  selected_menu: SelectedMenuSchema.nullish(),
  menu_path: MenuPathSchema.nullish(),
  agent_info: AgentInfoSchema.nullish(),
  end_user: EndUserSchema.nullish(),
  photos: z.array(PhotoSchema).nullish(),
  videos: z.array(VideoSchema).nullish(),
  transfers: z.array(TransferSchema).nullish(),
  deflection_details: z.array(DeflectionDetailSchema).nullish(),
  participants: z.array(CallParticipantSchema).nullish(),
  offer_type: OfferTypeFieldSchema.nullish(),
  offer_events: z.array(OfferEventSchema).nullish(),
  answer_type: AnswerTypeFieldSchema.nullish(),
  /** As typed on create (`"+1 339-219-5276"`), unlike the E.164 form on SMS chats. */
  outbound_number: z.string().nullish(),
})
export type AppsApiCall = z.infer<typeof AppsApiCallSchema>
