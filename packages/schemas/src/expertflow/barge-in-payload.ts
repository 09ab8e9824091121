import { z } from 'zod'

/**
 * `bargeIn` (client → server): a monitoring supervisor joins the conversation and may post. The prose says "conversation object containing conversationId"; the example sends the id flat.
 * @see seeds/003_1d4ee430392b9662.txt §bargeIn — documented
 */
export const BargeInPayloadSchema = z.object({
  conversationId: z.string(),
})
export type BargeInPayload = z.infer<typeof BargeInPayloadSchema>
