import { z } from 'zod'
import { CallSessionDataSchema } from './call-session-data.js'

/**
 * `End_Call`: a call ended.
 *
 * @see seeds/000_2170762ce078838e.txt, Agent adapters › Event types › End call
 * confidence: documented
 */
export const EndCallEventSchema = z.object({
  type: z.literal('End_Call'),
  data: CallSessionDataSchema,
})
export type EndCallEvent = z.infer<typeof EndCallEventSchema>
