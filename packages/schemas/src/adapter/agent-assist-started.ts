import { z } from 'zod'
import { NumericStringIdSchema, TimeOfDaySchema } from '../common/primitives.js'

/**
 * `Agent_Assist_Started`: the agent turned on Agent Assist in a call or chat (list heading: "Agent
 * Assist added"). Unlike every other adapter event, `queue_id` and `agent_id` are strings of digits
 * and `timestamp` is a time of day (`"12:45:15"`).
 *
 * @see seeds/000_2170762ce078838e.txt, Agent adapters › Event types › Agent Assist started
 * confidence: documented
 */
export const AgentAssistStartedEventSchema = z.object({
  type: z.literal('Agent_Assist_Started'),
  data: z.object({
    conversation_id: z.string(),
    queue_id: NumericStringIdSchema,
    agent_id: NumericStringIdSchema,
    session_id: z.string(),
    queue_language_id: z.string(),
    timestamp: TimeOfDaySchema,
  }),
})
export type AgentAssistStartedEvent = z.infer<typeof AgentAssistStartedEventSchema>
