import { DEFAULT_REF_DATE } from '@ccai-sim/fixtures'
import type { CrmIntegrationSettings } from '@ccai-sim/schemas'
import { http, HttpResponse, type RequestHandler } from 'msw'
import { SimulatorError } from '../errors.js'
import { createMockCrmApp, type MockCrmDialect } from '../crm/mock-crm/app.js'
import { DEFAULT_MOCK_CRM_AUTH, type MockCrmAuth } from '../crm/mock-crm/auth.js'
import { defaultMockCrmSettings } from '../crm/mock-crm/default-settings.js'
import { FAULT_KINDS, FaultController, type FaultKind } from '../crm/mock-crm/faults.js'
import { MockCrmStore } from '../crm/mock-crm/store.js'

/*
 * The mock CRM (the issue's item 3) behind Mock Service Worker: the same Hono app, store, auth
 * modes, dialects and faults, reached through MSW's interception instead of a port, so that tests
 * in an integrator's own project can point generic-API settings (seed 000, API settings, API
 * endpoints; reference §5.1) at it.
 *
 * Decisions where the documents are silent:
 * - Without `now`, time stands still at the fixtures' reference date (`DEFAULT_REF_DATE`): store
 *   timestamps are reproducible and OAuth tokens never expire unless the caller's clock moves.
 * - `reset()` empties the store, removes every fault rule and clears the journal; OAuth tokens
 *   already issued stay valid (a client created once for a whole test file keeps working).
 * - The journal records what the handlers saw, unmasked (credentials included): it is a test
 *   double's log, not the platform's journal.
 */

/** The base URL the handlers answer under when none is given. */
export const DEFAULT_MOCK_CRM_BASE_URL = 'https://crm.example.test'

/** One request the MSW handlers answered, and what they answered. */
export interface MockCrmJournalEntry {
  /** 1-based, in arrival order; `clear()` starts again at 1. */
  readonly sequence: number
  /** `now()` when the request arrived. */
  readonly at: number
  readonly method: string
  /** The full URL as the caller sent it. */
  readonly url: string
  /** The path under the base URL, as the mock CRM sees it (`/api/accounts`), without the query. */
  readonly path: string
  /** Request headers, names in lower case. */
  readonly headers: Readonly<Record<string, string>>
  /** The request body as UTF-8 text (`''` when there is none). */
  readonly bodyText: string
  /** The status answered; `0` for a network error (a `connection-reset` fault). */
  readonly status: number
  /** Response headers, names in lower case. */
  readonly responseHeaders: Readonly<Record<string, string>>
  /** The response body as UTF-8 text (`''` for a network error). */
  readonly responseBodyText: string
  /** The fault that shaped the answer (the `x-mock-crm-fault` header), if any. */
  readonly fault?: FaultKind
}

/** A filter for `MockCrmJournal.find`: every given criterion must match. */
export interface MockCrmJournalQuery {
  /** The HTTP method, any case. */
  readonly method?: string
  /** The path under the base URL: exactly this string, or matching this pattern. */
  readonly path?: string | RegExp
}

/**
 * Every request and response the MSW handlers of one `createMockCrmHandlers` saw, for tests to
 * assert on (the item 4: "a request journal").
 */
export class MockCrmJournal {
  private entries: MockCrmJournalEntry[] = []
  private sequence = 0

  /** Adds an entry (the handlers call this); returns it with its sequence number. */
  record(entry: Omit<MockCrmJournalEntry, 'sequence'>): MockCrmJournalEntry {
    this.sequence += 1
    const stored: MockCrmJournalEntry = { sequence: this.sequence, ...entry }
    this.entries.push(stored)
    return stored
  }

  /** Every entry, oldest first. */
  requests(): readonly MockCrmJournalEntry[] {
    return [...this.entries]
  }

  /** The entries matching `query` (all of them without one), oldest first. */
  find(query: MockCrmJournalQuery = {}): readonly MockCrmJournalEntry[] {
    const method = query.method?.toUpperCase()
    const { path } = query
    return this.entries.filter(
      (entry) =>
        (method === undefined || entry.method === method) &&
        (path === undefined ||
          (typeof path === 'string' ? entry.path === path : path.test(entry.path))),
    )
  }

  /** Forgets every entry and restarts the numbering. */
  clear(): void {
    this.entries = []
    this.sequence = 0
  }
}

export interface MockCrmHandlersOptions {
  /** Where the mock CRM lives for the code under test. Default `https://crm.example.test`. */
  readonly baseUrl?: string
  /** The state; default a new in-memory store on `now`. */
  readonly store?: MockCrmStore
  /** The auth mode enforced on API routes. Default `{ mode: 'none' }`. */
  readonly auth?: MockCrmAuth
  /** Only this dialect answers; default both (`/api/…` and `/espo/api/v1/…`), settings generic. */
  readonly dialect?: MockCrmDialect
  /** Faults on demand; default a new controller with real-timer latency. */
  readonly faults?: FaultController
  /** Time for store timestamps (new store) and token expiry. Default: fixed at `DEFAULT_REF_DATE`. */
  readonly now?: () => number
}

