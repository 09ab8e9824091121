import type { z } from 'zod'
import { harmonyEvent, HarmonyOpenDataSchema } from './envelope.js'
import { HarmonyConversationTargetSchema } from './target.js'

/**
 * `conversation.disposed`: a call leg was removed. Its `data` is not shown, so any object passes.
 * @see https://openmethodsdev.atlassian.net/wiki/pages/diffpages.action?originalId=2446098531&pageId=2446065799 — documented
 */
export const HarmonyConversationDisposedEventSchema = harmonyEvent(
  'conversation.disposed',
  HarmonyConversationTargetSchema,
  HarmonyOpenDataSchema,
)
export type HarmonyConversationDisposedEvent = z.infer<
  typeof HarmonyConversationDisposedEventSchema
>
