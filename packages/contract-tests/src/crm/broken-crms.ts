import type { CrmIntegrationSettings } from '@ccai-sim/schemas'
import type { MockCrmAuth, MockCrmDialect } from '@ccai-sim/simulator'
import type { CrmBreaker, LocalCrm } from './local-crm.js'

/*
 * Deliberately broken CRMs: the mock CRM with exactly one behaviour broken (a breaker in front of
 * it, its fault controller, or settings that do not match it), each with the clauses the CRM suite
 * must fail for it, and no other. They prove the suite points at the right clause.
 */

/** Credentials the broken CRMs check (any realistic values do). */
export const BASIC_AUTH: MockCrmAuth = {
  mode: 'basic',
  username: 'ccai-integration',
  password: 'Vq7#rTz2!mLp9xWd',
}
export const API_KEY_AUTH: MockCrmAuth = {
  mode: 'api-key',
  header: 'X-Api-Key',
  value: '5f2d8c1a9e7b4036d1c8a2f9b0e6d4c7',
}
/** A bearer token in a custom Authorization header (what Directus and many APIs take). */
export const BEARER_AUTH: MockCrmAuth = {
  mode: 'api-key',
  header: 'Authorization',
  value: 'Bearer 7Hq2xV9mR4tLw8pZ3nKc6bYd1sFg5jQe',
}

/** One broken CRM. */
export interface BrokenCrm {
  /** What is broken, as a phrase: `answers 500 when a search finds nothing`. */
  readonly fault: string
  readonly dialect: MockCrmDialect
  readonly auth: MockCrmAuth
  /** The clause ids the suite must fail, in suite order. */
  readonly expectedFailures: readonly string[]
  /** The clauses reported as blocked by the failure (they need what it broke). */
  readonly expectedBlocked?: readonly string[]
  /** Warning-level clauses that must warn (`CRM-014`). */
  readonly expectedWarnings?: readonly string[]
  readonly breaker?: CrmBreaker
  /** Runs once the CRM is up (fault rules). */
  readonly setup?: (crm: LocalCrm) => void
  /** The settings the suite gets, from the CRM's default ones. */
  readonly settings?: (settings: CrmIntegrationSettings) => CrmIntegrationSettings
}

function route(request: Request): { readonly method: string; readonly path: string } {
  return { method: request.method, path: new URL(request.url).pathname }
}

/** The answer's headers without the ones a changed body invalidates. */
function headersOf(response: Response, contentType?: string): Headers {
  const headers = new Headers(response.headers)
  headers.delete('content-length')
  if (contentType !== undefined) headers.set('content-type', contentType)
  return headers
}

function json(body: unknown, init: { status: number; headers?: Headers }): Response {
  const headers = init.headers ?? new Headers()
  headers.set('content-type', 'application/json; charset=utf-8')
  return new Response(JSON.stringify(body), { status: init.status, headers })
}

/** Changes one endpoint's settings. */
function withEndpoint<K extends keyof CrmIntegrationSettings['endpoints']>(
  name: K,
  change: (
    config: NonNullable<CrmIntegrationSettings['endpoints'][K]>,
  ) => NonNullable<CrmIntegrationSettings['endpoints'][K]>,
): (settings: CrmIntegrationSettings) => CrmIntegrationSettings {
  return (settings) => {
    const config = settings.endpoints[name]
    if (config == null) return settings
    return { ...settings, endpoints: { ...settings.endpoints, [name]: change(config) } }
  }
}

/** A breaker that reshapes the JSON answer of matching 2xx requests. */
function reshape(
  matches: (method: string, path: string, request: Request) => boolean,
  change: (json: unknown, request: Request) => { body: unknown; status?: number } | undefined,
): CrmBreaker {
  return async (request, forward) => {
    const { method, path } = route(request)
    const clone = request.clone()
    const response = await forward(request)
    if (!response.ok || !matches(method, path, clone)) return response
    const changed = change((await response.clone().json()) as unknown, clone)
    if (changed === undefined) return response
    return json(changed.body, {
      status: changed.status ?? response.status,
      headers: headersOf(response),
    })
  }
}

/** A breaker that answers matching requests itself, without asking the CRM. */
function answer(
  matches: (method: string, path: string, request: Request) => boolean,
  make: (request: Request) => Response,
): CrmBreaker {
  return async (request, forward) => {
    const { method, path } = route(request)
    return matches(method, path, request) ? make(request) : forward(request)
  }
}

