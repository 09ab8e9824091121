import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { serveHono } from '../../../test/support/node-server.js'
import { createMockCrmApp } from './app.js'
import { MockCrmStore } from './store.js'

const START = Date.parse('2025-03-01T09:00:00.000Z')
const now = (): number => START

/** The mock CRM mounted at `/crm`, as the simulator mounts it. */
function mounted(options: { dialect?: 'generic' | 'espocrm' } = {}): {
  app: Hono
  store: MockCrmStore
} {
  const store = new MockCrmStore({ now })
  const app = new Hono()
  app.route('/crm', createMockCrmApp({ store, auth: { mode: 'none' }, now, ...options }))
  return { app, store }
}

async function json(response: Response): Promise<unknown> {
  return (await response.json()) as unknown
}

function post(body: unknown): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }
}

const BYTES = new Uint8Array(Array.from({ length: 1024 }, (_, i) => (i * 37) % 256))

describe('mock CRM generic dialect: accounts', () => {
  it('answers a find with no match 200 and an empty list, never an error', async () => {
    const { app } = mounted()
    const response = await app.request('/crm/api/accounts?phone=%2B12223334444&email=kim%40x.co')
    expect(response.status).toBe(200)
    expect(await json(response)).toEqual([])
    const bare = await app.request('/crm/api/accounts')
    expect(bare.status).toBe(200)
    expect(await json(bare)).toEqual([])
  })

  it('creates an account (201, integer id, Location) and finds it by phone, email, id and external id', async () => {
    const { app } = mounted()
    const created = await app.request(
      '/crm/api/accounts',
      post({ name: 'Kim', phone: '+12223334444', email: 'kim@agents.co', external_id: 'u-9' }),
    )
    expect(created.status).toBe(201)
    const account = (await json(created)) as Record<string, unknown>
    expect(account).toMatchObject({
      id: 1,
      name: 'Kim',
      phone: '+12223334444',
      created_at: '2025-03-01T09:00:00.000Z',
      page_url: 'http://localhost/crm/accounts/1',
    })
    expect(created.headers.get('location')).toBe('http://localhost/crm/api/accounts/1')

    for (const query of [
      'phone=%2B12223334444',
      'phone=*222*333*4444',
      'phone=2223334444',
      'email=KIM%40agents.co',
      'id=1',
      'external_id=u-9',
      'phone=%2B19990000000&email=kim%40agents.co',
      'criteria=(Phone:equals:%2B12223334444) or (Email:equals:nobody%40x)',
    ]) {
      const found = (await json(await app.request(`/crm/api/accounts?${query}`))) as unknown[]
      expect(found, query).toHaveLength(1)
      expect(found[0], query).toMatchObject({ id: 1 })
    }
    const none = await app.request(
      '/crm/api/accounts?criteria=(Phone:equals:%2B12223334444) and (Email:equals:nobody%40x)',
    )
    expect(await json(none)).toEqual([])
  })

  it('answers an unknown account id 404 problem+json and a known one 200', async () => {
    const { app } = mounted()
    const missing = await app.request('/crm/api/accounts/42')
    expect(missing.status).toBe(404)
    expect(missing.headers.get('content-type')).toBe('application/problem+json')
    expect(await json(missing)).toMatchObject({
      type: 'not_found',
      detail: 'no account with id 42',
    })
    await app.request('/crm/api/accounts', post({ name: 'Kim' }))
    expect(await json(await app.request('/crm/api/accounts/1'))).toMatchObject({
      id: 1,
      name: 'Kim',
    })
  })

  it('unwraps Container Map and Container Array bodies, and reads form bodies', async () => {
    const { app, store } = mounted()
    await app.request('/crm/api/accounts', post({ contact: { name: 'Map' } }))
    await app.request('/crm/api/accounts', post({ contacts: [{ name: 'Array' }] }))
    await app.request('/crm/api/accounts', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=Form&phone=%2B15550001111',
    })
    expect(store.accounts().map((a) => a.fields)).toEqual([
      { name: 'Map' },
      { name: 'Array' },
      { name: 'Form', phone: '+15550001111' },
    ])
  })

  it('answers malformed JSON, a non-object body and a many-object Container Array 422 problem+json', async () => {
    const { app, store } = mounted()
    const malformed = await app.request('/crm/api/accounts', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name": ',
    })
    expect(malformed.status).toBe(422)
    expect(await json(malformed)).toMatchObject({
      type: 'invalid_request',
      issues: [{ path: 'body', code: 'invalid_json' }],
    })
    const array = await app.request('/crm/api/accounts', post(['x']))
    expect(array.status).toBe(422)
    expect(await json(array)).toMatchObject({
      detail: 'body: expected a JSON object, received an array of 1 item',
      issues: [{ path: 'body', expected: 'a JSON object', received: 'an array of 1 item' }],
    })
    const many = await app.request('/crm/api/accounts', post({ c: [{ a: '1' }, { a: '2' }] }))
    expect(many.status).toBe(422)
    expect(await json(many)).toMatchObject({
      issues: [
        {
          path: 'c',
          expected: 'one object (a Container Array body carries one)',
          received: '2 objects',
        },
      ],
    })
    expect(store.accounts()).toEqual([])
  })
})

