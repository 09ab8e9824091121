import type { z } from 'zod'
import { HarmonyChannelDeactivateDataSchema } from './channel-deactivate-data.js'
import { harmonySuccessResponse } from './envelope.js'
import { HarmonyChannelTargetSchema } from './target.js'

/**
 * The success response of `channel.deactivate`, echoing the request `data`.
 * @see seeds/001_6a59e76a77c67195.txt (channel.deactivate, Success Response) — documented
 */
export const HarmonyChannelDeactivateResponseSchema = harmonySuccessResponse(
  'channel.deactivate',
  HarmonyChannelTargetSchema,
  HarmonyChannelDeactivateDataSchema,
)
export type HarmonyChannelDeactivateResponse = z.infer<
  typeof HarmonyChannelDeactivateResponseSchema
>
