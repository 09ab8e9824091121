import { z } from 'zod'
import { harmonyBridgeResponse } from './bridge-header.js'
import { HarmonyBridgeInteractionStateSchema } from './bridge-interaction-state.js'

/**
 * The plug-in's answer to `interaction.query.init` for a telephony interaction: the generic body
 * plus `conversations`, always present; `primary` in ALERTING/DIALING/STARTED, `consult` only in
 * STARTED with an active consult call, empty in ENDED/COMPLETED.
 * @see https://openmethodsdev.atlassian.net/wiki/spaces/HAR/pages/2445475916/Telephony+Interaction+Destination+Messages — documented
 */
export const HarmonyBridgeTelephonyInteractionInitResponseSchema = harmonyBridgeResponse(
  z.literal('interaction.query.init'),
  z.object({
    'interaction-state': HarmonyBridgeInteractionStateSchema,
    'interaction-data': z.record(z.string(), z.unknown()),
    conversations: z.object({
      primary: z.object({ id: z.string() }).nullish(),
      consult: z.object({ id: z.string() }).nullish(),
    }),
  }),
)
export type HarmonyBridgeTelephonyInteractionInitResponse = z.infer<
  typeof HarmonyBridgeTelephonyInteractionInitResponseSchema
>
