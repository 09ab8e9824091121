import { z } from 'zod'
import { HarmonyOpenDataSchema } from './envelope.js'
import { harmonyBridgeResponse } from './bridge-header.js'

/**
 * Any Processor Bridge response (CTI plug-in → bridge), `result` SUCCESS or FAILURE. The body is
 * not specified in general, so any object (or none) passes.
 * @see https://openmethodsdev.atlassian.net/wiki/spaces/HAR/pages/2445869057/Processor+Bridge — documented
 */
export const HarmonyBridgeResponseSchema = harmonyBridgeResponse(
  z.string().min(1),
  HarmonyOpenDataSchema.nullish(),
)
export type HarmonyBridgeResponse = z.infer<typeof HarmonyBridgeResponseSchema>
