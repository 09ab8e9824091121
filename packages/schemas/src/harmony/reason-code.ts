import { z } from 'zod'
import { HarmonyReasonLabelSchema } from './reason-label.js'

/**
 * One not-ready reason code of `session.externalnotreadyreasons.updated`.
 * @see seeds/001_6a59e76a77c67195.txt (session.externalnotreadyreasons.updated) — documented
 */
export const HarmonyReasonCodeSchema = z.object({
  reasonCodeId: z.string(),
  reasonCodeCode: z.string(),
  selectable: z.boolean(),
  /** Always `[]` in the document; what goes in it is not said. */
  extensions: z.array(z.unknown()),
  labels: z.array(HarmonyReasonLabelSchema),
})
export type HarmonyReasonCode = z.infer<typeof HarmonyReasonCodeSchema>
