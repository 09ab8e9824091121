import { z } from 'zod'
import { DurationSecondsSchema, IntegerIdSchema, IsoDateTimeSchema } from '../common/primitives.js'
import { tolerantOnly } from '../internal/modes.js'
import { AgentInfoSchema } from './agent-info.js'
import { RatingSchema } from './call-session-metadata.js'
import { ConsumerEventDurationSchema } from './consumer-event-duration.js'
import { ConsumerHandleDurationSchema } from './consumer-handle-duration.js'
import { DeflectionDetailSchema } from './deflection-detail.js'
import { EndUserSchema } from './end-user.js'
import { EscalationSchema } from './escalation.js'
import { ChatFailReasonFieldSchema } from './fail-reason.js'
import { HandleDurationSchema } from './handle-duration.js'
import { MenuPathSchema } from './menu-path.js'
import { OfferEventSchema } from './offer-event.js'
import { ChatParticipantSchema } from './participant.js'
import { PhotoSchema } from './photo.js'
import { QueueDurationSchema } from './queue-duration.js'
import { SelectedMenuSchema } from './selected-menu.js'
import { ChatStatusFieldSchema, SubStatusFieldSchema } from './session-status.js'
import { ChatSessionTypeV2FieldSchema, ChatTypeFieldSchema } from './session-type.js'
import {
  AnswerTypeFieldSchema,
  DisconnectedByFieldSchema,
  OfferTypeFieldSchema,
} from './session-vocabularies.js'
import { OptionalTimestampSchema } from './timestamps.js'
import { TransferSchema } from './transfer.js'
import { VideoSchema } from './video.js'
import { VirtualAgentHandleDurationSchema } from './virtual-agent-handle-duration.js'

/**
 * The chat session metadata record: one JSON object per chat, written to external storage
 * (`ujet-metadata/chat-{id}.json`), and also the body of the chat session-end command to CRM
 * integrations and of the session-outcome email.
 *
 * Unlike calls there is no `connected_at`, `call_duration`, `hold_duration`, `voip_provider` or
 * recording field. The chat page spells `sub_status` in snake case, so that is primary here and the
 * call page's `subStatus` is the tolerant-only alternate. top-level `fail_reason` is `null` in the API
 * examples where calls say `"nothing"`. Required keys are the fields the page marks non-nullable.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/chat-session-metadata
 * documented
 */
export const ChatSessionMetadataSchema = z.object({
  id: IntegerIdSchema,
  /** A third-party parser detects chats by `chat_uuid`; by analogy with `call_uuid`. */
  chat_uuid: z.string().nullish(),
  lang: z.string(),
  chat_type: ChatTypeFieldSchema,
  /** Deprecated duplicate of `chat_type`. */
  session_type: ChatTypeFieldSchema,
  session_type_v2: ChatSessionTypeV2FieldSchema,
  status: ChatStatusFieldSchema,
  sub_status: SubStatusFieldSchema.nullish(),
  subStatus: tolerantOnly(SubStatusFieldSchema.nullish()),
  created_at: IsoDateTimeSchema,
  queued_at: OptionalTimestampSchema,
  assigned_at: OptionalTimestampSchema,
  ends_at: OptionalTimestampSchema,
  updated_at: IsoDateTimeSchema,
  first_msg_sent_at: OptionalTimestampSchema,
  last_msg_sent_at: OptionalTimestampSchema,
  wait_duration: DurationSecondsSchema,
  chat_duration: DurationSecondsSchema,
  rating: RatingSchema,
  has_feedback: z.boolean().nullish(),
  feedback: z.string().nullish(),
  out_ticket_id: z.string().nullish(),
  out_ticket_url: z.string().nullish(),
  is_out_ticket_account: z.boolean().nullish(),
  verified: z.boolean(),
  disconnected_by: DisconnectedByFieldSchema.nullish(),
  fail_reason: ChatFailReasonFieldSchema.nullish(),
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
  transfers: z.array(TransferSchema).nullish(),
  escalations: z.array(EscalationSchema).nullish(),
  participants: z.array(ChatParticipantSchema).nullish(),
  deflection_details: z.array(DeflectionDetailSchema).nullish(),
  offer_events: z.array(OfferEventSchema).nullish(),
  handle_durations: z.array(HandleDurationSchema).nullish(),
  queue_durations: z.array(QueueDurationSchema).nullish(),
  virtual_agent_handle_durations: z.array(VirtualAgentHandleDurationSchema).nullish(),
  consumer_handle_durations: z.array(ConsumerHandleDurationSchema).nullish(),
  consumer_in_menu_durations: z.array(ConsumerEventDurationSchema).nullish(),
  consumer_event_durations: z.array(ConsumerEventDurationSchema).nullish(),
})
export type ChatSessionMetadata = z.infer<typeof ChatSessionMetadataSchema>
