import { z } from 'zod'
import { IntegerIdSchema } from '../common/primitives.js'

/**
 * `agent_number`: a string or null in the call examples, an integer in the SMS example (`9`) and the
 * third-party schema — so either.
 */
export const AgentNumberSchema = z.union([z.string(), z.int()]).nullish()
export type AgentNumber = z.infer<typeof AgentNumberSchema>

/**
 * The human-agent variant of `agent_info` (also the shape of `from_agent`/`to_agent` on transfers).
 * The metadata page says it carries `email`; the Apps API call examples omit it, so it is optional.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/call-session-metadata
 * documented
 */
export const HumanAgentInfoSchema = z.object({
  id: IntegerIdSchema,
  name: z.string().nullish(),
  avatar_url: z.string().nullish(),
  email: z.string().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  agent_number: AgentNumberSchema,
})
export type HumanAgentInfo = z.infer<typeof HumanAgentInfoSchema>

/**
 * The virtual-agent variant of `agent_info`: the shared fields plus `va_alias`, without the human
 * fields.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/call-session-metadata
 * documented
 */
export const VirtualAgentInfoSchema = z.object({
  id: IntegerIdSchema,
  name: z.string().nullish(),
  avatar_url: z.string().nullish(),
  va_alias: z.string(),
})
export type VirtualAgentInfo = z.infer<typeof VirtualAgentInfoSchema>

/**
 * `agent_info`, the record's last handler: a virtual agent when `va_alias` is present, otherwise a
 * human agent. The key may be absent (no handler, or both a VA and a human) and is `null` in REST API
 * objects before assignment — the fields that hold it are `.nullish()`. The VA variant comes first
 * because its `va_alias` is required, while the human variant's `email` is not.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/call-session-metadata?hl=zh-cn
 * documented
 */
export const AgentInfoSchema = z.union([VirtualAgentInfoSchema, HumanAgentInfoSchema])
export type AgentInfo = z.infer<typeof AgentInfoSchema>

/** Which handler an `agent_info` describes; the documents say to detect it by `va_alias` vs `email`. */
export function agentInfoKind(info: AgentInfo): 'virtual_agent' | 'human' {
  return 'va_alias' in info && typeof info.va_alias === 'string' ? 'virtual_agent' : 'human'
}

/** True for the virtual-agent variant of `agent_info`. */
export function isVirtualAgentInfo(info: AgentInfo): info is VirtualAgentInfo {
  return agentInfoKind(info) === 'virtual_agent'
}
