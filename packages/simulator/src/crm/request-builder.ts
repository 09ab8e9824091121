import type {
  CrmIntegrationSettings,
  EndpointParameter,
  RequestDataFormat,
} from '@ccai-sim/schemas'
import { formatPhoneNumber } from './phone-format.js'
import { evaluateParameterValue, substituteUrl } from './template.js'
import type {
  CrmEndpointName,
  CrmHttpRequest,
  CrmRequestBody,
  CrmVariables,
  MultipartField,
  PhonePurpose,
} from './types.js'

/*
 * The request builder: from integration settings and a session's variable values, the exact HTTP
 * request of one endpoint (seed 000, "Endpoint configuration", "Upload a file endpoint";
 * reference §5.1). Pure: nothing is sent, auth headers are added by the CRM client.
 *
 * Decisions where the documents are silent:
 * - GET parameters go to the query string, form-encoded in row order (`URLSearchParams`: space →
 *   `+`, `[` → `%5B`), after any query the Request URL already has.
 * - Values are JSON strings in a body (the portal takes text; the schema contract says the same).
 * - A key given on several rows: repeated in a query string or multipart form; in a JSON body its
 *   values become an array in row order (`{ "ids": ["1", "2"] }`), since JSON has no repeated keys.
 * - Multipart uploads are flat forms: `request_data_format` does not apply to them. The file goes
 *   in the field whose value names `{FILE_DATA}`; when no parameter does, in a field named `file`
 *   (the documents' example), so that the file is never silently left out.
 * - Every request asks for JSON (`Accept: application/json`).
 */

/** A file to send to the Upload a file endpoint. */
export interface CrmUploadFile {
  readonly filename: string
  readonly contentType: string
  readonly bytes: Uint8Array
}

/** What a request is built from: the session's variables and, for uploads, the file. */
export interface CrmRequestInput {
  readonly variables: CrmVariables
  readonly file?: CrmUploadFile
}

const FILE_DATA = '{FILE_DATA}'

/** Find endpoints search for a phone number; every other endpoint writes one (seed 000). */
export function phonePurposeOf(endpoint: CrmEndpointName): PhonePurpose {
  return endpoint.startsWith('find_') ? 'search' : 'create'
}

function bytesToBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
}

/**
 * The variables as the endpoint sends them: `{PHONE_NUMBER}` and `{OUTBOUND_PHONE_NUMBER}` in the
 * configured Phone Number Format for the endpoint's purpose, `{FILE_DATA}` as base64 when a file is
 * given (seed 000, Phone number format; Request URL Parameters).
 */
export function requestVariables(
  settings: CrmIntegrationSettings,
  endpoint: CrmEndpointName,
  input: CrmRequestInput,
): CrmVariables {
  const purpose = phonePurposeOf(endpoint)
  const format = (value: string | undefined): string =>
    value === undefined || value === ''
      ? ''
      : formatPhoneNumber(value, settings.phone_number_format, purpose)
  return {
    ...input.variables,
    PHONE_NUMBER: format(input.variables.PHONE_NUMBER),
    OUTBOUND_PHONE_NUMBER: format(input.variables.OUTBOUND_PHONE_NUMBER),
    ...(input.file === undefined ? {} : { FILE_DATA: bytesToBase64(input.file.bytes) }),
  }
}

function evaluateRows(
  parameters: readonly EndpointParameter[],
  variables: CrmVariables,
): [string, string][] {
  const rows: [string, string][] = []
  for (const { key, value } of parameters) {
    const evaluated = evaluateParameterValue(value, variables)
    if (evaluated !== undefined) rows.push([key, evaluated])
  }
  return rows
}

/** The parameter rows as a JSON object; a repeated key collects its values in an array. */
function rowsToObject(rows: readonly (readonly [string, string])[]): Record<string, unknown> {
  const counts = new Map<string, number>()
  for (const [key] of rows) counts.set(key, (counts.get(key) ?? 0) + 1)
  const object: Record<string, unknown> = {}
  for (const [key, value] of rows) {
    if ((counts.get(key) ?? 0) > 1) {
      const list = (object[key] as string[] | undefined) ?? []
      list.push(value)
      object[key] = list
    } else {
      object[key] = value
    }
  }
  return object
}

/**
 * The JSON body of a POST/PUT/PATCH request per Request Data Format: Property → the parameters'
 * map; Container Map → `{ name: { …parameters } }`; Container Array → `{ name: [ { …parameters } ] }`
 * (seed 000, Endpoint configuration). Absent means Property.
 */
export function formatBody(
  format: RequestDataFormat | null | undefined,
  parameters: Record<string, unknown>,
): unknown {
  if (format == null || format.type === 'property') return parameters
  return format.container_type === 'map'
    ? { [format.container_name]: parameters }
    : { [format.container_name]: [parameters] }
}

function withQuery(url: string, rows: readonly (readonly [string, string])[]): string {
  if (rows.length === 0) return url
  const query = new URLSearchParams(rows.map(([key, value]) => [key, value])).toString()
  const hashAt = url.indexOf('#')
  const base = hashAt === -1 ? url : url.slice(0, hashAt)
  const hash = hashAt === -1 ? '' : url.slice(hashAt)
  const separator = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&'
  return `${base}${separator}${query}${hash}`
}

