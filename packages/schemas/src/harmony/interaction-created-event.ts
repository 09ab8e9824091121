import type { z } from 'zod'
import { harmonyEvent, HarmonyOpenDataSchema } from './envelope.js'
import { HarmonyInteractionTargetSchema } from './target.js'

/**
 * `interaction.created`: a new interaction exists on the channel (listed among the secondary events of `channel.dial`). Its `data` is not shown, so any object passes.
 * @see https://openmethodsdev.atlassian.net/wiki/pages/diffpages.action?originalId=2463793475&pageId=2469167161 — documented
 */
export const HarmonyInteractionCreatedEventSchema = harmonyEvent(
  'interaction.created',
  HarmonyInteractionTargetSchema,
  HarmonyOpenDataSchema,
)
export type HarmonyInteractionCreatedEvent = z.infer<typeof HarmonyInteractionCreatedEventSchema>
