import { z } from 'zod'
import { ParticipantSchema } from './participant.js'

/**
 * `teamInfo` (server → client): the team's members and their states, published to the whole
 * team whenever one of them logs in or out or changes state. Members are participants with
 * `id`, `name` and `state`; for a supervisor they also list each member's active chats (keys
 * not documented, tolerated as unknown keys).
 * @see seeds/003_1d4ee430392b9662.txt §teamInfo — documented
 */
export const TeamInfoPayloadSchema = z.object({
  teamId: z.string(),
  teamName: z.string(),
  agents: z.array(ParticipantSchema),
  supervisors: z.array(ParticipantSchema),
})
export type TeamInfoPayload = z.infer<typeof TeamInfoPayloadSchema>
