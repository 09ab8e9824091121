import { z } from 'zod'
import { IntegerIdSchema } from '../common/primitives.js'
import {
  AdapterSessionTypeSchema,
  agentFieldsShape,
  sessionEventCommonShape,
} from './session-event-common.js'

/**
 * `Agent_Joined_Chat`: an agent connected to a chat session (section "Agent connects to session").
 *
 * @see seeds/000_2170762ce078838e.txt, Agent adapters › Event types › Agent connects to session
 * confidence: documented
 */
export const AgentJoinedChatEventSchema = z.object({
  type: z.literal('Agent_Joined_Chat'),
  data: z.object({
    ...agentFieldsShape,
    chat_id: IntegerIdSchema,
    session_type: AdapterSessionTypeSchema,
    ...sessionEventCommonShape,
  }),
})
export type AgentJoinedChatEvent = z.infer<typeof AgentJoinedChatEventSchema>
