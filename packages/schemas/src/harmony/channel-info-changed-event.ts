import { z } from 'zod'
import { HARMONY_CHANNEL_STATES, HarmonyAgentStatusSchema } from './agent-status.js'
import { harmonyEvent } from './envelope.js'
import { HarmonyChannelTargetSchema } from './target.js'

/**
 * `channel.infochanged`: the channel state (INACTIVE / UNAVAILABLE / ACTIVE) or the agent's availability on it changed.
 * @see seeds/001_6a59e76a77c67195.txt (channel.infochanged) — documented
 */
export const HarmonyChannelInfoChangedEventSchema = harmonyEvent(
  'channel.infochanged',
  HarmonyChannelTargetSchema,
  z.object({ state: z.enum(HARMONY_CHANNEL_STATES), agentStatus: HarmonyAgentStatusSchema }),
)
export type HarmonyChannelInfoChangedEvent = z.infer<typeof HarmonyChannelInfoChangedEventSchema>
