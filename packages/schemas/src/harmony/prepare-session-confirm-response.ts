import { z } from 'zod'
import { HarmonyPrepareSessionRequestSchema } from './prepare-session-request.js'

/**
 * The `prepareSession` confirmation response (`result: "confirm"`): the agent already has a
 * session and the client must ask the user before resending with `override: true`.
 * @see https://openmethodsdev.atlassian.net/wiki/pages/diffpages.action?originalId=2446000216&pageId=2445803535 — documented
 */
export const HarmonyPrepareSessionConfirmResponseSchema = z.object({
  command: z.literal('prepareSession'),
  result: z.literal('confirm'),
  /** Text of the prompt to show the user. */
  message: z.string(),
  original: HarmonyPrepareSessionRequestSchema,
})
export type HarmonyPrepareSessionConfirmResponse = z.infer<
  typeof HarmonyPrepareSessionConfirmResponseSchema
>