const searchParams = (request: Request): URLSearchParams => new URL(request.url).searchParams
const ACCOUNT_SEARCH = (method: string, path: string): boolean =>
  method === 'GET' && path === '/api/accounts'
const ACCOUNT_BY_ID = (method: string, path: string): boolean =>
  method === 'GET' && /^\/api\/accounts\/[^/]+$/.test(path)
const RECORD_SEARCH = (method: string, path: string): boolean =>
  method === 'GET' && path === '/api/records'
const ACCOUNT_CREATE = (method: string, path: string): boolean =>
  method === 'POST' && path === '/api/accounts'
const RECORD_CREATE = (method: string, path: string): boolean =>
  method === 'POST' && path === '/api/records'
/** A search that names someone (phone, email or external id), as the platform's finds do. */
const named = (request: Request): boolean =>
  ['phone', 'email', 'external_id'].some((k) => searchParams(request).has(k))
const isEmptyList = (value: unknown): boolean => Array.isArray(value) && value.length === 0

/** Answers the created account wrapped in `{ "data": … }`: the id is not at `id` any more. */
const accountIdElsewhere: CrmBreaker = async (request, forward) => {
  const response = await forward(request)
  const { method, path } = route(request)
  if (method !== 'POST' || path !== '/api/accounts' || !response.ok) return response
  const created = (await response.json()) as unknown
  return json({ data: created }, { status: response.status, headers: headersOf(response) })
}

/** A search that finds nothing answers 500 instead of `200 []`. */
const errorOnNoMatch: CrmBreaker = async (request, forward) => {
  const response = await forward(request)
  const { method, path } = route(request)
  if (method !== 'GET' || path !== '/api/accounts' || !response.ok) return response
  const found = (await response.clone().json()) as unknown
  if (!Array.isArray(found) || found.length > 0) return response
  return json(
    { error: 'search_failed', message: 'No contact matches the given criteria' },
    { status: 500 },
  )
}

/** An unknown Contact id answers `200 {}` instead of 404. */
const noNotFound: CrmBreaker = async (request, forward) => {
  const response = await forward(request)
  const { method, path } = route(request)
  if (method !== 'GET' || !/^\/espo\/api\/v1\/Contact\/[^/]+$/.test(path)) return response
  return response.status === 404 ? json({}, { status: 200 }) : response
}

/** A request without an Authorization header is let in as if it carried the right one. */
const acceptsMissingCredentials: CrmBreaker = async (request, forward) => {
  if (request.headers.has('authorization') || BASIC_AUTH.mode !== 'basic') return forward(request)
  const headers = new Headers(request.headers)
  const token = Buffer.from(`${BASIC_AUTH.username}:${BASIC_AUTH.password}`).toString('base64')
  headers.set('authorization', `Basic ${token}`)
  return forward(new Request(request, { headers }))
}

/** Multipart uploads are accepted, but every file part is stored empty. */
const dropsMultipartFiles: CrmBreaker = async (request, forward) => {
  const { method, path } = route(request)
  const type = request.headers.get('content-type') ?? ''
  if (method !== 'POST' || !path.endsWith('/attachments') || !type.startsWith('multipart/'))
    return forward(request)
  const form = await request.formData()
  const emptied = new FormData()
  for (const [name, value] of form) {
    if (typeof value === 'string') emptied.append(name, value)
    else emptied.append(name, new File([], value.name, { type: value.type }), value.name)
  }
  const headers = new Headers(request.headers)
  headers.delete('content-type')
  headers.delete('content-length')
  return forward(new Request(request.url, { method, headers, body: emptied }))
}

/** A search for Contacts that finds nothing answers an HTML page. */
const htmlOnNoMatch: CrmBreaker = async (request, forward) => {
  const response = await forward(request)
  const { method, path } = route(request)
  if (method !== 'GET' || path !== '/espo/api/v1/Contact' || !response.ok) return response
  const found = (await response.clone().json()) as { readonly list?: readonly unknown[] }
  if ((found.list ?? []).length > 0) return response
  const page =
    '<!DOCTYPE html><html><head><title>Contacts</title></head><body><p>No contacts found.</p></body></html>'
  return new Response(page, {
    status: 200,
    headers: { 'content-type': 'text/html; charset=UTF-8' },
  })
}

