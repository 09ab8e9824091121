import { z } from 'zod'

/**
 * An agent's state in one MRD (media routing domain), as the Media Routing Engine keeps it.
 * `LOGIN` is transient, `UNKNOWN` follows a Chat Server failure recovery.
 * @see https://docs.expertflow.com/chat/3.15/agent-and-task-states (reference §2.5) — documented
 */
export const AgentStateSchema = z.enum([
  'LOGIN',
  'NOT_READY',
  'READY',
  'RESERVED',
  'ACTIVE',
  'BUSY',
  'WORK_READY',
  'INTERRUPTED',
  'LOGOUT',
  'UNKNOWN',
])
export type AgentState = z.infer<typeof AgentStateSchema>

/**
 * The states a client may ask for in an `AgentState` command; the server sets all the others.
 * @see https://docs.expertflow.com/chat/3.15/agent-and-task-states (reference §2.5) — documented
 */
export const RequestableAgentStateSchema = z.enum(['READY', 'NOT_READY', 'LOGOUT'])
export type RequestableAgentState = z.infer<typeof RequestableAgentStateSchema>
