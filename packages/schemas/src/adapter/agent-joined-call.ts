import { z } from 'zod'
import { IntegerIdSchema } from '../common/primitives.js'
import {
  AdapterSessionTypeSchema,
  agentFieldsShape,
  sessionEventCommonShape,
} from './session-event-common.js'

/**
 * `Agent_Joined_Call`: an agent connected to a call session. The docs say there are two event types,
 * "determined by whether it is a call or chat", but show only `Agent_Joined_Chat`; the call `type`
 * string is our inference.
 *
 * @see seeds/000_2170762ce078838e.txt, Agent adapters › Event types › Agent connects to session
 * confidence: inferred
 */
export const AgentJoinedCallEventSchema = z.object({
  type: z.literal('Agent_Joined_Call'),
  data: z.object({
    ...agentFieldsShape,
    call_id: IntegerIdSchema,
    session_type: AdapterSessionTypeSchema,
    ...sessionEventCommonShape,
  }),
})
export type AgentJoinedCallEvent = z.infer<typeof AgentJoinedCallEventSchema>
