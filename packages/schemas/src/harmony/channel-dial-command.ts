import type { z } from 'zod'
import { HarmonyChannelDialDataSchema } from './channel-dial-data.js'
import { harmonyCommand } from './envelope.js'
import { HarmonyChannelTargetSchema } from './target.js'

/**
 * `channel.dial`: places an outbound call on the channel (then `interaction.created`,
 * `conversation.created`, … per the document).
 * @see https://openmethodsdev.atlassian.net/wiki/pages/diffpages.action?originalId=2463793475&pageId=2469167161 — documented
 */
export const HarmonyChannelDialCommandSchema = harmonyCommand(
  'channel.dial',
  HarmonyChannelTargetSchema,
  HarmonyChannelDialDataSchema,
)
export type HarmonyChannelDialCommand = z.infer<typeof HarmonyChannelDialCommandSchema>
