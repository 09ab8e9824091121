import { z } from 'zod'
import { HarmonyFailureSchema } from './failure.js'
import { HarmonyPrepareSessionRequestSchema } from './prepare-session-request.js'
import { HarmonySessionTargetSchema } from './target.js'

/**
 * The `prepareSession` success response: the new session resource's id, which is the `<session-id>`
 * every later target starts with. The document says the response carries the resource id but does
 * not show it: the shape follows the Session Resource success response (`result: "success"`, `data`).
 * @see https://openmethodsdev.atlassian.net/wiki/spaces/HAR/pages/2445803535/Interaction+Processor+Service — inferred
 */
export const HarmonyPrepareSessionResponseSchema = z.object({
  command: z.literal('prepareSession'),
  result: z.literal('success'),
  data: z.object({ id: HarmonySessionTargetSchema }),
})
export type HarmonyPrepareSessionResponse = z.infer<typeof HarmonyPrepareSessionResponseSchema>

/**
 * The `prepareSession` failure response (bad credentials, an unknown agent, a malformed request):
 * the Session Resource failure shape without a `target`, the request echoed in `original` (any
 * object: a malformed request is echoed as it came).
 * @see https://openmethodsdev.atlassian.net/wiki/spaces/HAR/pages/2445803535/Interaction+Processor+Service — inferred
 */
export const HarmonyPrepareSessionFailureResponseSchema = z.object({
  command: z.literal('prepareSession'),
  result: z.literal('failure'),
  failure: HarmonyFailureSchema,
  original: z.union([HarmonyPrepareSessionRequestSchema, z.record(z.string(), z.unknown())]),
})
export type HarmonyPrepareSessionFailureResponse = z.infer<
  typeof HarmonyPrepareSessionFailureResponseSchema
>
