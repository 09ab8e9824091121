import { z } from 'zod'
import { harmonyCommand } from './envelope.js'
import { HarmonyInteractionTargetSchema } from './target.js'

/**
 * `interaction.consultconference` (Telephony only): conferences the consult party into the original call; fails without a connected consult call.
 * @see https://openmethodsdev.atlassian.net/wiki/pages/diffpages.action?originalId=2446098531&pageId=2446065799 — documented
 */
export const HarmonyInteractionConsultConferenceCommandSchema = harmonyCommand(
  'interaction.consultconference',
  HarmonyInteractionTargetSchema,
  z.object({}),
)
export type HarmonyInteractionConsultConferenceCommand = z.infer<
  typeof HarmonyInteractionConsultConferenceCommandSchema
>
