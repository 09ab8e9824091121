import { z } from 'zod'
import { CrmIdSchema } from './crm-id.js'

/**
 * The record object the Find a record by query endpoint returns at its Response Data Location, as
 * in the documents' example.
 * @see seeds/000_2170762ce078838e.txt (Find a record by query)
 * Confidence: doc-example.
 */
export const FindRecordResponseSchema = z.object({
  id: CrmIdSchema,
  subject: z.string(),
  /** The CRM's own status: "enumerated status open/closed, or 1,2,3". */
  status: z.union([z.string(), z.int()]),
  /** The account (contact) the record belongs to. */
  contactId: CrmIdSchema,
  /** The contact's phone. */
  phone: z.string(),
})
export type FindRecordResponse = z.infer<typeof FindRecordResponseSchema>
