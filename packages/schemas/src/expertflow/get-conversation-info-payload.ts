import { z } from 'zod'

/**
 * `getConversationInfo` (client → server): on login the agent asks for all its conversations, answered by one `conversationInfo` each. The seed's "Source: server" contradicts its own text; read as client → server.
 * @see seeds/003_1d4ee430392b9662.txt §getConversationInfo — documented
 */
export const GetConversationInfoPayloadSchema = z.object({
  AgentId: z.string(),
})
export type GetConversationInfoPayload = z.infer<typeof GetConversationInfoPayloadSchema>
