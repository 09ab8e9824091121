import type { CrmIntegrationSettings, CrmOAuth2Authentication } from '@ccai-sim/schemas'
import { blank } from '../http/body-limits.js'
import { jsonBodyText } from './request-builder.js'
import type { CrmExchange, CrmHttpRequest, CrmHttpResponse, MultipartField } from './types.js'

/*
 * The platform's HTTP client towards the customer's CRM (seed 000, API settings: Authentication
 * method, API request timeout; reference §5.1, §8). I/O only through the injected `fetch`; time
 * only through the injected `now()` (durations, token expiry).
 *
 * Decisions where the documents are silent (reference §11: grant type and refresh are gaps):
 * - OAuth 2.0 grant per `grant_type`, absent meaning `authorization_code` (schema JSDoc). The
 *   authorization-code grant is run headlessly, as if the admin had consented once: a GET of the
 *   Authorization URL (`response_type=code`, `client_id`, `scope`, `state`, `access_type`) without
 *   following redirects, the code read from the `Location` query (or a JSON body's `code`), then
 *   the code exchanged at the Token URL. `client_credentials` posts to the Token URL directly.
 * - Client authentication at the Token URL: `client_id` and `client_secret` in the form body
 *   (RFC 6749 §2.3.1 body form, the one Zoho, Salesforce and HubSpot document).
 * - `redirect_uri` is sent (authorization and token requests) only with "Include the Redirect URL"
 *   on; its value is `oauthRedirectUrl`, default `DEFAULT_OAUTH_REDIRECT_URL`.
 * - A token is reused until `now() >= obtained + expires_in`; without `expires_in`, until the CRM
 *   answers 401. An expired token is refreshed with its `refresh_token` when it has one (a failed
 *   refresh falls back to a new grant), otherwise a new grant is run. On a 401 from the CRM the
 *   token is refreshed once and the request retried once. Concurrent sends share one token fetch.
 * - Token requests use the endpoint request's timeout.
 * - Connection failures: `ECONNRESET` and a socket closed mid-answer are `connection reset`,
 *   `ECONNREFUSED` is `connection refused`, others `connection error: <message>`.
 * - `sentHeaders` masks `Authorization` (`Basic ***`, `Bearer ***`) and every custom-header value.
 */

/** `redirect_uri` sent when the OAuth settings include the redirect URL and no other is given. */
export const DEFAULT_OAUTH_REDIRECT_URL = 'http://localhost/ccai-sim/oauth/callback'

const MASK = '***'

/** Something the client did besides the request itself, for journals and reports. */
export type CrmClientEvent =
  | {
      readonly kind: 'oauth_token'
      readonly grant: 'authorization_code' | 'client_credentials' | 'refresh_token'
      readonly url: string
      readonly status?: number
      readonly error?: string
      readonly durationMs: number
    }
  | {
      /** The CRM answered 401 with a token the client thought valid: it refreshes and retries once. */
      readonly kind: 'unauthorized_retry'
      readonly exchange: CrmExchange
    }

export interface CrmClientOptions {
  readonly settings: CrmIntegrationSettings
  readonly fetch: typeof fetch
  readonly now: () => number
  /** `redirect_uri` for OAuth settings that include the redirect URL. */
  readonly oauthRedirectUrl?: string
  /** Told of token requests and 401 retries. */
  readonly observe?: (event: CrmClientEvent) => void
  /**
   * How a multipart body goes to `fetch` (default: a `FormData`); the app's in-process fetch
   * takes the fields as they are (`localMultipart`).
   */
  readonly multipart?: (fields: readonly MultipartField[]) => BodyInit
  /**
   * Whether `fetch` does not watch an abort signal for this URL (the app's in-process routes):
   * then the request timeout races the answer rather than aborting it, and no signal is made.
   */
  readonly raceTimeout?: (url: string) => boolean
  /**
   * Answers a request in process without `fetch` (the app's built-in mock CRM: core-fetch.ts), or
   * says it cannot (undefined: the request goes to `fetch` as usual). It is given what `fetch`
   * would be: the URL, the method, the headers (read as `Headers#get` reads them) and the body.
   * An answer still to come races the request timeout, as `fetch`'s would.
   */
  readonly local?: (
    request: LocalCrmRequest,
  ) => LocalCrmAnswer | Promise<LocalCrmAnswer> | undefined
}

