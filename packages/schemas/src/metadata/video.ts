import { z } from 'zod'
import { IntegerIdSchema } from '../common/primitives.js'

/**
 * One item of `videos`: a video uploaded through a Smart Action.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/apps-api-call
 * doc-example
 */
export const VideoSchema = z.object({
  id: IntegerIdSchema,
  url: z.string().nullish(),
})
export type Video = z.infer<typeof VideoSchema>
