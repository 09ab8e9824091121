import { z } from 'zod'
import { RequestableAgentStateSchema } from './agent-state.js'

/**
 * `amq-send` with `head: "AgentState"` — the seed's "changeState": the agent asks to become
 * READY or NOT_READY (with a reason code) in one MRD, or to log out of it.
 * @see seeds/003_1d4ee430392b9662.txt §changeState and https://docs.expertflow.com/chat/3.15/media-routing-api — documented
 */
export const AmqSendAgentStateSchema = z.object({
  head: z.literal('AgentState'),
  AgentId: z.string(),
  State: RequestableAgentStateSchema,
  Mrd: z.string(),
  /** `-1` in the seed's example: no reason. */
  ReasonCode: z.int(),
})
export type AmqSendAgentState = z.infer<typeof AmqSendAgentStateSchema>
