import { z } from 'zod'

/** The documented sender of every session outcome email. */
export const OUTCOME_EMAIL_SENDER = 'no-reply@ccaiplatform.com'

/** "Approximately 15 minutes after a session ends" (seed 000), in seconds. */
export const OUTCOME_EMAIL_DELAY_SECONDS = 15 * 60

/**
 * The file name ccai-sim gives the transcript attachment: the documents say only "attachment in TXT
 * format", so the external-storage name of the same file is reused (inferred).
 */
export const OUTCOME_EMAIL_ATTACHMENT_TEMPLATE = 'chat-{id}.txt'

/**
 * The TXT chat transcript attached to a session outcome email.
 *
 * Documented: there is at most one attachment, in TXT format, holding the chat transcript "when
 * applicable". Inferred: the file name (any `*.txt`; ccai-sim writes `chat-{id}.txt`), the
 * `text/plain` content type (a `charset` parameter is allowed) and the content layout, which no
 * document shows (see `CHAT_TRANSCRIPT_TXT`). The keys are ccai-sim's envelope, not a platform wire format.
 *
 * @see seeds/000_2170762ce078838e.txt ("CRM record update by email", "Email details")
 * confidence: documented (existence, TXT), inferred (name, content type, layout)
 */
export const OutcomeEmailAttachmentSchema = z.object({
  filename: z.string().regex(/^[^/\\]+\.txt$/),
  contentType: z.string().regex(/^text\/plain(?:\s*;.*)?$/),
  /** The transcript text itself (UTF-8). */
  content: z.string(),
})
export type OutcomeEmailAttachment = z.infer<typeof OutcomeEmailAttachmentSchema>

/**
 * The session outcome email ("CRM record update by email"), as a JSON-describable message envelope.
 *
 * Documented (seed 000): sent from `no-reply@ccaiplatform.com` to the configured address, about 15
 * minutes after a successfully finished session (never for failed or abandoned ones); it has a
 * subject line, a body holding the session metadata "in JSON syntax", and a TXT attachment with the
 * chat transcript when applicable. Configured globally and per queue (see `resolveOutcomeEmail`).
 *
 * Inferred: the subject's wording (undocumented: any non-empty line), the body being exactly the
 * metadata JSON object as text and nothing else (checked as text that starts with `{` and ends with
 * `}`; `parseOutcomeEmailBody` parses it, and the parsed record is a `metadata.call` /
 * `metadata.chat` payload), a single recipient, and this envelope's own key names
 * (`from`, `to`, `subject`, `body`, `attachments[].filename|contentType|content`), which describe
 * the email and are not a platform wire format.
 *
 * @see seeds/000_2170762ce078838e.txt ("CRM record update by email")
 * @see reference §6.2
 * confidence: documented (content), inferred (envelope keys, subject, attachment name)
 */
export const SessionOutcomeEmailSchema = z.object({
  from: z.literal(OUTCOME_EMAIL_SENDER),
  to: z.email(),
  subject: z.string().min(1),
  /** The session metadata record as JSON text. */
  body: z.string().regex(/^\s*\{[\s\S]*\}\s*$/),
  /** Empty when no transcript applies (a voice call without SMS). */
  attachments: z.array(OutcomeEmailAttachmentSchema).max(1),
})
export type SessionOutcomeEmail = z.infer<typeof SessionOutcomeEmailSchema>

export type OutcomeEmailBodyResult =
  | { readonly ok: true; readonly value: Record<string, unknown> }
  | { readonly ok: false; readonly reason: string }

/**
 * Reads the body of a session outcome email: the session metadata record. Never throws. The value is
 * then checked against `metadata.call` or `metadata.chat` (the metadata family's contracts).
 */
export function parseOutcomeEmailBody(body: string): OutcomeEmailBodyResult {
  let value: unknown
  try {
    value = JSON.parse(body)
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error)
    return {
      ok: false,
      reason: `expected the session metadata as JSON text, but the body is not JSON (${detail})`,
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`
    return { ok: false, reason: `expected the session metadata as a JSON object, got ${got}` }
  }
  return { ok: true, value: value as Record<string, unknown> }
}
