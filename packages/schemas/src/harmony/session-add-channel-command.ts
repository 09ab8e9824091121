import type { z } from 'zod'
import { harmonyCommand, HarmonyOpenDataSchema } from './envelope.js'
import { HarmonySessionTargetSchema } from './target.js'

/**
 * `session.addchannel`: adds a standalone channel (then `channel.created` … `channel.initialized`).
 * Named in the `channel.created` text only; its `data` is not shown, so any object passes.
 * @see seeds/001_6a59e76a77c67195.txt (channel.created) — documented
 */
export const HarmonySessionAddChannelCommandSchema = harmonyCommand(
  'session.addchannel',
  HarmonySessionTargetSchema,
  HarmonyOpenDataSchema.nullish(),
)
export type HarmonySessionAddChannelCommand = z.infer<typeof HarmonySessionAddChannelCommandSchema>
