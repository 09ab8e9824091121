import { defineContract, type ContractDefinition } from '../catalog/contract.js'
import { AppsApiCallSchema } from './apps-api-call.js'
import { AppsApiChatSchema } from './apps-api-chat.js'
import { AppsApiErrorSchema } from './apps-api-error.js'
import { CreateCallRequestSchema } from './create-call-request.js'
import { CreateSmsRequestSchema } from './create-sms-request.js'
import { CustomerFlagPayloadSchema } from './customer-flag.js'

export { AppsApiCallSchema } from './apps-api-call.js'
export type { AppsApiCall } from './apps-api-call.js'
export { AppsApiChatSchema } from './apps-api-chat.js'
export type { AppsApiChat } from './apps-api-chat.js'
export {
  RequestRecordingPermissionSchema,
  CreateOutboundCallRequestSchema,
  CreateIncomingCallRequestSchema,
  CreateScheduledCallRequestSchema,
  CreateCallRequestSchema,
} from './create-call-request.js'
export type {
  RequestRecordingPermission,
  CreateOutboundCallRequest,
  CreateIncomingCallRequest,
  CreateScheduledCallRequest,
  CreateCallRequest,
} from './create-call-request.js'
export { CreateSmsRequestSchema } from './create-sms-request.js'
export type { CreateSmsRequest } from './create-sms-request.js'
export {
  CustomerFlagSchema,
  CustomerFlagPatchTypoSchema,
  CustomerFlagPayloadSchema,
} from './customer-flag.js'
export type { CustomerFlag, CustomerFlagPatchTypo, CustomerFlagPayload } from './customer-flag.js'
export { AppsApiErrorSchema } from './apps-api-error.js'
export type { AppsApiError } from './apps-api-error.js'

const CALL_PAGE = 'https://docs.cloud.google.com/contact-center/ccai-platform/docs/apps-api-call'
const SMS_PAGE = 'https://docs.cloud.google.com/contact-center/ccai-platform/docs/apps-api-sms'

export const APPS_API_CONTRACTS: readonly ContractDefinition[] = [
  defineContract({
    id: 'apps-api.call',
    family: 'apps-api',
    title: 'Apps API call object (POST /apps/api/v1/calls response)',
    direction: { from: 'ccai-platform', to: 'api-client' },
    transport: 'http-response',
    schema: AppsApiCallSchema,
    source: { document: CALL_PAGE, section: 'Call object; example responses (reference §7.2)' },
    confidence: 'documented',
    notes:
      'Returned with 201 when the call is created; 202 (no body shown) when the agent must act in the adapter first. Nested objects are shared with the session metadata record.',
  }),
  defineContract({
    id: 'apps-api.chat',
    family: 'apps-api',
    title: 'Apps API chat object (POST /apps/api/v1/sms response)',
    direction: { from: 'ccai-platform', to: 'api-client' },
    transport: 'http-response',
    schema: AppsApiChatSchema,
    source: { document: SMS_PAGE, section: 'Example requests and responses (reference §7.3)' },
    confidence: 'documented',
    notes:
      'Returned with 200. The Manager API chat fields (message_count … transcript) come from a third-party schema.',
  }),
  defineContract({
    id: 'apps-api.createCall.request',
    family: 'apps-api',
    title: 'Create call request (POST /apps/api/v1/calls)',
    direction: { from: 'api-client', to: 'ccai-platform' },
    transport: 'http-request',
    schema: CreateCallRequestSchema,
    source: {
      document: CALL_PAGE,
      section: 'Outbound call; Incoming Call; Scheduled call (reference §7.2)',
    },
    confidence: 'documented',
    notes:
      'A union of the outbound, incoming and scheduled bodies, told apart by call_type. Deprecated call_type aliases (OutboundCall, IncomingCall, ScheduledCall) pass only in tolerant mode. HTTP Basic auth: subdomain / API token; 10 requests per second per customer.',
  }),
  defineContract({
    id: 'apps-api.createSms.request',
    family: 'apps-api',
    title: 'Outbound SMS request (POST /apps/api/v1/sms)',
    direction: { from: 'api-client', to: 'ccai-platform' },
    transport: 'http-request',
    schema: CreateSmsRequestSchema,
    source: { document: SMS_PAGE, section: 'Outbound SMS (reference §7.3)' },
    confidence: 'documented',
    notes:
      'agentId / agentEmail are camelCase on the wire. The deprecated chat_type "SMS" passes only in tolerant mode.',
  }),
  defineContract({
    id: 'apps-api.customerFlag',
    family: 'apps-api',
    title: 'Call customer flags (GET/PATCH /apps/api/v1/calls/:id/customer_flag)',
    direction: { from: 'ccai-platform', to: 'api-client' },
    transport: 'http-response',
    schema: CustomerFlagPayloadSchema,
    source: { document: CALL_PAGE, section: 'Get / Update reserved data attributes during a call' },
    confidence: 'documented',
    notes:
      'The same object is the PATCH request body (api-client → ccai-platform). The PATCH example spells repeat_customers; that spelling passes only in tolerant mode. The page shows type names ("boolean") instead of values.',
  }),
  defineContract({
    id: 'apps-api.error',
    family: 'apps-api',
    title: 'Apps API error body',
    direction: { from: 'ccai-platform', to: 'api-client' },
    transport: 'http-response',
    schema: AppsApiErrorSchema,
    source: {
      document: CALL_PAGE,
      section: 'Common API response codes; error examples (reference §7.1)',
    },
    confidence: 'doc-example',
    notes:
      'HTTP 400 for invalid requests and business refusals, 404 for an unknown subdomain; only visible in examples.',
  }),
]
