import { z } from 'zod'
import { IntegerIdSchema } from '../common/primitives.js'
import {
  AdapterSessionTypeSchema,
  agentFieldsShape,
  sessionEventCommonShape,
} from './session-event-common.js'

/**
 * The `data` of the call lifecycle events (`New_Call`, `End_Call`): the call, its agent, and the
 * common optional session fields.
 *
 * @see seeds/000_2170762ce078838e.txt, Agent adapters › Event types › New call, End call
 * confidence: documented
 */
export const CallSessionDataSchema = z.object({
  ...agentFieldsShape,
  call_id: IntegerIdSchema,
  session_type: AdapterSessionTypeSchema,
  ...sessionEventCommonShape,
})
export type CallSessionData = z.infer<typeof CallSessionDataSchema>
