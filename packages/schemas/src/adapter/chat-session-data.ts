import { z } from 'zod'
import { IntegerIdSchema } from '../common/primitives.js'
import {
  AdapterSessionTypeSchema,
  agentFieldsShape,
  sessionEventCommonShape,
} from './session-event-common.js'

/**
 * The `data` of the chat lifecycle events (`New_Chat`, `Active_Chat`, `End_Chat`,
 * `Dismissed_Chat`): the chat, its agent, and the common optional session fields.
 *
 * @see seeds/000_2170762ce078838e.txt, Agent adapters › Event types › New chat, Active chat, End chat, Dismissed chat
 * confidence: documented
 */
export const ChatSessionDataSchema = z.object({
  ...agentFieldsShape,
  chat_id: IntegerIdSchema,
  session_type: AdapterSessionTypeSchema,
  ...sessionEventCommonShape,
})
export type ChatSessionData = z.infer<typeof ChatSessionDataSchema>
