import type { Context } from 'hono'
import { tryDecodeURIComponent } from 'hono/utils/url'
import { SimulatorError } from '../../errors.js'
import type { SimulatorErrorCode } from '../../errors.js'
import { keepLocalAnswer } from '../local-request.js'
import type { RequestFields } from './body.js'
import type { MockCrmRouteName } from './faults.js'
import type { MockCrmDeps } from './shared.js'
import { problemBody, type ProblemAbout } from '../../http/problem.js'

/*
 * The mock CRM's API routes without a transport: a request is its URL, path parameters, a header
 * reader and (for the routes with a body) the fields already read; an answer is a status, headers
 * and text. The Hono routes (faults, body reading, the OpenAPI document), the node:http fast path
 * (`node-fast-path.ts`) and the simulator's in-process CRM client (`core-fetch.ts`) all call the
 * same handlers, so each route's behaviour is written once. Faults stay with the Hono routes: the
 * other two transports hand a request to Hono whenever a fault rule is set.
 */

/** One request to a mock CRM API route. */
export interface CrmRequest {
  /** The whole URL, as `c.req.url` reads it (`http://host/crm/api/accounts?phone=…`). */
  readonly url: string
  /** The route's path parameters, decoded (`{ id: '7' }`). */
  readonly params: Readonly<Record<string, string>>
  /** A request header by lower-case name (every value joined by `, `), or undefined. */
  readonly header: (name: string) => string | undefined
  /** The body's fields, read by the transport, for the routes that take one. */
  readonly fields?: RequestFields | undefined
  /**
   * The query's parameters once `queryOf` has read them (kept on the request itself: a WeakMap
   * by request cost a find a tenth of its time in the maps' upkeep and the collector).
   */
  query?: QueryParams | undefined
}

/** A query string's parameters: the first value of each name, decoded. */
export type QueryParams = ReadonlyMap<string, string>

/**
 * A URL's query parameters exactly as Hono's `getQueryParam(url)` (`c.req.query()`) reads them:
 * the query ends at `#`; names and values lose `+` and percent escapes (undecodable ones stay)
 * when the URL holds a `%` or `+` anywhere; an empty name is skipped; the first value of a name
 * wins. Its algorithm, step for step, into a Map, without its regular expression and null-prototype
 * object (a find spent a fifth of its own time in it).
 */
export function parseQuery(url: string): QueryParams {
  const hash = url.indexOf('#', 8)
  if (hash !== -1) url = url.slice(0, hash)
  const results = new Map<string, string>()
  let keyIndex = url.indexOf('?', 8)
  if (keyIndex === -1) return results
  const encoded = url.indexOf('%') !== -1 || url.indexOf('+') !== -1
  while (keyIndex !== -1) {
    const nextKeyIndex = url.indexOf('&', keyIndex + 1)
    let valueIndex = url.indexOf('=', keyIndex)
    if (valueIndex > nextKeyIndex && nextKeyIndex !== -1) valueIndex = -1
    const nameEnd =
      valueIndex === -1 ? (nextKeyIndex === -1 ? url.length : nextKeyIndex) : valueIndex
    let name = url.slice(keyIndex + 1, nameEnd)
    if (encoded) name = decodeQueryPart(name)
    keyIndex = nextKeyIndex
    if (name === '' || results.has(name)) continue
    let value = ''
    if (valueIndex !== -1) {
      value = url.slice(valueIndex + 1, nextKeyIndex === -1 ? url.length : nextKeyIndex)
      if (encoded) value = decodeQueryPart(value)
    }
    results.set(name, value)
  }
  return results
}

/** Hono's `_decodeURI`: `+` as a space, then percent escapes (an undecodable one stays). */
function decodeQueryPart(value: string): string {
  if (value.indexOf('+') !== -1) value = value.replace(/\+/g, ' ')
  return tryDecodeURIComponent(value)
}

/** The answer to a `CrmRequest`: the same on every transport. */
export interface CrmAnswer {
  readonly status: number
  /** Lower-case names; Content-Length is the transport's. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/** A route of the core: its fault name, whether it reads a body, and its handler. */
export interface CoreRoute {
  readonly name: MockCrmRouteName
  readonly body: boolean
  readonly handle: (request: CrmRequest) => CrmAnswer | Promise<CrmAnswer>
}

export const JSON_TYPE = 'application/json'

/**
 * The headers of every JSON answer without others: one frozen object, which the fast path knows
 * (node-fast-path.ts writes it without sorting or copying).
 */
export const JSON_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': JSON_TYPE,
})

