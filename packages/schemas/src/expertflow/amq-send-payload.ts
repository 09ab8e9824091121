import { z } from 'zod'
import { AmqSendAgentStateSchema } from './amq-send-agent-state.js'
import { AmqSendConnectSchema } from './amq-send-connect.js'
import { AmqSendLoginSchema } from './amq-send-login.js'

/**
 * `amq-send` (client → server): an ActiveMQ message for the media routing side, `head` being its
 * JMS type and the other keys its JMS body. Only the JMS types retrieved from the documents are
 * members; an unknown `head` fails, naming `payload.head`.
 * @see seeds/003_1d4ee430392b9662.txt §amq-send — documented
 */
export const AmqSendPayloadSchema = z.discriminatedUnion('head', [
  AmqSendAgentStateSchema,
  AmqSendLoginSchema,
  AmqSendConnectSchema,
])
export type AmqSendPayload = z.infer<typeof AmqSendPayloadSchema>
