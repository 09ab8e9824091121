import { z } from 'zod'
import { ActivityMessageSchema } from './activity-message.js'
import { ChatMessageSchema } from './chat-message.js'

/**
 * Any message of a conversation: the payload of `messageArrived` and an item of
 * `Conversation.messages`, told apart by its `type`.
 * @see seeds/003_1d4ee430392b9662.txt §messageArrived, §Schema › Conversation Object — documented
 */
export const MessageSchema = z.discriminatedUnion('type', [
  ChatMessageSchema,
  ActivityMessageSchema,
])
export type Message = z.infer<typeof MessageSchema>
