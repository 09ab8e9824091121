import type { z } from 'zod'
import { harmonyEvent, HarmonyOpenDataSchema } from './envelope.js'
import { HarmonyChannelGroupTargetSchema } from './target.js'

/**
 * `channelgroup.disposed`: the channel group was removed at logout (name inferred by symmetry; `data` unknown).
 * @see https://openmethodsdev.atlassian.net/wiki/x/DgBslQ; reference/harmony-and-expertflow.md §1.5.5 — inferred
 */
export const HarmonyChannelGroupDisposedEventSchema = harmonyEvent(
  'channelgroup.disposed',
  HarmonyChannelGroupTargetSchema,
  HarmonyOpenDataSchema,
)
export type HarmonyChannelGroupDisposedEvent = z.infer<
  typeof HarmonyChannelGroupDisposedEventSchema
>
