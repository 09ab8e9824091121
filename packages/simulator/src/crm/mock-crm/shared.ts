import type { Context } from 'hono'
import { z } from 'zod'
import type { SimulatorErrorCode } from '../../errors.js'
import {
  problems,
  type ResponseDeclaration,
  type ResponseDeclarations,
} from '../../http/declare-routes.js'
import { unauthorized, type MockCrmAuthenticator } from './auth.js'
import { readFields } from './body.js'
import {
  authorize,
  baseOf,
  rawHeader,
  toResponse,
  type CoreRoute,
  type CrmRequest,
} from './core.js'
import { FAULT_KINDS, runWithFault, type FaultController, type MockCrmRouteName } from './faults.js'
import type { MockCrmStore } from './store.js'

/** What every mock CRM route needs. */
export interface MockCrmDeps {
  readonly store: MockCrmStore
  readonly authenticator: MockCrmAuthenticator
  readonly faults: FaultController | undefined
  /** The CRM's public base (`http://127.0.0.1:4010/crm`); derived from the request when absent. */
  readonly baseUrl: string | undefined
  /** Page downloads demand the API's credentials (the simulator listens beyond loopback). */
  readonly guardDownloads?: boolean | undefined
}

/** The 401 for a guarded download without the API's credentials, or undefined when it may go. */
export function downloadGuard(deps: MockCrmDeps, c: Context): Response | undefined {
  if (deps.guardDownloads !== true) return undefined
  const check = deps.authenticator.check((name) => requestHeader(c, name))
  return check.ok ? undefined : unauthorized(c, check)
}

/**
 * The CRM's base URL for links in answers and pages: the configured one, else the request's origin
 * and the path before `marker` (the first segment the mock CRM owns: `/api/`, `/records/`, …).
 */
export function baseUrlOf(deps: MockCrmDeps, input: { c: Context; marker: string }): string {
  return baseOf(deps, input.c.req.url, input.marker)
}

interface NodeIncoming {
  readonly incoming?: { readonly rawHeaders?: readonly string[] }
}

/**
 * A request header as `c.req.header(name)` reads it (every value of the name, joined by `, `;
 * `undefined` when absent), read from Node's raw header list when the app runs on
 * `@hono/node-server`: there, the first `c.req.header()` builds a `Headers` object of every header
 * of the request, which costs more than the whole account search.
 */
export function requestHeader(c: Context, name: string): string | undefined {
  const raw = (c.env as NodeIncoming | undefined)?.incoming?.rawHeaders
  if (raw === undefined) return c.req.header(name)
  return rawHeader(raw, name)
}

/**
 * An API route: the fault drawn for `route` first (see `runWithFault`), then the configured
 * authentication (401 problem+json on failure), then the handler; the answer leaves once the
 * store's writes are saved (when persisted).
 */
export function apiRoute(
  deps: MockCrmDeps,
  route: MockCrmRouteName,
  handler: (c: Context) => Promise<Response> | Response,
): (c: Context) => Promise<Response> | Response {
  return (c) =>
    runWithFault({
      c,
      route,
      faults: deps.faults,
      handle: () => {
        const check = deps.authenticator.check((name) => requestHeader(c, name))
        if (!check.ok) return unauthorized(c, check)
        const response = handler(c)
        // A store without a file has nothing to wait for: its answer goes out as it is.
        if (deps.store.file === undefined) return response
        return flushed(response, deps.store)
      },
    })
}

/** A Hono request as the core's (see core.ts). */
export function requestOf(c: Context): CrmRequest {
  return { url: c.req.url, params: c.req.param(), header: (name) => requestHeader(c, name) }
}

/**
 * A core route (core.ts) as a Hono handler: the fault drawn for it first (see `runWithFault`),
 * then the configured authentication, then the body (when the route takes one), then the handler;
 * the answer leaves once the store's writes are saved (when persisted).
 */
export function coreRoute(
  deps: MockCrmDeps,
  route: CoreRoute,
): (c: Context) => Promise<Response> | Response {
  return (c) =>
    runWithFault({
      c,
      route: route.name,
      faults: deps.faults,
      handle: () => {
        const request = requestOf(c)
        const refused = authorize(deps, request)
        if (refused) return toResponse(c, refused)
        const answer = route.body
          ? readFields(c).then((fields) => route.handle({ ...request, fields }))
          : route.handle(request)
        const response =
          answer instanceof Promise ? answer.then((a) => toResponse(c, a)) : toResponse(c, answer)
        // A store without a file has nothing to wait for: its answer goes out as it is.
        if (deps.store.file === undefined) return response
        return flushed(response, deps.store)
      },
    })
}

