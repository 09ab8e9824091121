import type { CrmIntegrationSettings } from '@ccai-sim/schemas'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { SimulatorError } from '../errors.js'
import { createCrmClient, type CrmClient } from '../crm/crm-client.js'
import { buildCrmRequest, type CrmUploadFile } from '../crm/request-builder.js'
import { attachmentLink, readCrmResult } from '../crm/response.js'
import type { CrmEndpointName, CrmExchange, CrmVariables } from '../crm/types.js'
import { createMockCrmHandlers, FaultController } from './index.js'

// Written as an integrator would in their own Vitest: one MSW server, the mock CRM's handlers.
const NOW = Date.parse('2025-03-01T09:00:00.000Z')
const now = (): number => NOW
const crm = createMockCrmHandlers({ now })
const server = setupServer(...crm.handlers)

beforeAll(() => {
  server.listen({ onUnhandledRequest: 'error' })
})
afterEach(() => {
  server.resetHandlers()
  crm.reset()
  vi.restoreAllMocks()
})
afterAll(() => {
  server.close()
})

const VARIABLES: CrmVariables = {
  NAME: 'Kim Lee',
  FIRST_NAME: 'Kim',
  LAST_NAME: 'Lee',
  PHONE_NUMBER: '+12223334444',
  EMAIL: 'kim@example.com',
  UJET_ID: '901',
  LANG: 'en',
  CHANNEL: 'voice_call',
  SESSION_TYPE: 'voice_inbound',
  Call_ID: '1234',
  AGENT_EMAIL: 'ariel@example.com',
  TICKET_SUBJECT: 'Inbound call from +12223334444',
  TICKET_DESCRIPTION: 'Billing question',
}

const FILE: CrmUploadFile = {
  filename: 'call-1234.mp3',
  contentType: 'audio/mpeg',
  bytes: new Uint8Array(Array.from({ length: 600 }, (_, i) => (i * 7) % 256)),
}

type Variables = { -readonly [K in keyof CrmVariables]: CrmVariables[K] }

interface Caller {
  readonly client: CrmClient
  readonly variables: Variables
  send(endpoint: CrmEndpointName, file?: CrmUploadFile): Promise<CrmExchange>
}

/** The platform's client on the settings, through MSW's patched `fetch` (created after listen). */
function caller(settings: CrmIntegrationSettings): Caller {
  const client = createCrmClient({ settings, fetch: globalThis.fetch, now })
  const variables: Variables = { ...VARIABLES }
  return {
    client,
    variables,
    async send(endpoint, file) {
      const request = buildCrmRequest(settings, endpoint, { variables, ...(file ? { file } : {}) })
      if (!request) throw new Error(`${endpoint} is not configured`)
      return client.send(request)
    },
  }
}

function ok(exchange: CrmExchange): CrmExchange {
  expect(exchange.error, exchange.request.endpoint).toBeUndefined()
  expect(exchange.response?.status, exchange.response?.bodyText).toBeLessThan(300)
  return exchange
}

/** Find account → create → create record → comment → upload → update, ids read per the settings. */
async function runFlow(
  settings: CrmIntegrationSettings,
  c: Caller,
): Promise<{ accountId: string; recordId: string; link: string | undefined }> {
  const endpoints = settings.endpoints
  const find = ok(await c.send('find_account_by_query'))
  expect(readCrmResult(find.response!, endpoints.find_account_by_query ?? {}).found).toBe(false)
  const account = readCrmResult(
    ok(await c.send('create_account')).response!,
    endpoints.create_account ?? {},
  )
  const accountId = account.id ?? ''
  expect(accountId).not.toBe('')
  c.variables.ACCOUNT_ID = accountId
  const record = readCrmResult(
    ok(await c.send('create_record')).response!,
    endpoints.create_record ?? {},
  )
  const recordId = record.id ?? ''
  expect(recordId).not.toBe('')
  c.variables.RECORD_ID = recordId
  c.variables.COMMENT_BODY = 'Call started'
  ok(await c.send('comment'))
  const upload = ok(await c.send('upload_file', FILE))
  const link = endpoints.upload_file
    ? attachmentLink(endpoints.upload_file, { recordId, response: upload.response! })
    : undefined
  c.variables.TICKET_DESCRIPTION = 'Resolved on the call'
  ok(await c.send('update_record'))
  return { accountId, recordId, link }
}

