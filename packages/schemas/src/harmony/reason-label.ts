import { z } from 'zod'

/**
 * One localized label of a not-ready or logout reason.
 * @see seeds/001_6a59e76a77c67195.txt (session.externalnotreadyreasons.updated) — documented
 */
export const HarmonyReasonLabelSchema = z.object({
  language: z.string(),
  country: z.string(),
  name: z.string(),
  description: z.string(),
})
export type HarmonyReasonLabel = z.infer<typeof HarmonyReasonLabelSchema>
