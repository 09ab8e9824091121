import { z } from 'zod'
import { openVocabulary } from '../internal/modes.js'
import { namesOf } from './reason-codes.js'

/**
 * Virtual-agent call finish reasons (`finish_reason` of a virtual-agent handle duration) and codes.
 * The page lists more sets (escalation deflection, VA finish reasons, errors) that could not be read.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/virtual-agent-reason-codes
 * documented (partial)
 */
export const VA_CALL_FINISH_REASON_CODES = {
  virtual_agent_escalation_failed: 20001,
  va_callback_machine_detected: 60001,
} as const

/** Transfer fail reason a virtual agent adds to the call set (`transfers[].fail_reason`). Same page. */
export const VA_TRANSFER_FAIL_REASON_CODES = { va_failure: 20 } as const

/** Escalation record `status` values and codes. */
export const ESCALATION_STATUS_CODES = {
  escalating: 0,
  escalated: 1,
  canceled: 2,
  deflecting: 3,
  deflected: 4,
} as const

/** Escalation record `reason` values and codes (also a report column). */
export const ESCALATION_REASON_CODES = {
  unknown: 0,
  by_end_user_ask: 1,
  by_end_user_message: 2,
  by_virtual_agent: 3,
  payload_failure: 4,
  could_not_resume: 5,
  by_human_agent: 6,
  invalid_queue: 7,
  dismissed: 8,
} as const

/**
 * Virtual-agent call finish reason.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/virtual-agent-reason-codes
 * documented (partial list)
 */
export const VaCallFinishReasonSchema = z.enum(namesOf(VA_CALL_FINISH_REASON_CODES))
export type VaCallFinishReason = z.infer<typeof VaCallFinishReasonSchema>

/**
 * Transfer fail reason specific to virtual agents.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/virtual-agent-reason-codes
 * documented
 */
export const VaTransferFailReasonSchema = z.enum(namesOf(VA_TRANSFER_FAIL_REASON_CODES))
export type VaTransferFailReason = z.infer<typeof VaTransferFailReasonSchema>

/**
 * Escalation `status` (VA → human or VA → VA hand-over).
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/virtual-agent-reason-codes
 * documented
 */
export const EscalationStatusSchema = z.enum(namesOf(ESCALATION_STATUS_CODES))
export type EscalationStatus = z.infer<typeof EscalationStatusSchema>

/**
 * Escalation `reason`. The VA custom payload uses other strings for the same idea
 * (`by_consumer`), which is why the field is open in tolerant mode.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/virtual-agent-reason-codes
 * documented
 */
export const EscalationReasonSchema = z.enum(namesOf(ESCALATION_REASON_CODES))
export type EscalationReason = z.infer<typeof EscalationReasonSchema>

export const EscalationStatusFieldSchema = openVocabulary(EscalationStatusSchema)
export const EscalationReasonFieldSchema = openVocabulary(EscalationReasonSchema)
export const VaCallFinishReasonFieldSchema = openVocabulary(VaCallFinishReasonSchema)
