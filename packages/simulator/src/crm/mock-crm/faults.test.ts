import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { serveHono } from '../../../test/support/node-server.js'
import { createMockCrmApp } from './app.js'
import { mockCrmControlRoutes } from './control.js'
import { FaultController } from './faults.js'
import { MockCrmStore } from './store.js'

const now = (): number => Date.parse('2025-03-01T09:00:00.000Z')

function mounted(faults: FaultController): { app: Hono; store: MockCrmStore } {
  const store = new MockCrmStore({ now })
  const app = new Hono()
  app.route('/crm', createMockCrmApp({ store, auth: { mode: 'none' }, now, faults }))
  app.route('/_sim/crm', mockCrmControlRoutes({ store, faults }))
  return { app, store }
}

function post(body: unknown): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }
}

describe('FaultController', () => {
  it('draws the same sequence for the same seed, a different one for another seed, about p of the time', () => {
    const pattern = (seed: number): boolean[] => {
      const faults = new FaultController()
      faults.set({ route: 'create_record', kind: 'status', status: 500, probability: 0.3, seed })
      return Array.from({ length: 200 }, () => faults.decide('create_record') !== undefined)
    }
    const a = pattern(7)
    expect(pattern(7)).toEqual(a)
    expect(pattern(8)).not.toEqual(a)
    const fired = a.filter(Boolean).length
    expect(fired).toBeGreaterThan(30)
    expect(fired).toBeLessThan(90)
  })

  it('matches a rule by route name or *, honours times, and lists seen and fired counts', () => {
    const faults = new FaultController()
    const one = faults.set({ route: 'comment', kind: 'malformed-json', times: 2 })
    faults.set({ route: '*', kind: 'missing-id', probability: 0 })
    expect(faults.decide('create_account')).toBeUndefined()
    expect(faults.decide('comment')?.kind).toBe('malformed-json')
    expect(faults.decide('comment')?.kind).toBe('malformed-json')
    expect(faults.decide('comment')).toBeUndefined()
    expect(faults.list()).toMatchObject([
      { id: one.id, seen: 2, fired: 2, probability: 1, seed: 0 },
      { route: '*', seen: 4, fired: 0 },
    ])
    expect(faults.remove(one.id)).toBe(true)
    expect(faults.remove(one.id)).toBe(false)
    faults.clear()
    expect(faults.list()).toEqual([])
  })

  it('rejects rules outside the vocabulary', () => {
    const faults = new FaultController()
    expect(() =>
      faults.set({ route: 'delete_everything' as 'comment', kind: 'missing-id' }),
    ).toThrow()
    expect(() => faults.set({ route: 'comment', kind: 'status', status: 302 })).toThrow()
    expect(() => faults.set({ route: 'comment', kind: 'missing-id', probability: 2 })).toThrow()
  })
})

