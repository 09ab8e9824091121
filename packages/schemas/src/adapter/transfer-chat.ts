import { z } from 'zod'
import { IntegerIdSchema } from '../common/primitives.js'
import { transferFieldsShape } from './transfer-fields.js'

/**
 * `Transfer_Chat`: a chat was transferred (warm or cold) to another agent or queue. The section is
 * headed "Transfer"; the example's `type` is `Transfer_Chat`.
 *
 * @see seeds/000_2170762ce078838e.txt, Agent adapters › Event types › Transfer
 * confidence: documented
 */
export const TransferChatEventSchema = z.object({
  type: z.literal('Transfer_Chat'),
  data: z.object({
    chat_id: IntegerIdSchema,
    ...transferFieldsShape,
  }),
})
export type TransferChatEvent = z.infer<typeof TransferChatEventSchema>
