import { z } from 'zod'
import { tolerantOnly } from '../internal/modes.js'
import { HarmonyChannelDeactivateOptionsSchema } from './channel-deactivate-options.js'

/**
 * The `data` of `channel.deactivate` (echoed by its success response). The document spells the key
 * `channelOptions` here but `channeloptions` for `channel.activate`; the other spelling is accepted
 * in tolerant mode.
 * @see seeds/001_6a59e76a77c67195.txt (channel.deactivate) — documented
 */
export const HarmonyChannelDeactivateDataSchema = z.object({
  channelOptions: HarmonyChannelDeactivateOptionsSchema.nullish(),
  channeloptions: tolerantOnly(HarmonyChannelDeactivateOptionsSchema.nullish()),
})
export type HarmonyChannelDeactivateData = z.infer<typeof HarmonyChannelDeactivateDataSchema>
