import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { CrmAuthentication, CrmIntegrationSettings } from '@ccai-sim/schemas'
import { afterEach, describe, expect, it } from 'vitest'
import { answerResponse } from './core-fetch.js'
import {
  createCrmClient,
  type CrmClientEvent,
  type LocalCrmAnswer,
  type LocalCrmRequest,
} from './crm-client.js'
import type { CrmHttpRequest } from './types.js'

interface Received {
  readonly method: string
  readonly path: string
  readonly query: URLSearchParams
  readonly headers: IncomingHttpHeaders
  readonly body: Buffer
  /** The body as a form (token requests). */
  readonly form: URLSearchParams
}

interface Answer {
  readonly status?: number
  readonly headers?: Record<string, string>
  readonly body?: string
  /** Wait this long before answering. */
  readonly delayMs?: number
  /** Send the headers, then never finish the body. */
  readonly stallBody?: boolean
  /** Destroy the socket instead of answering. */
  readonly reset?: boolean
}

interface TestServer {
  readonly url: string
  readonly requests: Received[]
  /** Requests to one path. */
  to(path: string): Received[]
}

const cleanups: (() => Promise<void>)[] = []

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.()
})

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => {
      resolve()
    })
    server.closeAllConnections()
  })
}

/** A real HTTP server on port 0 answering per path; unknown paths get 404. */
async function startServer(routes: Record<string, (r: Received) => Answer>): Promise<TestServer> {
  const requests: Received[] = []
  const timers = new Set<NodeJS.Timeout>()
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost')
      const body = Buffer.concat(chunks)
      const received: Received = {
        method: req.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
        form: new URLSearchParams(body.toString('utf8')),
      }
      requests.push(received)
      const route = routes[url.pathname]
      const answer: Answer = route ? route(received) : { status: 404, body: 'no route' }
      const respond = (): void => {
        if (answer.reset === true) {
          req.socket.destroy()
          return
        }
        res.writeHead(answer.status ?? 200, answer.headers ?? {})
        if (answer.stallBody === true) {
          res.write('{"partial":')
          return
        }
        res.end(answer.body ?? '')
      }
      if (answer.delayMs === undefined) respond()
      else {
        const timer = setTimeout(respond, answer.delayMs)
        timers.add(timer)
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  cleanups.push(async () => {
    for (const timer of timers) clearTimeout(timer)
    await closeServer(server)
  })
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    to: (path) => requests.filter((r) => r.path === path),
  }
}

function json(body: unknown, status = 200): Answer {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
}

function settingsWith(authentication: CrmAuthentication): CrmIntegrationSettings {
  return {
    crm_lookup_method: 'generic_api',
    authentication,
    phone_number_format: 'e164',
    request_timeout: 5,
    endpoints: {},
  }
}

function getRequest(url: string, timeoutMs = 2000): CrmHttpRequest {
  return {
    endpoint: 'find_account_by_query',
    method: 'GET',
    url,
    headers: { Accept: 'application/json' },
    timeoutMs,
  }
}

/** A clock the test moves by hand. */
function manualClock(start = 1_000_000): { now: () => number; move: (ms: number) => void } {
  let time = start
  return {
    now: () => time,
    move: (ms) => {
      time += ms
    },
  }
}

const BASIC: CrmAuthentication = { method: 'basic', username: 'ccai', password: 's3cr3t:x' }

