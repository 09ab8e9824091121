import { createServer, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { getRequestListener } from '@hono/node-server'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMockCrmApp, mockCrmCoreOf } from './app.js'
import { MockCrmAuthenticator, type MockCrmAuth } from './auth.js'
import { FaultController } from './faults.js'
import { mockCrmFastPath } from './node-fast-path.js'
import { MockCrmStore } from './store.js'

/*
 * The node:http fast path (node-fast-path.ts) against the Hono app it bypasses: the same requests,
 * over real HTTP, to a server that tries the fast path first and to one that only has Hono, both
 * over the same store. Status, every header but Date (names, values and order) and the body bytes
 * must be identical, whether the fast path answered or handed the request on.
 */

const now = (): number => Date.parse('2025-03-01T09:00:00.000Z')
const MOUNT = '/crm'

interface Exchange {
  readonly status: number
  readonly headers: readonly string[]
  readonly body: string
}

/** One request with raw header lines (names may repeat), over a fresh connection. */
function send(
  port: number,
  input: { method: string; path: string; headers: readonly [string, string][]; body?: string },
): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: input.method,
        path: input.path,
        agent: false,
        // One Host for both servers: links in the answers are made from it.
        headers: {
          Host: 'crm.test:4010',
          ...Object.fromEntries(input.headers),
          // A GET's body goes unframed unless its length is given.
          ...(input.body === undefined
            ? {}
            : { 'Content-Length': String(Buffer.byteLength(input.body)) }),
        },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => {
          // Node answers what its parser refuses itself: that would prove nothing here.
          if (res.statusCode === 400 && chunks.length === 0)
            reject(
              new Error(
                `bare 400 for ${input.method} ${input.path} ${JSON.stringify(input.headers)}`,
              ),
            )
          // Header names as written, their order, repeats and values.
          const headers: string[] = []
          for (let i = 0; i < res.rawHeaders.length; i += 2) {
            const name = res.rawHeaders[i] ?? ''
            if (name.toLowerCase() !== 'date')
              headers.push(`${name}: ${res.rawHeaders[i + 1] ?? ''}`)
          }
          resolve({
            status: res.statusCode ?? 0,
            headers,
            body: Buffer.concat(chunks).toString('latin1'),
          })
        })
      },
    )
    req.on('error', reject)
    req.end(input.body)
  })
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve((server.address() as AddressInfo).port)
    })
  })
}

interface Setup {
  readonly fast: number
  readonly hono: number
  readonly faults: FaultController
  /** The EspoCRM-style Contact and Case ids in the store. */
  readonly espo: { readonly contact: string; readonly kase: string }
  /** Requests the fast path handed to Hono so far. */
  handed(): number
  close(): void
}

async function setUp(auth: MockCrmAuth, authenticator?: MockCrmAuthenticator): Promise<Setup> {
  const store = new MockCrmStore({ now })
  for (let i = 0; i < 3; i++) {
    const account = store.createAccount({
      fields: {
        name: `Kim ${String(i)}`,
        phone: `+1201555000${String(i)}`,
        email: `k${String(i)}@example.com`,
      },
    })
    store.createRecord({
      fields: { subject: `Ticket ${String(i)}`, account_id: account.id, status: 'open' },
    })
  }
  const contact = store.createAccount({
    fields: { firstName: 'Ana', lastName: 'Espo', phoneNumber: '+12015550100' },
    idStyle: 'espocrm',
  })
  const kase = store.createRecord({
    fields: { name: 'Espo case', contactId: contact.id },
    idStyle: 'espocrm',
  })
  store.addComment({ recordId: kase.id, body: 'first note', fields: {}, idStyle: 'espocrm' })
  const faults = new FaultController({ sleep: () => Promise.resolve() })
  const app = createMockCrmApp({
    store,
    auth,
    faults,
    now,
    ...(authenticator ? { authenticator } : {}),
  })
  const root = new Hono().route(MOUNT, app)
  const core = mockCrmCoreOf(app)
  if (core === undefined) throw new Error('no core')
  // The simulator's Vitest files share one process per worker (isolate: false): the listener must
  // not replace the global Request and Response for the files after this one (MSW's network errors
  // become status-0 answers under @hono/node-server's; see lazy-node-server.ts).
  const honoListener = getRequestListener(root.fetch, { overrideGlobalObjects: false })
  let handed = 0
  const fastServer = createServer(
    mockCrmFastPath({
      core,
      mount: MOUNT,
      next: (req, res) => {
        handed += 1
        void honoListener(req, res)
      },
    }),
  )
  const honoServer = createServer((req, res) => {
    void honoListener(req, res)
  })
  const [fast, hono] = await Promise.all([listen(fastServer), listen(honoServer)])
  return {
    fast,
    hono,
    faults,
    espo: { contact: contact.id, kase: kase.id },
    handed: () => handed,
    close: () => {
      fastServer.close()
      honoServer.close()
      fastServer.closeAllConnections()
      honoServer.closeAllConnections()
    },
  }
}

