import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { answerResponse, coreFetch } from './core-fetch.js'
import { localForms, localMultipart, localRequest, realBody } from './local-request.js'
import { createMockCrmApp, mockCrmCoreOf } from './mock-crm/app.js'
import type { MockCrmAuth } from './mock-crm/auth.js'
import type { MockCrmCore } from './mock-crm/dispatch.js'
import { FaultController } from './mock-crm/faults.js'
import { MockCrmStore } from './mock-crm/store.js'
import type { CrmUploadFile } from './types.js'

/*
 * The sessions' in-process requests answered by the mock CRM's core (core-fetch.ts) against the
 * same requests through the app (`app.fetch` with a `localRequest` stand-in, as before): two
 * mock CRMs with the same state, one request to each, the same status, headers and text. Writes
 * are in the matrix, so each side keeps its own store and both stay equal.
 */

const BASE = 'http://ccai-sim.internal'
const MOUNT = `${BASE}/crm`
const now = (): number => Date.parse('2025-03-01T09:00:00.000Z')
const AUTH: MockCrmAuth = { mode: 'api-key', header: 'X-Api-Key', value: 'k-1' }

function side(): { core: MockCrmCore; app: Hono; faults: FaultController; store: MockCrmStore } {
  const store = new MockCrmStore({ now })
  store.createAccount({ fields: { name: 'Kim', phone: '+12015550001' } })
  const faults = new FaultController({ sleep: () => Promise.resolve() })
  const crm = createMockCrmApp({ store, auth: AUTH, faults, now })
  const app = new Hono()
  app.use('/crm/*', localForms)
  app.route('/crm', crm)
  const core = mockCrmCoreOf(crm)
  if (core === undefined) throw new Error('no core')
  return { core, app, faults, store }
}

/** The core's answer to an in-process request for `url` (under `MOUNT`). */
function fetchCore(
  core: MockCrmCore,
  url: string,
  init: RequestInit,
): ReturnType<typeof coreFetch> {
  return coreFetch(core, { mount: MOUNT, url, init })
}

interface Seen {
  readonly status: number
  readonly headers: [string, string][]
  readonly text: string
}

async function seen(response: Response): Promise<Seen> {
  return {
    status: response.status,
    headers: [...response.headers.entries()],
    text: await response.text(),
  }
}

const key = { 'X-Api-Key': 'k-1' }
const json = { ...key, 'Content-Type': 'application/json' }
const file = { filename: 'call.mp3', contentType: 'audio/mpeg', bytes: new Uint8Array([1, 2, 3]) }

/** Requests as the CRM client makes them: path below the mount and `RequestInit`. */
const MATRIX: [label: string, path: string, init: RequestInit][] = [
  ['find by phone', '/api/accounts?phone=%2B12015550001&limit=1', { headers: key }],
  ['find, bad limit', '/api/accounts?limit=-1', { headers: key }],
  ['find, no key', '/api/accounts?phone=%2B12015550001', {}],
  ['find, wrong key', '/api/accounts?phone=1', { headers: { 'X-Api-Key': 'no' } }],
  [
    'create account',
    '/api/accounts',
    { method: 'POST', headers: json, body: JSON.stringify({ name: 'Ana', phone: '+1202' }) },
  ],
  ['create, empty body', '/api/accounts', { method: 'POST', headers: key }],
  ['create, not JSON', '/api/accounts', { method: 'POST', headers: json, body: '{"name":' }],
  ['create, an array', '/api/accounts', { method: 'POST', headers: json, body: '[1]' }],
  [
    'create, too deep',
    '/api/accounts',
    { method: 'POST', headers: json, body: `${'{"a":'.repeat(40)}1${'}'.repeat(40)}` },
  ],
  [
    'create, no key',
    '/api/accounts',
    { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"name":' },
  ],
  [
    'create record (container)',
    '/api/records',
    { method: 'POST', headers: json, body: JSON.stringify({ ticket: { subject: 'Hi' } }) },
  ],
  [
    'update record',
    '/api/records/1',
    { method: 'PATCH', headers: json, body: JSON.stringify({ rating: '5' }) },
  ],
  [
    'update record, none',
    '/api/records/99',
    { method: 'PATCH', headers: json, body: JSON.stringify({ rating: '5' }) },
  ],
  [
    'comment',
    '/api/records/1/comments',
    { method: 'POST', headers: json, body: JSON.stringify({ body: 'hello', author: 'a' }) },
  ],
  [
    'comment, no text',
    '/api/records/1/comments',
    { method: 'POST', headers: json, body: JSON.stringify({ author: 'a' }) },
  ],
  [
    'upload multipart',
    '/api/records/1/attachments',
    { method: 'POST', headers: key, body: localMultipart([{ name: 'file', file }]) },
  ],
  [
    'upload base64',
    '/api/attachments',
    {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ record_id: 1, file: 'AQID', filename: 'x.bin' }),
    },
  ],
  ['record by id', '/api/records/1', { headers: key }],
  [
    'espo contact',
    '/espo/api/v1/Contact',
    {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ firstName: 'Bo', phoneNumber: '+1303' }),
    },
  ],
  [
    'espo find',
    '/espo/api/v1/Contact?where[0][type]=equals&where[0][attribute]=phoneNumber&where[0][value]=%2B1303',
    { headers: key },
  ],
  [
    'espo note, no parent',
    '/espo/api/v1/Note',
    { method: 'POST', headers: json, body: JSON.stringify({ post: 'x' }) },
  ],
]

