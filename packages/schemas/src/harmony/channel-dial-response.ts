import type { z } from 'zod'
import { HarmonyChannelDialDataSchema } from './channel-dial-data.js'
import { harmonySuccessResponse } from './envelope.js'
import { HarmonyChannelTargetSchema } from './target.js'

/**
 * The success response of `channel.dial`, echoing the request `data`.
 * @see https://openmethodsdev.atlassian.net/wiki/pages/diffpages.action?originalId=2463793475&pageId=2469167161 — documented
 */
export const HarmonyChannelDialResponseSchema = harmonySuccessResponse(
  'channel.dial',
  HarmonyChannelTargetSchema,
  HarmonyChannelDialDataSchema,
)
export type HarmonyChannelDialResponse = z.infer<typeof HarmonyChannelDialResponseSchema>
