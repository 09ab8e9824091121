import type { z } from 'zod'
import { harmonyCommand, HarmonyOpenDataSchema } from './envelope.js'
import { HarmonySessionTargetSchema } from './target.js'

/**
 * `session.request.externalnotreadyreasons`: asks for the not-ready reason list, answered by the
 * `session.externalnotreadyreasons.updated` event. Its `data` is not shown, so any object passes.
 * @see seeds/001_6a59e76a77c67195.txt (session.externalnotreadyreasons.updated) — documented
 */
export const HarmonySessionRequestExternalNotReadyReasonsCommandSchema = harmonyCommand(
  'session.request.externalnotreadyreasons',
  HarmonySessionTargetSchema,
  HarmonyOpenDataSchema.nullish(),
)
export type HarmonySessionRequestExternalNotReadyReasonsCommand = z.infer<
  typeof HarmonySessionRequestExternalNotReadyReasonsCommandSchema
>
