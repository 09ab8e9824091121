import { z } from 'zod'
import { openVocabulary } from '../internal/modes.js'

/**
 * Numeric session status codes from the old metadata reference table, keyed by the wire string.
 * On the wire `status` is always the string; the numbers only appear in the docs and reports.
 * Codes 6, 7 and ≥20 are not listed in any readable copy. The English names of 11 (`deflected`) and
 * 19 (`requeued`) are inferred: only the zh-cn copy reaches them and it translates the name
 * ("completed via transfer/redirect", "handled call that failed and is queued again").
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/crm-session-metadata?hl=zh-cn
 * documented (0–5, 8–10, 12–18); inferred (names of 11 and 19)
 */
export const SESSION_STATUS_CODES = {
  scheduled: 0,
  queued: 1,
  assigned: 2,
  connecting: 3,
  switching: 4,
  connected: 5,
  finished: 8,
  failed: 9,
  recovered: 10,
  deflected: 11,
  selecting: 12,
  va_assigned: 13,
  va_connected: 14,
  preview_pending: 15,
  preview_ready: 16,
  campaign_connecting: 17,
  campaign_connected: 18,
  requeued: 19,
} as const
export type SessionStatusWithCode = keyof typeof SESSION_STATUS_CODES

/** The status names whose code is known but whose English wire name is back-translated (reference §1.1). */
export const INFERRED_SESSION_STATUS_NAMES = [
  'deflected',
  'requeued',
] as const satisfies readonly SessionStatusWithCode[]

/** Code → wire string, for reading reports that carry the number. */
export const SESSION_STATUS_BY_CODE: Readonly<Record<number, SessionStatusWithCode>> =
  Object.fromEntries(
    Object.entries(SESSION_STATUS_CODES).map(([name, code]) => [
      code,
      name as SessionStatusWithCode,
    ]),
  )

/**
 * Call `status` strings: the Apps API "Call status definitions" (snake_case spellings of the titles
 * such as "Action Only Finished" are our inference) plus the coded statuses of the metadata table.
 * The vocabulary is known to be incomplete; the `status` field is an open vocabulary.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/apps-api-call
 * documented
 */
export const CallStatusSchema = z.enum([
  'scheduled',
  'selecting',
  'queued',
  'assigned',
  'connecting',
  'switching',
  'connected',
  'finished',
  'failed',
  'recovered',
  'deflected',
  'action_only',
  'action_only_finished',
  'voicemail',
  'voicemail_received',
  'voicemail_read',
  'va_assigned',
  'va_connected',
  'preview_pending',
  'preview_ready',
  'campaign_connecting',
  'campaign_connected',
  'requeued',
])
export type CallStatus = z.infer<typeof CallStatusSchema>

/**
 * Chat `status` strings: the chat metadata page's list (`queued`, `assigned`, `finished`,
 * `no_response`, `canceled`, `failed`) plus `selecting` from the SMS API examples. They differ from
 * the call statuses. Known to be incomplete.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/chat-session-metadata
 * documented
 */
export const ChatStatusSchema = z.enum([
  'selecting',
  'queued',
  'assigned',
  'finished',
  'no_response',
  'canceled',
  'failed',
])
export type ChatStatus = z.infer<typeof ChatStatusSchema>

/** The `status` field of a call record: known call statuses (strict), any string (tolerant). */
export const CallStatusFieldSchema = openVocabulary(CallStatusSchema)
export type CallStatusField = z.infer<typeof CallStatusFieldSchema>

/** The `status` field of a chat record: known chat statuses (strict), any string (tolerant). */
export const ChatStatusFieldSchema = openVocabulary(ChatStatusSchema)
export type ChatStatusField = z.infer<typeof ChatStatusFieldSchema>

/**
 * `subStatus` (call page) / `sub_status` (chat page) values.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/call-session-metadata
 * documented ("possible values include", so the field is an open vocabulary)
 */
export const SubStatusSchema = z.enum(['waiting_for_agent', 'in_queue', 'connected_with_agent'])
export type SubStatus = z.infer<typeof SubStatusSchema>

export const SubStatusFieldSchema = openVocabulary(SubStatusSchema)
export type SubStatusField = z.infer<typeof SubStatusFieldSchema>
