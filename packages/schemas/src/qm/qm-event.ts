import { z } from 'zod'
import { AgentStateEventSchema } from './agent-state-event.js'
import { CallStateEventSchema } from './call-state-event.js'
import { ChatStateEventSchema } from './chat-state-event.js'

/** The envelope `type` values, one per QM event. */
export const QM_EVENT_TYPES = ['AgentState', 'CallState', 'ChatState'] as const
export type QmEventType = (typeof QM_EVENT_TYPES)[number]

/**
 * Any event the platform exports to a QM application, `{ type, item }`, told apart by `type`.
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/qm-call-session-data
 * @see seeds/004_5582cdfd9e3a1a3c.txt (General fields)
 * Confidence: documented (envelope); see each member for its item.
 */
export const QmEventSchema = z.discriminatedUnion('type', [
  AgentStateEventSchema,
  CallStateEventSchema,
  ChatStateEventSchema,
])
export type QmEvent = z.infer<typeof QmEventSchema>
