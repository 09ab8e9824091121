import { z } from 'zod'
import { AgentSchema, type Agent } from './agent.js'
import { SupervisorSchema, type Supervisor } from './supervisor.js'

/**
 * A team: its agents (`members`) and one or more supervisors. Written out as an interface because
 * Team, Agent and Supervisor refer to one another.
 * @see seeds/003_1d4ee430392b9662.txt §Schema › Team Object — documented
 */
export interface Team {
  id: string
  name: string
  members: Agent[]
  supervisors: Supervisor[]
}

/**
 * A team: its agents (`members`) and one or more supervisors.
 * @see seeds/003_1d4ee430392b9662.txt §Schema › Team Object — documented
 */
export const TeamSchema: z.ZodType<Team> = z.object({
  id: z.string(),
  name: z.string(),
  members: z.array(z.lazy(() => AgentSchema)),
  supervisors: z.array(z.lazy(() => SupervisorSchema)),
})
