import { z } from 'zod'
import { TaskVaJoinedEventSchema } from './task-va-joined.js'
import { TaskVaLeftEventSchema } from './task-va-left.js'
import { TaskVaVariablesReceivedEventSchema } from './task-va-variables-received.js'

/**
 * Any virtual-task-assistant post event of the agent adapter, told apart by `type`.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/post-events-for-vtas
 * @see seeds/002_5e2fa59d62bac538.txt
 * confidence: documented
 */
export const VtaEventSchema = z.discriminatedUnion('type', [
  TaskVaJoinedEventSchema,
  TaskVaLeftEventSchema,
  TaskVaVariablesReceivedEventSchema,
])
export type VtaEvent = z.infer<typeof VtaEventSchema>
