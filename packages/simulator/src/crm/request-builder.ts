import type {
  CrmIntegrationSettings,
  EndpointParameter,
  RequestDataFormat,
} from '@ccai-sim/schemas'
import { formatPhoneNumber } from '@ccai-sim/fixtures'
import { evaluateParameterValue, substituteUrl } from './template.js'
import type {
  CrmEndpointName,
  CrmHttpRequest,
  CrmRequestBody,
  CrmUploadFile,
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
 * - Values are JSON strings in a body (the portal takes text), except a value that is exactly one
 *   numeric variable (`NUMERIC_VARIABLES`) with an integer value: that goes out as a JSON number,
 *   as in the create-record example (`"id": 123`, `"contactId": 123`, `"rating": 5`). Phone numbers
 *   stay strings (`"phone": "11234567890"` in the same example), as does any value with other text.
 * - A key given on several rows: repeated in a query string or multipart form; in a JSON body its
 *   values become an array in row order (`{ "ids": ["1", "2"] }`), since JSON has no repeated keys.
 * - Multipart uploads are flat forms: `request_data_format` does not apply to them. The file goes
 *   in the field whose value names `{FILE_DATA}`; when no parameter does, in a field named `file`
 *   (the documents' example), so that the file is never silently left out.
 * - Every request asks for JSON (`Accept: application/json`).
 */

export type { CrmUploadFile } from './types.js'

/** A file's size in bytes, without making its bytes when the file knows it (`byteLength`). */
export function uploadFileByteLength(file: CrmUploadFile): number {
  return file.byteLength ?? file.bytes.byteLength
}

/** What a request is built from: the session's variables and, for uploads, the file. */
export interface CrmRequestInput {
  readonly variables: CrmVariables
  readonly file?: CrmUploadFile
}

const FILE_DATA = '{FILE_DATA}'

/**
 * The headers of every built request: one object each, shared (read-only), so the CRM client
 * merges the auth headers into them once rather than per request.
 */
const ACCEPT_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  Accept: 'application/json',
})
const JSON_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  Accept: 'application/json',
  'Content-Type': 'application/json',
})

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
  return formatVariables(settings, endpoint, {
    variables: { ...input.variables },
    file: input.file,
  })
}

