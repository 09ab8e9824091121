import type { z } from 'zod'
import { harmonyEvent, HarmonyOpenDataSchema } from './envelope.js'
import { HarmonyInteractionTargetSchema } from './target.js'

/**
 * `interaction.focuschanged`: focus moved between calls of an interaction (e.g. during a consult transfer). Its `data` is not shown, so any object passes.
 * @see https://openmethodsdev.atlassian.net/wiki/pages/diffpages.action?originalId=2446098531&pageId=2446065799 — documented
 */
export const HarmonyInteractionFocusChangedEventSchema = harmonyEvent(
  'interaction.focuschanged',
  HarmonyInteractionTargetSchema,
  HarmonyOpenDataSchema,
)
export type HarmonyInteractionFocusChangedEvent = z.infer<
  typeof HarmonyInteractionFocusChangedEventSchema
>
