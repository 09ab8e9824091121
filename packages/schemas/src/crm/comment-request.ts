import { z } from 'zod'
import { CrmIdSchema } from './crm-id.js'

/**
 * The body of a Comment request (POST/PUT/PATCH), as in the documents' example: the comment text
 * (`{COMMENT_BODY}`, plain text or HTML as the Text Format says) and optionally the record id,
 * which may instead be part of the URL (`https://example-customer.com/comment/record/{RECORD_ID}`).
 * @see seeds/000_2170762ce078838e.txt (Comment endpoint)
 * Confidence: doc-example.
 */
export const CommentRequestSchema = z.object({
  comment: z.string(),
  id: CrmIdSchema.nullish(),
})
export type CommentRequest = z.infer<typeof CommentRequestSchema>