describe('createCrmClient: basic and custom header auth', () => {
  it('sends Basic credentials and shows them masked', async () => {
    const crm = await startServer({ '/api/contacts': () => json({ id: 1 }) })
    const client = createCrmClient({ settings: settingsWith(BASIC), fetch, now: () => 0 })
    const exchange = await client.send(getRequest(`${crm.url}/api/contacts?phone=1`))
    expect(crm.requests[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from('ccai:s3cr3t:x').toString('base64')}`,
    )
    expect(exchange.sentHeaders).toEqual({ Accept: 'application/json', Authorization: 'Basic ***' })
    expect(exchange.response?.status).toBe(200)
    expect(exchange.response?.json).toEqual({ id: 1 })
    expect(exchange.error).toBeUndefined()
  })

  it('sends every custom header and masks their values', async () => {
    const crm = await startServer({ '/api/contacts': () => json([]) })
    const settings = settingsWith({
      method: 'custom_header',
      fields: [
        { field_key: 'X-Api-Key', field_value: 'espo-key' },
        { field_key: 'X-Tenant', field_value: 'acme' },
      ],
    })
    const client = createCrmClient({ settings, fetch, now: () => 0 })
    const exchange = await client.send(getRequest(`${crm.url}/api/contacts`))
    expect(crm.requests[0]?.headers['x-api-key']).toBe('espo-key')
    expect(crm.requests[0]?.headers['x-tenant']).toBe('acme')
    expect(exchange.sentHeaders).toEqual({
      Accept: 'application/json',
      'X-Api-Key': '***',
      'X-Tenant': '***',
    })
  })
})

describe('createCrmClient: bodies and answers', () => {
  it('sends a JSON body with its content type', async () => {
    const crm = await startServer({ '/api/tickets': () => json({ ticket: { id: 9 } }, 201) })
    const client = createCrmClient({ settings: settingsWith(BASIC), fetch, now: () => 0 })
    const exchange = await client.send({
      endpoint: 'create_record',
      method: 'POST',
      url: `${crm.url}/api/tickets`,
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: { kind: 'json', json: { ticket: { subject: 'Call' } } },
      timeoutMs: 2000,
    })
    const received = crm.requests[0]!
    expect(received.method).toBe('POST')
    expect(received.headers['content-type']).toBe('application/json')
    expect(JSON.parse(received.body.toString('utf8'))).toEqual({ ticket: { subject: 'Call' } })
    expect(exchange.response).toMatchObject({ status: 201, json: { ticket: { id: 9 } } })
  })

  it('sends a multipart form with the fields and the file part', async () => {
    const crm = await startServer({ '/api/upload': () => json({ id: 5 }) })
    const client = createCrmClient({ settings: settingsWith(BASIC), fetch, now: () => 0 })
    const bytes = new Uint8Array([0, 1, 2, 250, 255])
    const exchange = await client.send({
      endpoint: 'upload_file',
      method: 'PUT',
      url: `${crm.url}/api/upload`,
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: {
        kind: 'multipart',
        fields: [
          { name: 'file', file: { filename: 'call-1.mp3', contentType: 'audio/mpeg', bytes } },
          { name: 'id', value: '456' },
        ],
      },
      timeoutMs: 2000,
    })
    const received = crm.requests[0]!
    const contentType = received.headers['content-type'] ?? ''
    expect(contentType).toMatch(/^multipart\/form-data; boundary=/)
    const form = await new Response(new Uint8Array(received.body), {
      headers: { 'content-type': contentType },
    }).formData()
    const file = form.get('file') as File
    expect(file.name).toBe('call-1.mp3')
    expect(file.type).toBe('audio/mpeg')
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(bytes)
    expect(form.get('id')).toBe('456')
    expect(exchange.sentHeaders['Content-Type']).toBeUndefined()
    expect(exchange.response?.status).toBe(200)
  })

  it.each<[string, Answer, { json?: unknown; bodyText: string }]>([
    [
      'keeps bodyText and gives no json for malformed JSON',
      { status: 200, headers: { 'content-type': 'application/json' }, body: '{"id": 1,' },
      { bodyText: '{"id": 1,' },
    ],
    [
      'parses a JSON content type with parameters',
      { headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{"a":1}' },
      { json: { a: 1 }, bodyText: '{"a":1}' },
    ],
    [
      'parses +json content types',
      { status: 400, headers: { 'content-type': 'application/problem+json' }, body: '{"t":"x"}' },
      { json: { t: 'x' }, bodyText: '{"t":"x"}' },
    ],
    [
      'does not parse JSON-looking text of another content type',
      { headers: { 'content-type': 'text/html' }, body: '{"a":1}' },
      { bodyText: '{"a":1}' },
    ],
    [
      'gives no json for an empty JSON body',
      { status: 204, headers: { 'content-type': 'application/json' } },
      { bodyText: '' },
    ],
  ])('%s', async (_title, answer, expected) => {
    const crm = await startServer({ '/x': () => answer })
    const client = createCrmClient({ settings: settingsWith(BASIC), fetch, now: () => 0 })
    const exchange = await client.send(getRequest(`${crm.url}/x`))
    expect(exchange.response?.bodyText).toBe(expected.bodyText)
    if ('json' in expected) expect(exchange.response?.json).toEqual(expected.json)
    else expect(exchange.response).not.toHaveProperty('json')
  })

  it('reports the answer headers in lower case and the duration from the injected clock', async () => {
    const crm = await startServer({
      '/x': () => ({ headers: { 'Content-Type': 'application/json', 'X-Rate': '3' }, body: '{}' }),
    })
    let time = 0
    const client = createCrmClient({
      settings: settingsWith(BASIC),
      fetch,
      now: () => (time += 40),
    })
    const exchange = await client.send(getRequest(`${crm.url}/x`))
    expect(exchange.response?.headers['x-rate']).toBe('3')
    expect(exchange.response?.durationMs).toBe(40)
  })
})

describe('createCrmClient: in-process answers (local)', () => {
  const post: CrmHttpRequest = {
    endpoint: 'create_record',
    method: 'POST',
    url: 'http://in-process/crm/api/records',
    headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
    body: { kind: 'json', json: { subject: 'Hi', rating: 5 } },
    timeoutMs: 150,
  }

  it('gives the same exchange for an answer in process as for the same answer through fetch', async () => {
    const answers: LocalCrmAnswer[] = [
      { status: 201, headers: { 'content-type': 'application/json' }, body: '{"id":7}' },
      {
        status: 401,
        headers: { 'content-type': 'application/problem+json', 'www-authenticate': 'Basic' },
        body: '{"status":401}',
      },
      // Names out of order, upper case, padded values: read as `Headers` reads them.
      {
        status: 200,
        headers: { 'X-B': ' b ', 'a-a': 'x', 'Content-Type': 'text/plain' },
        body: 'ok',
      },
      { status: 200, headers: { 'content-type': 'application/json' }, body: 'not json' },
    ]
    for (const answer of answers) {
      for (const later of [false, true]) {
        const clock = manualClock()
        const local = createCrmClient({
          settings: settingsWith(BASIC),
          fetch: () => Promise.reject(new Error('not through fetch')),
          now: clock.now,
          local: () => (later ? Promise.resolve(answer) : answer),
        })
        const fetched = createCrmClient({
          settings: settingsWith(BASIC),
          fetch: () => Promise.resolve(answerResponse(answer)),
          now: clock.now,
          raceTimeout: () => true,
        })
        expect(await local.send(post)).toEqual(await fetched.send(post))
      }
    }
  })

  it('hands local the URL, method, body and headers as Headers#get reads them, auth merged', async () => {
    const seen: LocalCrmRequest[] = []
    const client = createCrmClient({
      settings: settingsWith({
        method: 'custom_header',
        fields: [
          { field_key: 'X-Key', field_value: 'a' },
          { field_key: 'x-key', field_value: 'b' },
        ],
      }),
      fetch: () => Promise.reject(new Error('not through fetch')),
      now: () => 0,
      local: (request) => {
        seen.push(request)
        return { status: 201, headers: { 'content-type': 'application/json' }, body: '{}' }
      },
    })
    const exchange = await client.send(post)
    expect(exchange.sentHeaders).toEqual({
      Accept: 'application/json',
      'Content-Type': 'application/json',
      'X-Key': '***',
      'x-key': '***',
    })
    const [request] = seen
    expect(request?.url).toBe(post.url)
    expect(request?.method).toBe('POST')
    expect(request?.body).toBe('{"subject":"Hi","rating":5}')
    expect(request?.header('x-key')).toBe(
      new Headers([
        ['X-Key', 'a'],
        ['x-key', 'b'],
      ]).get('x-key'),
    )
    expect(request?.header('content-type')).toBe('application/json')
    expect(request?.header('content-length')).toBeUndefined()
  })

  it('sends through fetch when local declines, or when Headers would change a header', async () => {
    for (const [value, localCalls] of [
      ['plain', 1],
      [' padded ', 0],
    ] as const) {
      const fetched: string[] = []
      let calls = 0
      const client = createCrmClient({
        settings: settingsWith({
          method: 'custom_header',
          fields: [{ field_key: 'X-Key', field_value: value }],
        }),
        fetch: (url) => {
          fetched.push(url as string)
          return Promise.resolve(new Response('{}', { status: 200 }))
        },
        now: () => 0,
        raceTimeout: () => true,
        local: () => {
          calls += 1
          return undefined
        },
      })
      expect((await client.send(post)).response?.status).toBe(200)
      expect(calls).toBe(localCalls)
      expect(fetched).toEqual([post.url])
    }
  })

  it('gives up on an answer in process after the request timeout, and reports a failed one', async () => {
    const never = createCrmClient({
      settings: settingsWith(BASIC),
      fetch: () => Promise.reject(new Error('not through fetch')),
      now: () => 0,
      local: () => new Promise<LocalCrmAnswer>(() => undefined),
    })
    expect((await never.send(post)).error).toBe('timeout after 150ms')
    const failed = createCrmClient({
      settings: settingsWith(BASIC),
      fetch: () => Promise.reject(new Error('not through fetch')),
      now: () => 0,
      local: () => Promise.reject(new Error('boom')),
    })
    expect((await failed.send(post)).error).toBe('connection error: boom')
  })
})

describe('createCrmClient: failures without an answer', () => {
  it('gives up after the request timeout when the CRM is slow', async () => {
    const crm = await startServer({ '/slow': () => ({ ...json({ id: 1 }), delayMs: 1500 }) })
    const client = createCrmClient({ settings: settingsWith(BASIC), fetch, now: () => 0 })
    const exchange = await client.send(getRequest(`${crm.url}/slow`, 150))
    expect(exchange.error).toBe('timeout after 150ms')
    expect(exchange.response).toBeUndefined()
    expect(exchange.sentHeaders['Authorization']).toBe('Basic ***')
  })

  it('gives up after the request timeout when the body never finishes', async () => {
    const crm = await startServer({
      '/stall': () => ({ headers: { 'content-type': 'application/json' }, stallBody: true }),
    })
    const client = createCrmClient({ settings: settingsWith(BASIC), fetch, now: () => 0 })
    const exchange = await client.send(getRequest(`${crm.url}/stall`, 150))
    expect(exchange.error).toBe('timeout after 150ms')
  })

  it('races the request timeout against a fetch that watches no signal (in-process), head or body', async () => {
    const inits: RequestInit[] = []
    const never: typeof fetch = (_url, init) => {
      inits.push(init ?? {})
      return new Promise<Response>(() => undefined)
    }
    const stalled: typeof fetch = (_url, init) => {
      inits.push(init ?? {})
      const answer = {
        status: 200,
        ok: true,
        headers: new Headers(),
        text: () => new Promise(() => undefined),
      }
      return Promise.resolve(answer as unknown as Response)
    }
    for (const f of [never, stalled]) {
      const client = createCrmClient({
        settings: settingsWith(BASIC),
        fetch: f,
        now: () => 0,
        raceTimeout: (url) => url.startsWith('http://in-process/'),
      })
      const exchange = await client.send(getRequest('http://in-process/x', 150))
      expect(exchange.error).toBe('timeout after 150ms')
    }
    expect(inits.map((init) => init.signal)).toEqual([undefined, undefined])
  })

  it('reports a connection reset', async () => {
    const crm = await startServer({ '/reset': () => ({ reset: true }) })
    const client = createCrmClient({ settings: settingsWith(BASIC), fetch, now: () => 0 })
    const exchange = await client.send(getRequest(`${crm.url}/reset`))
    expect(exchange.error).toBe('connection reset')
    expect(exchange.response).toBeUndefined()
  })

  it('reports a refused connection', async () => {
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    await closeServer(server)
    const client = createCrmClient({ settings: settingsWith(BASIC), fetch, now: () => 0 })
    const exchange = await client.send(getRequest(`http://127.0.0.1:${port}/x`))
    expect(exchange.error).toBe('connection refused')
  })
})

describe('createCrmClient: OAuth 2.0', () => {
  function oauth(
    base: string,
    extra: Partial<CrmAuthentication & { method: 'oauth2' }> = {},
  ): CrmAuthentication {
    return {
      method: 'oauth2',
      authorization_url: `${base}/oauth/authorize`,
      token_url: `${base}/oauth/token`,
      client_id: 'ccai',
      client_secret: 'shh',
      scope: 'tickets.write',
      ...extra,
    }
  }

  /** A token server issuing tok-1, tok-2, … and a CRM accepting only the tokens in `valid`. */
  async function oauthServer(options: {
    expiresIn?: number
    refresh?: boolean
    valid?: Set<string>
  }) {
    let issued = 0
    const valid = options.valid ?? new Set<string>()
    const server = await startServer({
      '/oauth/authorize': (r) => ({
        status: 302,
        headers: {
          location: `http://localhost/cb?code=code-${issued + 1}&state=${r.query.get('state') ?? ''}`,
        },
      }),
      '/oauth/token': () => {
        issued += 1
        const token = `tok-${issued}`
        valid.add(token)
        return json({
          access_token: token,
          token_type: 'bearer',
          ...(options.expiresIn === undefined ? {} : { expires_in: options.expiresIn }),
          ...(options.refresh === true ? { refresh_token: `refresh-${issued}` } : {}),
        })
      },
      '/api/contacts': (r) =>
        valid.has((r.headers.authorization ?? '').replace('Bearer ', ''))
          ? json({ id: 1 })
          : json({ error: 'invalid_token' }, 401),
    })
    return { server, valid }
  }

  it('fetches a client-credentials token once and reuses it until it expires', async () => {
    const { server } = await oauthServer({ expiresIn: 3600 })
    const clock = manualClock()
    const client = createCrmClient({
      settings: settingsWith(oauth(server.url, { grant_type: 'client_credentials' })),
      fetch,
      now: clock.now,
    })
    const first = await client.send(getRequest(`${server.url}/api/contacts`))
    clock.move(3_599_000)
    const second = await client.send(getRequest(`${server.url}/api/contacts`))
    expect(server.to('/oauth/token')).toHaveLength(1)
    const tokenRequest = server.to('/oauth/token')[0]!
    expect(tokenRequest.headers['content-type']).toBe('application/x-www-form-urlencoded')
    expect(Object.fromEntries(tokenRequest.form)).toEqual({
      grant_type: 'client_credentials',
      scope: 'tickets.write',
      client_id: 'ccai',
      client_secret: 'shh',
    })
    expect(server.to('/oauth/authorize')).toHaveLength(0)
    expect(server.to('/api/contacts').map((r) => r.headers.authorization)).toEqual([
      'Bearer tok-1',
      'Bearer tok-1',
    ])
    expect(first.sentHeaders['Authorization']).toBe('Bearer ***')
    expect(second.response?.status).toBe(200)
  })

  it('fetches a new token once the injected clock passes expires_in', async () => {
    const { server } = await oauthServer({ expiresIn: 60 })
    const clock = manualClock()
    const client = createCrmClient({
      settings: settingsWith(oauth(server.url, { grant_type: 'client_credentials' })),
      fetch,
      now: clock.now,
    })
    await client.send(getRequest(`${server.url}/api/contacts`))
    clock.move(60_000)
    await client.send(getRequest(`${server.url}/api/contacts`))
    expect(server.to('/oauth/token').map((r) => r.form.get('grant_type'))).toEqual([
      'client_credentials',
      'client_credentials',
    ])
    expect(server.to('/api/contacts').map((r) => r.headers.authorization)).toEqual([
      'Bearer tok-1',
      'Bearer tok-2',
    ])
  })

  it('refreshes an expired token with its refresh_token', async () => {
    const { server } = await oauthServer({ expiresIn: 60, refresh: true })
    const clock = manualClock()
    const client = createCrmClient({
      settings: settingsWith(oauth(server.url, { grant_type: 'client_credentials' })),
      fetch,
      now: clock.now,
    })
    await client.send(getRequest(`${server.url}/api/contacts`))
    clock.move(61_000)
    const exchange = await client.send(getRequest(`${server.url}/api/contacts`))
    const refresh = server.to('/oauth/token')[1]!
    expect(Object.fromEntries(refresh.form)).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'refresh-1',
      client_id: 'ccai',
      client_secret: 'shh',
    })
    expect(exchange.response?.status).toBe(200)
    expect(server.to('/api/contacts')[1]?.headers.authorization).toBe('Bearer tok-2')
  })

  it('refreshes once and retries once when the CRM answers 401', async () => {
    const { server, valid } = await oauthServer({})
    const events: CrmClientEvent[] = []
    const client = createCrmClient({
      settings: settingsWith(oauth(server.url, { grant_type: 'client_credentials' })),
      fetch,
      now: () => 0,
      observe: (event) => events.push(event),
    })
    await client.send(getRequest(`${server.url}/api/contacts`))
    valid.delete('tok-1') // the CRM revokes the token
    const exchange = await client.send(getRequest(`${server.url}/api/contacts`))
    expect(exchange.response?.status).toBe(200)
    expect(server.to('/oauth/token')).toHaveLength(2)
    expect(server.to('/api/contacts').map((r) => r.headers.authorization)).toEqual([
      'Bearer tok-1',
      'Bearer tok-1',
      'Bearer tok-2',
    ])
    expect(events.filter((e) => e.kind === 'unauthorized_retry')).toHaveLength(1)
  })

  it('gives the second 401 back instead of retrying again', async () => {
    const server = await startServer({
      '/oauth/token': () => json({ access_token: 'never-good', expires_in: 3600 }),
      '/api/contacts': () => json({ error: 'nope' }, 401),
    })
    const client = createCrmClient({
      settings: settingsWith(oauth(server.url, { grant_type: 'client_credentials' })),
      fetch,
      now: () => 0,
    })
    const exchange = await client.send(getRequest(`${server.url}/api/contacts`))
    expect(exchange.response?.status).toBe(401)
    expect(server.to('/api/contacts')).toHaveLength(2)
    expect(server.to('/oauth/token')).toHaveLength(2)
  })

  it('does not retry a 401 under basic auth', async () => {
    const crm = await startServer({ '/x': () => json({}, 401) })
    const client = createCrmClient({ settings: settingsWith(BASIC), fetch, now: () => 0 })
    const exchange = await client.send(getRequest(`${crm.url}/x`))
    expect(exchange.response?.status).toBe(401)
    expect(crm.requests).toHaveLength(1)
  })

  it('runs the authorization-code grant by default, with state, access type and redirect URL', async () => {
    const { server } = await oauthServer({ expiresIn: 3600 })
    const client = createCrmClient({
      settings: settingsWith(
        oauth(server.url, {
          state: 'ccai-state',
          access_type: 'offline',
          include_redirect_url: true,
        }),
      ),
      fetch,
      now: () => 0,
      oauthRedirectUrl: 'https://sim.example/cb',
    })
    const exchange = await client.send(getRequest(`${server.url}/api/contacts`))
    expect(exchange.response?.status).toBe(200)
    const authorize = server.to('/oauth/authorize')[0]!
    expect(Object.fromEntries(authorize.query)).toEqual({
      response_type: 'code',
      client_id: 'ccai',
      scope: 'tickets.write',
      state: 'ccai-state',
      access_type: 'offline',
      redirect_uri: 'https://sim.example/cb',
    })
    expect(Object.fromEntries(server.to('/oauth/token')[0]!.form)).toEqual({
      grant_type: 'authorization_code',
      code: 'code-1',
      client_id: 'ccai',
      client_secret: 'shh',
      redirect_uri: 'https://sim.example/cb',
    })
  })

  it('shares one token fetch between concurrent sends', async () => {
    const { server } = await oauthServer({ expiresIn: 3600 })
    const client = createCrmClient({
      settings: settingsWith(oauth(server.url, { grant_type: 'client_credentials' })),
      fetch,
      now: () => 0,
    })
    const exchanges = await Promise.all([
      client.send(getRequest(`${server.url}/api/contacts`)),
      client.send(getRequest(`${server.url}/api/contacts`)),
      client.send(getRequest(`${server.url}/api/contacts`)),
    ])
    expect(exchanges.map((e) => e.response?.status)).toEqual([200, 200, 200])
    expect(server.to('/oauth/token')).toHaveLength(1)
  })

  it.each<[string, Answer, string]>([
    [
      'an error status',
      json({ error: 'invalid_client' }, 400),
      'oauth: token request answered HTTP 400: {"error":"invalid_client"}',
    ],
    [
      'no access_token',
      json({ token_type: 'bearer' }),
      'oauth: token response has no access_token',
    ],
    [
      'a malformed body',
      { headers: { 'content-type': 'application/json' }, body: '{"access_token":' },
      'oauth: token response is not a JSON object',
    ],
  ])(
    'reports a token endpoint answering with %s and does not call the CRM',
    async (_t, answer, error) => {
      const server = await startServer({
        '/oauth/token': () => answer,
        '/api/contacts': () => json({ id: 1 }),
      })
      const client = createCrmClient({
        settings: settingsWith(oauth(server.url, { grant_type: 'client_credentials' })),
        fetch,
        now: () => 0,
      })
      const exchange = await client.send(getRequest(`${server.url}/api/contacts`))
      expect(exchange.error).toBe(error)
      expect(exchange.response).toBeUndefined()
      expect(server.to('/api/contacts')).toHaveLength(0)
    },
  )

  it('accepts a form-encoded token answer', async () => {
    const server = await startServer({
      '/oauth/token': () => ({
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'access_token=form-tok&expires_in=60',
      }),
      '/api/contacts': () => json({ id: 1 }),
    })
    const client = createCrmClient({
      settings: settingsWith(oauth(server.url, { grant_type: 'client_credentials' })),
      fetch,
      now: () => 0,
    })
    await client.send(getRequest(`${server.url}/api/contacts`))
    expect(server.to('/api/contacts')[0]?.headers.authorization).toBe('Bearer form-tok')
  })

  it('times out a slow token endpoint with the request timeout', async () => {
    const server = await startServer({
      '/oauth/token': () => ({ ...json({ access_token: 'late' }), delayMs: 1500 }),
    })
    const client = createCrmClient({
      settings: settingsWith(oauth(server.url, { grant_type: 'client_credentials' })),
      fetch,
      now: () => 0,
    })
    const exchange = await client.send(getRequest(`${server.url}/api/contacts`, 150))
    expect(exchange.error).toBe('oauth: token request failed: timeout after 150ms')
  })

  it('reports an authorization endpoint that gives no code', async () => {
    const server = await startServer({ '/oauth/authorize': () => json({ error: 'denied' }, 403) })
    const client = createCrmClient({
      settings: settingsWith(oauth(server.url)),
      fetch,
      now: () => 0,
    })
    const exchange = await client.send(getRequest(`${server.url}/api/contacts`))
    expect(exchange.error).toBe('oauth: authorization request answered HTTP 403 without a code')
  })
})
