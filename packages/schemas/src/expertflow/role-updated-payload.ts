import { z } from 'zod'
import { ParticipantRoleSchema } from './participant.js'

/**
 * `RoleUpdated` (server → client): a participant's role in the conversation changed (after a transfer).
 * @see seeds/003_1d4ee430392b9662.txt §RoleUpdated — documented
 */
export const RoleUpdatedPayloadSchema = z.object({
  participantId: z.string(),
  role: ParticipantRoleSchema,
  conversationId: z.string(),
})
export type RoleUpdatedPayload = z.infer<typeof RoleUpdatedPayloadSchema>
