import { z } from 'zod'
import { DurationSecondsSchema, IntegerIdSchema } from '../common/primitives.js'
import { tolerantOnly } from '../internal/modes.js'
import { HumanAgentInfoSchema } from './agent-info.js'
import { CallFailReasonSchema, ChatFailReasonSchema } from './fail-reason.js'
import { MenuPathSchema } from './menu-path.js'
import { openVocabulary } from '../internal/modes.js'
import { DeflectionFieldSchema } from './session-vocabularies.js'
import { ConnectedAtSchema, OptionalTimestampSchema } from './timestamps.js'
import { VaTransferFailReasonSchema } from './virtual-agent-reason.js'
import { VirtualAgentRefSchema } from './virtual-agent-ref.js'

/**
 * Transfer `status`: only `transferring` is shown in the documents.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/apps-api-call
 * doc-example
 */
export const TransferStatusSchema = z.enum(['transferring'])
export type TransferStatus = z.infer<typeof TransferStatusSchema>

/**
 * Transfer `fail_reason`: the call or chat fail reasons, plus the virtual-agent `va_failure`.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/virtual-agent-reason-codes
 * documented
 */
export const TransferFailReasonSchema = z.union([
  CallFailReasonSchema,
  ChatFailReasonSchema,
  VaTransferFailReasonSchema,
])
export type TransferFailReason = z.infer<typeof TransferFailReasonSchema>

/**
 * One item of `transfers`. The API examples give `id`, `status`, `fail_reason`, `created_at`, the
 * menus and the agents; the metadata page adds `from_virtual_agent`/`to_virtual_agent`; the rest are
 * read from real files by third-party tools (Singer `tap-ujet`, a metadata parser) and are optional.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/apps-api-call
 * doc-example (API fields), documented (virtual-agent fields), inferred (third-party fields)
 */
export const TransferSchema = z.object({
  id: IntegerIdSchema,
  status: openVocabulary(TransferStatusSchema).nullish(),
  fail_reason: z.union([TransferFailReasonSchema, tolerantOnly(z.string())]).nullish(),
  created_at: OptionalTimestampSchema,
  updated_at: OptionalTimestampSchema,
  started_at: OptionalTimestampSchema,
  assigned_at: OptionalTimestampSchema,
  connected_at: ConnectedAtSchema,
  wait_duration: DurationSecondsSchema.nullish(),
  call_duration: DurationSecondsSchema.nullish(),
  deflection: DeflectionFieldSchema.nullish(),
  answer_type_path: z.string().nullish(),
  from_menu: MenuPathSchema.nullish(),
  to_menu: MenuPathSchema.nullish(),
  from_menu_path: MenuPathSchema.nullish(),
  to_menu_path: MenuPathSchema.nullish(),
  from_agent: HumanAgentInfoSchema.nullish(),
  to_agent: HumanAgentInfoSchema.nullish(),
  from_virtual_agent: VirtualAgentRefSchema.nullish(),
  to_virtual_agent: VirtualAgentRefSchema.nullish(),
  from_queue_priority_level: z.int().nullish(),
  to_queue_priority_level: z.int().nullish(),
  transfer_status: z.string().nullish(),
  transfer_cold: z.boolean().nullish(),
})
export type Transfer = z.infer<typeof TransferSchema>
