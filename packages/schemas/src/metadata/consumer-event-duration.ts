import { z } from 'zod'
import { DurationSecondsSchema } from '../common/primitives.js'
import { OptionalTimestampSchema } from './timestamps.js'

/**
 * One item of `consumer_in_menu_durations` or `consumer_event_durations` (same shape): a span the
 * end-user spent in a menu or in an event. The `event` vocabulary is not known. Field names from a
 * third-party parser.
 *
 * @see reference §1.5 (third-party parser)
 * inferred
 */
export const ConsumerEventDurationSchema = z.object({
  started_at: OptionalTimestampSchema,
  ended_at: OptionalTimestampSchema,
  duration: DurationSecondsSchema.nullish(),
  event: z.string().nullish(),
})
export type ConsumerEventDuration = z.infer<typeof ConsumerEventDurationSchema>
