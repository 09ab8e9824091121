import type { z } from 'zod'
import { HarmonyChannelNotReadyDataSchema } from './channel-not-ready-data.js'
import { harmonySuccessResponse } from './envelope.js'
import { HarmonyChannelTargetSchema } from './target.js'

/**
 * The success response of `channel.notready`, echoing the request `data`.
 * @see seeds/001_6a59e76a77c67195.txt (channel.notready, Success Response) — documented
 */
export const HarmonyChannelNotReadyResponseSchema = harmonySuccessResponse(
  'channel.notready',
  HarmonyChannelTargetSchema,
  HarmonyChannelNotReadyDataSchema,
)
export type HarmonyChannelNotReadyResponse = z.infer<typeof HarmonyChannelNotReadyResponseSchema>
