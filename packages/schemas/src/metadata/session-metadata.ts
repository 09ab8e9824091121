import { z } from 'zod'
import { CallSessionMetadataSchema, type CallSessionMetadata } from './call-session-metadata.js'
import { ChatSessionMetadataSchema, type ChatSessionMetadata } from './chat-session-metadata.js'

/**
 * Either session metadata record. The records carry no type field of their own: a call has
 * `call_type`, a chat has `chat_type` (the file name, `call-{id}.json` / `chat-{id}.json`, says the same).
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/session-metadata
 * documented
 */
export const SessionMetadataSchema = z.union([CallSessionMetadataSchema, ChatSessionMetadataSchema])
export type SessionMetadata = z.infer<typeof SessionMetadataSchema>

/** True for a call record (it has `call_type`), false for a chat record. */
export function isCallSessionMetadata(record: SessionMetadata): record is CallSessionMetadata {
  return 'call_type' in record
}

/** True for a chat record (it has `chat_type`). */
export function isChatSessionMetadata(record: SessionMetadata): record is ChatSessionMetadata {
  return 'chat_type' in record
}
