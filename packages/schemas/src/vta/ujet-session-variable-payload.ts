import { z } from 'zod'
import { SessionVariableSchema } from './session-variable.js'

/**
 * Dialogflow custom payload that only hands session variables to CCAI Platform (no message, no
 * action): the form the VTA post events and the adapter's `session_variable` field are fed from.
 *
 * @see seeds/002_5e2fa59d62bac538.txt ("用于自定义会话变量的 Dialogflow 载荷", payload example)
 * @see https://cloud.google.com/contact-center/ccai-platform/docs/session-data-agent-adapter
 * confidence: documented
 */
export const UjetSessionVariablePayloadSchema = z.object({
  ujet: z.object({
    session_variable: SessionVariableSchema,
  }),
})
export type UjetSessionVariablePayload = z.infer<typeof UjetSessionVariablePayloadSchema>