describe('mock CRM generic dialect: records, comments, attachments', () => {
  it('creates, finds by account and status, updates and reads records', async () => {
    const { app } = mounted()
    const created = await app.request(
      '/crm/api/records',
      post({ subject: 'Inbound call', account_id: '1', status: 'open' }),
    )
    expect(created.status).toBe(201)
    expect(await json(created)).toMatchObject({ id: 1, account_id: 1, status: 'open' })

    const found = await app.request('/crm/api/records?account_id=1&status=open&limit=1')
    expect(await json(found)).toMatchObject([{ id: 1, subject: 'Inbound call' }])
    expect(await json(await app.request('/crm/api/records?account_id=2'))).toEqual([])

    const patched = await app.request('/crm/api/records/1', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ticket: { status: 'closed', rating: '5' } }),
    })
    expect(await json(patched)).toMatchObject({ id: 1, status: 'closed', rating: '5' })
    expect(await json(await app.request('/crm/api/records?account_id=1&status=open'))).toEqual([])
    const missing = await app.request('/crm/api/records/9', { method: 'PUT', body: '{}' })
    expect(missing.status).toBe(404)
    expect((await app.request('/crm/api/records/9')).status).toBe(404)
  })

  it('adds comments by URL or with the record id in the body, and 404s for an unknown record', async () => {
    const { app, store } = mounted()
    await app.request('/crm/api/records', post({ subject: 's' }))
    const byUrl = await app.request('/crm/api/records/1/comments', post({ body: 'Call started' }))
    expect(byUrl.status).toBe(201)
    expect(await json(byUrl)).toMatchObject({ id: 1, record_id: 1, body: 'Call started' })
    const byBody = await app.request(
      '/crm/api/comments',
      post({ comments: [{ comment: '<p>Ended</p>', id: '1' }] }),
    )
    expect(byBody.status).toBe(201)
    expect(store.commentsOf('1').map((c) => c.body)).toEqual(['Call started', '<p>Ended</p>'])
    expect((await app.request('/crm/api/records/7/comments', post({ body: 'x' }))).status).toBe(404)
    expect((await app.request('/crm/api/records/1/comments', post({ other: 'x' }))).status).toBe(
      422,
    )
  })

  it('answers a record and a comment with their fields in sent order, its own keys overwriting in place, a __proto__ field kept as data', async () => {
    const { app, store } = mounted()
    const created = await app.request(
      '/crm/api/records',
      post({ status: 'sent', subject: 's', id: 'ignored', page_url: 'p' }),
    )
    expect(Object.keys((await json(created)) as object)).toEqual([
      'id',
      'status',
      'subject',
      'page_url',
      'account_id',
      'created_at',
      'updated_at',
    ])
    const text = '{"note":"n","__proto__":{"polluted":true},"record_id":"9","tag":"t"}'
    const comment = await app.request('/crm/api/records/1/comments', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: text,
    })
    expect(comment.status).toBe(201)
    const answer = await comment.text()
    expect(answer).toBe(
      '{"id":1,"__proto__":{"polluted":true},"record_id":1,"tag":"t","body":"n","created_at":"2025-03-01T09:00:00.000Z"}',
    )
    const fields = store.commentsOf('1')[0]?.fields ?? {}
    expect(Object.keys(fields)).toEqual(['__proto__', 'record_id', 'tag'])
    expect(Object.getPrototypeOf(fields)).toBe(Object.prototype)
  })

  it('round-trips an attachment byte for byte as base64 JSON, as a data URI and as multipart', async () => {
    const { app } = mounted()
    await app.request('/crm/api/records', post({ subject: 's' }))
    const base64 = Buffer.from(BYTES).toString('base64')

    const asJson = await app.request(
      '/crm/api/records/1/attachments',
      post({ file: base64, filename: 'call-1.wav' }),
    )
    expect(asJson.status).toBe(201)
    const first = (await json(asJson)) as Record<string, unknown>
    expect(first).toMatchObject({
      id: 1,
      record_id: 1,
      filename: 'call-1.wav',
      content_type: 'audio/wav',
      size: 1024,
      url: 'http://localhost/crm/attachments/1',
    })

    const asDataUri = await app.request(
      '/crm/api/attachments',
      post({ id: '1', file: `data:image/png;base64,${base64}` }),
    )
    expect(await json(asDataUri)).toMatchObject({
      id: 2,
      content_type: 'image/png',
      filename: 'attachment.png',
    })

    const form = new FormData()
    form.set('file', new File([BYTES], 'chat-1.txt', { type: 'text/plain' }))
    const asMultipart = await app.request('/crm/api/records/1/attachments', {
      method: 'POST',
      body: form,
    })
    expect(asMultipart.status).toBe(201)
    expect(await json(asMultipart)).toMatchObject({
      id: 3,
      filename: 'chat-1.txt',
      content_type: 'text/plain',
    })

    for (const id of [1, 2, 3]) {
      const download = await app.request(`/crm/api/attachments/${id}`)
      expect(download.status).toBe(200)
      expect(new Uint8Array(await download.arrayBuffer())).toEqual(BYTES)
      const publicLink = await app.request(`/crm/attachments/${id}`)
      expect(new Uint8Array(await publicLink.arrayBuffer())).toEqual(BYTES)
    }
    expect((await app.request('/crm/api/attachments/99')).status).toBe(404)
  })

  it('refuses an upload without a file, with invalid base64, or for an unknown record', async () => {
    const { app, store } = mounted()
    await app.request('/crm/api/records', post({ subject: 's' }))
    expect((await app.request('/crm/api/records/1/attachments', post({ name: 'x' }))).status).toBe(
      422,
    )
    expect(
      (await app.request('/crm/api/records/1/attachments', post({ file: 'not base64!' }))).status,
    ).toBe(422)
    expect(
      (await app.request('/crm/api/records/5/attachments', post({ file: 'AAAA' }))).status,
    ).toBe(404)
    expect(store.attachments()).toEqual([])
  })
})

