import { z } from 'zod'

/**
 * The queue ids the end-user navigated, joined by `/` without spaces (`"1/2/3"`, `"7/26"`), on both
 * QM channels — unlike the adapter events' `queue_path`, which joins names with `" / "`.
 * @see seeds/004_5582cdfd9e3a1a3c.txt (Chat state fields, `queue_path_ids`)
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/qm-call-session-data
 * Confidence: doc-example (the separator is only visible in examples).
 */
export const QmQueuePathIdsSchema = z
  .string()
  .regex(/^\d+(?:\/\d+)*$/, 'queue ids joined by "/" ("7/26")')
export type QmQueuePathIds = z.infer<typeof QmQueuePathIdsSchema>
