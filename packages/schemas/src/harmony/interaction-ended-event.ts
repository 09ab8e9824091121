import type { z } from 'zod'
import { harmonyEvent, HarmonyOpenDataSchema } from './envelope.js'
import { HarmonyInteractionTargetSchema } from './target.js'

/**
 * `interaction.ended`: the interaction finished for this agent. Its `data` is not shown, so any object passes.
 * @see https://openmethodsdev.atlassian.net/wiki/pages/diffpages.action?originalId=2446098531&pageId=2446065799 — documented
 */
export const HarmonyInteractionEndedEventSchema = harmonyEvent(
  'interaction.ended',
  HarmonyInteractionTargetSchema,
  HarmonyOpenDataSchema,
)
export type HarmonyInteractionEndedEvent = z.infer<typeof HarmonyInteractionEndedEventSchema>
