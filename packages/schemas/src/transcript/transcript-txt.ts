/**
 * What the documents say about the plain-text chat transcript (`chat-{id}.txt`): it is written to
 * `ujet-chat-transcripts` in external storage "within seconds" after the session, and attached to
 * the session outcome email "when applicable" (seed 000). It is a different artifact from the chat
 * transcript JSON record (`transcript.chat`).
 *
 * Its line format is NOT documented: no page shows a line of it. So there is no line regex here;
 * `lineFormat` is `null`, and a reader must treat the file as opaque UTF-8 text. The simulator writes
 * its own readable layout (its choice, not the platform's), one entry per line.
 *
 * @see seeds/000_2170762ce078838e.txt ("External storage for custom CRM solutions", "CRM record update by email")
 * @see reference §1.4, §6
 * confidence: documented (file name, folder, attachment); the line format is a gap
 */
export const CHAT_TRANSCRIPT_TXT = {
  /** File-name template in external storage; `{id}` is the chat id. */
  fileName: 'chat-{id}.txt',
  folder: 'ujet-chat-transcripts',
  /** Inferred: the documents say "TXT format" only. */
  contentType: 'text/plain',
  /** `null`: the documents give no line format. */
  lineFormat: null,
} as const
