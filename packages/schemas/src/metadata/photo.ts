import { z } from 'zod'
import { IntegerIdSchema } from '../common/primitives.js'

/**
 * One item of `photos`: a photo or screenshot uploaded through a Smart Action. `photo_type` is
 * `photo` in the examples; the screenshot values are not documented, so it is any string.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/apps-api-call
 * doc-example
 */
export const PhotoSchema = z.object({
  id: IntegerIdSchema,
  photo_type: z.string().nullish(),
  url: z.string().nullish(),
})
export type Photo = z.infer<typeof PhotoSchema>
