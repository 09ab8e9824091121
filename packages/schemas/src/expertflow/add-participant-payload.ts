import { z } from 'zod'
import { ParticipantSchema } from './participant.js'

/**
 * `addParticipant` (client → server): adds another (READY) agent to an active chat.
 * @see seeds/003_1d4ee430392b9662.txt §addParticipant — documented
 */
export const AddParticipantPayloadSchema = z.object({
  /** "participant object having participant information such as agentId". */
  participant: ParticipantSchema,
  conversationId: z.string(),
})
export type AddParticipantPayload = z.infer<typeof AddParticipantPayloadSchema>
