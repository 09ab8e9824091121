import { z } from 'zod'

/**
 * The channel options of `channel.activate` (`data.channeloptions`, lowercase `o` in the document).
 * @see seeds/001_6a59e76a77c67195.txt (channel.activate) — documented
 */
export const HarmonyChannelActivateOptionsSchema = z.object({
  /** The queue to log into, where the CTI needs one. */
  queue: z.string().nullish(),
})
export type HarmonyChannelActivateOptions = z.infer<typeof HarmonyChannelActivateOptionsSchema>
