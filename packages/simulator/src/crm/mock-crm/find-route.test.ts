import { request as httpRequest } from 'node:http'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { serveHono } from '../../../test/support/node-server.js'
import { createMockCrmApp } from './app.js'
import type { MockCrmAuth } from './auth.js'
import { FaultController } from './faults.js'
import { digitsOf, MockCrmStore, phoneMatches } from './store.js'

/*
 * The find route's shortcuts (bench/crm.bench.ts): the store's account index, query parameters
 * parsed once, auth headers read from Node's raw headers, cached base URLs and account views.
 * These tests pin that the shortcuts answer exactly what the plain code did.
 */

const now = (): number => Date.parse('2025-03-01T09:00:00.000Z')

/** A GET with raw header lines (a name may repeat), over real HTTP. */
function get(
  port: number,
  input: { path: string; headers?: readonly [string, string][]; host?: string },
): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const headers = [...(input.headers ?? []), ['Host', input.host ?? `127.0.0.1:${String(port)}`]]
    const req = httpRequest(
      { host: '127.0.0.1', port, path: input.path, method: 'GET', headers: headers.flat() },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          resolve({ status: res.statusCode ?? 0, json: text === '' ? undefined : JSON.parse(text) })
        })
      },
    )
    req.on('error', reject)
    req.end()
  })
}

function mounted(auth: MockCrmAuth, store = new MockCrmStore({ now })): Hono {
  const app = new Hono()
  app.route('/crm', createMockCrmApp({ store, auth, now, faults: new FaultController() }))
  app.route('/tenant/b/crm', createMockCrmApp({ store, auth, now }))
  return app
}

