import { z } from 'zod'
import { DurationSecondsSchema, IntegerIdSchema } from '../common/primitives.js'
import { OptionalTimestampSchema } from './timestamps.js'

/**
 * One item of a call's `recordings`. The `recording_type` vocabulary is not known. Field names from
 * a third-party parser.
 *
 * @see reference §1.5 (third-party parser)
 * inferred
 */
export const RecordingSchema = z.object({
  id: IntegerIdSchema,
  recording_type: z.string().nullish(),
  started_at: OptionalTimestampSchema,
  ended_at: OptionalTimestampSchema,
  duration: DurationSecondsSchema.nullish(),
})
export type Recording = z.infer<typeof RecordingSchema>
