import { z } from 'zod'
import { IntegerIdSchema } from '../common/primitives.js'

/**
 * A virtual agent named inside the record: `from_virtual_agent`/`to_virtual_agent` on transfers and
 * escalations, `virtual_agent` on virtual-agent handle durations. Only the names of these keys are
 * documented; `{id, name}` is what a third-party parser reads, `avatar_url`/`va_alias` follow the
 * `agent_info` virtual-agent variant.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/call-session-metadata?hl=zh-cn
 * inferred
 */
export const VirtualAgentRefSchema = z.object({
  id: IntegerIdSchema,
  name: z.string().nullish(),
  avatar_url: z.string().nullish(),
  va_alias: z.string().nullish(),
})
export type VirtualAgentRef = z.infer<typeof VirtualAgentRefSchema>
