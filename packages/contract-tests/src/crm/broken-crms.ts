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

/** One broken CRM. */
export interface BrokenCrm {
  /** What is broken, as a phrase: `answers 500 when a search finds nothing`. */
  readonly fault: string
  readonly dialect: MockCrmDialect
  readonly auth: MockCrmAuth
  /** The clause ids the suite must fail, in suite order. */
  readonly expectedFailures: readonly string[]
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
 * The eight deliberate faults of the issue, plus the settings-side form of a wrong id location:
 * each breaks one behaviour of the mock CRM and names the clauses the suite must fail for it.
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
]
