import { z } from 'zod'

/**
 * `removeParticipant` (client → server): the owner removes a participant other than the customer.
 * @see seeds/003_1d4ee430392b9662.txt §removeParticipant — documented
 */
export const RemoveParticipantPayloadSchema = z.object({
  participantId: z.string(),
  conversationId: z.string(),
})
export type RemoveParticipantPayload = z.infer<typeof RemoveParticipantPayloadSchema>
