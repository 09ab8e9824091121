import { z } from 'zod'
import { harmonyCommand } from './envelope.js'
import { HarmonyInteractionTargetSchema } from './target.js'

/**
 * `interaction.consult` (Telephony): dials a consult call from the connected interaction; the
 * original party is held and a `consult` conversation appears. The client-side name is inferred
 * from the bridge's `interaction.request.consult`; its `destination` follows `channel.dial`.
 * @see https://openmethodsdev.atlassian.net/wiki/spaces/HAR/pages/2445475916/Telephony+Interaction+Destination+Messages — inferred
 */
export const HarmonyInteractionConsultCommandSchema = harmonyCommand(
  'interaction.consult',
  HarmonyInteractionTargetSchema,
  z.object({
    /** An extension, an agent id from the address book, or a number. */
    destination: z.string().min(1),
  }),
)
export type HarmonyInteractionConsultCommand = z.infer<
  typeof HarmonyInteractionConsultCommandSchema
>
