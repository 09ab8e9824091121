import { z } from 'zod'
import { tolerantOnly } from '../internal/modes.js'
import { CrmIdSchema } from './crm-id.js'

/**
 * The body the platform sends to the Create a record endpoint with the documents' example
 * parameters (Property format). The keys are whatever the admin configured, so only the record
 * title is required; parameters whose values are empty (rating and feedback before a CSAT) are
 * dropped, hence optional.
 * @see seeds/000_2170762ce078838e.txt (Create a record endpoint)
 * Confidence: doc-example.
 */
export const CreateRecordRequestSchema = z.object({
  subject: z.string(),
  /** Present in the seed's example only, next to `contactId`. */
  id: CrmIdSchema.nullish(),
  /** May be HTML (`{TICKET_DESCRIPTION_HTML}`). */
  description: z.string().nullish(),
  /** In the configured Phone Number Format. */
  phone: z.string().nullish(),
  contactId: CrmIdSchema.nullish(),
  sourceType: z.enum(['PHONE', 'CHAT']).nullish(),
  menu: z.string().nullish(),
  direction: z.string().nullish(),
  /**
   * CSAT rating on a 1–5 scale. The example shows a number; function results are strings, so a
   * rating passed through `=DEFAULT_VALUE(…)` arrives as `"5"` (tolerant only).
   */
  rating: z
    .union([
      z.int().min(1).max(5),
      tolerantOnly(z.string().regex(/^[1-5]$/, 'a rating 1–5 as a string')),
    ])
    .nullish(),
  /** The end user's comment on the rating. */
  feedback: z.string().nullish(),
})
export type CreateRecordRequest = z.infer<typeof CreateRecordRequestSchema>
