import type { z } from 'zod'
import { harmonyEvent, HarmonyOpenDataSchema } from './envelope.js'
import { HarmonyChannelGroupTargetSchema } from './target.js'

/**
 * `channelgroup.created`: a channel group was created (name inferred by symmetry with `channel.created`; `data` unknown).
 * @see reference/harmony-and-expertflow.md §1.5.5 — inferred
 */
export const HarmonyChannelGroupCreatedEventSchema = harmonyEvent(
  'channelgroup.created',
  HarmonyChannelGroupTargetSchema,
  HarmonyOpenDataSchema,
)
export type HarmonyChannelGroupCreatedEvent = z.infer<typeof HarmonyChannelGroupCreatedEventSchema>