describe('mock CRM faults', () => {
  it('answers an injected status instead of the route and writes nothing; 429 carries Retry-After', async () => {
    for (const status of [400, 401, 404, 429, 500]) {
      const faults = new FaultController()
      faults.set({ route: 'create_record', kind: 'status', status, retryAfterSeconds: 12 })
      const { app, store } = mounted(faults)
      const response = await app.request('/crm/api/records', post({ subject: 's' }))
      expect(response.status).toBe(status)
      expect(response.headers.get('x-mock-crm-fault')).toBe('status')
      expect(response.headers.get('content-type')).toBe('application/problem+json')
      expect(response.headers.get('retry-after')).toBe(status === 429 ? '12' : null)
      expect(await response.json()).toMatchObject({
        status,
        detail: `fault injected on create_record: status ${status}`,
      })
      expect(store.records()).toEqual([])
      // Other routes are untouched.
      expect((await app.request('/crm/api/accounts', post({ name: 'x' }))).status).toBe(201)
    }
  })

  it('answers 2xx without the id (the write happens) for missing-id', async () => {
    const faults = new FaultController()
    faults.set({ route: 'create_account', kind: 'missing-id' })
    const { app, store } = mounted(faults)
    const response = await app.request('/crm/api/accounts', post({ name: 'Kim' }))
    expect(response.status).toBe(201)
    const body = (await response.json()) as Record<string, unknown>
    expect(body).not.toHaveProperty('id')
    expect(body).toMatchObject({ name: 'Kim' })
    expect(store.accounts()).toHaveLength(1)
  })

  it('answers truncated JSON (the write happens) for malformed-json', async () => {
    const faults = new FaultController()
    faults.set({ route: 'find_account_by_query', kind: 'malformed-json' })
    faults.set({ route: 'create_account', kind: 'malformed-json' })
    const { app, store } = mounted(faults)
    const created = await app.request('/crm/api/accounts', post({ name: 'Kim' }))
    expect(created.status).toBe(201)
    expect(created.headers.get('content-type')).toBe('application/json')
    const text = await created.text()
    expect(() => JSON.parse(text) as unknown).toThrow()
    expect(store.accounts()).toHaveLength(1)
    const empty = await (await app.request('/crm/api/accounts?phone=1')).text()
    expect(() => JSON.parse(empty) as unknown).toThrow()
  })

  it('delays the answer by latencyMs through the injected sleep', async () => {
    const slept: number[] = []
    const faults = new FaultController({
      sleep: (ms) => {
        slept.push(ms)
        return Promise.resolve()
      },
    })
    faults.set({ route: 'comment', kind: 'latency' })
    const { app } = mounted(faults)
    await app.request('/crm/api/records', post({ subject: 's' }))
    const response = await app.request('/crm/api/records/1/comments', post({ body: 'x' }))
    expect(slept).toEqual([11_000])
    expect(response.status).toBe(201)
    expect(response.headers.get('x-mock-crm-fault')).toBe('latency')
  })

  it('keeps a real HTTP caller waiting past its timeout for latency', async () => {
    const faults = new FaultController()
    faults.set({ route: 'find_account_by_query', kind: 'latency', latencyMs: 400 })
    const { app } = mounted(faults)
    const server = await serveHono(app)
    try {
      const error = await fetch(`${server.url}/crm/api/accounts?phone=1`, {
        signal: AbortSignal.timeout(50),
      }).catch((e: unknown) => e)
      expect((error as Error).name).toBe('TimeoutError')
    } finally {
      await server.close()
    }
  })

  it('resets the connection over real HTTP (the caller gets no response) and writes nothing', async () => {
    const faults = new FaultController()
    faults.set({ route: 'create_record', kind: 'connection-reset' })
    const { app, store } = mounted(faults)
    const server = await serveHono(app)
    try {
      const error = await fetch(`${server.url}/crm/api/records`, post({ subject: 's' })).catch(
        (e: unknown) => e,
      )
      expect(error).toBeInstanceOf(TypeError)
      const code = ((error as Error).cause as { code?: string } | undefined)?.code
      expect(['ECONNRESET', 'UND_ERR_SOCKET']).toContain(code)
      expect(store.records()).toEqual([])
      // The server keeps serving other requests.
      expect((await fetch(`${server.url}/crm/api/accounts?phone=1`)).status).toBe(200)
    } finally {
      await server.close()
    }
  })

  it('answers a network-error Response (type error, status 0) for connection-reset in-process', async () => {
    const faults = new FaultController()
    faults.set({ route: 'upload_file', kind: 'connection-reset' })
    const { app } = mounted(faults)
    const response = await app.request('/crm/api/records/1/attachments', post({ file: 'AAAA' }))
    expect(response.type).toBe('error')
    expect(response.status).toBe(0)
  })

  it('applies to the EspoCRM dialect and the token endpoint under the same route names', async () => {
    const faults = new FaultController()
    faults.set({ route: 'comment', kind: 'status', status: 500 })
    faults.set({ route: 'oauth_token', kind: 'status', status: 429 })
    const { app } = mounted(faults)
    expect((await app.request('/crm/espo/api/v1/Note', post({ post: 'x' }))).status).toBe(500)
    expect((await app.request('/crm/oauth/token', post({}))).status).toBe(429)
  })
})

describe('mock CRM control routes', () => {
  it('adds, lists and removes faults, shows the state and resets it', async () => {
    const faults = new FaultController()
    const { app } = mounted(faults)
    const added = await app.request(
      '/_sim/crm/faults',
      post({ route: 'create_account', kind: 'status', status: 500, probability: 1, seed: 3 }),
    )
    expect(added.status).toBe(201)
    const rule = (await added.json()) as { id: string }
    expect(rule).toMatchObject({ id: 'fault-1', route: 'create_account', seen: 0, fired: 0 })
    expect((await app.request('/crm/api/accounts', post({ name: 'x' }))).status).toBe(500)
    expect(await (await app.request('/_sim/crm/faults')).json()).toMatchObject([
      { id: 'fault-1', seen: 1, fired: 1 },
    ])
    expect((await app.request('/_sim/crm/faults/fault-1', { method: 'DELETE' })).status).toBe(204)
    expect((await app.request('/_sim/crm/faults/fault-1', { method: 'DELETE' })).status).toBe(404)

    expect((await app.request('/crm/api/accounts', post({ name: 'Kim' }))).status).toBe(201)
    const state = (await (await app.request('/_sim/crm/state')).json()) as {
      accounts: { fields: unknown }[]
    }
    expect(state.accounts.map((a) => a.fields)).toEqual([{ name: 'Kim' }])

    await app.request('/_sim/crm/faults', post({ route: '*', kind: 'missing-id' }))
    expect((await app.request('/_sim/crm/reset', { method: 'POST' })).status).toBe(204)
    expect(await (await app.request('/_sim/crm/state')).json()).toEqual({
      accounts: [],
      records: [],
      comments: [],
      attachments: [],
    })
    expect(faults.list()).toHaveLength(1)
    await app.request('/_sim/crm/reset', post({ faults: true }))
    expect(faults.list()).toEqual([])
    expect((await app.request('/_sim/crm/faults', { method: 'DELETE' })).status).toBe(204)
  })

  it('refuses an invalid fault rule with 422 naming the field', async () => {
    const { app } = mounted(new FaultController())
    const response = await app.request(
      '/_sim/crm/faults',
      post({ route: 'create_account', kind: 'status', status: 200 }),
    )
    expect(response.status).toBe(422)
    const body = (await response.json()) as { issues: { path: string }[] }
    expect(body.issues.map((i) => i.path)).toContain('status')
  })
})