/** A request as `CrmClientOptions.local` gets it. */
export interface LocalCrmRequest {
  readonly url: string
  /** Upper case. */
  readonly method: string
  /** A header by lower-case name, every value of it joined by `, ` (`Headers#get`), or undefined. */
  readonly header: (name: string) => string | undefined
  /** The body as `fetch` would get it (JSON text, the `multipart` option's body), or undefined. */
  readonly body: BodyInit | undefined
}

/** An in-process answer: status, headers (lower-case names) and body text. */
export interface LocalCrmAnswer {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

export interface CrmClient {
  /** Sends one built request with the settings' authentication; never rejects. */
  send(request: CrmHttpRequest): Promise<CrmExchange>
}

type FetchOutcome =
  | { readonly ok: true; readonly response: Response; readonly bodyText: string }
  | { readonly ok: false; readonly error: string }

class AuthError extends Error {
  override readonly name = 'AuthError'
}

function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error; e !== null && typeof e === 'object';) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string') return code
    e = (e as { cause?: unknown }).cause
  }
  return undefined
}

/** A connection failure in the words the journal uses. */
export function describeConnectionError(error: unknown): string {
  const code = errorCode(error) ?? ''
  switch (code) {
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
    case 'EPIPE':
      return 'connection reset'
    case 'ECONNREFUSED':
      return 'connection refused'
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found'
    default: {
      // MSW's `HttpResponse.error()` (a network error Response) surfaces as a TypeError whose cause
      // is that Response: it is the in-process form of a dropped connection.
      if (
        error instanceof TypeError &&
        error.cause instanceof Response &&
        error.cause.type === 'error'
      ) {
        return 'connection reset'
      }
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error
      return `connection error: ${cause instanceof Error ? cause.message : String(cause)}`
    }
  }
}

/**
 * Runs one fetch with a deadline covering the answer's body too. With `race`, for a fetch that
 * does not watch a signal (the app's in-process routes), the deadline races the answer instead
 * of aborting it: no AbortController, whose signal cost each in-process request more than its
 * routing.
 */
async function fetchWithin(
  fetchFn: typeof fetch,
  request: {
    readonly url: string
    readonly init: RequestInit
    readonly race?: boolean | undefined
  },
  timeoutMs: number,
): Promise<FetchOutcome> {
  const race = request.race === true
  const controller = race ? undefined : new AbortController()
  let timedOut = false
  let expire: ((error: Error) => void) | undefined
  const deadline = race
    ? new Promise<never>((_, reject) => {
        expire = reject
      })
    : undefined
  const timer = setTimeout(() => {
    timedOut = true
    const error = new Error(`timeout after ${timeoutMs}ms`)
    controller?.abort(error)
    expire?.(error)
  }, timeoutMs)
  const within = <T>(promise: Promise<T>): Promise<T> =>
    deadline === undefined ? promise : Promise.race([promise, deadline])
  try {
    const response = await within(
      fetchFn(
        request.url,
        controller ? { ...request.init, signal: controller.signal } : request.init,
      ),
    )
    const bodyText = await within(response.text())
    return { ok: true, response, bodyText }
  } catch (error) {
    return {
      ok: false,
      error: timedOut ? `timeout after ${timeoutMs}ms` : describeConnectionError(error),
    }
  } finally {
    clearTimeout(timer)
  }
}

function isJsonContentType(contentType: string | null): boolean {
  return contentType !== null && /^[^;]*[/+]json\s*(;|$)/i.test(contentType)
}

/** What `jsonOf` gives for a body that is not JSON. */
const NOT_JSON: unique symbol = Symbol('not JSON')

/** A body's JSON value, or `NOT_JSON` when it is empty or does not parse. */
function jsonOf(text: string): unknown {
  if (blank(text)) return NOT_JSON
  try {
    return JSON.parse(text) as unknown
  } catch {
    return NOT_JSON
  }
}

/** `jsonOf` as a response's optional `json` key. */
function parseJson(text: string): { readonly json?: unknown } {
  const json = jsonOf(text)
  return json === NOT_JSON ? {} : { json }
}

