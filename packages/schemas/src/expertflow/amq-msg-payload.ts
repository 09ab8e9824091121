import { z } from 'zod'
import { AmqMsgAgentInfoSchema } from './amq-msg-agent-info.js'
import { AmqMsgTaskAssignedSchema } from './amq-msg-task-assigned.js'

/**
 * `amq-msg` (server → client): an ActiveMQ message for the agent, `head` being its JMS type.
 * Only the JMS types the documents show are members; an unknown `head` fails, naming `payload.head`.
 * @see seeds/003_1d4ee430392b9662.txt §amq-msg — documented
 */
export const AmqMsgPayloadSchema = z.discriminatedUnion('head', [
  AmqMsgTaskAssignedSchema,
  AmqMsgAgentInfoSchema,
])
export type AmqMsgPayload = z.infer<typeof AmqMsgPayloadSchema>
