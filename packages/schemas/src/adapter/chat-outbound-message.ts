import { z } from 'zod'
import { ChatSessionDataSchema } from './chat-session-data.js'

/**
 * `Chat_Outbound_Message`: the agent sent a message; `message` is its text (the doc prose wrongly says "consumer message").
 *
 * @see seeds/000_2170762ce078838e.txt, Agent adapters › Event types › Chat outbound message
 * confidence: documented
 */
export const ChatOutboundMessageEventSchema = z.object({
  type: z.literal('Chat_Outbound_Message'),
  data: z.object({
    ...ChatSessionDataSchema.shape,
    // The message events' field list marks agent_email Optional, unlike the other chat events.
    agent_email: z.email().nullish(),
    message: z.string(),
  }),
})
export type ChatOutboundMessageEvent = z.infer<typeof ChatOutboundMessageEventSchema>
