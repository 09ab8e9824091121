import type { CrmIntegrationSettings, EndpointParameter } from '@ccai-sim/schemas'

/*
 * A CRM with a dialect of its own, for the load-test runs: string ids (`cus-…`, `CASE-…`), its own
 * paths (`/v2/customers/search`, `/v2/cases/:ref/notes`), container request formats, nested
 * response locations, base64 uploads and basic auth. It records every call it gets with the
 * session it belongs to (each endpoint's settings send `{SESSION_ID}`), so a test can check each
 * session's requests and their order on the CRM's side. `delayMs` makes it slow (real time).
 */

export interface DialectCrmCall {
  readonly session: string
  readonly endpoint: string
  readonly status: number
}

export interface DialectCrm {
  readonly calls: DialectCrmCall[]
  handle(request: Request): Promise<Response>
}

export const DIALECT_USER = 'loadtest'
export const DIALECT_PASSWORD = 's3cret'

function p(key: string, value: string): EndpointParameter {
  return { key, value }
}

/** The settings an integrator would write for this CRM at `base` (`http://127.0.0.1:1234`). */
export function dialectCrmSettings(
  base: string,
  requestTimeout: CrmIntegrationSettings['request_timeout'] = 5,
): CrmIntegrationSettings {
  return {
    crm_lookup_method: 'generic_api',
    authentication: { method: 'basic', username: DIALECT_USER, password: DIALECT_PASSWORD },
    phone_number_format: 'e164',
    request_timeout: requestTimeout,
    reuse_existing_records: false,
    endpoints: {
      find_account_by_query: {
        url: `${base}/v2/customers/search`,
        method: 'GET',
        parameters: [p('phone', '{PHONE_NUMBER}'), p('session', '{SESSION_ID}')],
        response_data_location: 'result.items.0',
      },
      create_account: {
        url: `${base}/v2/customers`,
        method: 'POST',
        request_data_format: {
          type: 'container',
          container_type: 'map',
          container_name: 'customer',
        },
        parameters: [
          p('name', '{NAME}'),
          p('phone', '{PHONE_NUMBER}'),
          p('session', '{SESSION_ID}'),
        ],
        response_data_location: 'customer',
        custom_id_location: 'key',
      },
      find_record_by_query: {
        url: `${base}/v2/cases/search`,
        method: 'GET',
        parameters: [p('customer', '{ACCOUNT_ID}'), p('session', '{SESSION_ID}')],
      },
      create_record: {
        url: `${base}/v2/cases`,
        method: 'POST',
        request_data_format: {
          type: 'container',
          container_type: 'array',
          container_name: 'cases',
        },
        parameters: [
          p('subject', '{TICKET_SUBJECT}'),
          p('customer', '{ACCOUNT_ID}'),
          p('session', '{SESSION_ID}'),
        ],
        response_data_location: 'data.case',
        custom_id_location: 'ref',
      },
      comment: {
        url: `${base}/v2/cases/{RECORD_ID}/notes`,
        method: 'POST',
        parameters: [p('text', '{COMMENT_BODY}'), p('session', '{SESSION_ID}')],
      },
      upload_file: {
        url: `${base}/v2/cases/{RECORD_ID}/files`,
        method: 'POST',
        parameters: [p('content', '{FILE_DATA}'), p('session', '{SESSION_ID}')],
        upload_type: 'base64',
        files_to_attach: ['session_metadata_file', 'chat_transcripts'],
        attachment_type: {
          type: 'id',
          attachment_id_location: 'file.id',
          attachment_builder_url: `${base}/v2/cases/{RECORD_ID}/files/{ATTACHMENT_ID}`,
        },
        add_comment_to_record: false,
      },
      update_record: {
        url: `${base}/v2/cases/{RECORD_ID}`,
        method: 'PUT',
        parameters: [p('status', 'closed'), p('wait', '{WAIT_TIME}'), p('session', '{SESSION_ID}')],
      },
    },
  }
}

type Json = Record<string, unknown>

/** The text at a path of a JSON body, or '' (not a string: ''). */
function field(value: unknown, ...path: readonly (string | number)[]): string {
  let current = value
  for (const key of path) {
    if (current === null || typeof current !== 'object') return ''
    current = (current as Record<string | number, unknown>)[key]
  }
  // A value that is one numeric id variable arrives as a JSON number (the document's example).
  return typeof current === 'string' ? current : typeof current === 'number' ? String(current) : ''
}

/** A fresh, empty CRM. */
export function createDialectCrm(options: { readonly delayMs?: number } = {}): DialectCrm {
  const calls: DialectCrmCall[] = []
  const customers = new Map<string, string>()
  const cases = new Set<string>()
  let next = 1
  const expected = `Basic ${Buffer.from(`${DIALECT_USER}:${DIALECT_PASSWORD}`).toString('base64')}`

  const answer = (call: DialectCrmCall, body: Json): Response => {
    calls.push(call)
    return Response.json(body, { status: call.status })
  }

  async function handle(request: Request): Promise<Response> {
    const delay = options.delayMs ?? 0
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay))
    const url = new URL(request.url)
    const body: unknown = request.method === 'GET' ? {} : await request.json().catch(() => ({}))
    if (request.headers.get('authorization') !== expected) {
      return answer(
        { session: '', endpoint: 'unauthorized', status: 401 },
        { error: 'bad credentials' },
      )
    }
    const path = url.pathname
    const caseMatch = /^\/v2\/cases\/([^/]+)(\/notes|\/files)?$/.exec(path)
    if (request.method === 'GET' && path === '/v2/customers/search') {
      const session = url.searchParams.get('session') ?? ''
      const key = customers.get(url.searchParams.get('phone') ?? '')
      return answer(
        { session, endpoint: 'find_account_by_query', status: 200 },
        {
          result: { items: key === undefined ? [] : [{ id: key }] },
        },
      )
    }
    if (request.method === 'POST' && path === '/v2/customers') {
      const session = field(body, 'customer', 'session')
      const key = `cus-${String(next++).padStart(5, '0')}`
      customers.set(field(body, 'customer', 'phone'), key)
      return answer({ session, endpoint: 'create_account', status: 201 }, { customer: { key } })
    }
    if (request.method === 'POST' && path === '/v2/cases') {
      const session = field(body, 'cases', 0, 'session')
      const ref = `CASE-${String(next++)}-${session.slice(-3)}`
      cases.add(ref)
      return answer(
        { session, endpoint: 'create_record', status: 201 },
        { data: { case: { ref } } },
      )
    }
    if (caseMatch) {
      const ref = decodeURIComponent(caseMatch[1] ?? '')
      const session = field(body, 'session')
      const endpoint =
        caseMatch[2] === '/notes'
          ? 'comment'
          : caseMatch[2] === '/files'
            ? 'upload_file'
            : request.method === 'PUT'
              ? 'update_record'
              : 'unknown'
      if (!cases.has(ref))
        return answer({ session, endpoint, status: 404 }, { error: `no case ${ref}` })
      if (endpoint === 'upload_file')
        return answer({ session, endpoint, status: 201 }, { file: { id: `f-${String(next++)}` } })
      if (endpoint !== 'unknown') return answer({ session, endpoint, status: 200 }, { ok: true })
    }
    return answer(
      { session: '', endpoint: 'unknown', status: 404 },
      { error: `no route ${request.method} ${path}` },
    )
  }

  return { calls, handle }
}
