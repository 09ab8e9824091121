import { z } from 'zod'
import { EndpointParameterSchema } from './endpoint-parameter.js'
import { RequestDataFormatSchema } from './request-data-format.js'
import {
  AttachmentBuilderUrlTemplateSchema,
  GenericApiUrlTemplateSchema,
} from './template-string.js'

/** Request methods of an endpoint (portal: POST, GET, PUT, PATCH). */
export const ENDPOINT_METHODS = ['POST', 'GET', 'PUT', 'PATCH'] as const
export type EndpointMethod = (typeof ENDPOINT_METHODS)[number]
/** The methods with a body, for which the portal offers Request Data Format. */
export const BODY_METHODS = ['POST', 'PUT', 'PATCH'] as const

/**
 * Where a value sits in the CRM's JSON response. The documents do not give the syntax; ccai-sim
 * reads it as a dot-separated path whose numeric segments index arrays (`data`, `list.0`,
 * `data.0.details.id`); absent or empty means the response root.
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/custom-crm-generic-api-error-handling
 * Confidence: documented (the setting); inferred (the path syntax).
 */
export const DataLocationSchema = z.string()
export type DataLocation = z.infer<typeof DataLocationSchema>

/** Settings every endpoint has (seed 000, Endpoint configuration). */
const commonShape = {
  /** Request URL: the endpoint's URL; may hold variables (`…/contact/{ACCOUNT_ID}`). */
  url: GenericApiUrlTemplateSchema,
  /** Parameters: as many key/value rows as needed; none means no query string or an empty body. */
  parameters: z.array(EndpointParameterSchema).nullish(),
  /**
   * Response Data Location: where the target object is in the response (platform name
   * `response_data_location`). Only find and create endpoints read ids from it.
   */
  response_data_location: DataLocationSchema.nullish(),
}

/** Request Data Format, offered by the portal only for POST/PUT/PATCH; absent means Property. */
const bodyShape = {
  request_data_format: RequestDataFormatSchema.nullish(),
}

/**
 * One endpoint of the generic API: Request URL, method, parameters, Response Data Location, and for
 * POST/PUT/PATCH the Request Data Format. Keyed by `method`, because GET has no body to format.
 * @see seeds/000_2170762ce078838e.txt (API endpoints, Endpoint configuration)
 * Confidence: documented.
 */
export const EndpointConfigSchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('GET'), ...commonShape }),
  z.object({ method: z.enum(BODY_METHODS), ...commonShape, ...bodyShape }),
])
export type EndpointConfig = z.infer<typeof EndpointConfigSchema>

/**
 * A find endpoint (Find an account by query, Find an account by ID, Find a record by query). A
 * `200` with nothing at `response_data_location` means "not found". Find by ID is used only when
 * its URL holds `{ACCOUNT_ID}`; a `404` from it falls back to find by query.
 * @see seeds/000_2170762ce078838e.txt (API account; API record)
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/custom-crm-generic-api-error-handling
 * Confidence: documented.
 */
export const FindEndpointConfigSchema = EndpointConfigSchema
export type FindEndpointConfig = z.infer<typeof FindEndpointConfigSchema>

const createShape = {
  /**
   * Where the new id is, inside the object at `response_data_location` (platform name
   * `custom_id_location`; the portal label is not documented). A `2xx` without an id there counts
   * as success and is not retried; later steps then run without the id.
   */
  custom_id_location: DataLocationSchema.nullish(),
}

/**
 * A create endpoint (Create an account, Create a record): as any endpoint, plus the location of
 * the new id in the response.
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/custom-crm-generic-api-error-handling
 * Confidence: documented.
 */
export const CreateEndpointConfigSchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('GET'), ...commonShape, ...createShape }),
  z.object({ method: z.enum(BODY_METHODS), ...commonShape, ...bodyShape, ...createShape }),
])
export type CreateEndpointConfig = z.infer<typeof CreateEndpointConfigSchema>

/** Upload Type: `base64` (portal: Base64 encoded form) or `multipart` (portal: Multipart form). */
export const UPLOAD_TYPES = ['base64', 'multipart'] as const

/**
 * Files to attach (portal checkboxes): Call recordings, Chat transcripts, Voicemails, Photos,
 * Videos, Session metadata file.
 */
export const UPLOAD_FILE_KINDS = [
  'call_recordings',
  'chat_transcripts',
  'voicemails',
  'photos',
  'videos',
  'session_metadata_file',
] as const
export type UploadFileKind = (typeof UPLOAD_FILE_KINDS)[number]

/**
 * Attachment Type → ID: the response holds the attachment's id (at `attachment_id_location`, portal:
 * Attachment ID), which becomes `{ATTACHMENT_ID}` in the Attachment Builder URL that agents and
 * reports use to download the file.
 * @see seeds/000_2170762ce078838e.txt (Upload a file endpoint)
 * Confidence: documented.
 */
