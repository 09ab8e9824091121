import { z } from 'zod'

/**
 * `endConversation`: the owner ends the conversation for everyone (client → server); the server then emits the same event to every participant, whose payload the seed does not show (read as the same shape).
 * @see seeds/003_1d4ee430392b9662.txt §endConversation — documented
 */
export const EndConversationPayloadSchema = z.object({
  conversationId: z.string(),
})
export type EndConversationPayload = z.infer<typeof EndConversationPayloadSchema>
