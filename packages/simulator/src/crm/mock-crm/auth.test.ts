import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { createMockCrmApp } from './app.js'
import { MockCrmAuthenticator, type MockCrmAuth } from './auth.js'
import { MockCrmStore } from './store.js'

const START = Date.parse('2025-03-01T09:00:00.000Z')

function mounted(auth: MockCrmAuth): { app: Hono; advance: (ms: number) => void } {
  let at = START
  const now = (): number => at
  const app = new Hono()
  app.route('/crm', createMockCrmApp({ store: new MockCrmStore({ now }), auth, now }))
  return {
    app,
    advance: (ms) => {
      at += ms
    },
  }
}

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
}

async function body(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>
}

const OAUTH: MockCrmAuth = {
  mode: 'oauth2',
  clientId: 'ccai',
  clientSecret: 's3cret',
  tokenTtlSeconds: 60,
}

async function token(
  app: Hono,
  params: Record<string, string>,
  init: { json?: boolean; authorization?: string } = {},
): Promise<Response> {
  const headers: Record<string, string> = {
    'content-type': init.json ? 'application/json' : 'application/x-www-form-urlencoded',
  }
  if (init.authorization) headers.authorization = init.authorization
  return app.request('/crm/oauth/token', {
    method: 'POST',
    headers,
    body: init.json ? JSON.stringify(params) : new URLSearchParams(params).toString(),
  })
}

describe('mock CRM authentication', () => {
  it('lets every request through in none mode', async () => {
    const { app } = mounted({ mode: 'none' })
    expect((await app.request('/crm/api/accounts?phone=1')).status).toBe(200)
  })

  it('enforces basic credentials: missing or wrong → 401 problem+json with a challenge', async () => {
    const { app } = mounted({ mode: 'basic', username: 'ccai', password: 'pw' })
    const missing = await app.request('/crm/api/accounts')
    expect(missing.status).toBe(401)
    expect(missing.headers.get('content-type')).toBe('application/problem+json')
    expect(missing.headers.get('www-authenticate')).toBe('Basic realm="mock-crm"')
    expect(await body(missing)).toMatchObject({ type: 'unauthorized', status: 401 })
    const wrong = await app.request('/crm/api/accounts', {
      headers: { authorization: basic('ccai', 'nope') },
    })
    expect(wrong.status).toBe(401)
    const right = await app.request('/crm/api/accounts', {
      headers: { authorization: basic('ccai', 'pw') },
    })
    expect(right.status).toBe(200)
  })

  it('enforces an API-key header, by name case-insensitively and by exact value', async () => {
    const { app } = mounted({ mode: 'api-key', header: 'X-Api-Key', value: 'k-1' })
    expect((await app.request('/crm/espo/api/v1/Contact')).status).toBe(401)
    const wrong = await app.request('/crm/espo/api/v1/Contact', { headers: { 'x-api-key': 'k-2' } })
    expect(wrong.status).toBe(401)
    expect(await body(wrong)).toMatchObject({ detail: 'wrong X-Api-Key' })
    const right = await app.request('/crm/espo/api/v1/Contact', { headers: { 'X-API-KEY': 'k-1' } })
    expect(right.status).toBe(200)
  })

  it('leaves the pages open whatever the mode (they stand for the CRM UI the agent is signed in to)', async () => {
    const { app } = mounted({ mode: 'api-key', header: 'X-Api-Key', value: 'k-1' })
    expect((await app.request('/crm')).status).toBe(200)
    expect((await app.request('/crm/records/1')).status).toBe(404)
  })
})

