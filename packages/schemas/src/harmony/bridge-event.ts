import { z } from 'zod'
import { HarmonyOpenDataSchema } from './envelope.js'
import { harmonyBridgeMessage } from './bridge-header.js'

/**
 * Any Processor Bridge event (CTI plug-in → bridge), raised only after the destination answered its init query. The body is not specified in general, so any object (or none) passes.
 * @see https://openmethodsdev.atlassian.net/wiki/spaces/HAR/pages/2445869057/Processor+Bridge — documented
 */
export const HarmonyBridgeEventSchema = harmonyBridgeMessage(
  'cti.event',
  z.string().min(1),
  HarmonyOpenDataSchema.nullish(),
)
export type HarmonyBridgeEvent = z.infer<typeof HarmonyBridgeEventSchema>
