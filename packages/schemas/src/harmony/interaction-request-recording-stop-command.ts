import { z } from 'zod'
import { harmonyCommand } from './envelope.js'
import { HarmonyInteractionTargetSchema } from './target.js'

/**
 * `interaction.request.recording.stop` (Telephony only): stops call recording; succeeds if it is already stopped.
 * @see https://openmethodsdev.atlassian.net/wiki/pages/diffpages.action?originalId=2446065799&pageId=2445607196 — documented
 */
export const HarmonyInteractionRequestRecordingStopCommandSchema = harmonyCommand(
  'interaction.request.recording.stop',
  HarmonyInteractionTargetSchema,
  z.object({}),
)
export type HarmonyInteractionRequestRecordingStopCommand = z.infer<
  typeof HarmonyInteractionRequestRecordingStopCommandSchema
>
