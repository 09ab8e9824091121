import { z } from 'zod'
import { ChatSessionDataSchema } from './chat-session-data.js'

/**
 * `Active_Chat`: the agent switched to this chat's tab.
 *
 * @see seeds/000_2170762ce078838e.txt, Agent adapters › Event types › Active chat
 * confidence: documented
 */
export const ActiveChatEventSchema = z.object({
  type: z.literal('Active_Chat'),
  data: ChatSessionDataSchema,
})
export type ActiveChatEvent = z.infer<typeof ActiveChatEventSchema>
