import { z } from 'zod'
import { HarmonyOpenDataSchema } from './envelope.js'
import { harmonyBridgeMessage } from './bridge-header.js'

/**
 * The `channel.query.init` bridge query: sent once a destination is set up; the plug-in must answer before
 * raising any event on it. Its body is not shown, so any object (or none) passes.
 * @see https://openmethodsdev.atlassian.net/wiki/pages/viewpage.action?pageId=2445869144 — documented
 */
export const HarmonyBridgeChannelInitQuerySchema = harmonyBridgeMessage(
  'cti.query',
  z.literal('channel.query.init'),
  HarmonyOpenDataSchema.nullish(),
)
export type HarmonyBridgeChannelInitQuery = z.infer<typeof HarmonyBridgeChannelInitQuerySchema>
