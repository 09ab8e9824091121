import { z } from 'zod'
import { tolerantOnly } from '../internal/modes.js'

/**
 * `leaveConversation` (client → server): a non-owner agent leaves a conversation with several agents.
 * @see seeds/003_1d4ee430392b9662.txt §leaveConversation — documented
 */
export const LeaveConversationPayloadSchema = z.object({
  conversationId: z.string(),
  /** "a boolean, default is true" — yet the seed's example sends the string `"true"`. */
  notify: z.union([z.boolean(), tolerantOnly(z.enum(['true', 'false']))]).nullish(),
})
export type LeaveConversationPayload = z.infer<typeof LeaveConversationPayloadSchema>
