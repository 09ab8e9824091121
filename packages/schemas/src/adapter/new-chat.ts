import { z } from 'zod'
import { ChatSessionDataSchema } from './chat-session-data.js'

/**
 * `New_Chat`: the agent picked up a chat (the sample caption says `New_chat`; the JSON says `New_Chat`).
 *
 * @see seeds/000_2170762ce078838e.txt, Agent adapters › Event types › New chat
 * confidence: documented
 */
export const NewChatEventSchema = z.object({
  type: z.literal('New_Chat'),
  data: ChatSessionDataSchema,
})
export type NewChatEvent = z.infer<typeof NewChatEventSchema>
