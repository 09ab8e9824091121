import { z } from 'zod'
import { UjetActionMessageSchema } from './ujet-action-message.js'
import { UjetComplexMessageSchema } from './ujet-complex-payload.js'
import { UjetDocumentMessageSchema } from './ujet-document-payload.js'
import { UjetImageMessageSchema } from './ujet-image-payload.js'
import { UjetInlineButtonMessageSchema } from './ujet-inline-button-payload.js'
import { UjetSessionVariablePayloadSchema } from './ujet-session-variable-payload.js'
import { UjetStickyButtonMessageSchema } from './ujet-sticky-button-payload.js'
import { UjetTextMessageSchema } from './ujet-text-payload.js'
import { UjetVideoMessageSchema } from './ujet-video-payload.js'

/**
 * The `ujet` object of a typed custom payload, told apart by `type`; `action` payloads are told
 * apart further by `action`.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/va-custom-payload
 * confidence: documented (the `type` vocabulary); see each member for its fields
 */
export const UjetMessageSchema = z.discriminatedUnion('type', [
  UjetTextMessageSchema,
  UjetInlineButtonMessageSchema,
  UjetStickyButtonMessageSchema,
  UjetImageMessageSchema,
  UjetVideoMessageSchema,
  UjetDocumentMessageSchema,
  UjetComplexMessageSchema,
  UjetActionMessageSchema,
])
export type UjetMessage = z.infer<typeof UjetMessageSchema>

/**
 * A Dialogflow custom payload with a typed `ujet` message or action.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/va-custom-payload
 * confidence: documented
 */
export const UjetCustomPayloadSchema = z.object({
  ujet: UjetMessageSchema,
})
export type UjetCustomPayload = z.infer<typeof UjetCustomPayloadSchema>

/**
 * Any Dialogflow custom payload the CCAI Platform understands: a typed `ujet` message or action, or
 * a bare `ujet.session_variable`. The bare form has no `type`, so this is a plain union and its error
 * report for a payload that fits neither form names only one form's issues; to report against the
 * intended form, check with `selectVaCustomPayloadSchema(value)` instead.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/va-custom-payload
 * @see seeds/002_5e2fa59d62bac538.txt
 * confidence: documented
 */
export const VaCustomPayloadSchema = z.union([
  UjetCustomPayloadSchema,
  UjetSessionVariablePayloadSchema,
])
export type VaCustomPayload = z.infer<typeof VaCustomPayloadSchema>

/**
 * Picks the schema a custom payload is meant for: the bare session-variable form when `ujet` has no
 * `type`, else the typed form (whose discriminated union then names the exact member's issues).
 */
export function selectVaCustomPayloadSchema(
  value: unknown,
): typeof UjetCustomPayloadSchema | typeof UjetSessionVariablePayloadSchema {
  const ujet =
    typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)['ujet']
      : undefined
  const bare = typeof ujet === 'object' && ujet !== null && !('type' in ujet)
  return bare ? UjetSessionVariablePayloadSchema : UjetCustomPayloadSchema
}