describe('the account index', () => {
  it('finds what a pass over every account finds, in every phone format, oldest first, once each', () => {
    const store = new MockCrmStore({ now })
    const kim = store.createAccount({
      fields: { name: 'Kim Park', phone: '+12223334444', mobile: '222-333-4444', email: 'K@x.co' },
    })
    const lee = store.createAccount({ fields: { name: 'Lee', phoneNumber: '(555) 000-1111' } })
    const short = store.createAccount({ fields: { name: 'Desk', telephone: '4711' } })
    const searches = [
      '+12223334444',
      '2223334444',
      '(222) 333-4444',
      '+1 222 333 4444',
      '*222*333*4444',
      '442223334444',
      '5550001111',
      '4711',
      '14711',
      '333',
      'abc',
    ]
    for (const phone of searches) {
      const plain = store
        .accounts()
        .filter((a) =>
          Object.values(a.fields).some((v) => typeof v === 'string' && phoneMatches(v, phone)),
        )
      expect({ phone, found: store.findAccounts({ phone }) }).toEqual({ phone, found: plain })
    }
    expect(store.findAccounts({ phone: '2223334444' })).toEqual([kim])
    expect(store.findAccounts({ phone: '4711' })).toEqual([short])
    // Any criterion; the oldest first; an account matching twice comes once.
    expect(
      store.findAccounts({
        phone: '5550001111',
        email: 'k@X.CO',
        name: 'kim park',
        id: ` ${kim.id} `,
      }),
    ).toEqual([kim, lee])
  })

  it('answers a one-criterion search as a pass over every account does, in a new list each time', () => {
    const store = new MockCrmStore({ now })
    const made = [
      { name: 'Kim Park', phone: '+12223334444', email: 'K@x.co', external_id: 'u-1' },
      { name: 'kim park', mobile: '222-333-4444', email: 'k@X.co', external_id: 'u-2' },
      { name: 'Lee', phoneNumber: '(555) 000-1111', email: 'lee@x.co', external_id: 'u-1' },
    ].map((fields) => store.createAccount({ fields }))
    const [kim, kim2, lee] = made
    const plain = (keep: (a: (typeof made)[number]) => boolean): unknown[] => made.filter(keep)
    const cases = [
      [{ id: ` ${kim?.id ?? ''} ` }, plain((a) => a === kim)],
      [{ externalId: 'u-1' }, plain((a) => a === kim || a === lee)],
      [{ email: 'K@X.CO' }, plain((a) => a === kim || a === kim2)],
      [{ name: ' KIM PARK ' }, plain((a) => a === kim || a === kim2)],
      [{ phone: '2223334444' }, plain((a) => a === kim || a === kim2)],
      [{ phone: '---' }, []],
      [{ email: 'nobody@x.co' }, []],
      [{ phone: '', name: 'Lee' }, plain((a) => a === lee)],
    ] as const
    for (const [query, expected] of cases) {
      const found = store.findAccounts(query)
      expect({ query, found }).toEqual({ query, found: expected })
      // The caller's own list: changing it changes no later search.
      found.reverse().push(kim2 as never)
      expect({ query, found: store.findAccounts(query) }).toEqual({ query, found: expected })
    }
  })

  it('follows creates, updates and resets made after the first search', () => {
    const store = new MockCrmStore({ now })
    const kim = store.createAccount({ fields: { name: 'Kim', phone: '+12223334444' } })
    expect(store.findAccounts({ phone: '2223334444' })).toEqual([kim])
    const lee = store.createAccount({ fields: { name: 'Lee', phone: '+12223334444' } })
    expect(store.findAccounts({ phone: '2223334444' })).toEqual([kim, lee])
    const moved = store.updateAccount(kim.id, { phone: '+15550001111', external_id: 'u-9' })
    expect(store.findAccounts({ phone: '2223334444' })).toEqual([lee])
    expect(store.findAccounts({ phone: '5550001111' })).toEqual([moved])
    expect(store.findAccounts({ externalId: 'u-9' })).toEqual([moved])
    store.reset()
    expect(store.findAccounts({ phone: '2223334444' })).toEqual([])
    const again = store.createAccount({ fields: { phone: '2223334444' } })
    expect(store.findAccounts({ phone: '+1 222 333 4444', id: again.id })).toEqual([again])
  })

  it('searches a store loaded from its file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ccai-sim-crm-index-'))
    try {
      const file = join(dir, 'crm.json')
      const first = await MockCrmStore.open({ file, now })
      first.createAccount({ fields: { name: 'Kim', phone: '+12223334444' } })
      await first.flush()
      const second = await MockCrmStore.open({ file, now })
      expect(second.findAccounts({ phone: '2223334444' }).map((a) => a.fields['name'])).toEqual([
        'Kim',
      ])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('the find route over real HTTP', () => {
  it('checks an API key from the raw headers: any case of the name, the exact value, repeats joined', async () => {
    const server = await serveHono(mounted({ mode: 'api-key', header: 'X-Api-Key', value: 'k1' }))
    try {
      const path = '/crm/api/accounts?phone=1'
      expect((await get(server.port, { path, headers: [['X-Api-Key', 'k1']] })).status).toBe(200)
      expect((await get(server.port, { path, headers: [['x-api-key', 'k1']] })).status).toBe(200)
      expect((await get(server.port, { path, headers: [['X-Api-Key', 'k2']] })).status).toBe(401)
      expect((await get(server.port, { path })).status).toBe(401)
      // Two values read as `k1, k1` (as `Headers.get` joins them): not the key.
      const twice = await get(server.port, {
        path,
        headers: [
          ['X-Api-Key', 'k1'],
          ['X-API-KEY', 'k1'],
        ],
      })
      expect(twice.status).toBe(401)
    } finally {
      await server.close()
    }
  })

  it('checks Basic credentials from the raw Authorization header', async () => {
    const server = await serveHono(mounted({ mode: 'basic', username: 'u', password: 'p' }))
    try {
      const path = '/crm/api/accounts?phone=1'
      const good = `Basic ${Buffer.from('u:p').toString('base64')}`
      const bad = `Basic ${Buffer.from('u:x').toString('base64')}`
      expect((await get(server.port, { path, headers: [['Authorization', good]] })).status).toBe(
        200,
      )
      expect((await get(server.port, { path, headers: [['authorization', bad]] })).status).toBe(401)
    } finally {
      await server.close()
    }
  })

  it('links each answer to the host and mount it was asked at, and shows updates at once', async () => {
    const store = new MockCrmStore({ now })
    const account = store.createAccount({ fields: { name: 'Kim', phone: '+12223334444' } })
    const server = await serveHono(mounted({ mode: 'none' }, store))
    try {
      const ask = async (path: string, host?: string): Promise<Record<string, unknown>[]> =>
        (await get(server.port, { path, ...(host === undefined ? {} : { host }) })).json as Record<
          string,
          unknown
        >[]
      const port = String(server.port)
      const query = '?phone=%2B12223334444&limit=1'
      expect((await ask(`/crm/api/accounts${query}`))[0]?.['page_url']).toBe(
        `http://127.0.0.1:${port}/crm/accounts/${account.id}`,
      )
      expect((await ask(`/tenant/b/crm/api/accounts${query}`))[0]?.['page_url']).toBe(
        `http://127.0.0.1:${port}/tenant/b/crm/accounts/${account.id}`,
      )
      expect((await ask(`/crm/api/accounts${query}`, `localhost:${port}`))[0]?.['page_url']).toBe(
        `http://localhost:${port}/crm/accounts/${account.id}`,
      )
      store.updateAccount(account.id, { name: 'Kim Park' })
      const [updated] = await ask(`/crm/api/accounts${query}`)
      expect(updated).toEqual(expect.objectContaining({ id: 1, name: 'Kim Park' }))
      // The first value of a repeated parameter counts, as `c.req.query(name)` reads it.
      expect(await ask('/crm/api/accounts?phone=%2B12223334444&phone=%2B19990000000')).toHaveLength(
        1,
      )
      expect(await ask('/crm/api/accounts?phone=%2B19990000000&phone=%2B12223334444')).toEqual([])
    } finally {
      await server.close()
    }
  })
})

describe('digitsOf', () => {
  it('keeps exactly the ASCII digits, as removing \\D does', () => {
    for (const value of [
      '+12015550500',
      '2015550500',
      '',
      '+',
      '++1',
      '1+2',
      '(222) 333-4444',
      '+1 222 333 4444',
      '١٢٣',
      '+١٢٣4',
      'abc',
    ])
      expect({ value, digits: digitsOf(value) }).toEqual({
        value,
        digits: value.replace(/\D/g, ''),
      })
  })
})
