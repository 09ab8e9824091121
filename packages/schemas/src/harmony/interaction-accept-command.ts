import { z } from 'zod'
import { harmonyCommand } from './envelope.js'
import { HarmonyInteractionTargetSchema } from './target.js'

/**
 * `interaction.accept`: accepts an offered (ALERTING) interaction, any media. Name inferred from the bridge's generic interaction features (accept/reject).
 * @see https://openmethodsdev.atlassian.net/wiki/x/XoDIkQ — inferred
 */
export const HarmonyInteractionAcceptCommandSchema = harmonyCommand(
  'interaction.accept',
  HarmonyInteractionTargetSchema,
  z.object({}),
)
export type HarmonyInteractionAcceptCommand = z.infer<typeof HarmonyInteractionAcceptCommandSchema>
