import { z } from 'zod'
import { OptionalTimestampSchema } from './timestamps.js'

/**
 * One item of `offer_events`: when the session was offered to an agent group (cascade offering).
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/apps-api-call
 * doc-example
 */
export const OfferEventSchema = z.object({
  casting_time: OptionalTimestampSchema,
  group: z.string().nullish(),
})
export type OfferEvent = z.infer<typeof OfferEventSchema>