function multipartFields(
  parameters: readonly EndpointParameter[],
  variables: CrmVariables,
  file: CrmUploadFile | undefined,
): MultipartField[] {
  const fields: MultipartField[] = []
  let fileSent = false
  for (const { key, value } of parameters) {
    if (value.includes(FILE_DATA)) {
      if (file !== undefined) {
        fields.push({ name: key, file })
        fileSent = true
      } else {
        const evaluated = evaluateParameterValue(value, variables)
        if (evaluated !== undefined) fields.push({ name: key, value: evaluated })
      }
      continue
    }
    const evaluated = evaluateParameterValue(value, variables)
    if (evaluated !== undefined) fields.push({ name: key, value: evaluated })
  }
  if (file !== undefined && !fileSent) fields.push({ name: 'file', file })
  return fields
}

/**
 * The HTTP request the platform sends to one endpoint, or `undefined` when that endpoint is not
 * configured: the Request URL with its variables substituted; GET parameters in the query string;
 * POST/PUT/PATCH parameters as a JSON body per Request Data Format; the upload endpoint as base64
 * (the file in the `{FILE_DATA}` parameter) or a multipart form (the parameters as fields, the file
 * as a part) per Type; phone numbers in the configured format (find → search form, others → create
 * form); parameters evaluated with `evaluateParameterValue`, dropped when empty; the API Request
 * Timeout in milliseconds (seed 000, API settings, Endpoint configuration, Upload a file endpoint).
 *
 * @example
 * const request = buildCrmRequest(settings, 'create_record', { variables: projectCrmVariables(story) })
 */
export function buildCrmRequest(
  settings: CrmIntegrationSettings,
  endpoint: CrmEndpointName,
  input: CrmRequestInput,
): CrmHttpRequest | undefined {
  const config = settings.endpoints[endpoint]
  if (config == null) return undefined
  const variables = requestVariables(settings, endpoint, input)
  const url = substituteUrl(config.url, variables)
  const parameters = config.parameters ?? []
  const timeoutMs = settings.request_timeout * 1000
  const accept = { Accept: 'application/json' }

  if (config.method === 'GET') {
    return {
      endpoint,
      method: 'GET',
      url: withQuery(url, evaluateRows(parameters, variables)),
      headers: accept,
      timeoutMs,
    }
  }

  if ('upload_type' in config && config.upload_type === 'multipart') {
    const body: CrmRequestBody = {
      kind: 'multipart',
      fields: multipartFields(parameters, variables, input.file),
    }
    return { endpoint, method: config.method, url, headers: accept, body, timeoutMs }
  }

  const json = formatBody(
    config.request_data_format,
    rowsToObject(evaluateRows(parameters, variables)),
  )
  return {
    endpoint,
    method: config.method,
    url,
    headers: { ...accept, 'Content-Type': 'application/json' },
    body: { kind: 'json', json },
    timeoutMs,
  }
}

/** Quotes a word for a POSIX shell. */
function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`
}

const SHOWN_CHARS = 200

/** Long strings (base64 files) are shortened so the dry run stays readable. */
function abbreviate(value: unknown): unknown {
  if (typeof value === 'string') {
    return value.length <= SHOWN_CHARS
      ? value
      : `${value.slice(0, SHOWN_CHARS)}…(+${value.length - SHOWN_CHARS} chars)`
  }
  if (Array.isArray(value)) return value.map(abbreviate)
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, abbreviate(v)]))
  }
  return value
}

/**
 * A request as a curl command, one option a line, for the dry-run CLI (`ccai-sim crm-requests`):
 * a comment line with the endpoint and timeout, then method, URL, headers, and the JSON body or
 * the multipart fields (`--form-string key=value`, `-F key=@file;type=…`). Auth headers are not part of a
 * built request (the CRM client adds them); strings over 200 characters are shortened.
 *
 * @example
 * describeCrmRequest(request)
 * // # create_record (timeout 5 s; auth added when sent)
 * // curl -X POST 'https://crm.example/tickets' \
 * //   -H 'Accept: application/json' \ …
 */
export function describeCrmRequest(request: CrmHttpRequest): string {
  const comment = `# ${request.endpoint} (timeout ${request.timeoutMs / 1000} s; auth added when sent)`
  const lines = [
    `curl -X ${request.method} ${shellQuote(request.url)}`,
    `  --max-time ${request.timeoutMs / 1000}`,
    ...Object.entries(request.headers).map(
      ([name, value]) => `  -H ${shellQuote(`${name}: ${value}`)}`,
    ),
  ]
  const body = request.body
  if (body?.kind === 'json') {
    lines.push(`  --data-raw ${shellQuote(JSON.stringify(abbreviate(body.json), null, 2))}`)
  } else if (body?.kind === 'multipart') {
    for (const field of body.fields) {
      lines.push(
        field.file === undefined
          ? `  --form-string ${shellQuote(`${field.name}=${String(abbreviate(field.value ?? ''))}`)}`
          : `  -F ${shellQuote(`${field.name}=@${field.file.filename};type=${field.file.contentType}`)}`,
      )
    }
  }
  return `${comment}\n${lines.join(' \\\n')}`
}
