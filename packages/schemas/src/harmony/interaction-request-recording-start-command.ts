import { z } from 'zod'
import { harmonyCommand } from './envelope.js'
import { HarmonyInteractionTargetSchema } from './target.js'

/**
 * `interaction.request.recording.start`: starts call recording. Name inferred from the documented stop/pause pair.
 * @see reference/harmony-and-expertflow.md §1.5.4 — inferred
 */
export const HarmonyInteractionRequestRecordingStartCommandSchema = harmonyCommand(
  'interaction.request.recording.start',
  HarmonyInteractionTargetSchema,
  z.object({}),
)
export type HarmonyInteractionRequestRecordingStartCommand = z.infer<
  typeof HarmonyInteractionRequestRecordingStartCommandSchema
>
