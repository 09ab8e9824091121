import { defineContract, type ContractDefinition } from '../catalog/contract.js'
import { CommentRequestSchema } from './comment-request.js'
import { CreateRecordRequestSchema } from './create-record-request.js'
import { CrmIntegrationSettingsSchema } from './crm-integration-settings.js'
import { CrmLookupUrlSettingsSchema } from './crm-lookup-url-settings.js'
import { FindAccountResponseSchema } from './find-account-response.js'
import { FindRecordResponseSchema } from './find-record-response.js'
import { UploadFileRequestSchema } from './upload-file-request.js'
import { UploadFileResponseSchema } from './upload-file-response.js'

export {
  GENERIC_API_VARIABLES,
  ATTACHMENT_BUILDER_URL_VARIABLES,
  LOOKUP_URL_VARIABLES,
  LOOKUP_URL_CHANNELS,
  LOOKUP_URL_CALL_TYPES,
  LOOKUP_URL_CHAT_TYPES,
  PARAMETER_FUNCTIONS,
  COMMENT_EVENTS,
  PARAMETER_VALUE_PATTERN,
  PARAMETER_VALUE_LOOSE_PATTERN,
  GENERIC_API_URL_PATTERN,
  ATTACHMENT_BUILDER_URL_PATTERN,
  LOOKUP_URL_PATTERN,
  ANY_VARIABLE_URL_PATTERN,
  templateVariables,
  parameterFunction,
} from './generic-api-vocabulary.js'
export type {
  GenericApiVariable,
  AttachmentBuilderUrlVariable,
  LookupUrlVariable,
  LookupUrlChannel,
  LookupUrlType,
  ParameterFunction,
  CommentEvent,
} from './generic-api-vocabulary.js'
export {
  ParameterValueSchema,
  GenericApiUrlTemplateSchema,
  AttachmentBuilderUrlTemplateSchema,
  LookupUrlTemplateSchema,
} from './template-string.js'
export type {
  ParameterValue,
  GenericApiUrlTemplate,
  AttachmentBuilderUrlTemplate,
  LookupUrlTemplate,
} from './template-string.js'
export {
  PHONE_NUMBER_FORMATS,
  PhoneNumberFormatSchema,
  PHONE_NUMBER_FORMAT_LABELS,
  PHONE_NUMBER_FORMAT_EXAMPLES,
} from './phone-number-format.js'
export type { PhoneNumberFormat } from './phone-number-format.js'
export {
  CrmBasicAuthenticationSchema,
  CrmCustomHeaderFieldSchema,
  CrmCustomHeaderAuthenticationSchema,
  OAUTH2_GRANT_TYPES,
  CrmOAuth2AuthenticationSchema,
  CrmAuthenticationSchema,
} from './crm-authentication.js'
export type {
  CrmBasicAuthentication,
  CrmCustomHeaderField,
  CrmCustomHeaderAuthentication,
  CrmOAuth2Authentication,
  CrmAuthentication,
} from './crm-authentication.js'
export { EndpointParameterSchema } from './endpoint-parameter.js'
export type { EndpointParameter } from './endpoint-parameter.js'
export {
  PropertyRequestDataFormatSchema,
  CONTAINER_TYPES,
  ContainerRequestDataFormatSchema,
  RequestDataFormatSchema,
} from './request-data-format.js'
export type {
  PropertyRequestDataFormat,
  ContainerRequestDataFormat,
  RequestDataFormat,
} from './request-data-format.js'
export {
  ENDPOINT_METHODS,
  BODY_METHODS,
  DataLocationSchema,
  EndpointConfigSchema,
  FindEndpointConfigSchema,
  CreateEndpointConfigSchema,
  UPLOAD_TYPES,
  UPLOAD_FILE_KINDS,
  IdAttachmentTypeSchema,
  UrlAttachmentTypeSchema,
  AttachmentTypeSchema,
  UploadFileEndpointConfigSchema,
  CommentEndpointConfigSchema,
  CrmEndpointsSchema,
} from './endpoint-config.js'
export type {
  EndpointMethod,
  DataLocation,
  EndpointConfig,
  FindEndpointConfig,
  CreateEndpointConfig,
  UploadFileKind,
  IdAttachmentType,
  UrlAttachmentType,
  AttachmentType,
  UploadFileEndpointConfig,
  CommentEndpointConfig,
  CrmEndpoints,
} from './endpoint-config.js'
export { CRM_LOOKUP_METHODS } from './custom-crm-common.js'
export type { CrmLookupMethod } from './custom-crm-common.js'
export {
  REQUEST_TIMEOUT_SECONDS,
  CrmIntegrationSettingsSchema,
} from './crm-integration-settings.js'
export type { RequestTimeoutSeconds, CrmIntegrationSettings } from './crm-integration-settings.js'
export { CrmLookupUrlSettingsSchema } from './crm-lookup-url-settings.js'
export type { CrmLookupUrlSettings } from './crm-lookup-url-settings.js'
export { CrmDeveloperSettingsSchema } from './crm-developer-settings.js'
export type { CrmDeveloperSettings } from './crm-developer-settings.js'
export { genericApiCapabilities } from './generic-api-capabilities.js'
export type { GenericApiCapabilities } from './generic-api-capabilities.js'
export { CrmIdSchema } from './crm-id.js'
export type { CrmId } from './crm-id.js'
export { FindAccountResponseSchema } from './find-account-response.js'
export type { FindAccountResponse } from './find-account-response.js'
export { FindRecordResponseSchema } from './find-record-response.js'
export type { FindRecordResponse } from './find-record-response.js'
export { CreateRecordRequestSchema } from './create-record-request.js'
export type { CreateRecordRequest } from './create-record-request.js'
export { UploadFileRequestSchema } from './upload-file-request.js'
export type { UploadFileRequest } from './upload-file-request.js'
export { UploadFileResponseSchema } from './upload-file-response.js'
export type { UploadFileResponse } from './upload-file-response.js'
export { CommentRequestSchema } from './comment-request.js'
export type { CommentRequest } from './comment-request.js'