/** Downloads pass through a text decoder: binary files come back mangled. */
const corruptsDownloads: CrmBreaker = async (request, forward) => {
  const response = await forward(request)
  const url = new URL(request.url)
  if (url.searchParams.get('entryPoint') !== 'download' || !response.ok) return response
  const text = new TextDecoder('utf-8').decode(await response.arrayBuffer())
  return new Response(new TextEncoder().encode(text), {
    status: response.status,
    headers: headersOf(response),
  })
}

/**
 * The deliberately broken CRMs (the suite's mutation tests): each breaks one behaviour of the mock
 * CRM, or its settings, and names the one clause the suite must fail (or warn) for it, plus the
 * clauses that are then blocked because they need what it broke.
 */
export const BROKEN_CRMS: readonly BrokenCrm[] = [
  {
    fault: 'answers the created account id in another place than the settings say',
    dialect: 'generic',
    auth: BASIC_AUTH,
    breaker: accountIdElsewhere,
    expectedFailures: ['CRM-002'],
  },
  {
    fault: 'is set up with a wrong id location for created records',
    dialect: 'generic',
    auth: BASIC_AUTH,
    settings: (settings) => {
      const createRecord = settings.endpoints.create_record
      if (createRecord == null) return settings
      return {
        ...settings,
        endpoints: {
          ...settings.endpoints,
          create_record: { ...createRecord, custom_id_location: 'record.id' },
        },
      }
    },
    expectedFailures: ['CRM-006'],
  },
  {
    fault: 'answers 500 when a search finds nothing',
    dialect: 'generic',
    auth: BASIC_AUTH,
    breaker: errorOnNoMatch,
    expectedFailures: ['CRM-001'],
  },
  {
    fault: 'answers 200 {} instead of 404 for an unknown account ID',
    dialect: 'espocrm',
    auth: API_KEY_AUTH,
    breaker: noNotFound,
    expectedFailures: ['CRM-005'],
  },
  {
    fault: 'accepts requests without credentials',
    dialect: 'generic',
    auth: BASIC_AUTH,
    breaker: acceptsMissingCredentials,
    expectedFailures: ['CRM-011'],
  },
  {
    fault: 'answers comments later than the API Request Timeout',
    dialect: 'generic',
    auth: BASIC_AUTH,
    setup: (crm) => {
      crm.faults.set({ route: 'comment', kind: 'latency', latencyMs: 1_500 })
    },
    settings: (settings) => ({ ...settings, request_timeout: 1 }),
    expectedFailures: ['CRM-012'],
  },
  {
    fault: 'accepts multipart uploads but stores no bytes',
    dialect: 'generic',
    auth: BASIC_AUTH,
    breaker: dropsMultipartFiles,
    expectedFailures: ['CRM-010'],
  },
  {
    fault: 'answers an HTML page when a search finds nothing',
    dialect: 'espocrm',
    auth: API_KEY_AUTH,
    breaker: htmlOnNoMatch,
    expectedFailures: ['CRM-013'],
  },
  {
    fault: 'corrupts the bytes of downloaded attachments',
    dialect: 'espocrm',
    auth: API_KEY_AUTH,
    breaker: corruptsDownloads,
    expectedFailures: ['CRM-010'],
  },

  // ----- CRM-001: a search with no match answers 2xx with nothing -----
  {
    fault: 'answers 404 when a search finds nothing',
    dialect: 'generic',
    auth: BASIC_AUTH,
    breaker: reshape(
      (m, p, r) => ACCOUNT_SEARCH(m, p) && named(r),
      (found) => (isEmptyList(found) ? { body: { error: 'not_found' }, status: 404 } : undefined),
    ),
    expectedFailures: ['CRM-001'],
  },
  {
    fault: 'answers a placeholder contact when a search finds nothing',
    dialect: 'generic',
    auth: BASIC_AUTH,
    breaker: reshape(
      (m, p, r) => ACCOUNT_SEARCH(m, p) && named(r),
      (found) => (isEmptyList(found) ? { body: [{ id: 0, name: 'Unknown caller' }] } : undefined),
    ),
    expectedFailures: ['CRM-001'],
  },
  // ----- CRM-002: the created account's id where the settings say -----
  {
    fault: 'answers a created account with its id under "contact_id" and nowhere else',
    dialect: 'generic',
    auth: BASIC_AUTH,
    breaker: async (request, forward) => {
      const response = await forward(request)
      const { method, path } = route(request)
      if (!ACCOUNT_CREATE(method, path) || !response.ok) return response
      const { id, ...rest } = (await response.json()) as { id: unknown } & Record<string, unknown>
      const headers = headersOf(response)
      headers.delete('location')
      return json({ ...rest, contact_id: id }, { status: response.status, headers })
    },
    expectedFailures: ['CRM-002'],
    // Every clause built on a created account has nothing to work with: one cause, reported once.
    expectedBlocked: [
      'CRM-003',
      'CRM-004',
      'CRM-005',
      'CRM-006',
      'CRM-007',
      'CRM-008',
      'CRM-009',
      'CRM-010',
      'CRM-014',
    ],
  },
  {
    fault: 'answers a created account with "id": null (the id only in the Location header)',
    dialect: 'generic',
    auth: BASIC_AUTH,
    breaker: reshape(ACCOUNT_CREATE, (created) => ({
      body: { ...(created as Record<string, unknown>), id: null },
    })),
    expectedFailures: ['CRM-002'],
  },
  {
    fault: 'is set up with a wrong id location for created accounts',
    dialect: 'generic',
    auth: BASIC_AUTH,
    settings: withEndpoint('create_account', (c) => ({ ...c, custom_id_location: 'account.id' })),
    expectedFailures: ['CRM-002'],
  },
  // ----- CRM-003: a created account is found by query -----
  {
    fault: 'never finds anyone by phone, email or external id',
    dialect: 'generic',
    auth: BASIC_AUTH,
    breaker: reshape(ACCOUNT_SEARCH, () => ({ body: [] })),
    expectedFailures: ['CRM-003'],
  },
  {
    fault: 'wraps search results in {"results": […]}, away from the data location',
    dialect: 'generic',
    auth: BASIC_AUTH,
    breaker: reshape(ACCOUNT_SEARCH, (found) => ({ body: { results: found } })),
    expectedFailures: ['CRM-003'],
  },
  {
    fault: 'answers every named search with the oldest account, whoever was asked for',
    dialect: 'generic',
    auth: BASIC_AUTH,
    breaker: async (request, forward) => {
      const { method, path } = route(request)
      if (!ACCOUNT_SEARCH(method, path) || !named(request)) return forward(request)
      const all = await forward(
        new Request(new URL('/api/accounts/1', request.url), { headers: request.headers }),
      )
      return all.ok ? json([await all.json()], { status: 200 }) : forward(request)
    },
    expectedFailures: ['CRM-003'],
  },
  // ----- CRM-004: a created account is found by ID -----
  {
    fault: 'wraps an account found by ID in {"data": …}',
    dialect: 'generic',
    auth: BASIC_AUTH,
    breaker: reshape(ACCOUNT_BY_ID, (account) => ({ body: { data: account } })),
    expectedFailures: ['CRM-004'],
  },
  {
    fault: 'answers 500 for an account that exists, when asked by ID',
    dialect: 'generic',
    auth: BASIC_AUTH,
    breaker: reshape(ACCOUNT_BY_ID, () => ({ body: { error: 'internal' }, status: 500 })),
    expectedFailures: ['CRM-004'],
  },
  {
    fault: 'answers another account than the one asked for by ID',
    dialect: 'generic',
    auth: BASIC_AUTH,
    breaker: reshape(ACCOUNT_BY_ID, (account) => ({
      body: { ...(account as Record<string, unknown>), id: 424242 },
    })),
    expectedFailures: ['CRM-004'],
  },
  // ----- CRM-005: an unknown account ID answers 404 -----
  {
    fault: 'answers 400 for an unknown account ID',
    dialect: 'generic',
    auth: BASIC_AUTH,
    breaker: async (request, forward) => {
      const response = await forward(request)
      const { method, path } = route(request)
      return ACCOUNT_BY_ID(method, path) && response.status === 404
        ? json({ error: 'bad_request' }, { status: 400 })
        : response
    },
    expectedFailures: ['CRM-005'],
  },
  {
    fault: 'answers 200 [] for an unknown account ID',
    dialect: 'generic',
    auth: BASIC_AUTH,
    breaker: async (request, forward) => {
      const response = await forward(request)
      const { method, path } = route(request)
      return ACCOUNT_BY_ID(method, path) && response.status === 404
        ? json([], { status: 200 })
        : response
    },
    expectedFailures: ['CRM-005'],
  },
  // ----- CRM-006: the created record's id where the settings say -----
  {
    fault: 'answers a created record wrapped in {"record": …}',
    dialect: 'generic',
    auth: BASIC_AUTH,
    breaker: reshape(RECORD_CREATE, (record) => ({ body: { record } })),
    expectedFailures: ['CRM-006'],
  },
  {
    fault: 'answers a created record with {"ok": true} and no id anywhere',
    dialect: 'generic',
    auth: BASIC_AUTH,
    breaker: async (request, forward) => {
      const response = await forward(request)
      const { method, path } = route(request)
      if (!RECORD_CREATE(method, path) || !response.ok) return response
      return json({ ok: true }, { status: 201 })
    },
    expectedFailures: ['CRM-006'],
    expectedBlocked: ['CRM-007', 'CRM-008', 'CRM-009', 'CRM-010', 'CRM-014'],
  },
  // ----- CRM-007: a created record is found for its account -----
  {
    fault: 'never finds a record',
    dialect: 'generic',
    auth: BASIC_AUTH,
    breaker: answer(RECORD_SEARCH, () => json([], { status: 200 })),
    expectedFailures: ['CRM-007'],
  },
  {
    fault: 'answers record searches with 500',
    dialect: 'generic',
    auth: BASIC_AUTH,
    setup: (crm) => {
      crm.faults.set({ route: 'find_record_by_query', kind: 'status', status: 500 })
    },
    expectedFailures: ['CRM-007'],
  },
  // ----- CRM-008: comments -----
  {
    fault: 'answers comments with 500',
    dialect: 'generic',
    auth: BASIC_AUTH,
    setup: (crm) => {
      crm.faults.set({ route: 'comment', kind: 'status', status: 500 })
    },
    expectedFailures: ['CRM-008'],
  },
  {
    fault: 'has no comment route where the settings point (404)',
    dialect: 'generic',
    auth: BASIC_AUTH,
    setup: (crm) => {
      crm.faults.set({ route: 'comment', kind: 'status', status: 404 })
    },
    expectedFailures: ['CRM-008'],
  },
  // ----- CRM-009: updates -----
  {
    fault: 'answers record updates with 405',
    dialect: 'generic',
    auth: BASIC_AUTH,
    setup: (crm) => {
      crm.faults.set({ route: 'update_record', kind: 'status', status: 405 })
    },
    expectedFailures: ['CRM-009'],
  },
  {
    fault: 'answers record updates with 409',
    dialect: 'espocrm',
    auth: API_KEY_AUTH,
    setup: (crm) => {
      crm.faults.set({ route: 'update_record', kind: 'status', status: 409 })
    },
    expectedFailures: ['CRM-009'],
  },
  // ----- CRM-010: uploads -----
  {
    fault: 'answers an upload without the attachment URL',
    dialect: 'generic',
    auth: BASIC_AUTH,
    breaker: reshape(
      (m, p) => m === 'POST' && p.endsWith('/attachments'),
      (attachment) => {
        const { url: _url, ...rest } = attachment as Record<string, unknown>
        return { body: rest }
      },
    ),
    expectedFailures: ['CRM-010'],
  },
  {
    fault: 'refuses downloads of attachments even with credentials (403)',
    dialect: 'generic',
    auth: BASIC_AUTH,
    breaker: answer(
      (m, p) => m === 'GET' && /\/attachments\/[^/]+$/.test(p),
      () => json({ error: 'forbidden' }, { status: 403 }),
    ),
    expectedFailures: ['CRM-010'],
  },
  // ----- CRM-011: credentials -----
  {
    fault: 'accepts any Bearer token',
    dialect: 'generic',
    auth: BEARER_AUTH,
    breaker: async (request, forward) => {
      if (!/^Bearer \S/.test(request.headers.get('authorization') ?? '')) return forward(request)
      const headers = new Headers(request.headers)
      if (BEARER_AUTH.mode === 'api-key') headers.set('authorization', BEARER_AUTH.value)
      return forward(new Request(request, { headers }))
    },
    expectedFailures: ['CRM-011'],
  },
  {
    fault: 'checks the user name of Basic credentials but not the password',
    dialect: 'generic',
    auth: BASIC_AUTH,
    breaker: async (request, forward) => {
      const header = request.headers.get('authorization') ?? ''
      const decoded = header.startsWith('Basic ')
        ? Buffer.from(header.slice(6), 'base64').toString('utf8')
        : ''
      if (BASIC_AUTH.mode !== 'basic' || !decoded.startsWith(`${BASIC_AUTH.username}:`))
        return forward(request)
      const headers = new Headers(request.headers)
      const token = Buffer.from(`${BASIC_AUTH.username}:${BASIC_AUTH.password}`).toString('base64')
      headers.set('authorization', `Basic ${token}`)
      return forward(new Request(request, { headers }))
    },
    expectedFailures: ['CRM-011'],
  },
  {
    fault: 'answers 200 [] instead of 401 to a request without credentials',
    dialect: 'generic',
    auth: BASIC_AUTH,
    breaker: answer(
      // API routes only: attachment links are meant to work without credentials.
      (_m, p, r) => !r.headers.has('authorization') && !/\/attachments\/[^/]+$/.test(p),
      () => json([], { status: 200 }),
    ),
    expectedFailures: ['CRM-011'],
  },
  // ----- CRM-012: the API Request Timeout -----
  {
    fault: 'creates records later than the API Request Timeout',
    dialect: 'generic',
    auth: BASIC_AUTH,
    setup: (crm) => {
      crm.faults.set({ route: 'create_record', kind: 'latency', latencyMs: 1_500 })
    },
    settings: (settings) => ({ ...settings, request_timeout: 1 }),
    expectedFailures: ['CRM-012'],
  },
  // ----- CRM-013: JSON answers -----
  {
    fault: 'answers an empty search as text/plain',
    dialect: 'generic',
    auth: BASIC_AUTH,
    breaker: async (request, forward) => {
      const response = await forward(request)
      const { method, path } = route(request)
      if (!ACCOUNT_SEARCH(method, path) || !response.ok) return response
      const text = await response.text()
      return text === '[]'
        ? new Response(text, { status: 200, headers: { 'content-type': 'text/plain' } })
        : new Response(text, { status: response.status, headers: headersOf(response) })
    },
    expectedFailures: ['CRM-013'],
  },
  {
    fault: 'answers an empty search with 200 and no body',
    dialect: 'generic',
    auth: BASIC_AUTH,
    breaker: async (request, forward) => {
      const response = await forward(request)
      const { method, path } = route(request)
      if (!ACCOUNT_SEARCH(method, path) || !response.ok) return response
      const text = await response.text()
      return text === '[]'
        ? new Response('', { status: 200, headers: { 'content-type': 'application/json' } })
        : new Response(text, { status: response.status, headers: headersOf(response) })
    },
    expectedFailures: ['CRM-013'],
  },
  // ----- CRM-014 (warning): a find without its filters -----
  {
    fault:
      "answers a record search without its account filter with another customer's open record, searched with a plain {ACCOUNT_ID} as the only record filter (the default settings fall back to a value nothing matches)",
    dialect: 'generic',
    auth: BASIC_AUTH,
    settings: withEndpoint('find_record_by_query', (config) => ({
      ...config,
      parameters: (config.parameters ?? []).map((p) =>
        p.key === 'account_id' ? { ...p, value: '{ACCOUNT_ID}' } : p,
      ),
    })),
    expectedFailures: [],
    expectedWarnings: ['CRM-014'],
  },
  {
    fault: 'answers an account search without any filter with every account',
    dialect: 'generic',
    auth: BASIC_AUTH,
    breaker: async (request, forward) => {
      const { method, path } = route(request)
      if (!ACCOUNT_SEARCH(method, path) || named(request)) return forward(request)
      const first = await forward(
        new Request(new URL('/api/accounts/1', request.url), { headers: request.headers }),
      )
      return first.ok ? json([await first.json()], { status: 200 }) : forward(request)
    },
    expectedFailures: [],
    expectedWarnings: ['CRM-014'],
  },
]
