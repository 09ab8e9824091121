import { z } from 'zod'
import { ChatSessionDataSchema } from './chat-session-data.js'

/**
 * `Chat_Inbound_Message`: a new end-user message reached the chat; `message` is its text.
 *
 * @see seeds/000_2170762ce078838e.txt, Agent adapters › Event types › Chat inbound message
 * confidence: documented
 */
export const ChatInboundMessageEventSchema = z.object({
  type: z.literal('Chat_Inbound_Message'),
  data: z.object({
    ...ChatSessionDataSchema.shape,
    // The message events' field list marks agent_email Optional, unlike the other chat events.
    agent_email: z.email().nullish(),
    message: z.string(),
  }),
})
export type ChatInboundMessageEvent = z.infer<typeof ChatInboundMessageEventSchema>
