import { z } from 'zod'
import { IsoDateTimeSchema } from '../common/primitives.js'
import { AttachmentSchema } from './attachment.js'
import { ExpertflowChannelSchema } from './channel.js'
import { ParticipantSchema } from './participant.js'

/**
 * A chat text from one participant to others, delivered with `messageArrived` (and sent with
 * `sendMessage`). An empty `to` broadcasts it to the whole conversation.
 * @see seeds/003_1d4ee430392b9662.txt §messageArrived (Event Payload for ChatMessage) — documented
 */
export const ChatMessageSchema = z.object({
  conversationId: z.string(),
  type: z.literal('ChatMessage'),
  /** A GUID the sender may set (2018 API Developer Guide: optional). */
  requestId: z.guid().nullish(),
  timestamp: IsoDateTimeSchema,
  channel: ExpertflowChannelSchema,
  from: ParticipantSchema,
  to: z.array(ParticipantSchema),
  text: z.string(),
  attachments: z.array(AttachmentSchema),
})
export type ChatMessage = z.infer<typeof ChatMessageSchema>
