import { z } from 'zod'
import { harmonyCommand } from './envelope.js'
import { HarmonyInteractionTargetSchema } from './target.js'

/**
 * `interaction.request.recording.resume`: resumes paused call recording. Name inferred from the documented stop/pause pair.
 * @see reference/harmony-and-expertflow.md §1.5.4 — inferred
 */
export const HarmonyInteractionRequestRecordingResumeCommandSchema = harmonyCommand(
  'interaction.request.recording.resume',
  HarmonyInteractionTargetSchema,
  z.object({}),
)
export type HarmonyInteractionRequestRecordingResumeCommand = z.infer<
  typeof HarmonyInteractionRequestRecordingResumeCommandSchema
>