describe('createMockCrmHandlers: the generic dialect under MSW', () => {
  it('runs a whole flow against the store, with every exchange in the journal', async () => {
    const c = caller(crm.settings)
    const { accountId, recordId, link } = await runFlow(crm.settings, c)

    expect(crm.store.getAccount(accountId)?.fields).toMatchObject({
      name: 'Kim Lee',
      phone: '+12223334444',
      email: 'kim@example.com',
    })
    const record = crm.store.getRecord(recordId)
    expect(record?.accountId).toBe(accountId)
    expect(record?.fields).toMatchObject({
      subject: 'Inbound call from +12223334444',
      description: 'Resolved on the call',
      // One numeric id variable goes out as a number (the document's create-record example).
      call_id: 1234,
    })
    expect(record?.createdAt).toBe(NOW)
    expect(crm.store.commentsOf(recordId).map((x) => x.body)).toEqual(['Call started'])
    const [attachment] = crm.store.attachmentsOf(recordId)
    expect(attachment?.filename).toBe('call-1234.mp3')
    expect(attachment?.bytes()).toEqual(FILE.bytes)

    expect(crm.journal.requests().map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([
      'GET /api/accounts 200',
      'POST /api/accounts 201',
      'POST /api/records 201',
      `POST /api/records/${recordId}/comments 201`,
      `POST /api/records/${recordId}/attachments 201`,
      `PATCH /api/records/${recordId} 200`,
    ])
    const [search] = crm.journal.find({ method: 'get', path: '/api/accounts' })
    expect(search?.url).toBe(
      'https://crm.example.test/api/accounts?phone=%2B12223334444&email=kim%40example.com&external_id=901&limit=1',
    )
    expect(search?.responseBodyText).toBe('[]')
    const [created] = crm.journal.find({ method: 'POST', path: '/api/accounts' })
    expect(created?.headers['content-type']).toBe('application/json')
    expect(JSON.parse(created?.bodyText ?? '')).toMatchObject({ name: 'Kim Lee', language: 'en' })
    expect(JSON.parse(created?.responseBodyText ?? '')).toMatchObject({ id: Number(accountId) })
    const [uploaded] = crm.journal.find({ path: /\/attachments$/ })
    expect(uploaded?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/)
    expect(uploaded?.bodyText).toContain('filename="call-1234.mp3"')
    expect(uploaded?.fault).toBeUndefined()

    // The attachment URL the upload answered is served by the same handlers.
    expect(link).toBe(`https://crm.example.test/attachments/${attachment?.id}`)
    const download = await fetch(link ?? '')
    expect(download.status).toBe(200)
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(FILE.bytes)
  })

  it('finds the account the store already holds, sharing state with direct store writes', async () => {
    const account = crm.store.createAccount({ fields: { name: 'Kim', phone: '+12223334444' } })
    const c = caller(crm.settings)
    const exchange = ok(await c.send('find_account_by_query'))
    const result = readCrmResult(exchange.response!, crm.settings.endpoints.find_account_by_query!)
    expect(result).toMatchObject({ found: true, id: account.id })
    expect(crm.journal.find({ path: '/api/accounts' })).toHaveLength(1)
  })

  it('answers find-by-id 404 for an unknown account, as the platform expects before its fallback', async () => {
    const c = caller(crm.settings)
    c.variables.ACCOUNT_ID = '999'
    const exchange = await c.send('find_account_by_id')
    expect(exchange.response?.status).toBe(404)
    expect(exchange.response?.headers['content-type']).toContain('application/problem+json')
    expect(crm.journal.find({ path: '/api/accounts/999' })[0]?.status).toBe(404)
  })

  it('forgets state, faults and journal on reset()', async () => {
    crm.store.createAccount({ fields: { name: 'Kim' } })
    crm.faults.set({ route: '*', kind: 'status', status: 500 })
    await fetch('https://crm.example.test/api/accounts')
    expect(crm.journal.requests()).toHaveLength(1)
    crm.reset()
    expect(crm.store.accounts()).toEqual([])
    expect(crm.faults.list()).toEqual([])
    expect(crm.journal.requests()).toEqual([])
    const after = await fetch('https://crm.example.test/api/accounts')
    expect(after.status).toBe(200)
    expect(crm.journal.requests()[0]?.sequence).toBe(1)
  })
})

describe('createMockCrmHandlers: the EspoCRM dialect under MSW', () => {
  it('runs the flow in EspoCRM’s shapes with its API key, ids and download builder URL', async () => {
    const espo = createMockCrmHandlers({
      baseUrl: 'https://espo.example.test/crm',
      dialect: 'espocrm',
      auth: { mode: 'api-key', header: 'X-Api-Key', value: 'espo-key' },
      now,
    })
    server.use(...espo.handlers)
    const { accountId, recordId, link } = await runFlow(espo.settings, caller(espo.settings))

    expect(accountId).toMatch(/^[0-9a-f]{17}$/)
    expect(espo.store.getAccount(accountId)?.fields).toMatchObject({
      firstName: 'Kim',
      phoneNumber: '+12223334444',
    })
    expect(espo.store.getRecord(recordId)).toMatchObject({
      accountId,
      fields: { name: 'Inbound call from +12223334444', description: 'Resolved on the call' },
    })
    expect(espo.store.commentsOf(recordId).map((x) => x.body)).toEqual(['Call started'])
    expect(espo.store.attachmentsOf(recordId)[0]?.bytes()).toEqual(FILE.bytes)
    expect(crm.store.accounts()).toEqual([])

    expect(espo.journal.requests().map((e) => `${e.method} ${e.path}`)).toEqual([
      'GET /espo/api/v1/Contact',
      'POST /espo/api/v1/Contact',
      'POST /espo/api/v1/Case',
      'POST /espo/api/v1/Note',
      'POST /espo/api/v1/Attachment',
      `PUT /espo/api/v1/Case/${recordId}`,
    ])
    expect(espo.journal.requests().every((e) => e.headers['x-api-key'] === 'espo-key')).toBe(true)
    const [search] = espo.journal.find({ method: 'GET' })
    expect(JSON.parse(search?.responseBodyText ?? '')).toEqual({ total: 0, list: [] })

    expect(link).toMatch(/^https:\/\/espo\.example\.test\/crm\/espo\/\?entryPoint=download&id=/)
    const download = await fetch(link ?? '')
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(FILE.bytes)
  })

  it('refuses a request without the API key with 401 and writes nothing', async () => {
    const espo = createMockCrmHandlers({
      baseUrl: 'https://espo.example.test',
      dialect: 'espocrm',
      auth: { mode: 'api-key', header: 'X-Api-Key', value: 'espo-key' },
      now,
    })
    server.use(...espo.handlers)
    const response = await fetch('https://espo.example.test/espo/api/v1/Contact', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ firstName: 'Kim' }),
    })
    expect(response.status).toBe(401)
    expect(espo.store.accounts()).toEqual([])
    expect(espo.journal.find({ method: 'POST' })[0]).toMatchObject({
      status: 401,
      bodyText: '{"firstName":"Kim"}',
    })
  })

  it('answers only the chosen dialect: the generic API is 404 under dialect espocrm', async () => {
    const espo = createMockCrmHandlers({ baseUrl: 'https://espo.example.test', dialect: 'espocrm' })
    server.use(...espo.handlers)
    const response = await fetch('https://espo.example.test/api/accounts')
    expect(response.status).toBe(404)
  })
})

