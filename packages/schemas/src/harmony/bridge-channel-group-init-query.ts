import { z } from 'zod'
import { HarmonyOpenDataSchema } from './envelope.js'
import { harmonyBridgeMessage } from './bridge-header.js'

/**
 * The `channelgroup.query.init` bridge query: sent once a destination is set up; the plug-in must answer before
 * raising any event on it. Its body is not shown, so any object (or none) passes.
 * @see https://openmethodsdev.atlassian.net/wiki/pages/viewpage.action?pageId=2445574231 — documented
 */
export const HarmonyBridgeChannelGroupInitQuerySchema = harmonyBridgeMessage(
  'cti.query',
  z.literal('channelgroup.query.init'),
  HarmonyOpenDataSchema.nullish(),
)
export type HarmonyBridgeChannelGroupInitQuery = z.infer<
  typeof HarmonyBridgeChannelGroupInitQuerySchema
>
