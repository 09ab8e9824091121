import { z } from 'zod'
import { HarmonyChannelDescriptorSchema } from './channel-descriptor.js'
import { harmonyEvent } from './envelope.js'
import { HarmonyChannelGroupTargetSchema, HarmonySessionTargetSchema } from './target.js'

/**
 * `channel.created`: a channel was created, standalone (session target) or in a group (`<session_id>.<channelgroup_id>` target).
 * @see seeds/001_6a59e76a77c67195.txt (channel.created) — documented
 */
export const HarmonyChannelCreatedEventSchema = harmonyEvent(
  'channel.created',
  z.union([HarmonySessionTargetSchema, HarmonyChannelGroupTargetSchema]),
  z.object({ channel: HarmonyChannelDescriptorSchema }),
)
export type HarmonyChannelCreatedEvent = z.infer<typeof HarmonyChannelCreatedEventSchema>
