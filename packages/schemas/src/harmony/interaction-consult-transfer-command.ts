import { z } from 'zod'
import { harmonyCommand } from './envelope.js'
import { HarmonyInteractionTargetSchema } from './target.js'

/**
 * `interaction.consulttransfer` (Telephony): transfers the original party to the connected consult party; fails without a connected consult call.
 * @see https://openmethodsdev.atlassian.net/wiki/pages/diffpages.action?originalId=2446098531&pageId=2446065799 — documented
 */
export const HarmonyInteractionConsultTransferCommandSchema = harmonyCommand(
  'interaction.consulttransfer',
  HarmonyInteractionTargetSchema,
  z.object({}),
)
export type HarmonyInteractionConsultTransferCommand = z.infer<
  typeof HarmonyInteractionConsultTransferCommandSchema
>
