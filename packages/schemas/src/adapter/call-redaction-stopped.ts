import { z } from 'zod'
import { IntegerIdSchema } from '../common/primitives.js'

/**
 * Call redaction stopped: recording resumed after redaction.
 * The docs show only the `data` object and never the wire `type` string; `Call_Redaction_Stopped`
 * follows the naming of the other events and the section heading ("stopped"; the list says "ended").
 *
 * @see seeds/000_2170762ce078838e.txt, Agent adapters › Event types › Call redaction stopped
 * confidence: inferred
 */
export const CallRedactionStoppedEventSchema = z.object({
  type: z.literal('Call_Redaction_Stopped'),
  data: z.object({
    agent_id: IntegerIdSchema,
    call_id: IntegerIdSchema,
  }),
})
export type CallRedactionStoppedEvent = z.infer<typeof CallRedactionStoppedEventSchema>
