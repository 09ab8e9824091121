import { z } from 'zod'
import { HarmonyOpenDataSchema } from './envelope.js'
import { harmonyBridgeMessage } from './bridge-header.js'

/**
 * The `interaction.query.init` bridge query: sent once a destination is set up; the plug-in must answer before
 * raising any event on it. Its body is not shown, so any object (or none) passes.
 * @see https://openmethodsdev.atlassian.net/wiki/x/XoDIkQ — documented
 */
export const HarmonyBridgeInteractionInitQuerySchema = harmonyBridgeMessage(
  'cti.query',
  z.literal('interaction.query.init'),
  HarmonyOpenDataSchema.nullish(),
)
export type HarmonyBridgeInteractionInitQuery = z.infer<
  typeof HarmonyBridgeInteractionInitQuerySchema
>
