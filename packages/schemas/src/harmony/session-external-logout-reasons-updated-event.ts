import { z } from 'zod'
import { HarmonyLogoutReasonSchema } from './logout-reason.js'
import { harmonyEvent } from './envelope.js'
import { HarmonySessionTargetSchema } from './target.js'

/**
 * `session.externallogoutreasons.updated`: the list of logout reasons, in answer to `session.request.externallogoutreasons`.
 * @see seeds/001_6a59e76a77c67195.txt (session.externallogoutreasons.updated) — documented
 */
export const HarmonySessionExternalLogoutReasonsUpdatedEventSchema = harmonyEvent(
  'session.externallogoutreasons.updated',
  HarmonySessionTargetSchema,
  z.object({ logoutReasons: z.array(HarmonyLogoutReasonSchema) }),
)
export type HarmonySessionExternalLogoutReasonsUpdatedEvent = z.infer<
  typeof HarmonySessionExternalLogoutReasonsUpdatedEventSchema
>
