import type { Context } from 'hono'
import { z } from 'zod'
import { problem } from '../../http/problem.js'

/*
 * The mock CRM's side of the three authentication methods of the generic API (seed 000, API
 * settings, Authentication method; reference §5.1): Basic, a custom header (EspoCRM's `X-Api-Key`),
 * OAuth 2.0 with a Token URL. The documents name no grant type and say nothing of refresh
 * (reference §11), so the token endpoint speaks the two grants a headless client can use:
 * `client_credentials` and `refresh_token` (RFC 6749 §4.4, §6).
 */

/** How the mock CRM checks callers. `none` lets everything through. */
export const MockCrmAuthSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('none') }),
  z.object({ mode: z.literal('basic'), username: z.string().min(1), password: z.string() }),
  z.object({
    mode: z.literal('api-key'),
    header: z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'an HTTP header name'),
    value: z.string().min(1),
  }),
  z.object({
    mode: z.literal('oauth2'),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    tokenTtlSeconds: z.number().int().positive(),
  }),
])
export type MockCrmAuth = z.infer<typeof MockCrmAuthSchema>

/** Tokens kept at most, by default: far more than any client holds at once. */
export const DEFAULT_MAX_TOKENS = 10_000

/** The default: no credentials checked. */
export const DEFAULT_MOCK_CRM_AUTH: MockCrmAuth = { mode: 'none' }

/** A token response (RFC 6749 §5.1). */
export interface MockCrmTokenResponse {
  readonly access_token: string
  readonly token_type: 'Bearer'
  readonly expires_in: number
  readonly refresh_token: string
  readonly scope?: string
}

/** A token error (RFC 6749 §5.2) and the status it goes with. */
export interface MockCrmTokenError {
  readonly status: 400 | 401
  readonly error:
    | 'invalid_request'
    | 'invalid_client'
    | 'invalid_grant'
    | 'unsupported_grant_type'
    | 'unauthorized_client'
  readonly error_description: string
}

/** The outcome of checking a request's credentials. */
export type MockCrmAuthCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly detail: string; readonly challenge: string }

/** Every passed check: one object, not one per request. */
const PASSED: MockCrmAuthCheck = Object.freeze({ ok: true })

function decodeBasic(header: string | undefined): { user: string; password: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header ?? '')
  if (!match?.[1]) return undefined
  const decoded = Buffer.from(match[1], 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) return undefined
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
}

function token(prefix: string): string {
  return `${prefix}_${globalThis.crypto.randomUUID().replaceAll('-', '')}`
}

/**
 * Enforces one `MockCrmAuth` on API requests and, in `oauth2` mode, issues and checks bearer
 * tokens that expire by the injected `now()` (so a virtual clock can age them).
 * Seed 000 (Authentication method); reference §5.1 (auth).
 */
export class MockCrmAuthenticator {
  readonly auth: MockCrmAuth
  private readonly now: () => number
  /** Access tokens and when they expire, oldest first (Map order is issue order). */
  private readonly accessTokens = new Map<string, number>()
  /** Unspent refresh tokens, oldest first. */
  private readonly refreshTokens = new Set<string>()
  private readonly maxTokens: number

  constructor(options: {
    readonly auth: MockCrmAuth
    readonly now: () => number
    /** Live access tokens (and refresh tokens) kept at most; beyond it the oldest are forgotten. */
    readonly maxTokens?: number | undefined
  }) {
    this.auth = options.auth
    this.now = options.now
    this.maxTokens = Math.max(1, options.maxTokens ?? DEFAULT_MAX_TOKENS)
  }

  /** Tokens held: live access tokens and unspent refresh tokens. */
  get tokenCount(): { readonly access: number; readonly refresh: number } {
    return { access: this.accessTokens.size, refresh: this.refreshTokens.size }
  }

