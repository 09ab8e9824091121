import type { z } from 'zod'
import { HarmonyChannelNotReadyDataSchema } from './channel-not-ready-data.js'
import { harmonyCommand } from './envelope.js'
import { HarmonyChannelTargetSchema } from './target.js'

/**
 * `channel.notready`: makes the agent not ready (or After Call Work with `"acw"`) on an ACTIVE channel.
 * @see seeds/001_6a59e76a77c67195.txt (channel.notready) — documented
 */
export const HarmonyChannelNotReadyCommandSchema = harmonyCommand(
  'channel.notready',
  HarmonyChannelTargetSchema,
  HarmonyChannelNotReadyDataSchema,
)
export type HarmonyChannelNotReadyCommand = z.infer<typeof HarmonyChannelNotReadyCommandSchema>
