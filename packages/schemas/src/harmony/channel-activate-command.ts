import type { z } from 'zod'
import { HarmonyChannelActivateDataSchema } from './channel-activate-data.js'
import { harmonyCommand } from './envelope.js'
import { HarmonyChannelTargetSchema } from './target.js'

/**
 * `channel.activate`: logs the agent into the channel (INACTIVE → ACTIVE); then
 * `channel.infochanged` and `state.updated`.
 * @see seeds/001_6a59e76a77c67195.txt (channel.activate) — documented
 */
export const HarmonyChannelActivateCommandSchema = harmonyCommand(
  'channel.activate',
  HarmonyChannelTargetSchema,
  HarmonyChannelActivateDataSchema,
)
export type HarmonyChannelActivateCommand = z.infer<typeof HarmonyChannelActivateCommandSchema>
