import { z } from 'zod'
import { ChatSessionDataSchema } from './chat-session-data.js'

/**
 * `End_Chat`: a chat ended.
 *
 * @see seeds/000_2170762ce078838e.txt, Agent adapters › Event types › End chat
 * confidence: documented
 */
export const EndChatEventSchema = z.object({
  type: z.literal('End_Chat'),
  data: ChatSessionDataSchema,
})
export type EndChatEvent = z.infer<typeof EndChatEventSchema>