function headersObject(headers: Headers): Record<string, string> {
  return Object.fromEntries(headers.entries())
}

/** A header name `Headers` keeps as it is once lower-cased, and one it keeps as it is. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
const LOWER_TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/
/** A header value `Headers` neither trims nor refuses (no surrounding whitespace, no CR, LF, NUL). */
const PLAIN_VALUE = /^(?:[\x21-\x7e\x80-\xff](?:[\t\x20-\x7e\x80-\xff]*[\x21-\x7e\x80-\xff])?)?$/

/**
 * An in-process answer's headers as `headersObject(new Headers(headers))` gives them (names sorted,
 * lower case): the same object when it already is so, which the mock CRM's answers are.
 */
function answerHeaders(
  headers: Readonly<Record<string, string>>,
): Readonly<Record<string, string>> {
  // The mock CRM answers most requests with one frozen headers object: checked once.
  if (headers === plainFrozen) return headers
  let previous = ''
  for (const name of Object.keys(headers)) {
    const value = headers[name] as string
    const plain =
      name > previous && name !== 'set-cookie' && LOWER_TOKEN.test(name) && PLAIN_VALUE.test(value)
    if (!plain) return headersObject(new Headers(headers))
    previous = name
  }
  if (Object.isFrozen(headers)) plainFrozen = headers
  return headers
}

/** The last frozen headers object `answerHeaders` found plain (it cannot change since). */
let plainFrozen: Readonly<Record<string, string>> | undefined

/**
 * `Headers#get` over a record of request headers, or undefined when `Headers` would change or
 * refuse one of them (then the request takes the `fetch` path, which behaves as it always did).
 */
function headerLookup(
  headers: Readonly<Record<string, string>>,
): ((name: string) => string | undefined) | undefined {
  const values = new Map<string, string>()
  for (const name of Object.keys(headers)) {
    const value = headers[name] as string
    const lower = name.toLowerCase()
    if (!TOKEN.test(name) || !PLAIN_VALUE.test(value) || lower === 'cookie') return undefined
    const before = values.get(lower)
    // `Headers#append` joins the values of one name (in any case) with `, `, in order.
    values.set(lower, before === undefined ? value : `${before}, ${value}`)
  }
  return (name) => values.get(name.toLowerCase())
}

/**
 * The answers to in-process requests still pending after the turn they were sent in: only those
 * get a timer (an in-process answer comes within microtasks; a timer per request cost more).
 */
let pendingChecks: (() => void)[] = []

function checkPendingSoon(check: () => void): void {
  pendingChecks.push(check)
  if (pendingChecks.length > 1) return
  setImmediate(() => {
    const checks = pendingChecks
    pendingChecks = []
    for (const run of checks) run()
  })
}

type LocalOutcome =
  | { readonly ok: true; readonly answer: LocalCrmAnswer }
  | { readonly ok: false; readonly error: string }

/**
 * An in-process answer still to come, under the request timeout (`fetchWithin`'s deadline, its
 * timer started only if the answer has not come by the next turn, for the time left).
 */
function localWithin(answer: Promise<LocalCrmAnswer>, timeoutMs: number): Promise<LocalOutcome> {
  const startedAt = performance.now()
  return new Promise((resolve) => {
    let done = false
    let timer: ReturnType<typeof setTimeout> | undefined
    answer.then(
      (value) => {
        if (done) return
        done = true
        if (timer !== undefined) clearTimeout(timer)
        resolve({ ok: true, answer: value })
      },
      (error: unknown) => {
        if (done) return
        done = true
        if (timer !== undefined) clearTimeout(timer)
        resolve({ ok: false, error: describeConnectionError(error) })
      },
    )
    checkPendingSoon(() => {
      if (done) return
      timer = setTimeout(
        () => {
          if (done) return
          done = true
          resolve({ ok: false, error: `timeout after ${timeoutMs}ms` })
        },
        Math.max(0, timeoutMs - (performance.now() - startedAt)),
      )
    })
  })
}

