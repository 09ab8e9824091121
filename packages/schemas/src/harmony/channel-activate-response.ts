import type { z } from 'zod'
import { HarmonyChannelActivateDataSchema } from './channel-activate-data.js'
import { harmonySuccessResponse } from './envelope.js'
import { HarmonyChannelTargetSchema } from './target.js'

/**
 * The success response of `channel.activate`, echoing the request `data`.
 * @see seeds/001_6a59e76a77c67195.txt (channel.activate, Success Response) — documented
 */
export const HarmonyChannelActivateResponseSchema = harmonySuccessResponse(
  'channel.activate',
  HarmonyChannelTargetSchema,
  HarmonyChannelActivateDataSchema,
)
export type HarmonyChannelActivateResponse = z.infer<typeof HarmonyChannelActivateResponseSchema>
