import { z } from 'zod'
import { HarmonyOpenDataSchema } from './envelope.js'
import { harmonyBridgeMessage } from './bridge-header.js'

/**
 * Any Processor Bridge request (bridge → CTI plug-in), e.g. `channel.request.dial`. The body is not specified in general, so any object (or none) passes.
 * @see https://openmethodsdev.atlassian.net/wiki/spaces/HAR/pages/2445869057/Processor+Bridge — documented
 */
export const HarmonyBridgeRequestSchema = harmonyBridgeMessage(
  'cti.request',
  z.string().min(1),
  HarmonyOpenDataSchema.nullish(),
)
export type HarmonyBridgeRequest = z.infer<typeof HarmonyBridgeRequestSchema>