function requestBody(
  request: CrmHttpRequest,
  multipart: CrmClientOptions['multipart'],
): BodyInit | undefined {
  const body = request.body
  if (body === undefined) return undefined
  if (body.kind === 'json') return jsonBodyText(body)
  if (multipart) return multipart(body.fields)
  const form = new FormData()
  for (const field of body.fields) {
    if (field.file !== undefined) {
      // The Blob copies the bytes (a copy of them first only doubled the memory a recording moves).
      const bytes = field.file.bytes as Uint8Array<ArrayBuffer>
      const blob = new Blob([bytes], { type: field.file.contentType })
      form.append(field.name, blob, field.file.filename)
    } else {
      form.append(field.name, field.value ?? '')
    }
  }
  return form
}

interface Token {
  readonly accessToken: string
  readonly expiresAt?: number
  readonly refreshToken?: string
}

/** Reads a token endpoint's answer (JSON, or form-encoded as some providers send). */
function parseTokenAnswer(outcome: Extract<FetchOutcome, { ok: true }>, obtainedAt: number): Token {
  const { response, bodyText } = outcome
  if (!response.ok) {
    throw new AuthError(`token request answered HTTP ${response.status}: ${bodyText.slice(0, 200)}`)
  }
  let fields: Record<string, unknown>
  if (isJsonContentType(response.headers.get('content-type')) || bodyText.trim().startsWith('{')) {
    const { json } = parseJson(bodyText)
    if (json === null || typeof json !== 'object') {
      throw new AuthError('token response is not a JSON object')
    }
    fields = json as Record<string, unknown>
  } else {
    fields = Object.fromEntries(new URLSearchParams(bodyText))
  }
  const accessToken = fields['access_token']
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw new AuthError('token response has no access_token')
  }
  const expiresIn = Number(fields['expires_in'])
  const refreshToken = fields['refresh_token']
  return {
    accessToken,
    ...(fields['expires_in'] !== undefined && Number.isFinite(expiresIn) && expiresIn > 0
      ? { expiresAt: obtainedAt + expiresIn * 1000 }
      : {}),
    ...(typeof refreshToken === 'string' && refreshToken !== '' ? { refreshToken } : {}),
  }
}

/** The OAuth 2.0 token of one client: fetched, cached, refreshed. */
class OAuthTokens {
  private token: Token | undefined
  private pending: Promise<Token> | undefined

  constructor(
    private readonly auth: CrmOAuth2Authentication,
    private readonly options: CrmClientOptions,
  ) {}

  /** A usable access token; `stale` is the one the CRM just refused, forcing a refresh. */
  async accessToken(timeoutMs: number, stale?: string): Promise<string> {
    const current = this.token
    const fresh =
      current !== undefined &&
      current.accessToken !== stale &&
      (current.expiresAt === undefined || this.options.now() < current.expiresAt)
    if (fresh) return current.accessToken
    this.pending ??= this.obtain(timeoutMs).finally(() => {
      this.pending = undefined
    })
    return (await this.pending).accessToken
  }

  private async obtain(timeoutMs: number): Promise<Token> {
    const refreshToken = this.token?.refreshToken
    if (refreshToken !== undefined) {
      try {
        const refreshed = await this.tokenRequest(
          { grant_type: 'refresh_token', refresh_token: refreshToken },
          timeoutMs,
        )
        this.token = { refreshToken, ...refreshed }
        return this.token
      } catch {
        // A refused refresh token: start over with a new grant.
      }
    }
    const grant = this.auth.grant_type ?? 'authorization_code'
    const fields =
      grant === 'client_credentials'
        ? { grant_type: 'client_credentials', ...this.optional({ scope: this.auth.scope }) }
        : { grant_type: 'authorization_code', code: await this.authorizationCode(timeoutMs) }
    this.token = await this.tokenRequest(fields, timeoutMs)
    return this.token
  }

  private redirectUri(): Record<string, string> {
    return this.auth.include_redirect_url === true
      ? { redirect_uri: this.options.oauthRedirectUrl ?? DEFAULT_OAUTH_REDIRECT_URL }
      : {}
  }

  private optional(fields: Record<string, string | null | undefined>): Record<string, string> {
    return Object.fromEntries(
      Object.entries(fields).filter(
        (entry): entry is [string, string] => entry[1] != null && entry[1] !== '',
      ),
    )
  }

