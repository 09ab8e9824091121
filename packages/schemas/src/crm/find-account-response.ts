import { z } from 'zod'
import { CrmIdSchema } from './crm-id.js'

/**
 * The account object a find-account endpoint (by query or by ID) returns at its Response Data
 * Location, as in the documents' example. Keys other than the id are whatever the CRM has; the
 * example's four are required here so the shape stays recognisable.
 * @see seeds/000_2170762ce078838e.txt (Find an account by query endpoint; Find an account by ID endpoint)
 * Confidence: doc-example.
 */
export const FindAccountResponseSchema = z.object({
  id: CrmIdSchema,
  name: z.string(),
  /** Digits as stored by the CRM (`11234567890`). */
  phone: z.string(),
  email: z.string(),
})
export type FindAccountResponse = z.infer<typeof FindAccountResponseSchema>
