import { z } from 'zod'
import { harmonyCommand } from './envelope.js'
import { HarmonyConversationTargetSchema } from './target.js'

/**
 * `conversation.retrieve` (Telephony): takes the held call leg off hold. Name inferred from the bridge's conversation features (hold/retrieve).
 * @see https://openmethodsdev.atlassian.net/wiki/pages/viewpage.action?pageId=2445901925 — inferred
 */
export const HarmonyConversationRetrieveCommandSchema = harmonyCommand(
  'conversation.retrieve',
  HarmonyConversationTargetSchema,
  z.object({}),
)
export type HarmonyConversationRetrieveCommand = z.infer<
  typeof HarmonyConversationRetrieveCommandSchema
>
