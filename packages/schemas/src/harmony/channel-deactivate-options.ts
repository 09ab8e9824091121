import { z } from 'zod'

/**
 * The channel options of `channel.deactivate` (`data.channelOptions`, capital `O` in the document).
 * @see seeds/001_6a59e76a77c67195.txt (channel.deactivate) — documented
 */
export const HarmonyChannelDeactivateOptionsSchema = z.object({
  /** "optional list of queues that are being deactivated": a string, its list syntax unstated. */
  queue: z.string().nullish(),
  /** "optional numerical code for logout reason", carried as a string. */
  reason: z.string().nullish(),
})
export type HarmonyChannelDeactivateOptions = z.infer<typeof HarmonyChannelDeactivateOptionsSchema>
