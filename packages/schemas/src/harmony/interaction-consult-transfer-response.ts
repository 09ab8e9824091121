import { z } from 'zod'
import { harmonySuccessResponse } from './envelope.js'
import { HarmonyInteractionTargetSchema } from './target.js'

/**
 * The success response of `interaction.consulttransfer`, echoing the request `data` (`{}`).
 * @see https://openmethodsdev.atlassian.net/wiki/pages/diffpages.action?originalId=2446098531&pageId=2446065799 — documented
 */
export const HarmonyInteractionConsultTransferResponseSchema = harmonySuccessResponse(
  'interaction.consulttransfer',
  HarmonyInteractionTargetSchema,
  z.object({}),
)
export type HarmonyInteractionConsultTransferResponse = z.infer<
  typeof HarmonyInteractionConsultTransferResponseSchema
>