/** `requestVariables` into `variables` itself (a copy of the caller's). */
function formatVariables(
  settings: CrmIntegrationSettings,
  endpoint: CrmEndpointName,
  input: {
    readonly variables: Partial<Record<keyof CrmVariables, string>>
    readonly file: CrmUploadFile | undefined
  },
): CrmVariables {
  const { variables, file } = input
  const purpose = phonePurposeOf(endpoint)
  const format = settings.phone_number_format
  const phone = variables.PHONE_NUMBER
  const outbound = variables.OUTBOUND_PHONE_NUMBER
  variables.PHONE_NUMBER =
    phone === undefined || phone === '' ? '' : formatPhoneNumber(phone, format, purpose)
  variables.OUTBOUND_PHONE_NUMBER =
    outbound === undefined || outbound === '' ? '' : formatPhoneNumber(outbound, format, purpose)
  if (file !== undefined) variables.FILE_DATA = bytesToBase64(file.bytes)
  return variables
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

/**
 * The variables whose value is a number in the documents' create-record example (ids and the
 * CSAT rating); `{ACCOUNT_ID}` / `{RECORD_ID}` are the CRM's own ids (`contactId`), numbers when
 * they are integers.
 */
export const NUMERIC_VARIABLES: ReadonlySet<string> = new Set([
  'RATING',
  'ACCOUNT_ID',
  'RECORD_ID',
  'AGENT_ID',
  'UJET_ID',
  'Call_ID',
  'Chat_ID',
  'SESSION_ID',
  'QUEUE_ID',
])

/**
 * A numeric variable's value in a JSON body: a number when its text is an integer of at most 15
 * digits (exact as a double), else the text (a CRM's string id). Self-contained: the k6 export
 * inlines it (`toString`) to put the CRM's ids into its planned bodies the same way.
 */
export function integerOrText(text: string): string | number {
  return /^(0|-?[1-9]\d{0,14})$/.test(text) ? Number(text) : text
}

/** A JSON body value: a number when the template is exactly one numeric variable with an integer. */
function jsonValue(template: string, evaluated: string): string | number {
  if (!numericTemplate(template)) return evaluated
  return integerOrText(evaluated)
}

/** Whether a parameter value is exactly one numeric variable (kept by value: settings hold few). */
function numericTemplate(template: string): boolean {
  let numeric = numericTemplates.get(template)
  if (numeric === undefined) {
    const only = /^\{([A-Za-z_]+)\}$/.exec(template.trim())
    numeric = only?.[1] !== undefined && NUMERIC_VARIABLES.has(only[1])
    if (numericTemplates.size >= 2_000) numericTemplates.clear()
    numericTemplates.set(template, numeric)
  }
  return numeric
}

const numericTemplates = new Map<string, boolean>()

function evaluateJsonRows(
  parameters: readonly EndpointParameter[],
  variables: CrmVariables,
): [string, string | number][] {
  const rows: [string, string | number][] = []
  for (const { key, value } of parameters) {
    const evaluated = evaluateParameterValue(value, variables)
    if (evaluated !== undefined) rows.push([key, jsonValue(value, evaluated)])
  }
  return rows
}

/** The parameter rows as a JSON object; a repeated key collects its values in an array. */
function rowsToObject(
  rows: readonly (readonly [string, string | number])[],
): Record<string, unknown> {
  // One pass: a key seen again turns its value into the list (values are never lists themselves).
  // `__proto__` is not an own key when assigned: such rows take the counting pass below.
  const object: Record<string, unknown> = {}
  let plain = true
  for (const [key, value] of rows) {
    if (key === '__proto__') {
      plain = false
      break
    }
    if (!Object.hasOwn(object, key)) object[key] = value
    else {
      const before = object[key]
      if (Array.isArray(before)) (before as (string | number)[]).push(value)
      else object[key] = [before, value]
    }
  }
  if (plain) return object
  return rowsToObjectCounting(rows)
}

function rowsToObjectCounting(
  rows: readonly (readonly [string, string | number])[],
): Record<string, unknown> {
  const counts = new Map<string, number>()
  for (const [key] of rows) counts.set(key, (counts.get(key) ?? 0) + 1)
  const object: Record<string, unknown> = {}
  for (const [key, value] of rows) {
    if ((counts.get(key) ?? 0) > 1) {
      const list = (object[key] as (string | number)[] | undefined) ?? []
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
  return buildRequest(settings, endpoint, { input, own: false })
}

/**
 * `buildCrmRequest` for a caller whose `input.variables` is a new object of its own, which the
 * builder may change (the flow engine's per request): no second copy of the ~40 variables.
 */
export function buildCrmRequestFromOwnVariables(
  settings: CrmIntegrationSettings,
  endpoint: CrmEndpointName,
  input: CrmRequestInput,
): CrmHttpRequest | undefined {
  return buildRequest(settings, endpoint, { input, own: true })
}

function buildRequest(
  settings: CrmIntegrationSettings,
  endpoint: CrmEndpointName,
  how: { readonly input: CrmRequestInput; readonly own: boolean },
): CrmHttpRequest | undefined {
  const { input, own } = how
  const config = settings.endpoints[endpoint]
  if (config == null) return undefined
  const parameters = config.parameters ?? []
  const multipart = 'upload_type' in config && config.upload_type === 'multipart'
  // `{FILE_DATA}` (the file as base64, a third bigger than the recording) only where a value
  // names it: a multipart upload sends the file as a part instead.
  const fileData =
    config.url.includes(FILE_DATA) ||
    (!multipart && parameters.some(({ value }) => value.includes(FILE_DATA)))
  const variables = formatVariables(settings, endpoint, {
    variables: own ? input.variables : { ...input.variables },
    file: fileData ? input.file : undefined,
  })
  const url = substituteUrl(config.url, variables)
  const timeoutMs = settings.request_timeout * 1000
  const accept = ACCEPT_HEADERS

  if (config.method === 'GET') {
    return {
      endpoint,
      method: 'GET',
      url: withQuery(url, evaluateRows(parameters, variables)),
      headers: accept,
      timeoutMs,
    }
  }

  if (multipart) {
    const body: CrmRequestBody = {
      kind: 'multipart',
      fields: multipartFields(parameters, variables, input.file),
    }
    return { endpoint, method: config.method, url, headers: accept, body, timeoutMs }
  }

  const json = formatBody(
    config.request_data_format,
    rowsToObject(evaluateJsonRows(parameters, variables)),
  )
  return {
    endpoint,
    method: config.method,
    url,
    headers: JSON_HEADERS,
    body: new JsonRequestBody(json),
    timeoutMs,
  }
}

/**
 * A built request's JSON body, its text made once: the CRM client sends it and the simulator's
 * journal records it (each stringified the same body again, per request and attempt). The text is
 * no own key, so the body reads as `{ kind: 'json', json }` to whoever looks at its keys.
 */
class JsonRequestBody {
  readonly kind: 'json'
  readonly json: unknown
  #text: string | undefined

  constructor(json: unknown) {
    this.kind = 'json'
    this.json = json
  }

  get text(): string {
    return (this.#text ??= JSON.stringify(this.json))
  }
}

/**
 * `JSON.stringify(body.json)`: made once for a body the builder made (nobody changes a built
 * request), else made now.
 */
export function jsonBodyText(body: { readonly json: unknown }): string {
  return body instanceof JsonRequestBody ? body.text : JSON.stringify(body.json)
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

/** A find parameter a request went without, because the variables in its value were empty. */
export interface LostFilter {
  readonly endpoint: CrmEndpointName
  /** The parameter's key (`account_id`). */
  readonly key: string
  /** Its configured value (`{ACCOUNT_ID}`). */
  readonly value: string
  /** The variables its value names (`ACCOUNT_ID`). */
  readonly variables: readonly string[]
  /** Which setting avoids it, in a sentence. */
  readonly advice: string
}

const NAMED_VARIABLE = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g

/** The parameter keys a built request carries (query string, JSON body, multipart fields). */
function sentKeys(request: CrmHttpRequest): Set<string> {
  const keys = new Set<string>()
  try {
    for (const key of new URL(request.url).searchParams.keys()) keys.add(key)
  } catch {
    // A URL the builder could not make absolute carries no parameters we can read.
  }
  const body = request.body
  if (body?.kind === 'multipart') for (const field of body.fields) keys.add(field.name)
  const json: unknown = body?.kind === 'json' ? body.json : undefined
  if (json !== null && typeof json === 'object' && !Array.isArray(json)) {
    for (const key of Object.keys(json)) keys.add(key)
    // A container (`{ "data": { … } }` or `{ "data": [ { … } ] }`): its keys are inside.
    const values = Object.values(json) as unknown[]
    const inner = values.length === 1 ? values[0] : undefined
    const unwrapped: unknown = Array.isArray(inner) ? inner[0] : inner
    if (unwrapped !== null && typeof unwrapped === 'object')
      for (const key of Object.keys(unwrapped)) keys.add(key)
  }
  return keys
}

function lostFilterAdvice(
  settings: CrmIntegrationSettings,
  key: string,
  variables: readonly string[],
): string {
  const names = variables.map((v) => `{${v}}`).join(', ')
  const wrap = `write the value as =DEFAULT_VALUE(${variables.length === 1 ? `{${variables[0] ?? ''}}` : '…'}, <a value nothing matches>) so "${key}" is never dropped`
  if (variables.includes('ACCOUNT_ID')) {
    const why =
      settings.skip_account_creation === true
        ? 'skip_account_creation is on, so a new caller has no account id'
        : 'a session got no account id (the account lookup or Create an account failed, or gave none)'
    return `${names} is empty when ${why}: ${settings.skip_account_creation === true ? 'turn skip_account_creation off, or ' : ''}${wrap}`
  }
  if (variables.includes('RECORD_ID')) return `${names} is empty before a record exists: ${wrap}`
  return `${names} is empty for sessions without that value (a chat has no phone number, a call often no email): ${wrap}, or add a filter that is always there`
}

/**
 * The find filters a request lost, when it lost all of them: the parameters of Find an account / a
 * record by query whose value names variables, none of which the request carries, because their
 * variables were empty and the platform drops such a parameter (seed 000: "if a function yields no
 * value the parameter is dropped"; reference §5.1). Such a find is left with its literal
 * parameters only (`status=open`) and may match another customer's account or record, which the
 * session then uses. A find that keeps one variable filter (phone or email) gives nothing; other
 * endpoints lose nothing that decides whose data it is.
 *
 * @example
 * lostFilters(settings, request) // [{ key: 'account_id', value: '{ACCOUNT_ID}', variables: ['ACCOUNT_ID'], advice: '…' }]
 */
export function lostFilters(
  settings: CrmIntegrationSettings,
  request: CrmHttpRequest,
): LostFilter[] {
  const endpoint = request.endpoint
  if (endpoint !== 'find_account_by_query' && endpoint !== 'find_record_by_query') return []
  const parameters = settings.endpoints[endpoint]?.parameters ?? []
  const sent = sentKeys(request)
  const lost: LostFilter[] = []
  for (const { key, value } of parameters) {
    const variables = [...new Set([...value.matchAll(NAMED_VARIABLE)].map((m) => m[1] ?? ''))]
    if (variables.length === 0) continue
    // One filter of several is still a filter (phone or email): only a find left with none warns.
    if (sent.has(key)) return []
    lost.push({
      endpoint,
      key,
      value,
      variables,
      advice: lostFilterAdvice(settings, key, variables),
    })
  }
  return lost
}