/** The answer once the store's writes are on disk (a failed save is an error, not this answer). */
async function flushed(
  response: Response | Promise<Response>,
  store: MockCrmDeps['store'],
): Promise<Response> {
  const answer = await response
  await store.flush()
  return answer
}

/** A path parameter (`''` when the route has none). */
export function idParam(c: Context, name = 'id'): string {
  return c.req.param(name) ?? ''
}

/** The id as the generic dialect writes it: a number when it is one (`1`), else the string. */
export function outId(id: string): number | string {
  return /^\d{1,15}$/.test(id) ? Number(id) : id
}

/** Serves a stored file's bytes (made now, for a session's upload) with their type and name. */
export function fileResponse(file: {
  readonly bytes: () => Uint8Array
  readonly contentType: string
  readonly filename: string
}): Response {
  const bytes = file.bytes()
  // The plain `filename` must be a ByteString: printable ASCII only (`报告.txt` → `__.txt`); the
  // real name travels in RFC 5987's `filename*` (percent-encoded UTF-8), which clients prefer.
  const safeName = file.filename.replace(/[^\x20-\x7e]|["\\]/g, '_')
  return new Response(bytes.slice().buffer, {
    status: 200,
    headers: {
      'content-type': file.contentType,
      'content-length': String(bytes.byteLength),
      'content-disposition': `attachment; filename="${safeName}"; filename*=UTF-8''${rfc5987(file.filename)}`,
    },
  })
}

/** The problem+json of a `status` fault: `type` is `mock-crm-fault`, the status the rule's. */
const MockCrmFaultSchema = z
  .object({
    type: z.literal('mock-crm-fault'),
    title: z.string(),
    status: z.int().min(400).max(599),
    detail: z.string(),
    instance: z.string(),
  })
  .meta({
    id: 'MockCrmFault',
    description:
      'The answer of a status fault rule (POST /_sim/crm/faults): an emulated CRM failure, outside the simulator’s own error codes.',
  })

/** What a fault rule may answer instead of the route (any status; header `x-mock-crm-fault`). */
export const FAULT_RESPONSE: ResponseDeclaration = {
  description:
    'An injected fault (POST /_sim/crm/faults): a status fault answers its status with this body; the other kinds shape the normal answer. Every faulted answer carries x-mock-crm-fault.',
  content: { 'application/problem+json': MockCrmFaultSchema },
  headers: {
    'x-mock-crm-fault': {
      description: 'The fault kind that shaped the answer',
      schema: { type: 'string', enum: [...FAULT_KINDS] },
    },
  },
}

/**
 * The responses of an API route: its own, a 401 when the configured authentication refuses, the
 * errors it can answer, and the faults.
 */
export function apiResponses(
  own: Readonly<Record<number, ResponseDeclaration>>,
  ...codes: SimulatorErrorCode[]
): ResponseDeclarations {
  return { ...own, ...problems('unauthorized', ...codes), default: FAULT_RESPONSE }
}

/** Any fields of an account, record or comment, as sent (JSON, form or multipart). */
export const FieldsBodySchema = z.record(z.string(), z.unknown()).meta({
  id: 'MockCrmFields',
  description:
    'Fields as the settings send them: a Property body (`{ …fields }`), a Container Map (`{ name: { …fields } }`) or a Container Array (`{ name: [ { …fields } ] }`).',
})

/** How the mock CRM reads request bodies (the handlers parse them; see body.ts). */
export const FIELDS_CONTENT = {
  'application/json': FieldsBodySchema,
  'application/x-www-form-urlencoded': { type: 'object', additionalProperties: { type: 'string' } },
  'multipart/form-data': { type: 'object', additionalProperties: true },
} as const

/** A mock CRM id in a path. */
export const IdParamsSchema = z.object({ id: z.string().describe('The entity id.') })

/** RFC 5987 `value-chars`: percent-encoded UTF-8, with the characters `encodeURIComponent` leaves but the grammar does not. */
function rfc5987(value: string): string {
  // A lone surrogate cannot be UTF-8: it becomes U+FFFD rather than throw.
  const wellFormed = value.replace(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '\uFFFD',
  )
  return encodeURIComponent(wellFormed).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  )
}
