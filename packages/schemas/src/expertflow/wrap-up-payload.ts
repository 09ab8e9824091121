import { z } from 'zod'
import { tolerantOnly } from '../internal/modes.js'

/**
 * `wrapUp` (client → server): the agent submits wrap-up text after the conversation. The seed's
 * JSON is broken (`{"conversationId": …}, "wrapup": …`) and its prose says "conversation object
 * containing conversationId", so both readings pass: the flat `conversationId` (as every other
 * command sends it) and, tolerant only, `conversation: {conversationId}`. Which one is present
 * cannot be required without a refinement, so both are optional.
 * @see seeds/003_1d4ee430392b9662.txt §wrapUp — documented
 */
export const WrapUpPayloadSchema = z.object({
  conversationId: z.string().nullish(),
  conversation: tolerantOnly(z.object({ conversationId: z.string() }).nullish()),
  wrapup: z.string(),
})
export type WrapUpPayload = z.infer<typeof WrapUpPayloadSchema>
