import { z } from 'zod'
import { harmonyCommand, HarmonyOpenDataSchema } from './envelope.js'
import { HarmonyChannelGroupTargetSchema, HarmonyChannelTargetSchema } from './target.js'

/**
 * `channelgroup.request.activate` (MediaBar "Activate Channel" use case): activates one channel of
 * a group. Whether it targets the group or the channel, and its channel-options `data`, are not
 * shown: both target forms and any object pass.
 * @see https://openmethodsdev.atlassian.net/wiki/x/AQBclQ — documented
 */
export const HarmonyChannelGroupRequestActivateCommandSchema = harmonyCommand(
  'channelgroup.request.activate',
  z.union([HarmonyChannelGroupTargetSchema, HarmonyChannelTargetSchema]),
  HarmonyOpenDataSchema.nullish(),
)
export type HarmonyChannelGroupRequestActivateCommand = z.infer<
  typeof HarmonyChannelGroupRequestActivateCommandSchema
>
