import { z } from 'zod'
import { harmonySuccessResponse } from './envelope.js'
import { HarmonyChannelTargetSchema } from './target.js'

/**
 * The success response of `channel.ready`, echoing the request `data` (`{}`).
 * @see seeds/001_6a59e76a77c67195.txt (channel.ready, Success Response) — documented
 */
export const HarmonyChannelReadyResponseSchema = harmonySuccessResponse(
  'channel.ready',
  HarmonyChannelTargetSchema,
  z.object({}),
)
export type HarmonyChannelReadyResponse = z.infer<typeof HarmonyChannelReadyResponseSchema>