export const IdAttachmentTypeSchema = z.object({
  type: z.literal('id'),
  attachment_id_location: DataLocationSchema,
  attachment_builder_url: AttachmentBuilderUrlTemplateSchema,
})
export type IdAttachmentType = z.infer<typeof IdAttachmentTypeSchema>

/**
 * Attachment Type → Attachment URL: the response holds the file's download URL, at
 * `attachment_url_location` (portal: the location of the download URL in the JSON response).
 * @see seeds/000_2170762ce078838e.txt (Upload a file endpoint)
 * Confidence: documented.
 */
export const UrlAttachmentTypeSchema = z.object({
  type: z.literal('attachment_url'),
  attachment_url_location: DataLocationSchema,
})
export type UrlAttachmentType = z.infer<typeof UrlAttachmentTypeSchema>

/**
 * Attachment Type: how the upload response identifies the stored file.
 * @see seeds/000_2170762ce078838e.txt (Upload a file endpoint)
 * Confidence: documented.
 */
export const AttachmentTypeSchema = z.discriminatedUnion('type', [
  IdAttachmentTypeSchema,
  UrlAttachmentTypeSchema,
])
export type AttachmentType = z.infer<typeof AttachmentTypeSchema>

/**
 * The Upload a file endpoint. The file travels in the parameter whose value is `{FILE_DATA}`: a
 * base64 string (`base64`) or a multipart file part (`multipart`). The documents show it with
 * POST/PUT/PATCH only, and a file needs a body, so GET is not accepted here.
 * @see seeds/000_2170762ce078838e.txt (Upload a file endpoint)
 * Confidence: documented.
 */
export const UploadFileEndpointConfigSchema = z.object({
  method: z.enum(BODY_METHODS),
  ...commonShape,
  ...bodyShape,
  /** Type: how the file is encoded. */
  upload_type: z.enum(UPLOAD_TYPES),
  /** Which files to upload after a session; none checked means none. */
  files_to_attach: z.array(z.enum(UPLOAD_FILE_KINDS)).nullish(),
  attachment_type: AttachmentTypeSchema,
  /** Add comment to CRM record: comment on the record after each upload, in the Comment endpoint's Text Format. */
  add_comment_to_record: z.boolean().nullish(),
})
export type UploadFileEndpointConfig = z.infer<typeof UploadFileEndpointConfigSchema>

const commentShape = {
  /** Text Format → Convert text to HTML: `{COMMENT_BODY}` is HTML when true, plain text otherwise. */
  convert_text_to_html: z.boolean().nullish(),
}

/**
 * The Comment endpoint: adds a comment to the record at session start and end, on CSAT, custom
 * data, transfers, dispositions and surveys (`COMMENT_EVENTS`); the text is `{COMMENT_BODY}`.
 * @see seeds/000_2170762ce078838e.txt (Comment endpoint)
 * Confidence: documented.
 */
export const CommentEndpointConfigSchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('GET'), ...commonShape, ...commentShape }),
  z.object({ method: z.enum(BODY_METHODS), ...commonShape, ...bodyShape, ...commentShape }),
])
export type CommentEndpointConfig = z.infer<typeof CommentEndpointConfigSchema>

/**
 * The API endpoints section. Every endpoint is optional, but features need chains of them: account
 * lookup needs Find an account and Create an account; record lookup and creation need the account
 * endpoints; record update, upload and comment need the record endpoints (see
 * `genericApiCapabilities`). Portal label → key: Find an account by query →
 * `find_account_by_query` (formerly "Find an account"), Find an account by ID →
 * `find_account_by_id`, Create an account → `create_account`, Find a record by query →
 * `find_record_by_query` (formerly "Find a record"), Create a record → `create_record`, Update a
 * record → `update_record`, Upload a file → `upload_file`, Comment → `comment`.
 * @see seeds/000_2170762ce078838e.txt (API endpoints; API account; API record)
 * Confidence: documented.
 */
export const CrmEndpointsSchema = z.object({
  find_account_by_query: FindEndpointConfigSchema.nullish(),
  find_account_by_id: FindEndpointConfigSchema.nullish(),
  create_account: CreateEndpointConfigSchema.nullish(),
  find_record_by_query: FindEndpointConfigSchema.nullish(),
  create_record: CreateEndpointConfigSchema.nullish(),
  /** Updates the record's title and description, and on events (CSAT, session end, queue, verification…). */
  update_record: EndpointConfigSchema.nullish(),
  upload_file: UploadFileEndpointConfigSchema.nullish(),
  comment: CommentEndpointConfigSchema.nullish(),
})
export type CrmEndpoints = z.infer<typeof CrmEndpointsSchema>
