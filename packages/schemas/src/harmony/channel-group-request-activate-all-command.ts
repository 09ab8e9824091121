import type { z } from 'zod'
import { harmonyCommand, HarmonyOpenDataSchema } from './envelope.js'
import { HarmonyChannelGroupTargetSchema } from './target.js'

/**
 * `channelgroup.request.activateall`: activates the group's channels in list order, stopping at the
 * first failure. Its channel-options `data` is not shown, so any object passes.
 * @see https://openmethodsdev.atlassian.net/wiki/pages/viewpage.action?pageId=2505048065 — documented
 */
export const HarmonyChannelGroupRequestActivateAllCommandSchema = harmonyCommand(
  'channelgroup.request.activateall',
  HarmonyChannelGroupTargetSchema,
  HarmonyOpenDataSchema.nullish(),
)
export type HarmonyChannelGroupRequestActivateAllCommand = z.infer<
  typeof HarmonyChannelGroupRequestActivateAllCommandSchema
>
