import type { z } from 'zod'
import { harmonyEvent, HarmonyOpenDataSchema } from './envelope.js'
import { HarmonyConversationTargetSchema } from './target.js'

/**
 * `conversation.created`: a new call leg exists on the interaction (listed among the secondary events of `channel.dial`). Its `data` is not shown, so any object passes.
 * @see https://openmethodsdev.atlassian.net/wiki/pages/diffpages.action?originalId=2463793475&pageId=2469167161 — documented
 */
export const HarmonyConversationCreatedEventSchema = harmonyEvent(
  'conversation.created',
  HarmonyConversationTargetSchema,
  HarmonyOpenDataSchema,
)
export type HarmonyConversationCreatedEvent = z.infer<typeof HarmonyConversationCreatedEventSchema>