describe('mock CRM pages', () => {
  it('shows the account and record pages with fields, comments and attachment links, escaped', async () => {
    const { app } = mounted()
    await app.request('/crm/api/accounts', post({ name: 'Kim <b>', phone: '+12223334444' }))
    await app.request('/crm/api/records', post({ subject: 'Call & more', account_id: '1' }))
    await app.request(
      '/crm/api/records/1/comments',
      post({ body: '<p>HTML <script>x</script></p>' }),
    )
    await app.request('/crm/api/records/1/comments', post({ body: 'plain' }))
    await app.request('/crm/api/records/1/attachments', post({ file: 'aGk=', filename: 'hi.txt' }))

    const record = await app.request('/crm/records/1')
    expect(record.status).toBe(200)
    expect(record.headers.get('content-type')).toContain('text/html')
    const html = await record.text()
    expect(html).toContain('Call &amp; more')
    expect(html).toContain('href="http://localhost/crm/accounts/1"')
    expect(html).toContain('sandbox srcdoc="&lt;p&gt;HTML &lt;script&gt;')
    expect(html).not.toContain('<script>x</script>')
    expect(html).toContain('<pre>plain</pre>')
    expect(html).toContain('href="http://localhost/crm/records/1/attachments/1">hi.txt</a>')

    const account = await (await app.request('/crm/accounts/1')).text()
    expect(account).toContain('Kim &lt;b&gt;')
    expect(account).toContain('+12223334444')
    expect(account).toContain('href="http://localhost/crm/records/1"')

    const download = await app.request('/crm/records/1/attachments/1')
    expect(await download.text()).toBe('hi')
    expect((await app.request('/crm/records/2/attachments/1')).status).toBe(404)
    expect((await app.request('/crm/records/9')).status).toBe(404)
    expect((await app.request('/crm/accounts/9')).status).toBe(404)
    expect(await (await app.request('/crm')).text()).toContain('Call &amp; more')
  })

  it('answers only the chosen dialect when one is given', async () => {
    const generic = mounted({ dialect: 'generic' })
    expect((await generic.app.request('/crm/espo/api/v1/Contact')).status).toBe(404)
    expect((await generic.app.request('/crm/api/accounts')).status).toBe(200)
    const espo = mounted({ dialect: 'espocrm' })
    expect((await espo.app.request('/crm/api/accounts')).status).toBe(404)
    expect((await espo.app.request('/crm/espo/api/v1/Contact')).status).toBe(200)
  })
})

