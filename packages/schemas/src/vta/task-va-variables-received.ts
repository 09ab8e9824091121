import { z } from 'zod'
import { IntegerIdSchema } from '../common/primitives.js'
import { CapturedVariableSchema } from './captured-variable.js'
import { omittedIfUnavailable } from './vta-optional.js'
import { vtaEventData } from './vta-session-data.js'

/**
 * `data` of `Task_VA_Variables_Received`, voice (`call_id`) or chat (`chat_id`) form.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/post-events-for-vtas
 * confidence: documented
 */
export const TaskVaVariablesReceivedDataSchema = vtaEventData({
  /** The field list of this event omits it, its example includes it: optional. */
  participant_id: omittedIfUnavailable(IntegerIdSchema),
  /** The variables of the custom session-variable payload that was just received. */
  captured_variables: z.array(CapturedVariableSchema),
})
export type TaskVaVariablesReceivedData = z.infer<typeof TaskVaVariablesReceivedDataSchema>

/**
 * Post event the agent adapter sends to the parent window when a virtual task assistant returns a
 * custom session-variable payload with `capture_type` `event`.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/post-events-for-vtas ("Virtual task assistant custom session variables received")
 * @see seeds/002_5e2fa59d62bac538.txt
 * confidence: documented
 */
export const TaskVaVariablesReceivedEventSchema = z.object({
  type: z.literal('Task_VA_Variables_Received'),
  data: TaskVaVariablesReceivedDataSchema,
})
export type TaskVaVariablesReceivedEvent = z.infer<typeof TaskVaVariablesReceivedEventSchema>
