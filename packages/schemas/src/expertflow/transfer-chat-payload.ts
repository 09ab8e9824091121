import { z } from 'zod'

/**
 * `transferChat` (client → server): hands the chat to a participant already in it (agent or supervisor).
 * @see seeds/003_1d4ee430392b9662.txt §transferChat — documented
 */
export const TransferChatPayloadSchema = z.object({
  participantId: z.string(),
  conversationId: z.string(),
})
export type TransferChatPayload = z.infer<typeof TransferChatPayloadSchema>