/** A JSON answer from its text. */
export function jsonText(
  text: string,
  status = 200,
  headers?: Readonly<Record<string, string>>,
): CrmAnswer {
  return {
    status,
    headers: headers === undefined ? JSON_HEADERS : { 'content-type': JSON_TYPE, ...headers },
    body: text,
  }
}

/** A JSON answer (`JSON.stringify(value)`). */
export function jsonAnswer(
  value: unknown,
  status = 200,
  headers?: Readonly<Record<string, string>>,
): CrmAnswer {
  return jsonText(JSON.stringify(value), status, headers)
}

/** The URL's path, as `new URL(url).pathname` reads it (without parsing when it is plain). */
export function pathnameOf(url: string): string {
  const start = url.indexOf('/', url.indexOf('//') + 2)
  if (start === -1) return new URL(url).pathname
  let end = url.length
  for (let i = start; i < url.length; i++) {
    const ch = url.charCodeAt(i)
    if (ch === 63 /* ? */ || ch === 35 /* # */) {
      end = i
      break
    }
  }
  const path = url.slice(start, end)
  // Dots, percent signs and unusual characters: the URL parser's own answer.
  return /^[A-Za-z0-9_~/-]*$/.test(path) ? path : new URL(url).pathname
}

/** The problem+json answer `problem()` gives (`http/problem.ts`), without a Context. */
export function problemAnswer(
  url: string,
  code: SimulatorErrorCode,
  about: ProblemAbout,
): CrmAnswer {
  const body = problemBody(code, about, pathnameOf(url))
  return {
    status: body.status,
    headers: { 'content-type': 'application/problem+json' },
    body: JSON.stringify(body),
  }
}

/** The problem answer of a thrown error, as `problemFromError` makes it. */
export function errorAnswer(url: string, error: unknown): CrmAnswer {
  if (error instanceof SimulatorError)
    return problemAnswer(url, error.code, { detail: error.detail, issues: error.issues })
  const message = error instanceof Error ? error.message : String(error)
  return problemAnswer(url, 'internal', message)
}

/** The 401 of a refused check, or undefined when the request may go on. */
export function authorize(deps: MockCrmDeps, request: CrmRequest): CrmAnswer | undefined {
  const check = deps.authenticator.check(request.header)
  if (check.ok) return undefined
  const answer = problemAnswer(request.url, 'unauthorized', check.detail)
  return { ...answer, headers: { ...answer.headers, 'www-authenticate': check.challenge } }
}

/** A core answer as the Response Hono sends (the same status, headers and text). */
export function toResponse(c: Context, answer: CrmAnswer): Response {
  const response = c.body(answer.body, answer.status as 200, { ...answer.headers })
  // What `c.json` made for an in-process stand-in is read back without its stream: these too.
  if (answer.headers['content-type'] === JSON_TYPE)
    keepLocalAnswer(c.req.raw, response, answer.body)
  return response
}

/**
 * The CRM's base URL for links (see `baseUrlOf`): the configured one, else the request URL's
 * origin and the path before `marker`; kept by URL without its query.
 */
export function baseOf(deps: MockCrmDeps, url: string, marker: string): string {
  if (deps.baseUrl !== undefined) return deps.baseUrl.replace(/\/+$/, '')
  let cut = url.indexOf('?')
  const hash = url.indexOf('#')
  if (cut === -1 || (hash !== -1 && hash < cut)) cut = hash
  if (cut === -1) cut = url.length
  let cache = baseUrls.get(marker)
  if (cache === undefined) {
    cache = { byUrl: new Map<string, string>(), lastUrl: '', lastBase: '' }
    baseUrls.set(marker, cache)
  }
  // The same URL as the request before (a client asking again): no key to make and hash.
  if (cut === cache.lastUrl.length && cut > 0 && url.startsWith(cache.lastUrl))
    return cache.lastBase
  const key = cut === url.length ? url : url.slice(0, cut)
  let base = cache.byUrl.get(key)
  if (base === undefined) {
    const parsed = new URL(url)
    const at = parsed.pathname.indexOf(marker)
    base = parsed.origin + (at >= 0 ? parsed.pathname.slice(0, at) : '')
    if (cache.byUrl.size >= BASE_URL_CACHE_SIZE) cache.byUrl.clear()
    cache.byUrl.set(key, base)
  }
  cache.lastUrl = key
  cache.lastBase = base
  return base
}

