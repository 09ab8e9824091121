import { z } from 'zod'
import { DurationSecondsSchema, IntegerIdSchema } from '../common/primitives.js'
import { MenuPathSchema } from './menu-path.js'
import { OptionalTimestampSchema } from './timestamps.js'

/**
 * One item of `queue_durations`: time spent in one queue (`id` is the queue id). Field names from a
 * third-party parser; the types of `transfer` and `service_level_event` are not known, so both accept
 * a boolean or a string.
 *
 * @see reference §1.5 (third-party parser)
 * inferred
 */
export const QueueDurationSchema = z.object({
  id: IntegerIdSchema,
  menu_path: MenuPathSchema.nullish(),
  started_at: OptionalTimestampSchema,
  ended_at: OptionalTimestampSchema,
  queue_duration: DurationSecondsSchema.nullish(),
  transfer_id: IntegerIdSchema.nullish(),
  transfer_cold: z.boolean().nullish(),
  transfer: z.union([z.boolean(), z.string()]).nullish(),
  service_level_event: z.union([z.boolean(), z.string()]).nullish(),
  agent_id: IntegerIdSchema.nullish(),
})
export type QueueDuration = z.infer<typeof QueueDurationSchema>
