import { z } from 'zod'
import { tolerantOnly } from '../internal/modes.js'
import { HarmonyChannelActivateOptionsSchema } from './channel-activate-options.js'

/**
 * The `data` of `channel.activate` (echoed by its success response). The document spells the key
 * `channeloptions` here but `channelOptions` for `channel.deactivate`; the other spelling is
 * accepted in tolerant mode.
 * @see seeds/001_6a59e76a77c67195.txt (channel.activate) — documented
 */
export const HarmonyChannelActivateDataSchema = z.object({
  channeloptions: HarmonyChannelActivateOptionsSchema.nullish(),
  channelOptions: tolerantOnly(HarmonyChannelActivateOptionsSchema.nullish()),
})
export type HarmonyChannelActivateData = z.infer<typeof HarmonyChannelActivateDataSchema>
