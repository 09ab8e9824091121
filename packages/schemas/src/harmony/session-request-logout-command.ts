import type { z } from 'zod'
import { harmonyCommand, HarmonyOpenDataSchema } from './envelope.js'
import { HarmonySessionTargetSchema } from './target.js'

/**
 * `session.request.logout`: logs the agent out (fails with an ongoing interaction; forces Not Ready,
 * deactivates, then disposes channels, groups and session). The logout-reason `data` the platform
 * may require is not shown, so any object passes.
 * @see https://openmethodsdev.atlassian.net/wiki/x/DgBslQ — documented
 */
export const HarmonySessionRequestLogoutCommandSchema = harmonyCommand(
  'session.request.logout',
  HarmonySessionTargetSchema,
  HarmonyOpenDataSchema.nullish(),
)
export type HarmonySessionRequestLogoutCommand = z.infer<
  typeof HarmonySessionRequestLogoutCommandSchema
>