export interface MockCrmHandlers {
  /** Pass to `setupServer(...)` / `setupWorker(...)` or `server.use(...)`. */
  readonly handlers: RequestHandler[]
  readonly store: MockCrmStore
  readonly faults: FaultController
  readonly journal: MockCrmJournal
  /** Generic API settings wired to the handlers (`defaultMockCrmSettings(baseUrl, …)`). */
  readonly settings: CrmIntegrationSettings
  /** Empties the store, removes every fault, clears the journal. */
  reset(): void
}

interface Base {
  readonly origin: string
  /** The base path without a trailing slash (`''` at the root). */
  readonly path: string
  /** The base URL without a trailing slash. */
  readonly url: string
}

function parseBase(baseUrl: string): Base {
  let url: URL
  try {
    url = new URL(baseUrl)
  } catch {
    throw new SimulatorError(
      'invalid_config',
      `mock CRM base URL: expected an absolute http(s) URL, received "${baseUrl}"`,
    )
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash)
    throw new SimulatorError(
      'invalid_config',
      `mock CRM base URL: expected an http(s) URL without query or fragment, received "${baseUrl}"`,
    )
  const path = url.pathname.replace(/\/+$/, '')
  return { origin: url.origin, path, url: `${url.origin}${path}` }
}

/** The path under the base (`/api/accounts`, `/` for the base itself), or undefined when outside. */
function pathUnder(base: Base, requestUrl: string): string | undefined {
  const url = new URL(requestUrl)
  if (url.origin !== base.origin) return undefined
  if (url.pathname === base.path) return '/'
  if (!url.pathname.startsWith(`${base.path}/`)) return undefined
  return url.pathname.slice(base.path.length)
}

function headersObject(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {}
  headers.forEach((value, name) => {
    out[name] = value
  })
  return out
}

function faultOf(response: Response): FaultKind | undefined {
  const value = response.headers.get('x-mock-crm-fault')
  return FAULT_KINDS.find((kind) => kind === value)
}

const decoder = new TextDecoder()

/**
 * MSW request handlers backed by the mock CRM: every request under `baseUrl` (any method) goes to
 * the same Hono app the simulator mounts at `/crm` (`createMockCrmApp`), its path taken relative to
 * `baseUrl` — `${baseUrl}/api/accounts` reaches the mock's `/api/accounts` — with the same store,
 * auth modes, dialects and faults; requests elsewhere are not handled (so `onUnhandledRequest`
 * applies). A `connection-reset` fault answers `HttpResponse.error()` (the fetch rejects); links
 * in answers (`page_url`, attachment URLs) use `baseUrl`. Every exchange goes to `journal`.
 * `settings` wire `createCrmClient` to the handlers. A `baseUrl` that is not an http(s) URL without
 * query or fragment is `invalid_config`. Issue item 4; seed 000 (Generic API); reference §5.1–§5.4.
 *
 * @example
 * const crm = createMockCrmHandlers()
 * const server = setupServer(...crm.handlers)
 * // createCrmClient({ settings: crm.settings, fetch: globalThis.fetch, now }) now talks to crm.store
 */
export function createMockCrmHandlers(options: MockCrmHandlersOptions = {}): MockCrmHandlers {
  const base = parseBase(options.baseUrl ?? DEFAULT_MOCK_CRM_BASE_URL)
  const refDate = Date.parse(DEFAULT_REF_DATE)
  const now = options.now ?? ((): number => refDate)
  const store = options.store ?? new MockCrmStore({ now })
  const faults = options.faults ?? new FaultController()
  const auth = options.auth ?? DEFAULT_MOCK_CRM_AUTH
  const journal = new MockCrmJournal()
  const settings = defaultMockCrmSettings(base.url, { dialect: options.dialect, auth })
  const app = createMockCrmApp({
    store,
    auth,
    dialect: options.dialect,
    faults,
    now,
    baseUrl: base.url,
  })

  const handler = http.all(
    ({ request }) => pathUnder(base, request.url) !== undefined,
    async ({ request }) => {
      const at = now()
      const url = new URL(request.url)
      const path = pathUnder(base, request.url) ?? '/'
      const bytes = new Uint8Array(await request.arrayBuffer())
      const hasBody = request.method !== 'GET' && request.method !== 'HEAD'
      const inner = new Request(`${base.origin}${path}${url.search}`, {
        method: request.method,
        headers: request.headers,
        ...(hasBody ? { body: bytes } : {}),
      })
      const response = await app.fetch(inner)
      const seen = {
        at,
        method: request.method,
        url: request.url,
        path,
        headers: headersObject(request.headers),
        bodyText: decoder.decode(bytes),
      }
      if (response.type === 'error') {
        journal.record({
          ...seen,
          status: 0,
          responseHeaders: {},
          responseBodyText: '',
          fault: 'connection-reset',
        })
        return HttpResponse.error()
      }
      const answer = new Uint8Array(await response.arrayBuffer())
      const fault = faultOf(response)
      journal.record({
        ...seen,
        status: response.status,
        responseHeaders: headersObject(response.headers),
        responseBodyText: decoder.decode(answer),
        ...(fault === undefined ? {} : { fault }),
      })
      const empty = response.status === 204 || response.status === 304 || answer.byteLength === 0
      return new HttpResponse(empty ? null : answer, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      })
    },
  )

  return {
    handlers: [handler],
    store,
    faults,
    journal,
    settings,
    reset(): void {
      store.reset()
      faults.clear()
      journal.clear()
    },
  }
}