/**
 * `baseOf` answers by marker, then by URL without its query (parsing a URL per request shows),
 * and the last one asked.
 */
const baseUrls = new Map<
  string,
  { readonly byUrl: Map<string, string>; lastUrl: string; lastBase: string }
>()
const BASE_URL_CACHE_SIZE = 1_000

/** A compiled route path (`/api/accounts/:id`): its segments, `:name` for a parameter. */
interface CompiledRoute {
  readonly method: string
  readonly segments: readonly string[]
  readonly route: CoreRoute
}

/** A route found for a request, and its path parameters. */
export interface RouteMatch {
  readonly route: CoreRoute
  readonly params: Readonly<Record<string, string>>
}

/** The parameters of a route without any (one frozen object for every request). */
const NO_PARAMS: Readonly<Record<string, string>> = Object.freeze({})

/** Finds the core route of a method and a path below the mount (`/api/accounts/7`). */
export class CoreRouter {
  private readonly routes: CompiledRoute[] = []
  /**
   * The matches of the routes without parameters, by method and path (`GET /api/accounts`), each
   * one object: the finds by query, the busiest routes, are found by one map read.
   */
  private readonly fixed = new Map<string, Map<string, RouteMatch>>()

  add(method: string, path: string, route: CoreRoute): void {
    const upper = method.toUpperCase()
    const segments = path.split('/').slice(1)
    this.routes.push({ method: upper, segments, route })
    if (segments.some((segment) => segment.startsWith(':'))) return
    // Only when the list answers this very route for its path (no earlier route takes it).
    if (this.search(upper, path)?.route !== route) return
    let paths = this.fixed.get(upper)
    if (paths === undefined) this.fixed.set(upper, (paths = new Map<string, RouteMatch>()))
    paths.set(path, Object.freeze({ route, params: NO_PARAMS }))
  }

  /**
   * The route and its parameters, or undefined. `path` holds only unreserved characters (the
   * transports check): no decoding, no dot segments.
   */
  match(method: string, path: string): RouteMatch | undefined {
    return this.fixed.get(method)?.get(path) ?? this.search(method, path)
  }

  /** The first route of the list that matches. */
  private search(method: string, path: string): RouteMatch | undefined {
    for (const candidate of this.routes) {
      if (candidate.method !== method) continue
      const params = matchSegments(candidate.segments, path)
      if (params !== undefined) return { route: candidate.route, params }
    }
    return undefined
  }
}

/**
 * The path parameters when `path` matches a route's `segments`, or undefined: what comparing them
 * with `path.split('/').slice(1)` gives, read in place (the split made an array and a string per
 * segment for each request with an id in its path: most of the sessions' writes).
 */
function matchSegments(
  segments: readonly string[],
  path: string,
): Record<string, string> | undefined {
  let slash = path.indexOf('/')
  if (slash === -1) return segments.length === 0 ? {} : undefined
  const params: Record<string, string> = {}
  for (let i = 0; i < segments.length; i++) {
    if (slash === -1) return undefined
    const start = slash + 1
    slash = path.indexOf('/', start)
    const end = slash === -1 ? path.length : slash
    const want = segments[i] ?? ''
    if (want.charCodeAt(0) === 58 /* : */) {
      if (end === start) return undefined
      params[want.slice(1)] = path.slice(start, end)
    } else if (want.length !== end - start || !path.startsWith(want, start)) {
      return undefined
    }
  }
  return slash === -1 ? params : undefined
}

/**
 * A header from Node's raw header list as `c.req.header(name)` reads it: every value of the name
 * (any case), joined by `, `; `undefined` when absent.
 */
export function rawHeader(raw: readonly string[], name: string): string | undefined {
  let value: string | undefined
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (!sameHeaderName(raw[i] ?? '', name)) continue
    const v = raw[i + 1] ?? ''
    value = value === undefined ? v : `${value}, ${v}`
  }
  return value
}

/**
 * Whether two header names are the same, whatever their case, as `a.toLowerCase() ===
 * b.toLowerCase()` says for names (HTTP tokens: ASCII only), without making lower-case copies.
 */
export function sameHeaderName(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  if (a === b) return true
  for (let i = 0; i < a.length; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x === y) continue
    // The same letter in the other case (A–Z is a–z less 32); a token has no other characters.
    if ((x | 0x20) !== (y | 0x20) || (x | 0x20) < 0x61 || (x | 0x20) > 0x7a) return false
  }
  return true
}
