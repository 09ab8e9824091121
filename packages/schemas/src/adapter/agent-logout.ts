import { z } from 'zod'
import { agentFieldsShape } from './session-event-common.js'

/**
 * `Agent_Logout`: the agent logged out of the adapter.
 *
 * @see seeds/000_2170762ce078838e.txt, Agent adapters › Event types › Agent logout
 * confidence: documented
 */
export const AgentLogoutEventSchema = z.object({
  type: z.literal('Agent_Logout'),
  data: z.object({ ...agentFieldsShape }),
})
export type AgentLogoutEvent = z.infer<typeof AgentLogoutEventSchema>
