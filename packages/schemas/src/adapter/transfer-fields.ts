import { z } from 'zod'
import { IntegerIdSchema } from '../common/primitives.js'
import { AdapterSessionTypeSchema, sessionEventCommonShape } from './session-event-common.js'

/**
 * The `data` fields of a transfer event, less the session id (`chat_id` or `call_id`).
 * The originating agent is always known; the destination agent and the queues are `.nullish()`
 * because the docs describe each as "used when routing from one agent/queue to another", and a
 * transfer to a queue or between agents of one queue has no value for some of them.
 */
export const transferFieldsShape = {
  session_type: AdapterSessionTypeSchema,
  ...sessionEventCommonShape,
  from_agent_id: IntegerIdSchema,
  from_agent_custom_id: z.string().nullish(),
  from_agent_email: z.email(),
  to_agent_id: IntegerIdSchema.nullish(),
  to_agent_custom_id: z.string().nullish(),
  to_agent_email: z.email().nullish(),
  from_queue_id: IntegerIdSchema.nullish(),
  from_queue_path: z.string().nullish(),
  to_queue_id: IntegerIdSchema.nullish(),
  to_queue_path: z.string().nullish(),
}
