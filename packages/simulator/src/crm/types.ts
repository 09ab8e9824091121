import type { GenericApiVariable } from '@ccai-sim/schemas'

/*
 * The generic-API client's vocabulary, shared by the request builder, the CRM client, the flow
 * engine, the mock CRM and the MSW handlers. Facts: reference §5 and §8, seed 000.
 */

/** The eight endpoints of the portal's Developer Settings, as the settings file keys them. */
export const CRM_ENDPOINTS = [
  'find_account_by_query',
  'find_account_by_id',
  'create_account',
  'find_record_by_query',
  'create_record',
  'update_record',
  'upload_file',
  'comment',
] as const
export type CrmEndpointName = (typeof CRM_ENDPOINTS)[number]

/**
 * A session's generic-API variable values (`projectCrmVariables` in @ccai-sim/fixtures), plus the
 * ids the flow learns on the way (`ACCOUNT_ID`, `RECORD_ID`) and per-request ones (`COMMENT_BODY`,
 * `FILE_DATA`). An empty string is "no value": the documented rule is that it is omitted.
 */
export type CrmVariables = Readonly<Partial<Record<GenericApiVariable, string>>>

export type { PhonePurpose } from '@ccai-sim/fixtures'

/** A file to send to the Upload a file endpoint. */
export interface CrmUploadFile {
  readonly filename: string
  readonly contentType: string
  /**
   * The file's bytes. They may be made at each read (a session's recording is made from its seed,
   * not kept): read them once per request, and `byteLength` for the size alone.
   */
  readonly bytes: Uint8Array
  /** The bytes' length, when it is known without making them (else `bytes.byteLength`). */
  readonly byteLength?: number
}

export interface MultipartField {
  readonly name: string
  readonly value?: string
  readonly file?: CrmUploadFile
}

export type CrmRequestBody =
  | { readonly kind: 'json'; readonly json: unknown }
  | { readonly kind: 'multipart'; readonly fields: readonly MultipartField[] }

/** One HTTP request exactly as the platform would send it (before auth headers are applied). */
export interface CrmHttpRequest {
  readonly endpoint: CrmEndpointName
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body?: CrmRequestBody
  /** The settings' request timeout, in milliseconds. */
  readonly timeoutMs: number
}

export interface CrmHttpResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly bodyText: string
  /** The body parsed as JSON, when it is JSON. */
  readonly json?: unknown
  readonly durationMs: number
}

/** A request and what came back (or why nothing did), as the journal and reports show it. */
export interface CrmExchange {
  readonly request: CrmHttpRequest
  /** The headers actually sent, auth included (secrets masked). */
  readonly sentHeaders: Readonly<Record<string, string>>
  readonly response?: CrmHttpResponse
  /** `timeout`, `connection reset`, … when there was no response. */
  readonly error?: string
}
