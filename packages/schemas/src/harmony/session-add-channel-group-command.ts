import type { z } from 'zod'
import { harmonyCommand, HarmonyOpenDataSchema } from './envelope.js'
import { HarmonySessionTargetSchema } from './target.js'

/**
 * `session.addchannelgroup`: adds a channel group and its member channels. Named in the
 * `channel.created` text only; its `data` is not shown, so any object passes.
 * @see seeds/001_6a59e76a77c67195.txt (channel.created) — documented
 */
export const HarmonySessionAddChannelGroupCommandSchema = harmonyCommand(
  'session.addchannelgroup',
  HarmonySessionTargetSchema,
  HarmonyOpenDataSchema.nullish(),
)
export type HarmonySessionAddChannelGroupCommand = z.infer<
  typeof HarmonySessionAddChannelGroupCommandSchema
>
