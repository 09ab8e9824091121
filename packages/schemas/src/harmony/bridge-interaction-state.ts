import { z } from 'zod'

/**
 * The interaction states of the bridge: ALERTING/DIALING → STARTED → ENDED → COMPLETED.
 * @see https://openmethodsdev.atlassian.net/wiki/x/XoDIkQ — documented
 */
export const HarmonyBridgeInteractionStateSchema = z.enum([
  'ALERTING',
  'DIALING',
  'STARTED',
  'ENDED',
  'COMPLETED',
])
export type HarmonyBridgeInteractionState = z.infer<typeof HarmonyBridgeInteractionStateSchema>
