import { z } from 'zod'
import { harmonyBridgeResponse } from './bridge-header.js'

/**
 * The plug-in's answer to `channelgroup.query.init`: the group's member channels (the array is
 * always present, possibly empty).
 * @see https://openmethodsdev.atlassian.net/wiki/pages/viewpage.action?pageId=2445574231 — documented
 */
export const HarmonyBridgeChannelGroupInitResponseSchema = harmonyBridgeResponse(
  z.literal('channelgroup.query.init'),
  z.object({
    channels: z.array(
      z.object({
        'end-point': z.string(),
        type: z.string(),
      }),
    ),
  }),
)
export type HarmonyBridgeChannelGroupInitResponse = z.infer<
  typeof HarmonyBridgeChannelGroupInitResponseSchema
>
