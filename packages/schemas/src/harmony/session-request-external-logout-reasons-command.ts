import type { z } from 'zod'
import { harmonyCommand, HarmonyOpenDataSchema } from './envelope.js'
import { HarmonySessionTargetSchema } from './target.js'

/**
 * `session.request.externallogoutreasons`: asks for the logout reason list, answered by the
 * `session.externallogoutreasons.updated` event. Its `data` is not shown, so any object passes.
 * @see seeds/001_6a59e76a77c67195.txt (session.externallogoutreasons.updated) — documented
 */
export const HarmonySessionRequestExternalLogoutReasonsCommandSchema = harmonyCommand(
  'session.request.externallogoutreasons',
  HarmonySessionTargetSchema,
  HarmonyOpenDataSchema.nullish(),
)
export type HarmonySessionRequestExternalLogoutReasonsCommand = z.infer<
  typeof HarmonySessionRequestExternalLogoutReasonsCommandSchema
>
