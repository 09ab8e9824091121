import { z } from 'zod'
import { NumericStringIdSchema } from '../common/primitives.js'

/**
 * `login` when an agent signs in to the agent adapter (portal or CRM-embedded), `logout` when they
 * sign out. These are the only AgentState events the QM call page lists; the chat page refers to the
 * same event type without adding states, so the vocabulary is kept closed.
 */
export const QM_AGENT_STATES = ['login', 'logout'] as const

/**
 * The `item.State` of a QM AgentState event.
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/qm-call-session-data (Agent logs in, Agent logs out)
 * Confidence: documented (the triggers are documented; the values are shown in their examples).
 */
export const QmAgentStateValueSchema = z.enum(QM_AGENT_STATES)
export type QmAgentStateValue = z.infer<typeof QmAgentStateValueSchema>

/**
 * The `item` of a QM AgentState event: which agent signed in or out. PascalCase keys, like the call side.
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/qm-call-session-data (Agent logs in, Agent logs out)
 * Confidence: doc-example (no field table for AgentState could be read).
 */
export const AgentStateItemSchema = z.object({
  // `.describe()` gives this key its own schema instance: `tolerantOnly()` marks instances, so using
  // the shared primitive bare would drop the key from strict mode wherever another family marks it.
  ParticipantID: NumericStringIdSchema.describe(
    'The agent id as a string of digits ("1234"), not the integer the other surfaces use.',
  ),
  Email: z.email(),
  State: QmAgentStateValueSchema,
})
export type AgentStateItem = z.infer<typeof AgentStateItemSchema>
