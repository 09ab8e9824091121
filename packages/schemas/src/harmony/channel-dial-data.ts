import { z } from 'zod'

/**
 * The `data` of `channel.dial` (echoed by its success response): the number to dial and
 * platform-specific extensions.
 * @see https://openmethodsdev.atlassian.net/wiki/pages/diffpages.action?originalId=2463793475&pageId=2469167161 — documented
 */
export const HarmonyChannelDialDataSchema = z.object({
  destination: z.string().min(1),
  extensions: z.record(z.string(), z.unknown()).nullish(),
})
export type HarmonyChannelDialData = z.infer<typeof HarmonyChannelDialDataSchema>
