import type { z } from 'zod'
import { HarmonyChannelDeactivateDataSchema } from './channel-deactivate-data.js'
import { harmonyCommand } from './envelope.js'
import { HarmonyChannelTargetSchema } from './target.js'

/**
 * `channel.deactivate`: logs the agent out of the channel; fails if it is already INACTIVE.
 * @see seeds/001_6a59e76a77c67195.txt (channel.deactivate) — documented
 */
export const HarmonyChannelDeactivateCommandSchema = harmonyCommand(
  'channel.deactivate',
  HarmonyChannelTargetSchema,
  HarmonyChannelDeactivateDataSchema,
)
export type HarmonyChannelDeactivateCommand = z.infer<typeof HarmonyChannelDeactivateCommandSchema>
