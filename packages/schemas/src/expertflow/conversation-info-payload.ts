import { z } from 'zod'
import { tolerantOnly } from '../internal/modes.js'
import { ConversationSchema } from './conversation.js'
import { MessageSchema } from './message.js'
import { ParticipantRoleSchema, ParticipantSchema } from './participant.js'

/**
 * `conversationInfo` (server → client): the whole conversation, sent when a customer or agent
 * joins it and once per conversation in answer to `getConversationInfo`.
 * @see seeds/003_1d4ee430392b9662.txt §conversationInfo — documented
 */
export const ConversationInfoPayloadSchema = z.object({
  conversation: ConversationSchema,
  messages: z.array(MessageSchema),
  /** Singular in the seed, though it holds the list of participants. */
  participant: z.array(ParticipantSchema).nullish(),
  participants: tolerantOnly(z.array(ParticipantSchema).nullish()),
  /** The receiving user's role in the conversation. */
  role: ParticipantRoleSchema,
  handRaise: z.boolean(),
})
export type ConversationInfoPayload = z.infer<typeof ConversationInfoPayloadSchema>
