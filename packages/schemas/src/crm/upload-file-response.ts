import { z } from 'zod'
import { UrlSchema } from '../common/primitives.js'
import { CrmIdSchema } from './crm-id.js'

/**
 * The CRM's answer to an upload: the attachment id, and a download URL when one exists (Attachment
 * Type → Attachment URL). Without a URL, the Attachment Builder URL is built from the id
 * (Attachment Type → ID).
 * @see seeds/000_2170762ce078838e.txt (Upload a file endpoint, Example A and Example B)
 * Confidence: doc-example.
 */
export const UploadFileResponseSchema = z.object({
  id: CrmIdSchema,
  url: UrlSchema.nullish(),
})
export type UploadFileResponse = z.infer<typeof UploadFileResponseSchema>