type Case = readonly [
  label: string,
  method: string,
  path: string,
  headers: [string, string][],
  body?: string,
]

/** The paths below the mount every dialect answers, found and not found, good and bad queries. */
function matrix(espo: Setup['espo']): Case[] {
  const phone = encodeURIComponent('+12015550001')
  const where = (value: string): string =>
    `where[0][type]=equals&where[0][attribute]=phoneNumber&where[0][value]=${value}`
  const paths: [string, string][] = [
    ['find by phone', `/api/accounts?phone=${phone}&limit=1`],
    ['find by phone, none', '/api/accounts?phone=%2B19995550000'],
    [
      'find by criteria',
      '/api/accounts?criteria=(Phone:equals:%2B12015550002)%20or%20(Email:equals:k0@example.com)',
    ],
    ['find, bad limit', '/api/accounts?phone=1&limit=abc'],
    ['find by email', '/api/accounts?email=K1@EXAMPLE.COM'],
    ['find by external id, none', '/api/accounts?external_id=none'],
    ['find by name, plus for space', '/api/accounts?name=Kim+1'],
    ['find by id', '/api/accounts?id=2&limit=5'],
    ['find by phone or email', `/api/accounts?phone=${phone}&email=k2@example.com`],
    ['find by an alias', '/api/accounts?phoneNumber=%2B12015550002&per_page=1'],
    ['find, broken escapes', '/api/accounts?phone=%E0%A4%A&name=%ZZ'],
    ['find, empty values', '/api/accounts?phone=&email=%20&limit=&name=Kim%200'],
    ['find, repeated name', '/api/accounts?phone=%2B12015550000&phone=%2B12015550001'],
    ['find, no query', '/api/accounts'],
    ['account by id', '/api/accounts/1'],
    ['account by id, none', '/api/accounts/999'],
    ['records by query', '/api/records?account_id=1&status=open&limit=1'],
    ['record by id', '/api/records/2'],
    ['record by id, none', '/api/records/999'],
    ['espo find by phone', `/espo/api/v1/Contact?${where('%2B12015550100')}`],
    ['espo find by phone, none', `/espo/api/v1/Contact?${where('%2B10000000000')}`],
    [
      'espo bad where',
      '/espo/api/v1/Contact?where[0][type]=sounds&where[0][attribute]=phoneNumber',
    ],
    ['espo contact', `/espo/api/v1/Contact/${espo.contact}`],
    ['espo contact, none', '/espo/api/v1/Contact/nope'],
    ['espo cases', '/espo/api/v1/Case?maxSize=2&select=name,status'],
    ['espo case', `/espo/api/v1/Case/${espo.kase}`],
    ['espo stream', `/espo/api/v1/Case/${espo.kase}/stream`],
    ['espo attachment, none', '/espo/api/v1/Attachment/nope'],
    // What the fast path hands to Hono: the answers must still be the same.
    ['encoded path', '/api/accounts/%31'],
    ['dot segment', '/api/../api/accounts/1'],
    ['quote in query', "/api/accounts?name=O'Brien"],
    ['trailing slash', '/api/accounts/'],
    ['page', '/accounts/1'],
    ['unknown', '/api/nothing'],
  ]
  const cases: Case[] = []
  for (const [label, path] of paths) {
    cases.push([`${label}, good key`, 'GET', path, [['X-Api-Key', 'k-1']]])
    cases.push([`${label}, wrong key`, 'GET', path, [['X-Api-Key', 'nope']]])
    cases.push([`${label}, no key`, 'GET', path, []])
  }
  cases.push([
    'key name in capitals',
    'GET',
    `/api/accounts?phone=${phone}`,
    [['X-API-KEY', 'k-1']],
  ])
  cases.push([
    'key twice',
    'GET',
    `/api/accounts?phone=${phone}`,
    [
      ['X-Api-Key', 'k-1'],
      ['x-api-key', 'k-1'],
    ],
  ])
  cases.push(['HEAD', 'HEAD', `/api/accounts?phone=${phone}`, [['X-Api-Key', 'k-1']]])
  cases.push(['OPTIONS', 'OPTIONS', '/api/accounts', [['X-Api-Key', 'k-1']]])
  cases.push([
    'GET with a body',
    'GET',
    `/api/accounts?phone=${phone}`,
    [
      ['X-Api-Key', 'k-1'],
      ['Content-Type', 'application/json'],
    ],
    '{}',
  ])
  cases.push(['DELETE', 'DELETE', '/api/accounts/1', [['X-Api-Key', 'k-1']]])
  return cases
}

