import { z } from 'zod'

/**
 * Agent availability per channel: three base statuses, their `busy_` variants (handling an
 * interaction, base status unchanged) and a bare `busy`; not every platform uses the busy forms.
 */
export const HARMONY_AGENT_STATUSES = [
  'ready',
  'not_ready',
  'after_call_work',
  'busy',
  'busy_ready',
  'busy_not_ready',
  'busy_after_call_work',
] as const

/** Channel states: INACTIVE (nobody logged in), UNAVAILABLE (another agent is), ACTIVE (this agent is). */
export const HARMONY_CHANNEL_STATES = ['INACTIVE', 'UNAVAILABLE', 'ACTIVE'] as const

/**
 * The `agentStatus` of `channel.infochanged`: status, last reason code (`"acw"` or a CTI reason id)
 * and its readable name (may be `""`).
 * @see seeds/001_6a59e76a77c67195.txt (channel.infochanged) — documented
 */
export const HarmonyAgentStatusSchema = z.object({
  status: z.enum(HARMONY_AGENT_STATUSES),
  lastReasonCode: z.string().nullish(),
  lastReasonName: z.string().nullish(),
})
export type HarmonyAgentStatus = z.infer<typeof HarmonyAgentStatusSchema>
