import { z } from 'zod'
import { CallSessionDataSchema } from './call-session-data.js'

/**
 * `New_Call`: the agent answered a call.
 *
 * @see seeds/000_2170762ce078838e.txt, Agent adapters › Event types › New call
 * confidence: documented
 */
export const NewCallEventSchema = z.object({
  type: z.literal('New_Call'),
  data: CallSessionDataSchema,
})
export type NewCallEvent = z.infer<typeof NewCallEventSchema>