describe('coreFetch', () => {
  it('answers the sessions’ requests as the app does: status, headers and text, writes included', async () => {
    const direct = side()
    const viaApp = side()
    for (const [label, path, init] of MATRIX) {
      const answer = fetchCore(direct.core, `${MOUNT}${path}`, init)
      expect(answer, label).toBeDefined()
      if (answer === undefined) continue
      const mine = await seen(answerResponse(await answer))
      const request = localRequest(`${MOUNT}${path}`, init)
      if (request === undefined) throw new Error(label)
      const theirs = await seen(await viaApp.app.fetch(request))
      expect({ label, ...mine }).toEqual({ label, ...theirs })
    }
  })

  it('answers reads and writes in the turn they are asked, an in-process upload too', async () => {
    const { core, store } = side()
    const record = store.createRecord({ fields: { subject: 'Call 1' } })
    const path = `${MOUNT}/api/records/${record.id}`
    const read = fetchCore(core, `${MOUNT}/api/accounts?phone=%2B12015550001`, { headers: key })
    const writes = [
      fetchCore(core, path, { method: 'PATCH', headers: json, body: '{"status":"open"}' }),
      fetchCore(core, `${path}/comments`, { method: 'POST', headers: json, body: '{"body":"hi"}' }),
      fetchCore(core, path, { method: 'PATCH', headers: json, body: '['.repeat(200) }),
    ]
    expect([read, ...writes].map((answer) => answer instanceof Promise)).toEqual([
      false,
      false,
      false,
      false,
    ])
    expect(writes.map((answer) => (answer instanceof Promise ? 0 : answer?.status))).toEqual([
      200, 201, 422,
    ])
    // Written at once: the comment is there before the turn ends.
    expect(store.commentsOf(record.id).map((c) => c.body)).toEqual(['hi'])
    const upload = fetchCore(core, `${path}/attachments`, {
      method: 'POST',
      headers: key,
      body: localMultipart([{ name: 'file', file }]),
    })
    expect(upload instanceof Promise ? 0 : upload?.status).toBe(201)
    expect(store.attachmentsOf(record.id)).toHaveLength(1)
    // A file whose bytes must be read (a real FormData part) is answered once they are.
    const form = new FormData()
    form.append('file', new Blob([new Uint8Array([7, 8])], { type: 'audio/mpeg' }), 'a.mp3')
    const real = fetchCore(core, `${path}/attachments`, {
      method: 'POST',
      headers: key,
      body: form,
    })
    expect(real).toBeInstanceOf(Promise)
    expect((await real)?.status).toBe(201)
    expect(store.attachmentsOf(record.id).map((a) => a.filename)).toEqual(['call.mp3', 'a.mp3'])
  })

  it('leaves to the app what it does not answer: faults set, form bodies, pages, encoded paths', () => {
    const { core, faults } = side()
    const get = { headers: key }
    expect(fetchCore(core, `${MOUNT}/accounts/1`, get)).toBeUndefined()
    expect(fetchCore(core, `${MOUNT}/api/accounts/%31`, get)).toBeUndefined()
    expect(fetchCore(core, `${MOUNT}/oauth/token`, { method: 'POST' })).toBeUndefined()
    expect(
      fetchCore(core, `${MOUNT}/api/accounts`, {
        method: 'POST',
        headers: { ...key, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'name=Kim',
      }),
    ).toBeUndefined()
    expect(fetchCore(core, `${MOUNT}/api/accounts`, get)).toBeDefined()
    faults.set({ route: 'create_record', kind: 'status', status: 500 })
    expect(fetchCore(core, `${MOUNT}/api/accounts`, get)).toBeUndefined()
    faults.clear()
    expect(fetchCore(core, `${MOUNT}/api/accounts`, get)).toBeDefined()
  })
})

/** A file whose bytes are made at each read, as a session's recording is; counts the reads. */
function madeOnRead(bytes: Uint8Array): { file: CrmUploadFile; reads: () => number } {
  let reads = 0
  const file = {
    filename: 'call-7.mp3',
    contentType: 'audio/mpeg',
    byteLength: bytes.byteLength,
    get bytes(): Uint8Array {
      reads += 1
      return bytes.slice()
    },
  }
  return { file, reads: () => reads }
}

describe('an in-process upload', () => {
  const recording = new Uint8Array(Array.from({ length: 2_000 }, (_, i) => (i * 31 + 7) % 256))
  const upload = (file: CrmUploadFile): RequestInit => ({
    method: 'POST',
    headers: key,
    body: localMultipart([
      { name: 'note', value: 'the call' },
      { name: 'file', file },
    ]),
  })
  const download = async (app: Hono, id: string): Promise<Response> =>
    app.fetch(new Request(`${MOUNT}/api/attachments/${id}`, { headers: key }))

  it('is stored without its bytes, made only when the attachment is downloaded, and the same bytes', async () => {
    for (const through of ['core', 'app'] as const) {
      const { core, app, store } = side()
      store.createRecord({ fields: { subject: 'Call' } })
      const { file, reads } = madeOnRead(recording)
      const url = `${MOUNT}/api/records/1/attachments`
      const response =
        through === 'core'
          ? answerResponse(
              await (fetchCore(core, url, upload(file)) ?? Promise.reject(new Error())),
            )
          : await app.fetch(localRequest(url, upload(file)) ?? new Request(url))
      expect(response.status, through).toBe(201)
      expect(await response.json(), through).toMatchObject({ size: 2_000, filename: 'call-7.mp3' })
      const [attachment] = store.attachments()
      expect(attachment?.size, through).toBe(2_000)
      expect(store.snapshot().attachments[0]?.size, through).toBe(2_000)
      // Nothing made the bytes: not the upload, not its answer, not the snapshot.
      expect(reads(), through).toBe(0)

      const got = await download(app, attachment?.id ?? '')
      expect(got.status, through).toBe(200)
      expect(got.headers.get('content-length'), through).toBe('2000')
      expect(Buffer.from(await got.arrayBuffer()).equals(Buffer.from(recording)), through).toBe(
        true,
      )
      expect(reads(), through).toBe(1)
    }
  })

  it('still sends real bytes when the request leaves the process, and those are stored as sent', async () => {
    const { app, store } = side()
    store.createRecord({ fields: { subject: 'Call' } })
    const { file, reads } = madeOnRead(recording)
    const url = `${MOUNT}/api/records/1/attachments`
    const sent = new Request(url, realBody(upload(file)))
    const form = await sent.clone().formData()
    const part = form.get('file')
    expect(part).toBeInstanceOf(Blob)
    expect(Buffer.from(await (part as Blob).arrayBuffer()).equals(Buffer.from(recording))).toBe(
      true,
    )
    expect(reads()).toBe(1)
    expect((await app.fetch(sent)).status).toBe(201)
    const got = await download(app, store.attachments()[0]?.id ?? '')
    expect(Buffer.from(await got.arrayBuffer()).equals(Buffer.from(recording))).toBe(true)
    // The stored bytes are the ones received: no more reads of the client's file.
    expect(reads()).toBe(1)
  })

  it('answers a download of an unknown attachment with 404', async () => {
    const { app } = side()
    const got = await download(app, '404')
    expect(got.status).toBe(404)
    expect(got.headers.get('content-type')).toBe('application/problem+json')
  })
})
