import { z } from 'zod'
import { DurationSecondsSchema } from '../common/primitives.js'
import { OptionalTimestampSchema } from './timestamps.js'

/**
 * One item of `consumer_handle_durations`: the end-user's side of a handling span, with message and
 * response-time statistics for chats. Field names from a third-party parser.
 *
 * @see reference §1.5 (third-party parser)
 * inferred
 */
export const ConsumerHandleDurationSchema = z.object({
  started_at: OptionalTimestampSchema,
  ended_at: OptionalTimestampSchema,
  call_duration: DurationSecondsSchema.nullish(),
  hold_duration: DurationSecondsSchema.nullish(),
  chat_duration: DurationSecondsSchema.nullish(),
  message_count: z.int().nonnegative().nullish(),
  response_count: z.int().nonnegative().nullish(),
  response_time_total: z.number().nonnegative().nullish(),
  response_time_max: z.number().nonnegative().nullish(),
  response_time_avg: z.number().nonnegative().nullish(),
})
export type ConsumerHandleDuration = z.infer<typeof ConsumerHandleDurationSchema>
