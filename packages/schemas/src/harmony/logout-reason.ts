import { z } from 'zod'
import { HarmonyReasonLabelSchema } from './reason-label.js'

/**
 * One logout reason of `session.externallogoutreasons.updated` (no `selectable`, unlike reason codes).
 * @see seeds/001_6a59e76a77c67195.txt (session.externallogoutreasons.updated) — documented
 */
export const HarmonyLogoutReasonSchema = z.object({
  logoutReasonId: z.string(),
  logoutReasonCode: z.string(),
  /** Always `[]` in the document; what goes in it is not said. */
  extensions: z.array(z.unknown()),
  labels: z.array(HarmonyReasonLabelSchema),
})
export type HarmonyLogoutReason = z.infer<typeof HarmonyLogoutReasonSchema>
