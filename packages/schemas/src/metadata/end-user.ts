import { z } from 'zod'
import { IntegerIdSchema } from '../common/primitives.js'

/**
 * `end_user`: the customer of the session, with the CRM contact id when one is linked.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/apps-api-call
 * doc-example
 */
export const EndUserSchema = z.object({
  id: IntegerIdSchema,
  identifier: z.string().nullish(),
  /** The CRM contact id. */
  out_contact_id: z.string().nullish(),
})
export type EndUser = z.infer<typeof EndUserSchema>
