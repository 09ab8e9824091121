import type { z } from 'zod'
import { IsoDateTimeSchema } from '../common/primitives.js'

/**
 * A QM chat event timestamp: ISO 8601 with a numeric UTC offset (`2024-09-13T14:04:17.000-07:00`),
 * never the `Z` form the metadata files use — every example in the chat page has an offset.
 * @see seeds/004_5582cdfd9e3a1a3c.txt (Chat connected, Chat ended)
 * Confidence: doc-example.
 */
export const QmChatDateTimeSchema = IsoDateTimeSchema.regex(
  /[+-]\d{2}:\d{2}$/,
  'a numeric UTC offset (-07:00)',
)
export type QmChatDateTime = z.infer<typeof QmChatDateTimeSchema>
