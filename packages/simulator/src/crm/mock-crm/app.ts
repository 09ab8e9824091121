import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { json, route, routesApp } from '../../http/declare-routes.js'
import { problem, problemFromError } from '../../http/problem.js'
import { MockCrmAuthenticator, type MockCrmAuth } from './auth.js'
import { MockCrmCore } from './dispatch.js'
import { espoCrmRoutes } from './espocrm-api.js'
import { runWithFault, type FaultController } from './faults.js'
import { genericApiRoutes } from './generic-api.js'
import { mockCrmPages } from './pages.js'
import { FAULT_RESPONSE, type MockCrmDeps } from './shared.js'
import type { MockCrmStore } from './store.js'

/** The two APIs the mock CRM speaks: its own REST API (`/api/…`) and EspoCRM's (`/espo/api/v1/…`). */
export const MOCK_CRM_DIALECTS = ['generic', 'espocrm'] as const
export type MockCrmDialect = (typeof MOCK_CRM_DIALECTS)[number]

export interface MockCrmAppOptions {
  readonly store: MockCrmStore
  readonly auth: MockCrmAuth
  /** Only this dialect's API answers (the other's paths are 404). Default: both, each on its prefix. */
  readonly dialect?: MockCrmDialect | undefined
  readonly faults?: FaultController | undefined
  /** Time for token expiry (the store has its own `now` for timestamps). */
  readonly now: () => number
  /** The public base URL of the mount point (`http://127.0.0.1:4010/crm`) for links in answers; default: from each request. */
  readonly baseUrl?: string | undefined
  /** OAuth 2.0 tokens kept at most (default `DEFAULT_MAX_TOKENS`); the oldest go first. */
  readonly maxTokens?: number | undefined
  /** Share one authenticator (and its OAuth tokens) with the host; default: a new one for `auth`. */
  readonly authenticator?: MockCrmAuthenticator | undefined
  /**
   * Attachment downloads from the pages (`/attachments/:id`, `/records/:id/attachments/:id`,
   * `/espo/?entryPoint=download`) demand the API's credentials too. Default false: on loopback
   * they are links for a browser, like the platform's CRM pop-ups.
   */
  readonly guardDownloads?: boolean | undefined
}

/** The token request (RFC 6749 §4.4, §6), as a form or as JSON. */
const TokenRequestSchema = z
  .object({
    grant_type: z.enum(['client_credentials', 'refresh_token']),
    client_id: z.string().optional().describe('Or Basic authentication'),
    client_secret: z.string().optional().describe('Or Basic authentication'),
    refresh_token: z.string().optional().describe('With grant_type refresh_token'),
    scope: z.string().optional(),
  })
  .meta({ id: 'OAuthTokenRequest' })
const TOKEN_REQUEST_CONTENT = {
  'application/x-www-form-urlencoded': TokenRequestSchema,
  'application/json': TokenRequestSchema,
} as const
const TokenResponseSchema = z
  .object({
    access_token: z.string(),
    token_type: z.literal('Bearer'),
    expires_in: z.int(),
    refresh_token: z.string(),
    scope: z.string().optional(),
  })
  .meta({ id: 'OAuthToken' })
const OAuthErrorSchema = z
  .object({
    error: z.enum([
      'invalid_request',
      'invalid_client',
      'invalid_grant',
      'unsupported_grant_type',
      'unauthorized_client',
      'unsupported_response_type',
    ]),
    error_description: z.string(),
  })
  .meta({ id: 'OAuthError', description: 'An OAuth 2.0 error (RFC 6749 §5.2).' })

async function tokenParams(c: Context): Promise<Record<string, string | undefined>> {
  const type = (c.req.header('content-type') ?? '').toLowerCase()
  const out: Record<string, string | undefined> = {}
  if (type.includes('json')) {
    const value = (await c.req.json().catch(() => undefined)) as unknown
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v
    return out
  }
  const form = await c.req.parseBody().catch(() => ({}))
  for (const [k, v] of Object.entries(form)) if (typeof v === 'string') out[k] = v
  return out
}

