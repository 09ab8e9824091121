import { z } from 'zod'
import { harmonyCommand } from './envelope.js'
import { HarmonyConversationTargetSchema } from './target.js'

/**
 * `conversation.answer` (Telephony): answers the ringing (ALERTING) call leg. The client-side name is not published: the bridge's conversation destination lists "answer" among its features, and the command follows the `<object>.<verb>` form of `interaction.consulttransfer`.
 * @see https://openmethodsdev.atlassian.net/wiki/pages/viewpage.action?pageId=2445901925 — inferred
 */
export const HarmonyConversationAnswerCommandSchema = harmonyCommand(
  'conversation.answer',
  HarmonyConversationTargetSchema,
  z.object({}),
)
export type HarmonyConversationAnswerCommand = z.infer<
  typeof HarmonyConversationAnswerCommandSchema
>
