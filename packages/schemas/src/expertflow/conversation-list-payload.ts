import { z } from 'zod'
import { ConversationSchema } from './conversation.js'

/**
 * `conversationList` (server → bot connector): "all conversations list". The seed gives no
 * payload; read as an array of Conversation objects.
 * @see seeds/003_1d4ee430392b9662.txt §Events (event table) — inferred
 */
export const ConversationListPayloadSchema = z.array(ConversationSchema)
export type ConversationListPayload = z.infer<typeof ConversationListPayloadSchema>