describe('createMockCrmHandlers: OAuth 2.0 under MSW', () => {
  const auth = {
    mode: 'oauth2',
    clientId: 'ccai',
    clientSecret: 's3cret',
    tokenTtlSeconds: 3600,
  } as const

  it('issues a token at the token URL and accepts it on every API call', async () => {
    const oauth = createMockCrmHandlers({ baseUrl: 'https://oauth.example.test', auth, now })
    server.use(...oauth.handlers)
    const { recordId } = await runFlow(oauth.settings, caller(oauth.settings))

    expect(oauth.store.getRecord(recordId)).toBeDefined()
    const tokenRequests = oauth.journal.find({ method: 'POST', path: '/oauth/token' })
    expect(tokenRequests).toHaveLength(1)
    expect(tokenRequests[0]?.status).toBe(200)
    expect(new URLSearchParams(tokenRequests[0]?.bodyText).get('grant_type')).toBe(
      'client_credentials',
    )
    const { access_token: token } = JSON.parse(tokenRequests[0]?.responseBodyText ?? '{}') as {
      access_token: string
    }
    const api = oauth.journal.find({ path: /^\/api\// })
    expect(api).toHaveLength(6)
    expect(api.every((e) => e.headers['authorization'] === `Bearer ${token}`)).toBe(true)
  })

  it('refuses an API call without a token and a token request with a wrong secret', async () => {
    const oauth = createMockCrmHandlers({ baseUrl: 'https://oauth.example.test', auth, now })
    server.use(...oauth.handlers)
    const bare = await fetch('https://oauth.example.test/api/accounts')
    expect(bare.status).toBe(401)
    const wrong = await fetch('https://oauth.example.test/oauth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=ccai&client_secret=nope',
    })
    expect(wrong.status).toBe(401)
    expect(await wrong.json()).toMatchObject({ error: 'invalid_client' })
    expect(oauth.journal.requests().map((e) => e.status)).toEqual([401, 401])
  })
})

describe('createMockCrmHandlers: faults under MSW', () => {
  it('turns a connection-reset fault into a failed fetch and writes nothing', async () => {
    crm.faults.set({ route: 'create_account', kind: 'connection-reset' })
    const c = caller(crm.settings)
    const exchange = await c.send('create_account')
    expect(exchange.response).toBeUndefined()
    expect(exchange.error).toMatch(/^connection (reset|error)/)
    expect(crm.store.accounts()).toEqual([])
    expect(crm.journal.requests()).toMatchObject([
      { method: 'POST', path: '/api/accounts', status: 0, fault: 'connection-reset' },
    ])
    await expect(fetch('https://crm.example.test/api/accounts')).resolves.toMatchObject({
      status: 200,
    })
  })

  it('answers a 429 fault with Retry-After on the chosen route only', async () => {
    crm.faults.set({ route: 'create_record', kind: 'status', status: 429, retryAfterSeconds: 60 })
    const c = caller(crm.settings)
    ok(await c.send('create_account'))
    c.variables.ACCOUNT_ID = crm.store.accounts()[0]?.id ?? ''
    const limited = await c.send('create_record')
    expect(limited.response?.status).toBe(429)
    expect(limited.response?.headers['retry-after']).toBe('60')
    expect(crm.store.records()).toEqual([])
    expect(crm.journal.find({ path: '/api/records' })[0]).toMatchObject({
      status: 429,
      fault: 'status',
    })
  })

  it('holds an answer past the client’s timeout with a latency fault; the write still lands', async () => {
    let release = (): void => undefined
    const faults = new FaultController({
      sleep: () =>
        new Promise<void>((resolve) => {
          release = resolve
        }),
    })
    const slow = createMockCrmHandlers({ baseUrl: 'https://slow.example.test', faults, now })
    server.use(...slow.handlers)
    faults.set({ route: 'create_account', kind: 'latency' })
    const settings: CrmIntegrationSettings = { ...slow.settings, request_timeout: 1 }
    const exchange = await caller(settings).send('create_account')
    expect(exchange).toMatchObject({ error: 'timeout after 1000ms' })
    expect(slow.journal.requests()).toEqual([])
    release()
    await vi.waitFor(() => {
      expect(slow.journal.requests()).toMatchObject([{ status: 201, fault: 'latency' }])
    })
    expect(slow.store.accounts()).toHaveLength(1)
  })

  it('answers malformed JSON after the write happened', async () => {
    crm.faults.set({ route: 'create_account', kind: 'malformed-json' })
    const c = caller(crm.settings)
    const exchange = await c.send('create_account')
    expect(exchange.response?.status).toBe(201)
    expect(exchange.response?.json).toBeUndefined()
    expect(crm.store.accounts()).toHaveLength(1)
    expect(crm.journal.requests()[0]?.fault).toBe('malformed-json')
  })
})

describe('createMockCrmHandlers: what the handlers do not answer', () => {
  it('leaves requests outside the base URL unhandled, so onUnhandledRequest errors', async () => {
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const scoped = createMockCrmHandlers({ baseUrl: 'https://app.example.test/crm/' })
    server.use(...scoped.handlers)

    const inside = await fetch('https://app.example.test/crm/api/accounts')
    expect(inside.status).toBe(200)
    expect(scoped.journal.requests()[0]?.path).toBe('/api/accounts')
    expect(scoped.settings.endpoints.create_account?.url).toBe(
      'https://app.example.test/crm/api/accounts',
    )

    await expect(fetch('https://app.example.test/crmx/api/accounts')).rejects.toThrow()
    await expect(fetch('https://app.example.test/other')).rejects.toThrow()
    await expect(fetch('https://elsewhere.example.test/api/accounts')).rejects.toThrow()
    expect(quiet).toHaveBeenCalled()
    expect(scoped.journal.requests()).toHaveLength(1)
    expect(crm.journal.requests()).toEqual([])
  })

  it('refuses a base URL that is not http(s) or carries a query', () => {
    expect(() => createMockCrmHandlers({ baseUrl: 'ftp://crm.example.test' })).toThrow(
      SimulatorError,
    )
    expect(() => createMockCrmHandlers({ baseUrl: 'https://crm.example.test/?a=1' })).toThrow(
      /without query or fragment/,
    )
    expect(() => createMockCrmHandlers({ baseUrl: 'not a url' })).toThrow(/absolute http/)
  })
})