  private async authorizationCode(timeoutMs: number): Promise<string> {
    const url = new URL(this.auth.authorization_url)
    const params = {
      response_type: 'code',
      client_id: this.auth.client_id,
      ...this.optional({
        scope: this.auth.scope,
        state: this.auth.state,
        access_type: this.auth.access_type,
      }),
      ...this.redirectUri(),
    }
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value)
    const startedAt = this.options.now()
    const outcome = await fetchWithin(
      this.options.fetch,
      {
        url: url.toString(),
        init: { method: 'GET', redirect: 'manual' },
        race: this.options.raceTimeout?.(url.toString()),
      },
      timeoutMs,
    )
    const durationMs = this.options.now() - startedAt
    const event = {
      kind: 'oauth_token',
      grant: 'authorization_code',
      url: url.toString(),
      durationMs,
    } as const
    if (!outcome.ok) {
      this.options.observe?.({ ...event, error: outcome.error })
      throw new AuthError(`authorization request failed: ${outcome.error}`)
    }
    this.options.observe?.({ ...event, status: outcome.response.status })
    const location = outcome.response.headers.get('location')
    let code: string | null = null
    let state: string | null = null
    if (location !== null) {
      const redirect = new URL(location, url)
      code = redirect.searchParams.get('code')
      state = redirect.searchParams.get('state')
    } else {
      const { json } = parseJson(outcome.bodyText)
      const fields = (json ?? {}) as Record<string, unknown>
      code = typeof fields['code'] === 'string' ? fields['code'] : null
      state = typeof fields['state'] === 'string' ? fields['state'] : null
    }
    if (code === null || code === '') {
      throw new AuthError(
        `authorization request answered HTTP ${outcome.response.status} without a code`,
      )
    }
    if (this.auth.state != null && state !== null && state !== this.auth.state) {
      throw new AuthError('authorization request answered with another state')
    }
    return code
  }

  private async tokenRequest(fields: Record<string, string>, timeoutMs: number): Promise<Token> {
    const body = new URLSearchParams({
      ...fields,
      client_id: this.auth.client_id,
      client_secret: this.auth.client_secret,
      ...this.redirectUri(),
    })
    const startedAt = this.options.now()
    const outcome = await fetchWithin(
      this.options.fetch,
      {
        url: this.auth.token_url,
        init: {
          method: 'POST',
          headers: {
            'Content-Type': 'application/x-www-form-urlencoded',
            Accept: 'application/json',
          },
          body: body.toString(),
        },
        race: this.options.raceTimeout?.(this.auth.token_url),
      },
      timeoutMs,
    )
    const obtainedAt = this.options.now()
    const grant = fields['grant_type'] as
      'authorization_code' | 'client_credentials' | 'refresh_token'
    const event = {
      kind: 'oauth_token',
      grant,
      url: this.auth.token_url,
      durationMs: obtainedAt - startedAt,
    } as const
    if (!outcome.ok) {
      this.options.observe?.({ ...event, error: outcome.error })
      throw new AuthError(`token request failed: ${outcome.error}`)
    }
    this.options.observe?.({ ...event, status: outcome.response.status })
    return parseTokenAnswer(outcome, obtainedAt)
  }
}

/** The settings' auth headers: the real ones to send and the masked ones to show. */
interface AuthHeaders {
  readonly sent: Record<string, string>
  readonly shown: Record<string, string>
}

/**
 * The settings with their secrets as `***`, the way `sentHeaders` shows them in the journal: the
 * Basic password, every custom-header value, the OAuth client secret (`GET /_sim/crm/settings`).
 *
 * @example
 * maskCrmSettings(settings).authentication // { method: 'custom_header', fields: [{ field_key: 'X-Api-Key', field_value: '***' }] }
 */
export function maskCrmSettings(settings: CrmIntegrationSettings): CrmIntegrationSettings {
  const auth = settings.authentication
  switch (auth.method) {
    case 'basic':
      return { ...settings, authentication: { ...auth, password: MASK } }
    case 'custom_header':
      return {
        ...settings,
        authentication: { ...auth, fields: auth.fields.map((f) => ({ ...f, field_value: MASK })) },
      }
    case 'oauth2':
      return { ...settings, authentication: { ...auth, client_secret: MASK } }
  }
}

