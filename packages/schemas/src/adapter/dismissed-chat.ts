import { z } from 'zod'
import { ChatSessionDataSchema } from './chat-session-data.js'

/**
 * `Dismissed_Chat`: the agent closed the chat tab.
 *
 * @see seeds/000_2170762ce078838e.txt, Agent adapters › Event types › Dismissed chat
 * confidence: documented
 */
export const DismissedChatEventSchema = z.object({
  type: z.literal('Dismissed_Chat'),
  data: ChatSessionDataSchema,
})
export type DismissedChatEvent = z.infer<typeof DismissedChatEventSchema>
