import { z } from 'zod'
import { AgentStateItemSchema } from './agent-state.js'

/**
 * A QM AgentState event: an agent signed in to or out of the agent adapter.
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/qm-call-session-data (Agent logs in, Agent logs out)
 * Confidence: doc-example.
 */
export const AgentStateEventSchema = z.object({
  type: z.literal('AgentState'),
  item: AgentStateItemSchema,
})
export type AgentStateEvent = z.infer<typeof AgentStateEventSchema>
