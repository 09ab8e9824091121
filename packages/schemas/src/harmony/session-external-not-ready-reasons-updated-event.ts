import { z } from 'zod'
import { HarmonyReasonCodeSchema } from './reason-code.js'
import { harmonyEvent } from './envelope.js'
import { HarmonySessionTargetSchema } from './target.js'

/**
 * `session.externalnotreadyreasons.updated`: the list of not-ready reason codes, in answer to `session.request.externalnotreadyreasons`.
 * @see seeds/001_6a59e76a77c67195.txt (session.externalnotreadyreasons.updated) — documented
 */
export const HarmonySessionExternalNotReadyReasonsUpdatedEventSchema = harmonyEvent(
  'session.externalnotreadyreasons.updated',
  HarmonySessionTargetSchema,
  z.object({ reasonCodes: z.array(HarmonyReasonCodeSchema) }),
)
export type HarmonySessionExternalNotReadyReasonsUpdatedEvent = z.infer<
  typeof HarmonySessionExternalNotReadyReasonsUpdatedEventSchema
>