const SEED = 'seeds/000_2170762ce078838e.txt'
const ERROR_HANDLING =
  'https://docs.cloud.google.com/contact-center/ccai-platform/docs/custom-crm-generic-api-error-handling'

const EXAMPLE_NOTE =
  'The keys of generic-API payloads are whatever the admin configured (parameters) or the CRM returns; this contract is the documents’ example shape, useful for the mock CRM and fixtures, not a fixed wire format.'

export const CRM_CONTRACTS: readonly ContractDefinition[] = [
  defineContract({
    id: 'crm.settings',
    family: 'crm',
    title: 'Custom CRM generic API integration settings (Developer Settings)',
    direction: { from: 'portal', to: 'ccai-platform' },
    transport: 'configuration',
    schema: CrmIntegrationSettingsSchema,
    source: {
      document: SEED,
      section:
        'Custom CRM generic API integration: API settings, API endpoints, Endpoint configuration',
    },
    confidence: 'documented',
    notes: `Mirrors the portal's settings with snake_case keys (labels mapped in JSDoc). skip_account_creation, skip_record_creation, response_data_location and custom_id_location are the platform's own names from ${ERROR_HANDLING}. Not documented, so decided here: the syntax of data locations (dot paths), OAuth grant type (optional grant_type, not a portal field), and how parameter values are typed in a JSON body (always strings here).`,
  }),
  defineContract({
    id: 'crm.lookupUrl.settings',
    family: 'crm',
    title: 'Custom CRM lookup URL settings (Developer Settings)',
    direction: { from: 'portal', to: 'ccai-platform' },
    transport: 'configuration',
    schema: CrmLookupUrlSettingsSchema,
    source: { document: SEED, section: 'Custom lookup URL details and configuration' },
    confidence: 'documented',
    notes:
      'The documents ask for two URLs (IVR/PSTN/SMS sessions and web/mobile SDK sessions) but do not show their portal labels; the keys are ours. Variables added in release 3.40 are assumed to use the same brace syntax.',
  }),
  defineContract({
    id: 'crm.findAccount.response',
    family: 'crm',
    title: 'Find an account (by query or by ID): the account object',
    direction: { from: 'crm', to: 'ccai-platform' },
    transport: 'http-response',
    schema: FindAccountResponseSchema,
    source: {
      document: SEED,
      section: 'Find an account by query endpoint; Find an account by ID endpoint',
    },
    confidence: 'doc-example',
    notes: `${EXAMPLE_NOTE} Both find-account endpoints show the same example. The platform reads the object at response_data_location; a 200 without it is "not found", a 404 from find by ID falls back to find by query.`,
  }),
  defineContract({
    id: 'crm.findRecord.response',
    family: 'crm',
    title: 'Find a record by query: the record object',
    direction: { from: 'crm', to: 'ccai-platform' },
    transport: 'http-response',
    schema: FindRecordResponseSchema,
    source: { document: SEED, section: 'Find a record by query' },
    confidence: 'doc-example',
    notes: `${EXAMPLE_NOTE} The found record is used only when the platform is configured to re-use existing records.`,
  }),
  defineContract({
    id: 'crm.createRecord.request',
    family: 'crm',
    title: 'Create a record: request body built from the parameters',
    direction: { from: 'ccai-platform', to: 'crm' },
    transport: 'http-request',
    schema: CreateRecordRequestSchema,
    source: { document: SEED, section: 'Create a record endpoint' },
    confidence: 'doc-example',
    notes: `${EXAMPLE_NOTE} The documents show no example response of either create endpoint (nor a create-account request); the platform only reads the new id at custom_id_location, see crm.settings.`,
  }),
  defineContract({
    id: 'crm.upload.request',
    family: 'crm',
    title: 'Upload a file: request fields (multipart or base64)',
    direction: { from: 'ccai-platform', to: 'crm' },
    transport: 'http-request',
    schema: UploadFileRequestSchema,
    source: { document: SEED, section: 'Upload a file endpoint' },
    confidence: 'doc-example',
    notes: `${EXAMPLE_NOTE} For a multipart form these are the form's parts, not a JSON body.`,
  }),
  defineContract({
    id: 'crm.upload.response',
    family: 'crm',
    title: 'Upload a file: the attachment id and download URL',
    direction: { from: 'crm', to: 'ccai-platform' },
    transport: 'http-response',
    schema: UploadFileResponseSchema,
    source: { document: SEED, section: 'Upload a file endpoint, Example A and Example B' },
    confidence: 'doc-example',
    notes: `${EXAMPLE_NOTE} The platform reads the id at attachment_id_location or the URL at attachment_url_location.`,
  }),
  defineContract({
    id: 'crm.comment.request',
    family: 'crm',
    title: 'Comment: request body',
    direction: { from: 'ccai-platform', to: 'crm' },
    transport: 'http-request',
    schema: CommentRequestSchema,
    source: { document: SEED, section: 'Comment endpoint' },
    confidence: 'doc-example',
    notes: EXAMPLE_NOTE,
  }),
]
