import { z } from 'zod'
import { IntegerIdSchema, NumericStringIdSchema } from '../common/primitives.js'
import { tolerantOnly } from '../internal/modes.js'
import { EscalationReasonSchema, ujetMessageBaseFields } from './ujet-message-parts.js'

/**
 * The `ujet` object of an `action` / `escalation` custom payload: hand the session over to a queue
 * (a human agent, or with `allow_virtual_agent: true` another virtual agent in that queue).
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/va-custom-payload
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/va-to-va-transfers (`menu_id`, `allow_virtual_agent`, `language`)
 * confidence: doc-example
 */
export const UjetEscalationActionMessageSchema = z.object({
  type: z.literal('action'),
  action: z.literal('escalation'),
  ...ujetMessageBaseFields,
  escalation_reason: EscalationReasonSchema,
  /**
   * The destination queue. An integer placeholder (`QUEUE_ID`) in the docs; public Dialogflow
   * playbooks send it as a string of digits (`"90"`), which tolerant mode accepts.
   */
  menu_id: z.union([IntegerIdSchema, tolerantOnly(NumericStringIdSchema)]).nullish(),
  /** `true` lets a virtual agent of the destination queue take the session (VA→VA transfer). */
  allow_virtual_agent: z.boolean().nullish(),
  /** Two-letter language code of the destination. */
  language: z.string().nullish(),
})
export type UjetEscalationActionMessage = z.infer<typeof UjetEscalationActionMessageSchema>

/**
 * Dialogflow custom payload asking CCAI Platform to escalate the session to a queue.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/va-custom-payload
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/va-to-va-transfers
 * confidence: doc-example
 */
export const UjetEscalationActionPayloadSchema = z.object({
  ujet: UjetEscalationActionMessageSchema,
})
export type UjetEscalationActionPayload = z.infer<typeof UjetEscalationActionPayloadSchema>
