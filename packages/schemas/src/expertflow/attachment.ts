import { z } from 'zod'

/**
 * A file attached to a chat message. The Agent API names the `attachments` array but not the
 * object's fields; these are the ones Expertflow's own transcript reader uses.
 * @see https://github.com/expertflow/HC-Transcript (main/index.js; reference §2.1) — inferred
 */
export const AttachmentSchema = z.object({
  /** A MIME type. */
  type: z.string().nullish(),
  name: z.string().nullish(),
  _thumbnailUrl: z.string().nullish(),
})
export type Attachment = z.infer<typeof AttachmentSchema>
