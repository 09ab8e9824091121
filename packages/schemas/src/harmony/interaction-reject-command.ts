import { z } from 'zod'
import { harmonyCommand } from './envelope.js'
import { HarmonyInteractionTargetSchema } from './target.js'

/**
 * `interaction.reject`: turns an offered (ALERTING) interaction down. Name inferred from the bridge's generic interaction features (accept/reject).
 * @see https://openmethodsdev.atlassian.net/wiki/x/XoDIkQ — inferred
 */
export const HarmonyInteractionRejectCommandSchema = harmonyCommand(
  'interaction.reject',
  HarmonyInteractionTargetSchema,
  z.object({}),
)
export type HarmonyInteractionRejectCommand = z.infer<typeof HarmonyInteractionRejectCommandSchema>
