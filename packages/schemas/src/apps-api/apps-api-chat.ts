import { z } from 'zod'
import { DurationSecondsSchema, IntegerIdSchema, IsoDateTimeSchema } from '../common/primitives.js'
import {
  AgentInfoSchema,
  AnswerTypeFieldSchema,
  ChatFailReasonFieldSchema,
  ChatParticipantSchema,
  ChatStatusFieldSchema,
  ChatTypeFieldSchema,
  DisconnectedByFieldSchema,
  EndUserSchema,
  MenuPathSchema,
  OfferEventSchema,
  OfferTypeFieldSchema,
  OptionalTimestampSchema,
  PhotoSchema,
  RatingSchema,
  SelectedMenuSchema,
  TransferSchema,
  VideoSchema,
} from '../metadata/index.js'

/**
 * The Apps API chat object: the body of a successful `POST /apps/api/v1/sms` (200) and the Manager
 * API chat resource. Same skeleton as the call object with `chat_type`, `chat_duration` and `chat_id`
 * in participants, and no `connected_at`, hold or recording fields; the top-level `fail_reason` is
 * `null` in the examples. `message_count` … `transcript` are Manager API additions seen only in the
 * third-party Singer schema.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/apps-api-sms
 * documented (Manager API additions: inferred)
 */
export const AppsApiChatSchema = z.object({
  id: IntegerIdSchema,
  lang: z.string(),
  chat_type: ChatTypeFieldSchema,
  status: ChatStatusFieldSchema,
  created_at: IsoDateTimeSchema,
  queued_at: OptionalTimestampSchema,
  assigned_at: OptionalTimestampSchema,
  ends_at: OptionalTimestampSchema,
  wait_duration: DurationSecondsSchema,
  chat_duration: DurationSecondsSchema,
  rating: RatingSchema,
  has_feedback: z.boolean().nullish(),
  out_ticket_id: z.string().nullish(),
  out_ticket_url: z.string().nullish(),
  verified: z.boolean(),
  disconnected_by: DisconnectedByFieldSchema.nullish(),
  fail_reason: ChatFailReasonFieldSchema.nullish(),
  selected_menu: SelectedMenuSchema.nullish(),
  menu_path: MenuPathSchema.nullish(),
  agent_info: AgentInfoSchema.nullish(),
  end_user: EndUserSchema.nullish(),
  photos: z.array(PhotoSchema).nullish(),
  videos: z.array(VideoSchema).nullish(),
  transfers: z.array(TransferSchema).nullish(),
  participants: z.array(ChatParticipantSchema).nullish(),
  offer_type: OfferTypeFieldSchema.nullish(),
  offer_events: z.array(OfferEventSchema).nullish(),
  answer_type: AnswerTypeFieldSchema.nullish(),
  /** Normalised to E.164 (`"+16285550199"`) on SMS chats. */
  outbound_number: z.string().nullish(),
  message_count: z.int().nonnegative().nullish(),
  average_response_time: z.number().nonnegative().nullish(),
  longest_response_time: z.number().nonnegative().nullish(),
  first_msg_sent_at: OptionalTimestampSchema,
  last_msg_sent_at: OptionalTimestampSchema,
  transcript: z.boolean().nullish(),
})
export type AppsApiChat = z.infer<typeof AppsApiChatSchema>