describe('mock CRM OAuth 2.0', () => {
  it('issues a bearer token for client_credentials (form or JSON, secret in body or Basic) that opens the API', async () => {
    const { app } = mounted(OAUTH)
    expect((await app.request('/crm/api/accounts')).status).toBe(401)

    const form = await token(app, {
      grant_type: 'client_credentials',
      client_id: 'ccai',
      client_secret: 's3cret',
      scope: 'crm',
    })
    expect(form.status).toBe(200)
    expect(form.headers.get('cache-control')).toBe('no-store')
    const issued = await body(form)
    expect(issued).toMatchObject({ token_type: 'Bearer', expires_in: 60, scope: 'crm' })
    expect(issued.access_token).toEqual(expect.any(String))
    expect(issued.refresh_token).toEqual(expect.any(String))

    const viaJson = await token(
      app,
      { grant_type: 'client_credentials' },
      { json: true, authorization: basic('ccai', 's3cret') },
    )
    expect(viaJson.status).toBe(200)

    const authorized = await app.request('/crm/api/accounts', {
      headers: { authorization: `Bearer ${String(issued.access_token)}` },
    })
    expect(authorized.status).toBe(200)
    const bogus = await app.request('/crm/api/accounts', {
      headers: { authorization: 'Bearer nope' },
    })
    expect(bogus.status).toBe(401)
    expect(bogus.headers.get('www-authenticate')).toContain('error="invalid_token"')
  })

  it('expires tokens by the injected clock and renews them with the refresh_token grant (rotating it)', async () => {
    const { app, advance } = mounted(OAUTH)
    const first = await body(
      await token(app, {
        grant_type: 'client_credentials',
        client_id: 'ccai',
        client_secret: 's3cret',
      }),
    )
    const call = (access: unknown): Promise<Response> =>
      Promise.resolve(
        app.request('/crm/api/records?status=open', {
          headers: { authorization: `Bearer ${String(access)}` },
        }),
      )
    advance(59_999)
    expect((await call(first.access_token)).status).toBe(200)
    advance(1)
    const expired = await call(first.access_token)
    expect(expired.status).toBe(401)
    expect(await body(expired)).toMatchObject({
      detail: 'the access token expired at 2025-03-01T09:01:00.000Z',
    })

    const renewed = await token(app, {
      grant_type: 'refresh_token',
      refresh_token: String(first.refresh_token),
      client_id: 'ccai',
      client_secret: 's3cret',
    })
    expect(renewed.status).toBe(200)
    const second = await body(renewed)
    expect((await call(second.access_token)).status).toBe(200)

    const reused = await token(app, {
      grant_type: 'refresh_token',
      refresh_token: String(first.refresh_token),
      client_id: 'ccai',
      client_secret: 's3cret',
    })
    expect(reused.status).toBe(400)
    expect(await body(reused)).toMatchObject({ error: 'invalid_grant' })
  })

  it('answers token errors as RFC 6749 JSON: wrong client 401, bad or missing grant 400', async () => {
    const { app } = mounted(OAUTH)
    const wrong = await token(app, {
      grant_type: 'client_credentials',
      client_id: 'ccai',
      client_secret: 'x',
    })
    expect(wrong.status).toBe(401)
    expect(await body(wrong)).toMatchObject({ error: 'invalid_client' })
    const missingClient = await token(app, { grant_type: 'client_credentials' })
    expect(missingClient.status).toBe(401)
    const password = await token(app, {
      grant_type: 'password',
      client_id: 'ccai',
      client_secret: 's3cret',
    })
    expect(password.status).toBe(400)
    expect(await body(password)).toMatchObject({ error: 'unsupported_grant_type' })
    const noGrant = await token(app, { client_id: 'ccai', client_secret: 's3cret' })
    expect(await body(noGrant)).toMatchObject({ error: 'invalid_request' })
  })

  it('refuses to issue tokens when the mock CRM is not in oauth2 mode', async () => {
    const { app } = mounted({ mode: 'none' })
    const response = await token(app, {
      grant_type: 'client_credentials',
      client_id: 'a',
      client_secret: 'b',
    })
    expect(response.status).toBe(400)
    expect(await body(response)).toMatchObject({ error: 'unauthorized_client' })
  })
})

describe('mock CRM token bookkeeping', () => {
  const grant = { grant_type: 'client_credentials', client_id: 'ccai', client_secret: 's3cret' }

  it('keeps at most maxTokens tokens, forgetting the oldest, and drops expired ones as it issues', async () => {
    let at = START
    const store = new MockCrmStore({ now: () => at })
    const app = new Hono()
    app.route('/crm', createMockCrmApp({ store, auth: OAUTH, now: () => at, maxTokens: 3 }))
    const issued: string[] = []
    for (let i = 0; i < 5; i++)
      issued.push(String((await body(await token(app, grant))).access_token))
    const call = (access: string | undefined): Promise<Response> =>
      Promise.resolve(
        app.request('/crm/api/records?status=open', {
          headers: { authorization: `Bearer ${String(access)}` },
        }),
      )
    const oldest = await call(issued[0])
    expect(oldest.status).toBe(401)
    expect(await body(oldest)).toMatchObject({ detail: 'unknown access token' })
    expect((await call(issued[4])).status).toBe(200)

    const authenticator = new MockCrmAuthenticator({ auth: OAUTH, now: () => at, maxTokens: 100 })
    const params = { ...grant }
    for (let i = 0; i < 10; i++) authenticator.issue({ params })
    expect(authenticator.tokenCount).toEqual({ access: 10, refresh: 10 })
    at += 61_000
    authenticator.issue({ params })
    expect(authenticator.tokenCount.access).toBe(1)
  })

  it('forgets every token when the mock CRM is reset', async () => {
    const now = (): number => START
    const store = new MockCrmStore({ now })
    const app = new Hono()
    app.route('/crm', createMockCrmApp({ store, auth: OAUTH, now }))
    const issued = await body(await token(app, grant))
    const call = (): Promise<Response> =>
      Promise.resolve(
        app.request('/crm/api/records?status=open', {
          headers: { authorization: `Bearer ${String(issued.access_token)}` },
        }),
      )
    expect((await call()).status).toBe(200)
    store.reset()
    const after = await call()
    expect(after.status).toBe(401)
    expect(await body(after)).toMatchObject({ detail: 'unknown access token' })
    const refreshed = await token(app, {
      ...grant,
      grant_type: 'refresh_token',
      refresh_token: String(issued.refresh_token),
    })
    expect(refreshed.status).toBe(400)
  })
})
