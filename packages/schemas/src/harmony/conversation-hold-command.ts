import { z } from 'zod'
import { harmonyCommand } from './envelope.js'
import { HarmonyConversationTargetSchema } from './target.js'

/**
 * `conversation.hold` (Telephony): puts the connected call leg on hold. Name inferred from the bridge's conversation features (hold/retrieve).
 * @see https://openmethodsdev.atlassian.net/wiki/pages/viewpage.action?pageId=2445901925 — inferred
 */
export const HarmonyConversationHoldCommandSchema = harmonyCommand(
  'conversation.hold',
  HarmonyConversationTargetSchema,
  z.object({}),
)
export type HarmonyConversationHoldCommand = z.infer<typeof HarmonyConversationHoldCommandSchema>
