import { z } from 'zod'
import { tolerantOnly } from '../internal/modes.js'

/**
 * The reserved data attributes of a call (`GET`/`PATCH /apps/api/v1/calls/:id/customer_flag`): the
 * GET response and the PATCH body. The page's examples show the type names (`"boolean"`) as values.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/apps-api-call
 * documented
 */
export const CustomerFlagSchema = z.object({
  verified_customer: z.boolean(),
  bad_actor: z.boolean(),
  repeat_customer: z.boolean(),
})
export type CustomerFlag = z.infer<typeof CustomerFlagSchema>

/**
 * The PATCH example's spelling `repeat_customers` (a doc typo, most likely): accepted in tolerant mode
 * only, so a client copying the example is not rejected.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/apps-api-call
 * doc-example
 */
export const CustomerFlagPatchTypoSchema = z.object({
  verified_customer: z.boolean(),
  bad_actor: z.boolean(),
  repeat_customers: z.boolean(),
})
export type CustomerFlagPatchTypo = z.infer<typeof CustomerFlagPatchTypoSchema>

/** `customer_flag` as it may arrive: the documented shape, or (tolerant only) the PATCH example's typo. */
export const CustomerFlagPayloadSchema = z.union([
  CustomerFlagSchema,
  tolerantOnly(CustomerFlagPatchTypoSchema),
])
export type CustomerFlagPayload = z.infer<typeof CustomerFlagPayloadSchema>
