import { z } from 'zod'

/**
 * `joinConversation` (client → server): accepts a chat request; bots and customers also emit it to receive conversation updates.
 * @see seeds/003_1d4ee430392b9662.txt §joinConversation — documented
 */
export const JoinConversationPayloadSchema = z.object({
  conversationId: z.string(),
})
export type JoinConversationPayload = z.infer<typeof JoinConversationPayloadSchema>
