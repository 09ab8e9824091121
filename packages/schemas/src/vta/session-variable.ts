import { z } from 'zod'

/**
 * Where the values of a custom session-variable payload go: `event` → VTA post events, `agent` → the
 * agent adapter, `comment` → a comment on the CRM record, `data_parameters` → passed on to the next
 * virtual agent of a VA→VA transfer. The pages never list the vocabulary as closed.
 *
 * @see seeds/002_5e2fa59d62bac538.txt (event, agent, comment)
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/va-to-va-transfers ("session variables with the data_parameters capture type")
 * confidence: documented
 */
export const CaptureTypeSchema = z.enum(['event', 'agent', 'comment', 'data_parameters'])
export type CaptureType = z.infer<typeof CaptureTypeSchema>

/**
 * What a session-variable payload captures: its own `payload` object, or the end user's next reply.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/va-custom-payload
 * confidence: documented
 */
export const CaptureTargetSchema = z.enum(['payload', 'end_user_response'])
export type CaptureTarget = z.infer<typeof CaptureTargetSchema>

/**
 * Values of `payload` are Dialogflow parameter references (`"$session.params.favfood"`) in every
 * example; Dialogflow substitutes them before CCAI sees them, so any JSON value may arrive.
 */
const CapturedPayloadSchema = z.record(z.string(), z.unknown())

const sessionVariableVisibilityFields = {
  capture_type: z.array(CaptureTypeSchema).nullish(),
  /** Keys hidden in the agent adapter and not sent to the CRM. */
  invisible_to_agent: z.array(z.string()).nullish(),
  /** Keys left out of the VTA post events. */
  invisible_to_adapter_events: z.array(z.string()).nullish(),
  /**
   * Order of keys in the adapter and on the CRM record. The value shape is not readable in the
   * docs; an array of keys is assumed.
   */
  display_order_in_adapter: z.array(z.string()).nullish(),
}

/**
 * A session variable that captures its own `payload` object (`capture_target` `"payload"`, which
 * every example spells out; absence is accepted because no page calls the key required).
 *
 * @see seeds/002_5e2fa59d62bac538.txt ("用于自定义会话变量的 Dialogflow 载荷")
 * @see https://cloud.google.com/contact-center/ccai-platform/docs/session-data-agent-adapter
 * confidence: documented
 */
export const PayloadSessionVariableSchema = z.object({
  capture_target: z.literal('payload').nullish(),
  payload: CapturedPayloadSchema,
  ...sessionVariableVisibilityFields,
})
export type PayloadSessionVariable = z.infer<typeof PayloadSessionVariableSchema>

/**
 * A session variable that captures the end user's reply under `capture_key`.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/va-custom-payload
 * confidence: documented (field names and values); the requirement of `capture_key` is inferred
 */
export const EndUserResponseSessionVariableSchema = z.object({
  capture_target: z.literal('end_user_response'),
  capture_key: z.string(),
  /** The docs template shows an empty `payload` beside `capture_key`. */
  payload: CapturedPayloadSchema.nullish(),
  ...sessionVariableVisibilityFields,
})
export type EndUserResponseSessionVariable = z.infer<typeof EndUserResponseSessionVariableSchema>

/**
 * `ujet.session_variable` of a Dialogflow custom payload: the payload-capturing or the
 * reply-capturing form. A plain union: `capture_target` may be absent in the payload form.
 *
 * @see seeds/002_5e2fa59d62bac538.txt
 * @see https://cloud.google.com/contact-center/ccai-platform/docs/session-data-agent-adapter
 * confidence: documented
 */
export const SessionVariableSchema = z.union([
  PayloadSessionVariableSchema,
  EndUserResponseSessionVariableSchema,
])
export type SessionVariable = z.infer<typeof SessionVariableSchema>
