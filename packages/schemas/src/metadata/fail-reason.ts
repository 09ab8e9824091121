import { z } from 'zod'
import { openVocabulary } from '../internal/modes.js'
import { namesOf } from './reason-codes.js'

/**
 * Call `fail_reason` strings and their reporting codes. `nothing` (0) is the value of every call
 * that did not fail. Numbers collide across sets (60001 is a different reason for calls, chats and
 * virtual agents): key on the string, never on the number alone.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/Reason_Codes___Statuses
 * documented
 */
export const CALL_FAIL_REASON_CODES = {
  nothing: 0,
  unknown: 10001,
  expired: 11001,
  transfer_expired: 11002,
  eu_canceled: 20001,
  eu_rejected: 20002,
  eu_abandoned: 20003,
  eu_in_menu_abandoned: 20004,
  eu_repeated_voicemail: 20005,
  eu_repeated_callback: 20006,
  eu_busy: 21001,
  eu_wrong_number: 21002,
  eu_no_answer: 21003,
  eu_noti_failed: 22001,
  ag_canceled: 30001,
  ag_ignored: 30002,
  ag_mic_no_device: 31001,
  ag_mic_denied: 31002,
  voip_twilio_error: 41001,
  voip_tokbox_error: 42001,
  voip_invalid_token: 43001,
  voip_conn_general: 44001,
  voip_conn_timeout: 44002,
  voip_conn_signal: 44003,
  voip_nexmo_error: 45001,
  stuck_due_to_api_error: 50001,
  group_deleted_no_substitute: 50002,
  menu_deleted: 50003,
  direct_pstn_call_to_fallback_number: 60001,
} as const

/**
 * Chat `fail_reason` strings and their reporting codes (`escalation_failed` comes from the
 * virtual-agent reason codes page). Note `group_deleted_no_substitute` is 60001 here but 50002 on calls.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/Reason_Codes___Statuses
 * documented
 */
export const CHAT_FAIL_REASON_CODES = {
  nothing: 0,
  unknown: 1,
  no_response: 2,
  expired: 3,
  after_hours: 4,
  escalation_failed: 5,
  expired_menu_selection: 31,
  end_user_opt_out: 41,
  over_cap_email: 50001,
  group_deleted_no_substitute: 60001,
} as const

/**
 * A call's `fail_reason` string (known values; the code table is {@link CALL_FAIL_REASON_CODES}).
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/Reason_Codes___Statuses
 * documented
 */
export const CallFailReasonSchema = z.enum(namesOf(CALL_FAIL_REASON_CODES))
export type CallFailReason = z.infer<typeof CallFailReasonSchema>

/**
 * A chat's `fail_reason` string (known values; the code table is {@link CHAT_FAIL_REASON_CODES}).
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/Reason_Codes___Statuses
 * documented
 */
export const ChatFailReasonSchema = z.enum(namesOf(CHAT_FAIL_REASON_CODES))
export type ChatFailReason = z.infer<typeof ChatFailReasonSchema>

/**
 * Call `fail_reason` field. Open: third-party log metrics show further values (`force_ended`,
 * `customer_timeout`) that the reason-code page does not list.
 */
export const CallFailReasonFieldSchema = openVocabulary(CallFailReasonSchema)
export type CallFailReasonField = z.infer<typeof CallFailReasonFieldSchema>

/** Chat `fail_reason` field (open vocabulary, as for calls). */
export const ChatFailReasonFieldSchema = openVocabulary(ChatFailReasonSchema)
export type ChatFailReasonField = z.infer<typeof ChatFailReasonFieldSchema>
