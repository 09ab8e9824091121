import { z } from 'zod'
import { agentFieldsShape } from './session-event-common.js'

/**
 * `Agent_Login`: the agent logged into the adapter. The field list marks `agent_custom_id` and
 * `agent_email` "Optional:" (only `agent_id` is always there); `Agent_Logout`'s list does not.
 *
 * @see seeds/000_2170762ce078838e.txt, Agent adapters › Event types › Agent login
 * confidence: documented
 */
export const AgentLoginEventSchema = z.object({
  type: z.literal('Agent_Login'),
  data: z.object({ ...agentFieldsShape, agent_email: agentFieldsShape.agent_email.optional() }),
})
export type AgentLoginEvent = z.infer<typeof AgentLoginEventSchema>
