import { z } from 'zod'
import { harmonyEvent } from './envelope.js'
import { HarmonyChannelTargetSchema } from './target.js'

/**
 * `channel.initialized`: the channel is fully initialized (always added INACTIVE; `channel.infochanged` may come first). Its `data` is not shown: `{}` assumed.
 * @see seeds/001_6a59e76a77c67195.txt (channel.initialized) — documented
 */
export const HarmonyChannelInitializedEventSchema = harmonyEvent(
  'channel.initialized',
  HarmonyChannelTargetSchema,
  z.object({}),
)
export type HarmonyChannelInitializedEvent = z.infer<typeof HarmonyChannelInitializedEventSchema>
