import { z } from 'zod'
import { DurationSecondsSchema } from '../common/primitives.js'
import { OptionalTimestampSchema } from './timestamps.js'

/**
 * One item of `handle_durations`: an agent's handling span, from assignment (including
 * before-call work) to the end of wrap-up (after-call work). Field names from a third-party parser;
 * `chat_duration` by analogy for chats.
 *
 * @see reference §1.5 (third-party parser); https://cloud.google.com/contact-center/ccai-platform/docs/crm-session-metadata ("Handle time")
 * inferred
 */
export const HandleDurationSchema = z.object({
  started_at: OptionalTimestampSchema,
  ended_at: OptionalTimestampSchema,
  call_duration: DurationSecondsSchema.nullish(),
  chat_duration: DurationSecondsSchema.nullish(),
  hold_duration: DurationSecondsSchema.nullish(),
  acw_duration: DurationSecondsSchema.nullish(),
  bcw_duration: DurationSecondsSchema.nullish(),
})
export type HandleDuration = z.infer<typeof HandleDurationSchema>
