import { z } from 'zod'
import { harmonyBridgeMessage } from './bridge-header.js'

/**
 * The `interaction.request.consult` bridge request on a telephony interaction: dial a consult call.
 * The body key `destination` is inferred from `channel.request.dial`.
 * @see https://openmethodsdev.atlassian.net/wiki/spaces/HAR/pages/2445475916/Telephony+Interaction+Destination+Messages — inferred
 */
export const HarmonyBridgeInteractionConsultRequestSchema = harmonyBridgeMessage(
  'cti.request',
  z.literal('interaction.request.consult'),
  z.object({ destination: z.string().min(1) }),
)
export type HarmonyBridgeInteractionConsultRequest = z.infer<
  typeof HarmonyBridgeInteractionConsultRequestSchema
>
