import { z } from 'zod'
import { IntegerIdSchema } from '../common/primitives.js'

/**
 * Call redaction started: recording paused for redaction.
 * The docs show only the `data` object and never the wire `type` string; `Call_Redaction_Started`
 * follows the naming of the other events.
 *
 * @see seeds/000_2170762ce078838e.txt, Agent adapters › Event types › Call redaction started
 * confidence: inferred
 */
export const CallRedactionStartedEventSchema = z.object({
  type: z.literal('Call_Redaction_Started'),
  data: z.object({
    agent_id: IntegerIdSchema,
    call_id: IntegerIdSchema,
  }),
})
export type CallRedactionStartedEvent = z.infer<typeof CallRedactionStartedEventSchema>
