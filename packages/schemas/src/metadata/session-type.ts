import { z } from 'zod'
import { openVocabulary } from '../internal/modes.js'

/**
 * Legacy `call_type` values (also the value of the deprecated duplicate `session_type`). Collected
 * from the metadata schema page, the Apps API call-type table and the adapter events; the full list
 * is not readable, so the field is an open vocabulary. `Voice Scheduled (Web)` and `Voice Callback
 * (Web)` are the session-type list's spellings of a callback the customer scheduled (or asked for)
 * on the web: accepted strictly (issue 11), the other display names stay tolerated only.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/call-session-metadata
 * documented (partial)
 */
export const CallTypeSchema = z.enum([
  'Voice Inbound (IVR)',
  'Voice Inbound (App)',
  'Voice Inbound (IVR using App)',
  'Voice Inbound (API)',
  'Voice Outbound',
  'Voice Outbound (API)',
  'Voice Scheduled (API)',
  'Voice Scheduled (Web)',
  'Voice Callback (Web)',
  'Voice Internal',
  'Voice Campaign (UJET)',
])
export type CallType = z.infer<typeof CallTypeSchema>

/**
 * `session_type_v2` values for calls: the current vocabulary. It replaces the broad `(App)` types with
 * `(Mobile)` ones and falls back to the `call_type` string where it has no dedicated value.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/call-session-metadata
 * documented (partial)
 */
export const CallSessionTypeV2Schema = z.enum([
  'Voice Inbound (IVR)',
  'Voice Inbound (Mobile)',
  'Voice Inbound (IVR using Mobile)',
  'Voice Inbound (API)',
  'Voice Outbound',
  'Voice Outbound (API)',
  'Voice Scheduled (API)',
  'Voice Scheduled (Web)',
  'Voice Callback (Web)',
  'Voice Internal',
  'Voice Campaign (UJET)',
])
export type CallSessionTypeV2 = z.infer<typeof CallSessionTypeV2Schema>

/**
 * Legacy `chat_type` values (also the deprecated `session_type` of chats). Every document example
 * of an inbound SMS says `Messaging Inbound (SMS)`; `Messaging Outbound (SMS)` and the list's
 * `Messaging (Whatsapp)` (lower-case a) are documented session types too.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/chat-session-metadata
 * documented (partial)
 */
export const ChatTypeSchema = z.enum([
  'Messaging Inbound (App Chat)',
  'Messaging Inbound (Web Chat)',
  'Messaging Inbound (SMS)',
  'Messaging (SMS)',
  'Messaging Outbound (SMS)',
  'Messaging (WhatsApp)',
  'Messaging (Whatsapp)',
])
export type ChatType = z.infer<typeof ChatTypeSchema>

/**
 * `session_type_v2` values for chats (`Messaging Inbound (Mobile Chat)` replaces the App Chat type;
 * the rest fall back to `chat_type`).
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/chat-session-metadata
 * documented (partial)
 */
export const ChatSessionTypeV2Schema = z.enum([
  'Messaging Inbound (Mobile Chat)',
  'Messaging Inbound (Web Chat)',
  'Messaging Inbound (SMS)',
  'Messaging (SMS)',
  'Messaging Outbound (SMS)',
  'Messaging (WhatsApp)',
  'Messaging (Whatsapp)',
])
export type ChatSessionTypeV2 = z.infer<typeof ChatSessionTypeV2Schema>

/**
 * `call_type` / `session_type` field: known values in strict mode; any string — including the
 * lower-cased spellings some surfaces send (`messaging inbound (web chat)`) — in tolerant mode.
 */
export const CallTypeFieldSchema = openVocabulary(CallTypeSchema)
export type CallTypeField = z.infer<typeof CallTypeFieldSchema>

/** `session_type_v2` field of a call record (open vocabulary). */
export const CallSessionTypeV2FieldSchema = openVocabulary(CallSessionTypeV2Schema)
export type CallSessionTypeV2Field = z.infer<typeof CallSessionTypeV2FieldSchema>

/** `chat_type` / `session_type` field of a chat record (open vocabulary). */
export const ChatTypeFieldSchema = openVocabulary(ChatTypeSchema)
export type ChatTypeField = z.infer<typeof ChatTypeFieldSchema>

/** `session_type_v2` field of a chat record (open vocabulary). */
export const ChatSessionTypeV2FieldSchema = openVocabulary(ChatSessionTypeV2Schema)
export type ChatSessionTypeV2Field = z.infer<typeof ChatSessionTypeV2FieldSchema>
