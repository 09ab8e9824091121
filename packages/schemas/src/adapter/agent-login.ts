import { z } from 'zod'
import { agentFieldsShape } from './session-event-common.js'

/**
 * `Agent_Login`: the agent logged into the adapter.
 *
 * @see seeds/000_2170762ce078838e.txt, Agent adapters › Event types › Agent login
 * confidence: documented
 */
export const AgentLoginEventSchema = z.object({
  type: z.literal('Agent_Login'),
  data: z.object({ ...agentFieldsShape }),
})
export type AgentLoginEvent = z.infer<typeof AgentLoginEventSchema>
