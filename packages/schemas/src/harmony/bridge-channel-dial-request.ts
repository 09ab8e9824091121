import { z } from 'zod'
import { harmonyBridgeMessage } from './bridge-header.js'

/**
 * The `channel.request.dial` bridge request on a telephony channel: dial an extension or DID; it
 * must result in a new interaction on the channel.
 * @see https://openmethodsdev.atlassian.net/wiki/pages/viewpage.action?pageId=2446098802 — documented
 */
export const HarmonyBridgeChannelDialRequestSchema = harmonyBridgeMessage(
  'cti.request',
  z.literal('channel.request.dial'),
  z.object({ destination: z.string().min(1) }),
)
export type HarmonyBridgeChannelDialRequest = z.infer<typeof HarmonyBridgeChannelDialRequestSchema>
