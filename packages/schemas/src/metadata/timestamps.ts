import { z } from 'zod'
import { IsoDateTimeSchema } from '../common/primitives.js'
import { tolerantOnly } from '../internal/modes.js'

/**
 * An ISO 8601 timestamp that is `null` (or absent) when the step never happened: `queued_at` null
 * if never queued, `scheduled_at` null for immediate calls.
 */
export const OptionalTimestampSchema = IsoDateTimeSchema.nullish()
export type OptionalTimestamp = z.infer<typeof OptionalTimestampSchema>

/**
 * `connected_at`: a timestamp, or null before connection. Some surfaces send `""` instead of null
 * (reference §9.3); only tolerant mode accepts that.
 */
export const ConnectedAtSchema = z.union([IsoDateTimeSchema, tolerantOnly(z.literal(''))]).nullish()
export type ConnectedAt = z.infer<typeof ConnectedAtSchema>
