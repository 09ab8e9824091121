import { z } from 'zod'
import { IntegerIdSchema } from '../common/primitives.js'
import { vtaEventData } from './vta-session-data.js'

/**
 * `data` of `Task_VA_Joined`, voice (`call_id`) or chat (`chat_id`) form.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/post-events-for-vtas
 * confidence: documented
 */
export const TaskVaJoinedDataSchema = vtaEventData({
  /** The virtual task assistant's participant id in the session. */
  participant_id: IntegerIdSchema,
})
export type TaskVaJoinedData = z.infer<typeof TaskVaJoinedDataSchema>

/**
 * Post event the agent adapter sends to the parent window when a virtual task assistant joins a session.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/post-events-for-vtas ("Virtual task assistant joined")
 * @see seeds/002_5e2fa59d62bac538.txt
 * confidence: documented
 */
export const TaskVaJoinedEventSchema = z.object({
  type: z.literal('Task_VA_Joined'),
  data: TaskVaJoinedDataSchema,
})
export type TaskVaJoinedEvent = z.infer<typeof TaskVaJoinedEventSchema>
