import { z } from 'zod'

/**
 * `agent` for a human agent, `external` for an end-user or a third party, `virtual_agent` for a
 * virtual agent. The call page's only example shows `external` and `agent`; the chat field table
 * lists all three, and both pages describe the same participants, so one vocabulary serves both.
 */
export const QM_PARTICIPANT_TYPES = ['external', 'agent', 'virtual_agent'] as const

/**
 * Participant type of a QM call (`Participants[].Type`) or chat (`participants[].type`) event.
 * @see seeds/004_5582cdfd9e3a1a3c.txt (Chat session event fields, participants `type`)
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/qm-call-session-data
 * Confidence: documented (chat field table); call side doc-example.
 */
export const QmParticipantTypeSchema = z.enum(QM_PARTICIPANT_TYPES)
export type QmParticipantType = z.infer<typeof QmParticipantTypeSchema>
