import { z } from 'zod'
import { CrmIdSchema } from './crm-id.js'

/**
 * The fields of an Upload a file request (multipart form or base64, POST/PUT/PATCH), as in the
 * documents' example: the file data (`{FILE_DATA}`) and optionally the record id, which may instead
 * be part of the URL (`https://example-customer.com/upload/record/{RECORD_ID}`).
 * @see seeds/000_2170762ce078838e.txt (Upload a file endpoint)
 * Confidence: doc-example.
 */
export const UploadFileRequestSchema = z.object({
  /** Base64 string (Base64 encoded form) or the file part's data (Multipart form). */
  file: z.string(),
  id: CrmIdSchema.nullish(),
})
export type UploadFileRequest = z.infer<typeof UploadFileRequestSchema>