describe('mock CRM over real HTTP', () => {
  it('serves the REST API on a real port: find, create, multipart upload and download', async () => {
    const { app } = mounted()
    const server = await serveHono(app)
    try {
      const base = `${server.url}/crm`
      const empty = await fetch(`${base}/api/accounts?phone=%2B12223334444`)
      expect(empty.status).toBe(200)
      expect(await json(empty)).toEqual([])

      const created = await fetch(`${base}/api/accounts`, post({ phone: '+12223334444' }))
      expect(created.status).toBe(201)
      expect(await json(created)).toMatchObject({ id: 1, page_url: `${base}/accounts/1` })
      const record = await fetch(`${base}/api/records`, post({ account_id: '1', subject: 's' }))
      expect(await json(record)).toMatchObject({ id: 1 })

      const form = new FormData()
      form.set('file', new File([BYTES], 'call-1.mp3', { type: 'audio/mpeg' }))
      const uploaded = await fetch(`${base}/api/records/1/attachments`, {
        method: 'POST',
        body: form,
      })
      const attachment = (await json(uploaded)) as { url: string }
      expect(attachment.url).toBe(`${base}/attachments/1`)
      const download = await fetch(attachment.url)
      expect(download.headers.get('content-type')).toBe('audio/mpeg')
      expect(new Uint8Array(await download.arrayBuffer())).toEqual(BYTES)
      expect((await fetch(`${base}/api/records/5`)).status).toBe(404)
    } finally {
      await server.close()
    }
  })

  it('uses the configured base URL for links instead of the request origin', async () => {
    const store = new MockCrmStore({ now })
    const app = createMockCrmApp({
      store,
      auth: { mode: 'none' },
      now,
      baseUrl: 'https://crm.example.test/crm/',
    })
    const created = await app.request('/api/accounts', post({ name: 'x' }))
    expect(await json(created)).toMatchObject({
      page_url: 'https://crm.example.test/crm/accounts/1',
    })
  })

  it('keeps its state across a restart when persisted: a new store and app on the same file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ccai-sim-mock-crm-app-'))
    try {
      const file = join(dir, 'crm.json')
      const before = createMockCrmApp({
        store: await MockCrmStore.open({ file, now }),
        auth: { mode: 'none' },
        now,
      })
      await before.request('/api/accounts', post({ name: 'Kim', phone: '+12223334444' }))
      await before.request('/api/records', post({ subject: 's', account_id: '1' }))
      await before.request(
        '/api/records/1/attachments',
        post({ file: 'AAEC/w==', filename: 'b.bin' }),
      )

      const after = createMockCrmApp({
        store: await MockCrmStore.open({ file, now }),
        auth: { mode: 'none' },
        now,
      })
      expect(await json(await after.request('/api/accounts?phone=2223334444'))).toMatchObject([
        { id: 1, name: 'Kim' },
      ])
      const download = await after.request('/api/attachments/1')
      expect(new Uint8Array(await download.arrayBuffer())).toEqual(new Uint8Array([0, 1, 2, 255]))
      expect(await json(await after.request('/api/records', post({ subject: 't' })))).toMatchObject(
        {
          id: 2,
        },
      )
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
