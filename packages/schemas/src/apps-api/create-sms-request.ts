import { z } from 'zod'
import { IntegerIdSchema } from '../common/primitives.js'
import { tolerantOnly } from '../internal/modes.js'

/**
 * Body of `POST /apps/api/v1/sms`, the outbound SMS that opens a chat session. The agent is chosen by
 * `agentId` or `agentEmail` — camelCase, unlike every other key. The deprecated `chat_type` `SMS` is
 * accepted in tolerant mode only. An empty `message` is refused by the platform ("message is required").
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/apps-api-sms
 * documented
 */
export const CreateSmsRequestSchema = z.object({
  chat_type: z.union([
    z.enum(['Messaging (API)', 'Messaging (SMS)']),
    tolerantOnly(z.literal('SMS')),
  ]),
  end_user_number: z.string(),
  outbound_number: z.string(),
  message: z.string().min(1),
  ticket_id: z.string().nullish(),
  agentId: IntegerIdSchema.nullish(),
  agentEmail: z.string().nullish(),
})
export type CreateSmsRequest = z.infer<typeof CreateSmsRequestSchema>
