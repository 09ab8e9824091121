import type { z } from 'zod'
import { harmonyCommand, HarmonyOpenDataSchema } from './envelope.js'
import { HarmonyChannelGroupTargetSchema } from './target.js'

/**
 * `channelgroup.request.deactivateall`: fails on any ongoing interaction, forces Ready channels Not
 * Ready, then deactivates in list order. Its channel-options `data` is not shown, so any object passes.
 * @see https://openmethodsdev.atlassian.net/wiki/pages/viewpage.action?pageId=2505048081 — documented
 */
export const HarmonyChannelGroupRequestDeactivateAllCommandSchema = harmonyCommand(
  'channelgroup.request.deactivateall',
  HarmonyChannelGroupTargetSchema,
  HarmonyOpenDataSchema.nullish(),
)
export type HarmonyChannelGroupRequestDeactivateAllCommand = z.infer<
  typeof HarmonyChannelGroupRequestDeactivateAllCommandSchema
>
