import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { createSimulatorApp, INTERNAL_URL } from '../app.js'
import { parseConfig } from '../config.js'
import { MemoryStorageSink } from '../runtime/sinks.js'
import { createMockCrmApp, MockCrmStore } from './mock-crm/index.js'
import { FaultController } from './mock-crm/faults.js'
import {
  localForms,
  localMultipart,
  localRequest,
  localResponse,
  realBody,
} from './local-request.js'

/*
 * The stand-in the app hands its own routes for the sessions' in-process CRM requests: the mock
 * CRM must answer it exactly as it answers a real Request with the same URL, headers and body.
 */

const BASE = 'http://mock.test/crm'
const KEY = { 'X-Api-Key': 'ccai-sim-mock-crm-key' }

function mockCrm(): { app: Hono; store: MockCrmStore } {
  const store = new MockCrmStore({ now: () => Date.parse('2026-01-15T14:00:00.000Z') })
  const app = new Hono()
  app.use('/crm/*', localForms)
  app.route(
    '/crm',
    createMockCrmApp({
      store,
      auth: parseConfig({}).crm.mock.auth,
      dialect: 'generic',
      faults: new FaultController(),
      now: () => Date.parse('2026-01-15T14:00:00.000Z'),
    }),
  )
  return { app, store }
}

/** Sends the same request to two fresh mock CRMs, one as a real Request, one as the stand-in. */
async function both(
  steps: readonly { url: string; init: RequestInit }[],
): Promise<{ real: string[]; local: string[]; stores: MockCrmStore[] }> {
  const real = mockCrm()
  const local = mockCrm()
  const out = { real: [] as string[], local: [] as string[], stores: [real.store, local.store] }
  for (const { url, init } of steps) {
    const a = await real.app.fetch(new Request(url, realBody(init)))
    out.real.push(`${String(a.status)} ${a.headers.get('content-type') ?? ''} ${await a.text()}`)
    const stand = localRequest(url, init)
    expect(stand).toBeDefined()
    // The answer as the app's in-process fetch hands it on (its text without a stream).
    const b = localResponse(await local.app.fetch(stand as Request))
    out.local.push(`${String(b.status)} ${b.headers.get('content-type') ?? ''} ${await b.text()}`)
  }
  return out
}

function upload(bytes: Uint8Array): FormData {
  const form = new FormData()
  form.append('record_id', '1')
  form.append('file', new Blob([bytes.slice()], { type: 'audio/mpeg' }), 'call.mp3')
  return form
}

describe('localRequest', () => {
  it('gets the same answers as a real Request for JSON creates, finds, uploads and refusals', async () => {
    const json = { ...KEY, 'Content-Type': 'application/json', Accept: 'application/json' }
    const bytes = Uint8Array.from({ length: 5000 }, (_, i) => i % 251)
    const { real, local, stores } = await both([
      {
        url: `${BASE}/api/accounts`,
        init: {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ name: 'Kim', phone: '+12223334444' }),
        },
      },
      { url: `${BASE}/api/accounts?phone=%2B12223334444`, init: { method: 'GET', headers: KEY } },
      {
        url: `${BASE}/api/records`,
        init: {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ subject: 'Call', account_id: 1 }),
        },
      },
      {
        url: `${BASE}/api/attachments`,
        init: { method: 'POST', headers: KEY, body: upload(bytes) },
      },
      {
        // The CRM client's fields as they are (the app's in-process fetch): no FormData, no Blob.
        url: `${BASE}/api/attachments`,
        init: {
          method: 'POST',
          headers: KEY,
          body: localMultipart([
            { name: 'record_id', value: '1' },
            { name: 'file', file: { filename: 'call.mp3', contentType: 'audio/mpeg', bytes } },
          ]),
        },
      },
      { url: `${BASE}/api/records`, init: { method: 'POST', headers: json, body: '{"subject":' } },
      {
        url: `${BASE}/api/records`,
        init: { method: 'POST', headers: { Accept: 'application/json' }, body: '{}' },
      },
    ])
    expect(local).toEqual(real)
    expect(real.map((r) => r.slice(0, 3))).toEqual([
      '201',
      '200',
      '201',
      '201',
      '201',
      '422',
      '401',
    ])
    for (const store of stores) {
      expect(store.attachments().map((a) => [a.filename, a.contentType])).toEqual([
        ['call.mp3', 'audio/mpeg'],
        ['call.mp3', 'audio/mpeg'],
      ])
      for (const attachment of store.attachments())
        expect([...attachment.bytes()]).toEqual([...bytes])
    }
  })

  it("hands on a JSON answer's text without reading its stream, and any other answer as it is", async () => {
    const { app } = mockCrm()
    const init = {
      method: 'POST',
      headers: { ...KEY, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Kim', phone: '+12223334444' }),
    }
    const answer = await app.fetch(localRequest(`${BASE}/api/accounts`, init) as Request)
    const handed = localResponse(answer)
    expect(handed).not.toBe(answer)
    expect(JSON.parse(await handed.text())).toMatchObject({ id: 1, name: 'Kim' })
    expect(answer.bodyUsed).toBe(false)
    const real = await app.fetch(new Request(`${BASE}/api/accounts`, init))
    expect(localResponse(real)).toBe(real)
  })

  it('leaves bodies it does not carry to a real Request', () => {
    expect(
      localRequest(`${BASE}/api/x`, { method: 'POST', body: new Uint8Array([1]) }),
    ).toBeUndefined()
  })

  it('carries a session of the pure app to the mock CRM, its uploads stored whole', async () => {
    const storage = new MemoryStorageSink()
    const sim = createSimulatorApp({
      config: { clock: { mode: 'manual' }, email: { enabled: false } },
      fetch: () => Promise.reject(new Error('no network in this test')),
      storage,
    })
    const session = sim.runtime.startSession({ scenario: 'inbound-ivr-call' })
    await sim.runtime.advance(3 * 3600_000)
    expect(session.state).toBe('complete')
    const uploads = sim.runtime.journal
      .read({ type: 'crm-exchange', limit: 1000 })
      .entries.filter((e) => e.type === 'crm-exchange' && e.endpoint === 'upload_file')
    expect(uploads.length).toBeGreaterThan(0)
    expect(uploads.every((e) => e.type === 'crm-exchange' && e.status === 201)).toBe(true)
    const attachments = sim.crm.store.attachments()
    expect(attachments.map((a) => a.contentType)).toContain('audio/mpeg')
    // Each download (the recording's made then) is byte for byte the file the session wrote.
    const files = await storage.list()
    for (const attachment of attachments) {
      const path = files.find((f) => f.path.endsWith(`/${attachment.filename}`))?.path ?? ''
      const written = await storage.read(path)
      expect(written?.byteLength, path).toBe(attachment.size)
      const got = await sim.app.fetch(
        new Request(`${INTERNAL_URL}/crm/api/attachments/${attachment.id}`, { headers: KEY }),
      )
      expect(got.status).toBe(200)
      expect(Buffer.from(await got.arrayBuffer()).equals(Buffer.from(written ?? [])), path).toBe(
        true,
      )
    }
    await sim.close()
  })
})
