import { z } from 'zod'

/**
 * The `data` of `channel.notready` (echoed by its success response): `reasoncode` is required and
 * maps to the CTI's configuration; the special code `"acw"` enters After Call Work.
 * @see seeds/001_6a59e76a77c67195.txt (channel.notready) — documented
 */
export const HarmonyChannelNotReadyDataSchema = z.object({
  /** `"acw"` or a CTI-specific reason code. */
  reasoncode: z.string().min(1),
  /** Informational only. */
  reasondesc: z.string().nullish(),
})
export type HarmonyChannelNotReadyData = z.infer<typeof HarmonyChannelNotReadyDataSchema>
