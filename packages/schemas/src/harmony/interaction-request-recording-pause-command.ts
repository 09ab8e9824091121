import { z } from 'zod'
import { harmonyCommand } from './envelope.js'
import { HarmonyInteractionTargetSchema } from './target.js'

/**
 * `interaction.request.recording.pause` (Telephony only): pauses call recording; platforms without pause answer an "unsupported" failure.
 * @see https://openmethodsdev.atlassian.net/wiki/pages/diffpages.action?originalId=2446065799&pageId=2445607196 — documented
 */
export const HarmonyInteractionRequestRecordingPauseCommandSchema = harmonyCommand(
  'interaction.request.recording.pause',
  HarmonyInteractionTargetSchema,
  z.object({}),
)
export type HarmonyInteractionRequestRecordingPauseCommand = z.infer<
  typeof HarmonyInteractionRequestRecordingPauseCommandSchema
>
