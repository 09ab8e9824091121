import { z } from 'zod'
import { ParticipantSchema } from './participant.js'
import { TeamSchema } from './team.js'

/**
 * A supervisor: a participant with the team it supervises. The seed says its `type` "will be
 * Agent" (likely copied from the Agent table), so `type` keeps the whole participant vocabulary.
 * @see seeds/003_1d4ee430392b9662.txt §Schema › Supervisor Object — documented
 */
export const SupervisorSchema = z.object({
  ...ParticipantSchema.shape,
  team: z.lazy(() => TeamSchema).nullish(),
})
export type Supervisor = z.infer<typeof SupervisorSchema>
