import { z } from 'zod'
import { IntegerIdSchema, IsoDateTimeSchema } from '../common/primitives.js'
import { TranscriptEntrySchema } from './transcript-entry.js'

/**
 * The chat transcript metadata record: the JSON export of one finished chat (or of a voice call
 * carrying blended SMS content, `comm_type: "call"`), delivered as a CRM transcript upload and/or an
 * external-storage transcript file depending on the instance settings.
 *
 * `transcript_version` is kept an open string ("currently 1.0"; readers should parse forward-compatibly).
 * `assigned_at` is nullish: the page gives no nullability, and a chat handled only by a virtual agent
 * has no assignment to report.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/chat-transcript-metadata
 * @see reference §1.4
 * confidence: documented
 */
export const ChatTranscriptSchema = z.object({
  comm_type: z.enum(['chat', 'call']),
  comm_id: IntegerIdSchema,
  transcript_version: z.string().min(1),
  assigned_at: IsoDateTimeSchema.nullish(),
  /** An IANA time zone name, `"America/Los_Angeles"`. */
  timezone: z.string().min(1),
  entries: z.array(TranscriptEntrySchema),
})
export type ChatTranscript = z.infer<typeof ChatTranscriptSchema>

/** The current `transcript_version` (the one the simulator writes). */
export const CURRENT_TRANSCRIPT_VERSION = '1.0'
