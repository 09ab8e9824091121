import { z } from 'zod'
import { HarmonyOpenDataSchema } from './envelope.js'
import { harmonyBridgeMessage } from './bridge-header.js'

/**
 * The `conversation.query.init` bridge query: sent once a destination is set up; the plug-in must answer before
 * raising any event on it. Its body is not shown, so any object (or none) passes.
 * @see https://openmethodsdev.atlassian.net/wiki/pages/viewpage.action?pageId=2445901925 — documented
 */
export const HarmonyBridgeConversationInitQuerySchema = harmonyBridgeMessage(
  'cti.query',
  z.literal('conversation.query.init'),
  HarmonyOpenDataSchema.nullish(),
)
export type HarmonyBridgeConversationInitQuery = z.infer<
  typeof HarmonyBridgeConversationInitQuerySchema
>
