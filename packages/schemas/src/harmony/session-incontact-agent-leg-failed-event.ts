import { z } from 'zod'
import { harmonyEvent } from './envelope.js'
import { HarmonySessionTargetSchema } from './target.js'

/**
 * `session.incontact.agentleg.failed`: the inContact agent leg (the agent's own phone leg) failed to connect.
 * @see seeds/001_6a59e76a77c67195.txt (session.incontact.agentleg.failed) — documented
 */
export const HarmonySessionInContactAgentLegFailedEventSchema = harmonyEvent(
  'session.incontact.agentleg.failed',
  HarmonySessionTargetSchema,
  z.object({ error: z.string() }),
)
export type HarmonySessionInContactAgentLegFailedEvent = z.infer<
  typeof HarmonySessionInContactAgentLegFailedEventSchema
>
