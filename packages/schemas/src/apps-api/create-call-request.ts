import { z } from 'zod'
import { IntegerIdSchema, IsoDateTimeSchema } from '../common/primitives.js'
import { tolerantOnly } from '../internal/modes.js'

/**
 * `recording_permission` on create-call requests (note the `recording_permission_` prefix, which
 * the call object's value does not have). Only evaluated when the queue asks the user for permission.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/apps-api-call
 * documented
 */
export const RequestRecordingPermissionSchema = z.enum([
  'recording_permission_not_asked',
  'recording_permission_denied',
  'recording_permission_granted',
])
export type RequestRecordingPermission = z.infer<typeof RequestRecordingPermissionSchema>

/**
 * Body of `POST /apps/api/v1/calls` creating an outbound call. One of `ticket_id` (wins) or
 * `end_user_number` is needed; the platform answers 400 otherwise, which the schema leaves to it.
 * The deprecated `call_type` alias `OutboundCall` is accepted in tolerant mode only.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/apps-api-call
 * documented
 */
export const CreateOutboundCallRequestSchema = z.object({
  call_type: z.union([z.literal('Voice Outbound (API)'), tolerantOnly(z.literal('OutboundCall'))]),
  agent_email: z.string(),
  ticket_id: z.string().nullish(),
  end_user_number: z.string().nullish(),
  /** Default outbound number when empty. */
  outbound_number: z.string().nullish(),
  /** ISO 639-1, default `en`. */
  lang: z.string().nullish(),
})
export type CreateOutboundCallRequest = z.infer<typeof CreateOutboundCallRequestSchema>

/**
 * Body of `POST /apps/api/v1/calls` creating an incoming call into an IVR or Web menu. The
 * deprecated alias `IncomingCall` is accepted in tolerant mode only.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/apps-api-call
 * documented
 */
export const CreateIncomingCallRequestSchema = z.object({
  call_type: z.union([z.literal('Voice Inbound (API)'), tolerantOnly(z.literal('IncomingCall'))]),
  menu_id: IntegerIdSchema,
  end_user_number: z.string(),
  lang: z.string().nullish(),
  ticket_id: z.string().nullish(),
  outbound_number: z.string().nullish(),
  recording_permission: RequestRecordingPermissionSchema.nullish(),
})
export type CreateIncomingCallRequest = z.infer<typeof CreateIncomingCallRequestSchema>

/**
 * Body of `POST /apps/api/v1/calls` scheduling a call into a Mobile or Web menu. `menu_id` may be
 * left out when `call_id` (the parent call) is given. The deprecated alias `ScheduledCall` is accepted
 * in tolerant mode only.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/apps-api-call
 * documented
 */
export const CreateScheduledCallRequestSchema = z.object({
  call_type: z.union([
    z.literal('Voice Scheduled (API)'),
    tolerantOnly(z.literal('ScheduledCall')),
  ]),
  menu_id: IntegerIdSchema.nullish(),
  call_id: IntegerIdSchema.nullish(),
  end_user_number: z.string(),
  lang: z.string().nullish(),
  ticket_id: z.string().nullish(),
  /** A future time, ISO 8601. */
  scheduled_at: IsoDateTimeSchema,
  recording_permission: RequestRecordingPermissionSchema.nullish(),
})
export type CreateScheduledCallRequest = z.infer<typeof CreateScheduledCallRequestSchema>

/**
 * Body of `POST /apps/api/v1/calls`: one of the three call kinds, told apart by `call_type` (so an
 * error names the fields of the kind the client asked for).
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/apps-api-call
 * documented
 */
export const CreateCallRequestSchema = z.discriminatedUnion('call_type', [
  CreateOutboundCallRequestSchema,
  CreateIncomingCallRequestSchema,
  CreateScheduledCallRequestSchema,
])
export type CreateCallRequest = z.infer<typeof CreateCallRequestSchema>