async function same(setup: Setup, cases: readonly Case[]): Promise<void> {
  for (const [label, method, path, headers, body] of cases) {
    const input = {
      method,
      path: `${MOUNT}${path}`,
      headers,
      ...(body === undefined ? {} : { body }),
    }
    const fast = await send(setup.fast, input)
    const hono = await send(setup.hono, input)
    expect({ label, ...fast }).toEqual({ label, ...hono })
  }
}

describe('the mock CRM node:http fast path', () => {
  let setup: Setup
  beforeAll(async () => {
    setup = await setUp({ mode: 'api-key', header: 'X-Api-Key', value: 'k-1' })
  })
  afterAll(() => {
    setup.close()
  })

  it('answers every GET of both dialects exactly as the Hono app does: status, headers but Date, bytes', async () => {
    await same(setup, matrix(setup.espo))
  })

  it('answers the plain GETs itself and hands Hono the rest (HEAD, OPTIONS, bodies, encoded paths, pages)', async () => {
    const cases = matrix(setup.espo)
    const before = setup.handed()
    await same(setup, cases)
    const handedOn = setup.handed() - before
    // Seven paths × three key variants, then HEAD, OPTIONS, a GET with a body and a DELETE.
    expect(handedOn).toBe(6 * 3 + 4)
  })

  it('hands every request to Hono while a fault rule is set, and answers as it does', async () => {
    const phone = encodeURIComponent('+12015550001')
    const find: Case = ['find', 'GET', `/api/accounts?phone=${phone}`, [['X-Api-Key', 'k-1']]]
    const byId: Case = ['by id', 'GET', '/api/accounts/1', [['X-Api-Key', 'k-1']]]
    for (const rule of [
      { route: 'find_account_by_query', kind: 'status', status: 429 },
      { route: '*', kind: 'missing-id' },
      { route: 'find_account_by_id', kind: 'latency', latencyMs: 5 },
      { route: '*', kind: 'malformed-json' },
    ] as const) {
      setup.faults.set(rule)
      const before = setup.handed()
      await same(setup, [find, byId])
      expect(setup.handed() - before).toBe(2)
      setup.faults.clear()
    }
    const before = setup.handed()
    await same(setup, [find])
    expect(setup.handed() - before).toBe(0)
  })
})

describe('the fast path under Basic and OAuth 2.0', () => {
  it('answers good, wrong and missing Basic credentials as the Hono app does', async () => {
    const setup = await setUp({ mode: 'basic', username: 'crm', password: 's3cret' })
    try {
      const good = `Basic ${Buffer.from('crm:s3cret').toString('base64')}`
      const bad = `Basic ${Buffer.from('crm:nope').toString('base64')}`
      const path = '/api/accounts?phone=%2B12015550001'
      const before = setup.handed()
      await same(setup, [
        ['good', 'GET', path, [['Authorization', good]]],
        ['wrong', 'GET', path, [['Authorization', bad]]],
        ['garbled', 'GET', path, [['Authorization', 'Basic ***']]],
        ['none', 'GET', path, []],
      ])
      expect(setup.handed() - before).toBe(0)
    } finally {
      setup.close()
    }
  })

  it('answers a live, an unknown and an expired bearer token as the Hono app does', async () => {
    let clock = now()
    const auth: MockCrmAuth = {
      mode: 'oauth2',
      clientId: 'c',
      clientSecret: 's',
      tokenTtlSeconds: 60,
    }
    const authenticator = new MockCrmAuthenticator({ auth, now: () => clock })
    const setup = await setUp(auth, authenticator)
    try {
      const issued = authenticator.issue({
        params: { grant_type: 'client_credentials', client_id: 'c', client_secret: 's' },
      })
      if (!('access_token' in issued)) throw new Error('no token')
      const path = '/api/accounts/1'
      const live: Case = ['live', 'GET', path, [['Authorization', `Bearer ${issued.access_token}`]]]
      await same(setup, [live, ['unknown', 'GET', path, [['Authorization', 'Bearer nope']]]])
      clock += 61_000
      await same(setup, [['expired', live[1], live[2], live[3]]])
    } finally {
      setup.close()
    }
  })
})
