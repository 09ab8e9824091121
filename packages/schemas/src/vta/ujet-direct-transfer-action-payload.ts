import { z } from 'zod'
import { IntegerIdSchema } from '../common/primitives.js'
import { EscalationReasonSchema, ujetMessageBaseFields } from './ujet-message-parts.js'

/**
 * The `ujet` object of an `action` / `direct` custom payload: transfer a voice session from a
 * virtual agent straight to one human agent, named by extension number (recommended: only extension
 * transfers honour queue deflections) or by agent id.
 *
 * Exactly one of `agent_extension` / `agent_id` must be present. The two forms share
 * `action: "direct"`, so they cannot be two members of the discriminated union on `action`; a
 * refinement states the rule instead.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/virtual-agent-to-human-agent-transfers ("Custom payload using an agent extension")
 * confidence: documented (extension form); the agent-id form's key name `agent_id` is inferred —
 * the page announces the variant, its example was not readable
 */
export const UjetDirectTransferActionMessageSchema = z
  .object({
    type: z.literal('action'),
    action: z.literal('direct'),
    ...ujetMessageBaseFields,
    /** `by_virtual_agent`: a planned transfer; `by_consumer`: an escalation. */
    escalation_reason: EscalationReasonSchema,
    /** `false` in the documented example: the target is a human agent. */
    allow_virtual_agent: z.boolean().nullish(),
    /** The agent's extension number (an unquoted number in the docs). */
    agent_extension: z.int().nonnegative().nullish(),
    agent_id: IntegerIdSchema.nullish(),
    /**
     * The queue (menu) to fall back to when the transfer to the agent fails. Shown in the example;
     * the docs do not say whether it may be left out.
     */
    fallback_menu: IntegerIdSchema.nullish(),
    /** Language code of the session, e.g. `"en"`. */
    language: z.string().nullish(),
  })
  .refine((message) => (message.agent_extension == null) !== (message.agent_id == null), {
    message: 'exactly one of agent_extension or agent_id',
    path: ['agent_extension'],
  })
export type UjetDirectTransferActionMessage = z.infer<typeof UjetDirectTransferActionMessageSchema>

/**
 * Dialogflow custom payload transferring a voice session from a virtual agent straight to one
 * human agent, skipping the queue.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/virtual-agent-to-human-agent-transfers
 * confidence: documented
 */
export const UjetDirectTransferActionPayloadSchema = z.object({
  ujet: UjetDirectTransferActionMessageSchema,
})
export type UjetDirectTransferActionPayload = z.infer<typeof UjetDirectTransferActionPayloadSchema>
