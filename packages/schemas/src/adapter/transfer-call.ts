import { z } from 'zod'
import { IntegerIdSchema } from '../common/primitives.js'
import { transferFieldsShape } from './transfer-fields.js'

/**
 * `Transfer_Call`: a call was transferred. The "Transfer" section covers calls and chats
 * ("`chat_id` or `call_id`") but only shows `Transfer_Chat`; the call `type` string is our inference.
 *
 * @see seeds/000_2170762ce078838e.txt, Agent adapters › Event types › Transfer
 * confidence: inferred
 */
export const TransferCallEventSchema = z.object({
  type: z.literal('Transfer_Call'),
  data: z.object({
    call_id: IntegerIdSchema,
    ...transferFieldsShape,
  }),
})
export type TransferCallEvent = z.infer<typeof TransferCallEventSchema>
