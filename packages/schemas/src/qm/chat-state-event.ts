import { z } from 'zod'
import { ChatStateItemSchema } from './chat-state.js'

/**
 * A QM ChatState event: the state of a chat and its participants changed. The chat page's samples
 * show only the `item`; the envelope comes from its general field table.
 * @see seeds/004_5582cdfd9e3a1a3c.txt (General fields; Chat session events and triggers)
 * Confidence: documented.
 */
export const ChatStateEventSchema = z.object({
  type: z.literal('ChatState'),
  item: ChatStateItemSchema,
})
export type ChatStateEvent = z.infer<typeof ChatStateEventSchema>
