import { z } from 'zod'
import { IntegerIdSchema } from '../common/primitives.js'
import { CapturedVariableSchema } from './captured-variable.js'
import { vtaEventData } from './vta-session-data.js'

/**
 * `data` of `Task_VA_Left`, voice (`call_id`) or chat (`chat_id`) form.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/post-events-for-vtas
 * confidence: documented
 */
export const TaskVaLeftDataSchema = vtaEventData({
  participant_id: IntegerIdSchema,
  /** Free text such as `"Task VA failed"`; no vocabulary is documented. */
  finish_reason: z.string(),
  /**
   * Listed without an "omitted" remark, but the docs do not say what a VTA that captured nothing
   * sends, so absent and `null` are accepted (an empty array is the emitter's choice).
   */
  captured_variables: z.array(CapturedVariableSchema).nullish(),
})
export type TaskVaLeftData = z.infer<typeof TaskVaLeftDataSchema>

/**
 * Post event the agent adapter sends to the parent window when a virtual task assistant leaves a session.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/post-events-for-vtas ("Virtual task assistant left")
 * @see seeds/002_5e2fa59d62bac538.txt
 * confidence: documented
 */
export const TaskVaLeftEventSchema = z.object({
  type: z.literal('Task_VA_Left'),
  data: TaskVaLeftDataSchema,
})
export type TaskVaLeftEvent = z.infer<typeof TaskVaLeftEventSchema>
