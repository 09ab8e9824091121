import { z } from 'zod'
import { harmonySuccessResponse } from './envelope.js'
import { HarmonyInteractionTargetSchema } from './target.js'

/**
 * The success response of `interaction.request.recording.stop`, echoing the request `data` (`{}`). The document shows `command` with a leading space, accepted in tolerant mode.
 * @see https://openmethodsdev.atlassian.net/wiki/pages/diffpages.action?originalId=2446065799&pageId=2445607196 — documented
 */
export const HarmonyInteractionRequestRecordingStopResponseSchema = harmonySuccessResponse(
  'interaction.request.recording.stop',
  HarmonyInteractionTargetSchema,
  z.object({}),
)
export type HarmonyInteractionRequestRecordingStopResponse = z.infer<
  typeof HarmonyInteractionRequestRecordingStopResponseSchema
>