function maskedAuthorization(value: string): string {
  const scheme = /^(\S+)\s/.exec(value)?.[1]
  return scheme === undefined ? MASK : `${scheme} ${MASK}`
}

/**
 * A client that sends built requests to the CRM with the settings' authentication (basic,
 * custom headers, OAuth 2.0 with token fetch, caching and refresh), the request's timeout, and
 * the answer read back: JSON parsed into `json` when the content type says JSON (a malformed body
 * keeps `bodyText` only); no answer becomes `error` (`timeout after 5000ms`, `connection reset`…).
 * `send` never rejects (seed 000, API settings; reference §5.1, §5.4).
 *
 * @example
 * const client = createCrmClient({ settings, fetch, now: () => clock.now() })
 * const exchange = await client.send(buildCrmRequest(settings, 'find_account_by_query', { variables })!)
 */
export function createCrmClient(options: CrmClientOptions): CrmClient {
  const auth = options.settings.authentication
  const tokens = auth.method === 'oauth2' ? new OAuthTokens(auth, options) : undefined
  // Basic and custom-header credentials are the same for every request: made once. An OAuth
  // token's headers are kept while the token is.
  let fixed: AuthHeaders | undefined
  let bearer: { readonly token: string; readonly headers: AuthHeaders } | undefined

  async function authHeaders(timeoutMs: number, stale?: string): Promise<AuthHeaders> {
    switch (auth.method) {
      case 'basic': {
        const credentials = Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString(
          'base64',
        )
        return (fixed ??= {
          sent: { Authorization: `Basic ${credentials}` },
          shown: { Authorization: `Basic ${MASK}` },
        })
      }
      case 'custom_header':
        return (fixed ??= {
          sent: Object.fromEntries(auth.fields.map((f) => [f.field_key, f.field_value])),
          shown: Object.fromEntries(auth.fields.map((f) => [f.field_key, MASK])),
        })
      case 'oauth2': {
        const token = await (tokens as OAuthTokens).accessToken(timeoutMs, stale)
        if (bearer?.token !== token) {
          bearer = {
            token,
            headers: {
              sent: { Authorization: `Bearer ${token}` },
              shown: { Authorization: `Bearer ${MASK}` },
            },
          }
        }
        return bearer.headers
      }
    }
  }

  /** The request's own headers, minus those the auth headers replace (names match in any case). */
  function mergeHeaders(
    request: CrmHttpRequest,
    added: Record<string, string>,
  ): Record<string, string> {
    const replaced = new Set(Object.keys(added).map((name) => name.toLowerCase()))
    if (request.body?.kind === 'multipart') replaced.add('content-type')
    const own = Object.entries(request.headers).filter(
      ([name]) => !replaced.has(name.toLowerCase()),
    )
    return { ...Object.fromEntries(own), ...added }
  }

  function shownHeaders(
    request: CrmHttpRequest,
    shown: Record<string, string>,
  ): Record<string, string> {
    const merged = mergeHeaders(request, shown)
    for (const [name, value] of Object.entries(merged)) {
      if (name.toLowerCase() === 'authorization' && value !== shown[name]) {
        merged[name] = maskedAuthorization(value)
      }
    }
    return merged
  }

  /** A request's headers with the auth headers: to send, to show, and to read in process. */
  interface MergedHeaders {
    readonly sent: Record<string, string>
    readonly shown: Record<string, string>
    /** `Headers#get` over `sent`, when `Headers` would keep them as they are. */
    readonly header: ((name: string) => string | undefined) | undefined
  }

  /**
   * The merged headers of the auth headers and a request's own, kept by both objects (and the
   * body's kind): the request builder gives every request of a kind the same headers object, so a
   * flow's requests share them (nobody changes them: the exchange's are read-only).
   */
  const mergedCache = new WeakMap<AuthHeaders, WeakMap<object, [MergedHeaders?, MergedHeaders?]>>()

  function mergedHeaders(request: CrmHttpRequest, headers: AuthHeaders): MergedHeaders {
    let byRequest = mergedCache.get(headers)
    if (byRequest === undefined) {
      byRequest = new WeakMap()
      mergedCache.set(headers, byRequest)
    }
    let pair = byRequest.get(request.headers)
    if (pair === undefined) {
      pair = []
      byRequest.set(request.headers, pair)
    }
    const slot = request.body?.kind === 'multipart' ? 1 : 0
    let merged = pair[slot]
    if (merged === undefined) {
      const sent = mergeHeaders(request, headers.sent)
      merged = { sent, shown: shownHeaders(request, headers.shown), header: headerLookup(sent) }
      pair[slot] = merged
    }
    return merged
  }

  /** The exchange of an in-process answer, as the `fetch` path makes it of the same answer. */
  function answered(
    sent: { readonly request: CrmHttpRequest; readonly sentHeaders: Record<string, string> },
    answer: LocalCrmAnswer,
    startedAt: number,
  ): CrmExchange {
    let headers: Readonly<Record<string, string>>
    try {
      headers = answerHeaders(answer.headers)
    } catch (error) {
      // Headers `fetch`'s Response would refuse: the answer never reaches the client.
      return { ...sent, error: describeConnectionError(error) }
    }
    const bodyText = answer.body
    const status = answer.status
    const durationMs = options.now() - startedAt
    // The keys in the `fetch` path's order, `json` only when the body is JSON (no spread).
    const json = isJsonContentType(headers['content-type'] ?? null) ? jsonOf(bodyText) : NOT_JSON
    const response: CrmHttpResponse =
      json === NOT_JSON
        ? { status, headers, bodyText, durationMs }
        : { status, headers, bodyText, json, durationMs }
    return { request: sent.request, sentHeaders: sent.sentHeaders, response }
  }

  async function attempt(request: CrmHttpRequest, headers: AuthHeaders): Promise<CrmExchange> {
    const merged = mergedHeaders(request, headers)
    const sentHeaders = merged.shown
    const body = requestBody(request, options.multipart)
    const startedAt = options.now()
    if (options.local !== undefined && merged.header !== undefined) {
      const answer = options.local({
        url: request.url,
        method: request.method.toUpperCase(),
        header: merged.header,
        body,
      })
      if (answer instanceof Promise) {
        const outcome = await localWithin(answer, request.timeoutMs)
        return outcome.ok
          ? answered({ request, sentHeaders }, outcome.answer, startedAt)
          : { request, sentHeaders, error: outcome.error }
      }
      if (answer !== undefined) return answered({ request, sentHeaders }, answer, startedAt)
    }
    const outcome = await fetchWithin(
      options.fetch,
      {
        url: request.url,
        init: {
          method: request.method,
          headers: merged.sent,
          ...(body === undefined ? {} : { body }),
        },
        race: options.raceTimeout?.(request.url),
      },
      request.timeoutMs,
    )
    if (!outcome.ok) return { request, sentHeaders, error: outcome.error }
    const { response: res, bodyText } = outcome
    const response: CrmHttpResponse = {
      status: res.status,
      headers: headersObject(res.headers),
      bodyText,
      ...(isJsonContentType(res.headers.get('content-type')) ? parseJson(bodyText) : {}),
      durationMs: options.now() - startedAt,
    }
    return { request, sentHeaders, response }
  }

  async function send(request: CrmHttpRequest): Promise<CrmExchange> {
    // Basic and custom-header credentials, once made, are at hand: no turn waiting for them.
    if (fixed !== undefined) return attempt(request, fixed)
    let headers: AuthHeaders
    try {
      headers = await authHeaders(request.timeoutMs)
    } catch (error) {
      return authFailure(request, error)
    }
    const first = await attempt(request, headers)
    if (tokens === undefined || first.response?.status !== 401) return first
    options.observe?.({ kind: 'unauthorized_retry', exchange: first })
    const refused = headers.sent['Authorization']?.replace(/^Bearer /, '')
    try {
      headers = await authHeaders(request.timeoutMs, refused)
    } catch (error) {
      return authFailure(request, error)
    }
    return attempt(request, headers)
  }

  function authFailure(request: CrmHttpRequest, error: unknown): CrmExchange {
    const message = error instanceof Error ? error.message : String(error)
    return { request, sentHeaders: shownHeaders(request, {}), error: `oauth: ${message}` }
  }

  return { send }
}
