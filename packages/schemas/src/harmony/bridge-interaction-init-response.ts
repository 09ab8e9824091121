import { z } from 'zod'
import { harmonyBridgeResponse } from './bridge-header.js'
import { HarmonyBridgeInteractionStateSchema } from './bridge-interaction-state.js'

/**
 * The plug-in's answer to `interaction.query.init` for a generic interaction: its state and its
 * nested key/value data.
 * @see https://openmethodsdev.atlassian.net/wiki/x/XoDIkQ — documented
 */
export const HarmonyBridgeInteractionInitResponseSchema = harmonyBridgeResponse(
  z.literal('interaction.query.init'),
  z.object({
    'interaction-state': HarmonyBridgeInteractionStateSchema,
    'interaction-data': z.record(z.string(), z.unknown()),
  }),
)
export type HarmonyBridgeInteractionInitResponse = z.infer<
  typeof HarmonyBridgeInteractionInitResponseSchema
>
