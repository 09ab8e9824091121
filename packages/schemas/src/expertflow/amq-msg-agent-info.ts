import { z } from 'zod'
import { AgentStateSchema } from './agent-state.js'

/**
 * `amq-msg` with `head: "AgentInfo"`: the agent's MRD state after login or a state change.
 * The seed shows only `head`; the body keys are read from the AgentState JMS body.
 * @see seeds/003_1d4ee430392b9662.txt §amq-msg — documented (body keys inferred)
 */
export const AmqMsgAgentInfoSchema = z.object({
  head: z.literal('AgentInfo'),
  AgentId: z.string().nullish(),
  State: AgentStateSchema.nullish(),
  Mrd: z.string().nullish(),
  ReasonCode: z.int().nullish(),
})
export type AmqMsgAgentInfo = z.infer<typeof AmqMsgAgentInfoSchema>
