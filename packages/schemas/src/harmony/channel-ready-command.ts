import { z } from 'zod'
import { harmonyCommand } from './envelope.js'
import { HarmonyChannelTargetSchema } from './target.js'

/**
 * `channel.ready`: makes the agent ready on an ACTIVE channel (`data` is `{}`).
 * @see seeds/001_6a59e76a77c67195.txt (channel.ready) — documented
 */
export const HarmonyChannelReadyCommandSchema = harmonyCommand(
  'channel.ready',
  HarmonyChannelTargetSchema,
  z.object({}),
)
export type HarmonyChannelReadyCommand = z.infer<typeof HarmonyChannelReadyCommandSchema>