  /** Checks a request's headers; `get` reads one header, case-insensitively. */
  check(get: (name: string) => string | undefined): MockCrmAuthCheck {
    const auth = this.auth
    switch (auth.mode) {
      case 'none':
        return PASSED
      case 'basic': {
        const credentials = decodeBasic(get('authorization'))
        if (!credentials)
          return {
            ok: false,
            detail: 'Basic credentials required (Authorization: Basic base64(username:password))',
            challenge: 'Basic realm="mock-crm"',
          }
        if (credentials.user !== auth.username || credentials.password !== auth.password)
          return {
            ok: false,
            detail: `wrong username or password for "${credentials.user}"`,
            challenge: 'Basic realm="mock-crm"',
          }
        return PASSED
      }
      case 'api-key': {
        const value = get(auth.header)
        if (value === undefined || value === '')
          return {
            ok: false,
            detail: `the ${auth.header} header is required`,
            challenge: `ApiKey header="${auth.header}"`,
          }
        if (value !== auth.value)
          return {
            ok: false,
            detail: `wrong ${auth.header}`,
            challenge: `ApiKey header="${auth.header}"`,
          }
        return PASSED
      }
      case 'oauth2': {
        const match = /^Bearer\s+(\S+)\s*$/i.exec(get('authorization') ?? '')
        const presented = match?.[1]
        if (!presented)
          return {
            ok: false,
            detail:
              'a bearer token is required (Authorization: Bearer <token> from POST /oauth/token)',
            challenge: 'Bearer realm="mock-crm"',
          }
        const expiresAt = this.accessTokens.get(presented)
        if (expiresAt === undefined)
          return {
            ok: false,
            detail: 'unknown access token',
            challenge: 'Bearer realm="mock-crm", error="invalid_token"',
          }
        if (this.now() >= expiresAt)
          return {
            ok: false,
            detail: `the access token expired at ${new Date(expiresAt).toISOString()}`,
            challenge:
              'Bearer realm="mock-crm", error="invalid_token", error_description="The access token expired"',
          }
        return PASSED
      }
    }
  }

  /**
   * The token endpoint's answer to a request with these parameters (form or JSON body) and this
   * `Authorization` header (client credentials may come in either, RFC 6749 §2.3.1).
   */
  issue(input: {
    readonly params: Readonly<Record<string, string | undefined>>
    readonly authorization?: string | undefined
  }): MockCrmTokenResponse | MockCrmTokenError {
    const auth = this.auth
    if (auth.mode !== 'oauth2')
      return {
        status: 400,
        error: 'unauthorized_client',
        error_description: `the mock CRM uses ${auth.mode} authentication, not OAuth 2.0`,
      }
    const basic = decodeBasic(input.authorization)
    const clientId = basic?.user ?? input.params.client_id
    const clientSecret = basic?.password ?? input.params.client_secret
    if (!clientId || clientSecret === undefined)
      return {
        status: 401,
        error: 'invalid_client',
        error_description: 'client_id and client_secret are required',
      }
    if (clientId !== auth.clientId || clientSecret !== auth.clientSecret)
      return {
        status: 401,
        error: 'invalid_client',
        error_description: 'unknown client or wrong secret',
      }
    const grant = input.params.grant_type
    if (!grant)
      return { status: 400, error: 'invalid_request', error_description: 'grant_type is required' }
    if (grant === 'refresh_token') {
      const presented = input.params.refresh_token
      if (!presented)
        return {
          status: 400,
          error: 'invalid_request',
          error_description: 'refresh_token is required',
        }
      if (!this.refreshTokens.has(presented))
        return { status: 400, error: 'invalid_grant', error_description: 'unknown refresh token' }
      // Rotate: the old refresh token is spent.
      this.refreshTokens.delete(presented)
    } else if (grant !== 'client_credentials') {
      return {
        status: 400,
        error: 'unsupported_grant_type',
        error_description: `grant_type ${grant} is not supported; use client_credentials or refresh_token`,
      }
    }
    const access = token('mcat')
    const refresh = token('mcrt')
    this.prune()
    this.accessTokens.set(access, this.now() + auth.tokenTtlSeconds * 1000)
    this.refreshTokens.add(refresh)
    const scope = input.params.scope
    return {
      access_token: access,
      token_type: 'Bearer',
      expires_in: auth.tokenTtlSeconds,
      refresh_token: refresh,
      ...(scope ? { scope } : {}),
    }
  }

  /**
   * Makes room for one more token: expired access tokens go (every token lives as long, so they
   * are the oldest, at the front), then the oldest of each kind beyond `maxTokens`. Without this,
   * every grant stayed in memory for good.
   */
  private prune(): void {
    const now = this.now()
    for (const [presented, expiresAt] of this.accessTokens) {
      if (expiresAt > now && this.accessTokens.size < this.maxTokens) break
      this.accessTokens.delete(presented)
    }
    for (const presented of this.refreshTokens) {
      if (this.refreshTokens.size < this.maxTokens) break
      this.refreshTokens.delete(presented)
    }
  }

  /** Forgets every issued token. */
  revokeAll(): void {
    this.accessTokens.clear()
    this.refreshTokens.clear()
  }
}

/** A 401 problem+json with the mode's `WWW-Authenticate` challenge. */
export function unauthorized(
  c: Context,
  failure: { readonly detail: string; readonly challenge: string },
): Response {
  const response = problem(c, 'unauthorized', failure.detail)
  response.headers.set('www-authenticate', failure.challenge)
  return response
}
