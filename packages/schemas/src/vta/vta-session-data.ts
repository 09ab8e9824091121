import { z } from 'zod'
import { EpochSecondsStringSchema, IntegerIdSchema } from '../common/primitives.js'
import { omittedIfUnavailable } from './vta-optional.js'

/**
 * Variables configured in the CCAI Platform portal and sent to the virtual task assistant. String
 * values in every example; the docs do not restrict the value type.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/post-events-for-vtas
 * confidence: documented (field), doc-example (value shape)
 */
export const VtaDataParametersSchema = z.record(z.string(), z.unknown())
export type VtaDataParameters = z.infer<typeof VtaDataParametersSchema>

/**
 * The data fields every VTA post event carries besides the session id. `participant_id` is not here:
 * the `Task_VA_Variables_Received` field list omits it (its example has it), so each event adds it.
 */
const vtaSessionFields = {
  /** Campaign calls only ("omitted if not available"). */
  campaign_id: omittedIfUnavailable(IntegerIdSchema),
  campaign_name: omittedIfUnavailable(z.string()),
  virtual_agent_id: IntegerIdSchema,
  virtual_agent_name: z.string(),
  /** Only when the session came from a queue. */
  queue_id: omittedIfUnavailable(IntegerIdSchema),
  queue_path: omittedIfUnavailable(z.string()),
  queue_language_id: omittedIfUnavailable(z.string()),
  /** e.g. `"Messaging Inbound (SMS)"`; the vocabulary (and its casing) is not closed in the docs. */
  session_type: z.string(),
  /**
   * Only for VA sessions that use a conversation profile. The example shows it without an
   * "omitted" remark, but a session without a profile has none, so it is optional (inferred).
   */
  conversation_id: omittedIfUnavailable(z.string()),
  /** Only for VA sessions without a conversation profile ("omitted if not available"). */
  session_id: omittedIfUnavailable(z.string()),
  /** Epoch seconds as a string (`"1727853575"`), unlike every other adapter event. */
  timestamp: EpochSecondsStringSchema,
  /** Named `data_parameters` here, `va_data_parameters` in the other adapter events. */
  data_parameters: VtaDataParametersSchema,
}

/**
 * `data` of a VTA post event in a voice (IVR) session: identified by `call_id`.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/post-events-for-vtas
 * @see seeds/002_5e2fa59d62bac538.txt
 * confidence: documented (every example is a chat; the call form is built from the field list)
 */
export const VtaCallSessionDataSchema = z.object({
  call_id: IntegerIdSchema,
  ...vtaSessionFields,
})
export type VtaCallSessionData = z.infer<typeof VtaCallSessionDataSchema>

/**
 * `data` of a VTA post event in a web or mobile chat session: identified by `chat_id`.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/post-events-for-vtas
 * @see seeds/002_5e2fa59d62bac538.txt
 * confidence: documented
 */
export const VtaChatSessionDataSchema = z.object({
  chat_id: IntegerIdSchema,
  ...vtaSessionFields,
})
export type VtaChatSessionData = z.infer<typeof VtaChatSessionDataSchema>

/**
 * Builds the `data` schema of one VTA event: the call form or the chat form, each with the event's
 * own extra fields. A plain union (no discriminator key exists); strict mode rejects a `data` that
 * carries both `call_id` and `chat_id`, since each closed form knows only its own id.
 */
export function vtaEventData<TExtra extends z.ZodRawShape>(extra: TExtra) {
  return z.union([VtaCallSessionDataSchema.extend(extra), VtaChatSessionDataSchema.extend(extra)])
}
