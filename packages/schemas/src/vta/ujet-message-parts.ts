import { z } from 'zod'
import { UrlSchema } from '../common/primitives.js'
import { tolerantOnly } from '../internal/modes.js'
import { SessionVariableSchema } from './session-variable.js'

/**
 * A chat button of an `inline_button` / `sticky_button` payload. The docs show only
 * `"quick_reply"` as `action`; Google's own button-building sample passes other strings through, so
 * tolerant mode accepts any string and strict mode only the documented one.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/va-custom-payload
 * confidence: doc-example
 */
export const UjetButtonSchema = z.object({
  title: z.string(),
  action: z.union([z.literal('quick_reply'), tolerantOnly(z.string())]),
})
export type UjetButton = z.infer<typeof UjetButtonSchema>

/**
 * An image, video or document of a custom payload: its URL and the alternate text shown when it
 * fails to load.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/va-custom-payload
 * confidence: doc-example (images, videos); inferred for documents (that part of the page was not readable)
 */
export const UjetMediaItemSchema = z.object({
  url: UrlSchema,
  text: z.string().nullish(),
})
export type UjetMediaItem = z.infer<typeof UjetMediaItemSchema>

/** Who asked for the hand-off: `by_virtual_agent` is a planned transfer, `by_consumer` an escalation. */
export const EscalationReasonSchema = z.enum(['by_consumer', 'by_virtual_agent'])
export type EscalationReason = z.infer<typeof EscalationReasonSchema>

/**
 * Keys the docs' single `ujet` template shows next to every `type`: a heading for the message and
 * a session variable to capture along with it.
 */
export const ujetMessageBaseFields = {
  /** "message displayed on the top of the message". */
  title: z.string().nullish(),
  session_variable: SessionVariableSchema.nullish(),
}
