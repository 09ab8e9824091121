import type { z } from 'zod'
import { harmonyEvent, HarmonyOpenDataSchema } from './envelope.js'
import { HarmonyChannelTargetSchema } from './target.js'

/**
 * `channel.disposed`: the channel was removed (logout disposes "each channel … generating the appropriate events"; the name is inferred by symmetry with `conversation.disposed`).
 * @see https://openmethodsdev.atlassian.net/wiki/x/DgBslQ; reference/harmony-and-expertflow.md §1.5.5 — inferred
 */
export const HarmonyChannelDisposedEventSchema = harmonyEvent(
  'channel.disposed',
  HarmonyChannelTargetSchema,
  HarmonyOpenDataSchema,
)
export type HarmonyChannelDisposedEvent = z.infer<typeof HarmonyChannelDisposedEventSchema>
