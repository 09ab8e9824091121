import { z } from 'zod'

/**
 * `raiseHand` (client → server): asks the supervisor (`participantId`) to join and help.
 * @see seeds/003_1d4ee430392b9662.txt §raiseHand — documented
 */
export const RaiseHandPayloadSchema = z.object({
  conversationId: z.string(),
  participantId: z.string(),
})
export type RaiseHandPayload = z.infer<typeof RaiseHandPayloadSchema>