/**
 * The mock CRM: a Hono app the simulator mounts at `/crm` (all routes are relative to the mount):
 * - `/api/…` — the generic dialect (see `genericApiRoutes`), integer ids;
 * - `/espo/api/v1/…` — the EspoCRM dialect (see `espoCrmRoutes`), 17-character ids;
 * - `POST /oauth/token` — OAuth 2.0 tokens (`client_credentials`, `refresh_token`; form or JSON),
 *   answering RFC 6749 JSON (`{ access_token, … }` or `{ error, error_description }`);
 * - `/`, `/accounts/:id`, `/records/:id`, `/attachments/:id`, `/records/:id/attachments/:id`,
 *   `/espo/` — pages and downloads for the lookup URLs and `CRM_Record_Pop` (no credentials).
 * API routes check `auth` and run under `faults`. Seed 000 (Generic API; CRM lookup URLs);
 * reference §5.1–§5.4, §8.
 */
export function createMockCrmApp(options: MockCrmAppOptions): Hono {
  const authenticator =
    options.authenticator ??
    new MockCrmAuthenticator({
      auth: options.auth,
      now: options.now,
      maxTokens: options.maxTokens,
    })
  // A reset empties the CRM: the tokens it issued go with it.
  options.store.onReset(() => {
    authenticator.revokeAll()
  })
  const deps: MockCrmDeps = {
    store: options.store,
    authenticator,
    faults: options.faults,
    baseUrl: options.baseUrl,
    guardDownloads: options.guardDownloads ?? false,
  }
  const app = new Hono()
  app.onError((error, c) => problemFromError(c, error))
  app.notFound((c) =>
    problem(c, 'not_found', `no mock CRM route for ${c.req.method} ${new URL(c.req.url).pathname}`),
  )

  app.route(
    '/',
    routesApp('mock CRM', [
      route({
        method: 'post',
        path: '/oauth/token',
        summary: 'OAuth 2.0 token endpoint (client_credentials, refresh_token)',
        description:
          'Client credentials in the body or as Basic authentication (RFC 6749 §2.3.1). Errors are RFC 6749 §5.2 JSON, as OAuth clients expect, not problem+json.',
        // RFC 6749 errors only: the token body is read as the OAuth wire format, without limits.
        request: { content: TOKEN_REQUEST_CONTENT, bodyRequired: true, limits: false },
        responses: {
          200: json('A token (RFC 6749 §5.1)', TokenResponseSchema),
          400: json(
            'invalid_request, invalid_grant, unsupported_grant_type, unauthorized_client',
            OAuthErrorSchema,
          ),
          401: json('invalid_client', OAuthErrorSchema),
          default: FAULT_RESPONSE,
        },
        handler: (c) =>
          runWithFault({
            c,
            route: 'oauth_token',
            faults: options.faults,
            handle: async () => {
              const answer = authenticator.issue({
                params: await tokenParams(c),
                authorization: c.req.header('authorization'),
              })
              const headers = { 'cache-control': 'no-store', pragma: 'no-cache' }
              if ('access_token' in answer) return c.json(answer, 200, headers)
              const { status, ...body } = answer
              return c.json(body, status, {
                ...headers,
                ...(status === 401 ? { 'www-authenticate': 'Basic realm="mock-crm"' } : {}),
              })
            },
          }),
      }),
      route({
        method: 'get',
        path: '/oauth/authorize',
        summary: 'OAuth 2.0 authorization endpoint: not offered',
        description:
          'The mock CRM has no interactive sign-in: always 400 `unsupported_response_type` (RFC 6749 JSON).',
        responses: { 400: json('unsupported_response_type', OAuthErrorSchema) },
        handler: (c) =>
          c.json(
            {
              error: 'unsupported_response_type',
              error_description:
                'the mock CRM has no interactive sign-in; get tokens with grant_type=client_credentials at POST /oauth/token',
            },
            400,
          ),
      }),
    ]),
  )

  if (options.dialect !== 'espocrm') app.route('/', genericApiRoutes(deps))
  if (options.dialect !== 'generic') app.route('/', espoCrmRoutes(deps))
  app.route('/', mockCrmPages(deps))
  cores.set(app, new MockCrmCore(deps, options.dialect))
  return app
}

/** The core (dispatch.ts) of each app `createMockCrmApp` made: the same routes without Hono. */
const cores = new WeakMap<Hono, MockCrmCore>()

/** The transport-free core of a mock CRM app, for the fast paths that answer without Hono. */
export function mockCrmCoreOf(app: Hono): MockCrmCore | undefined {
  return cores.get(app)
}
