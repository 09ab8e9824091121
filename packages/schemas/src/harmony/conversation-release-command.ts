import { z } from 'zod'
import { harmonyCommand } from './envelope.js'
import { HarmonyConversationTargetSchema } from './target.js'

/**
 * `conversation.release` (Telephony): hangs the call leg up. Name inferred from the bridge's conversation features (release).
 * @see https://openmethodsdev.atlassian.net/wiki/pages/viewpage.action?pageId=2445901925 — inferred
 */
export const HarmonyConversationReleaseCommandSchema = harmonyCommand(
  'conversation.release',
  HarmonyConversationTargetSchema,
  z.object({}),
)
export type HarmonyConversationReleaseCommand = z.infer<
  typeof HarmonyConversationReleaseCommandSchema
>
