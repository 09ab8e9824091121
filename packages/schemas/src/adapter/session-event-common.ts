import { z } from 'zod'
import { IntegerIdSchema } from '../common/primitives.js'

/**
 * Field groups that several adapter events share. They are plain shapes (not schemas) so each event
 * spreads them into its own `data` object and strict mode still closes that object.
 */

/**
 * The session type string of an adapter event. Kept a free string: the seed's list of session types
 * ("Voice Campaign", "Messaging (Web)", …) does not match the strings its own examples carry
 * ("Voice Campaign (UJET)", "messaging inbound (web chat)", "Messaging Inbound (Web Chat)"), and casing
 * is not normalised, so no closed vocabulary can be honestly derived.
 *
 * @see seeds/000_2170762ce078838e.txt, Agent adapters › Interaction / Session Types; reference §3.2
 * confidence: doc-example
 */
export const AdapterSessionTypeSchema = z.string()
export type AdapterSessionType = z.infer<typeof AdapterSessionTypeSchema>

/**
 * A free-form object of variables (`va_data_parameters`, `session_variable`, `custom_sip_headers`).
 * The docs say "object" and name no keys, because the keys are configured per tenant.
 *
 * @see seeds/000_2170762ce078838e.txt, Agent adapters › Data for events; reference §3.2
 * confidence: documented
 */
export const AdapterVariablesSchema = z.record(z.string(), z.unknown())
export type AdapterVariables = z.infer<typeof AdapterVariablesSchema>

/**
 * SDK custom data (`custom_data_secured` / `custom_data_not_secured`). The docs only say "signed,
 * custom data from your server" / "unsigned, custom data from your web page" without a shape, so
 * both a decoded object and a still-encoded string are accepted.
 *
 * @see seeds/000_2170762ce078838e.txt, Agent adapters › Data for events
 * confidence: inferred
 */
export const AdapterCustomDataSchema = z.union([z.record(z.string(), z.unknown()), z.string()])
export type AdapterCustomData = z.infer<typeof AdapterCustomDataSchema>

/** The handling agent: `agent_id`, `agent_email` and the optional profile `agent_custom_id`. */
export const agentFieldsShape = {
  agent_id: IntegerIdSchema,
  /** Absent when the agent profile has no custom id; `End_Chat`'s example sends `null`. */
  agent_custom_id: z.string().nullish(),
  agent_email: z.email(),
}

/** The two SDK custom-data fields every session and co-browse event may carry. */
export const customDataShape = {
  custom_data_secured: AdapterCustomDataSchema.nullish(),
  custom_data_not_secured: AdapterCustomDataSchema.nullish(),
}

/** The campaign fields, present for campaign calls only. */
export const campaignShape = {
  campaign_id: IntegerIdSchema.nullish(),
  campaign_name: z.string().nullish(),
}

/**
 * The optional fields any session event may carry (reference §3.2): virtual agent, SIP headers,
 * SDK custom data, campaign, and the queue the session came from. All `.nullish()`: the docs say
 * "included when …" (absent), and the `End_Chat` example sends explicit `null`s.
 */
export const sessionEventCommonShape = {
  virtual_agent_id: IntegerIdSchema.nullish(),
  va_data_parameters: AdapterVariablesSchema.nullish(),
  session_variable: AdapterVariablesSchema.nullish(),
  custom_sip_headers: AdapterVariablesSchema.nullish(),
  ...customDataShape,
  ...campaignShape,
  queue_id: IntegerIdSchema.nullish(),
  queue_path: z.string().nullish(),
}
