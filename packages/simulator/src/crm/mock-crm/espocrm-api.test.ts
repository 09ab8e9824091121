import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { createMockCrmApp } from './app.js'
import { bracketParam } from './espocrm-api.js'
import { MockCrmStore } from './store.js'

const START = Date.parse('2025-03-01T09:00:00.000Z')

function mounted(): { app: Hono; store: MockCrmStore; advance: (ms: number) => void } {
  let at = START
  const now = (): number => at
  const store = new MockCrmStore({ now })
  const app = new Hono()
  app.route(
    '/crm',
    createMockCrmApp({
      store,
      auth: { mode: 'api-key', header: 'X-Api-Key', value: 'espo-key' },
      dialect: 'espocrm',
      now,
    }),
  )
  return {
    app,
    store,
    advance: (ms) => {
      at += ms
    },
  }
}

const API = '/crm/espo/api/v1'
const HEADERS = { 'x-api-key': 'espo-key', 'content-type': 'application/json' }

function send(
  app: Hono,
  input: { method?: string; path: string; body?: unknown },
): Promise<Response> {
  return Promise.resolve(
    app.request(`${API}${input.path}`, {
      method: input.method ?? (input.body === undefined ? 'GET' : 'POST'),
      headers: HEADERS,
      ...(input.body === undefined ? {} : { body: JSON.stringify(input.body) }),
    }),
  )
}

async function body(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>
}

function where(...items: [string, string, string][]): string {
  return items
    .map(
      ([type, attribute, value], i) =>
        `where[${i}][type]=${type}&where[${i}][attribute]=${attribute}&where[${i}][value]=${encodeURIComponent(value)}`,
    )
    .join('&')
}

describe('bracketParam', () => {
  it('reads PHP-style bracket parameters, nested and pushed, into JSON', () => {
    const search = new URLSearchParams(
      'where[0][type]=or&where[0][value][0][type]=equals&where[0][value][0][attribute]=phoneNumber&where[0][value][0][value]=1&where[1][type]=in&where[1][value][]=New&where[1][value][]=Pending&other=x',
    )
    expect(bracketParam(search, 'where')).toEqual([
      { type: 'or', value: [{ type: 'equals', attribute: 'phoneNumber', value: '1' }] },
      { type: 'in', value: ['New', 'Pending'] },
    ])
    expect(bracketParam(new URLSearchParams('a=1'), 'where')).toBeUndefined()
  })
})

describe('mock CRM EspoCRM dialect', () => {
  it('finds a Contact by phoneNumber: { total: 0, list: [] } before, the Contact after creating it', async () => {
    const { app } = mounted()
    const query = `/Contact?${where(['equals', 'phoneNumber', '+12223334444'])}&maxSize=1`
    const before = await send(app, { path: query })
    expect(before.status).toBe(200)
    expect(await body(before)).toEqual({ total: 0, list: [] })

    const created = await send(app, {
      path: '/Contact',
      body: {
        firstName: 'Kim',
        lastName: 'Lee',
        phoneNumber: '+12223334444',
        emailAddress: 'kim@x.co',
      },
    })
    // EspoCRM answers a create with 200 and the entity.
    expect(created.status).toBe(200)
    const contact = await body(created)
    expect(contact).toMatchObject({
      name: 'Kim Lee',
      firstName: 'Kim',
      phoneNumber: '+12223334444',
      deleted: false,
      createdAt: '2025-03-01 09:00:00',
      modifiedAt: '2025-03-01 09:00:00',
    })
    expect(contact.id).toMatch(/^[0-9a-f]{17}$/)

    const after = await body(await send(app, { path: query }))
    expect(after.total).toBe(1)
    expect(after.list).toEqual([contact])
    expect(await body(await send(app, { path: `/Contact/${String(contact.id)}` }))).toEqual(contact)
  })

  it('matches an or of phone and email even when one value was omitted, and lists all without where', async () => {
    const { app } = mounted()
    await send(app, { path: '/Contact', body: { lastName: 'A', emailAddress: 'a@x.co' } })
    await send(app, { path: '/Contact', body: { lastName: 'B', phoneNumber: '+15550001111' } })
    const or =
      'where[0][type]=or&where[0][value][0][type]=equals&where[0][value][0][attribute]=phoneNumber' +
      '&where[0][value][1][type]=equals&where[0][value][1][attribute]=emailAddress&where[0][value][1][value]=A%40X.co'
    const found = await body(await send(app, { path: `/Contact?${or}` }))
    expect(found.total).toBe(1)
    expect((found.list as Record<string, unknown>[])[0]).toMatchObject({ lastName: 'A' })

    const all = await body(
      await send(app, { path: '/Contact?select=lastName&orderBy=lastName&order=asc' }),
    )
    expect(all.total).toBe(2)
    const list = all.list as Record<string, unknown>[]
    expect(list.map((c) => Object.keys(c))).toEqual([
      ['id', 'lastName'],
      ['id', 'lastName'],
    ])
    expect(list.map((c) => c.lastName)).toEqual(['A', 'B'])
  })

  it('creates a Case (status New), finds the open Cases of a Contact newest first, and updates it with PUT', async () => {
    const { app, advance } = mounted()
    const contact = await body(await send(app, { path: '/Contact', body: { lastName: 'Kim' } }))
    const first = await body(
      await send(app, { path: '/Case', body: { name: 'First', contactId: contact.id } }),
    )
    expect(first).toMatchObject({
      name: 'First',
      status: 'New',
      number: 1,
      contactId: contact.id,
      contactName: 'Kim',
      attachmentsIds: [],
    })
    advance(1000)
    const second = await body(
      await send(app, { path: '/Case', body: { name: 'Second', contactId: contact.id } }),
    )
    const open = `/Case?${where(['equals', 'contactId', String(contact.id)])}&where[1][type]=in&where[1][attribute]=status&where[1][value][]=New&where[1][value][]=Pending&orderBy=createdAt&order=desc&maxSize=1`
    const found = await body(await send(app, { path: open }))
    expect(found.total).toBe(2)
    expect(found.list).toEqual([second])

    advance(1000)
    const updated = await send(app, {
      method: 'PUT',
      path: `/Case/${String(second.id)}`,
      body: { status: 'Closed', description: 'done' },
    })
    expect(await body(updated)).toMatchObject({
      id: second.id,
      status: 'Closed',
      description: 'done',
      modifiedAt: '2025-03-01 09:00:02',
    })
    const stillOpen = await body(await send(app, { path: open }))
    expect(stillOpen.list).toEqual([expect.objectContaining({ id: first.id })])
    expect((await send(app, { method: 'PUT', path: '/Case/nope', body: {} })).status).toBe(404)
    expect((await send(app, { path: '/Case/nope' })).status).toBe(404)
  })

  it('posts a Note on a Case (the comment) and shows it in the stream; refuses other parents', async () => {
    const { app, store } = mounted()
    const kase = await body(await send(app, { path: '/Case', body: { name: 'c' } }))
    const note = await send(app, {
      path: '/Note',
      body: { type: 'Post', parentType: 'Case', parentId: kase.id, post: 'Call started' },
    })
    expect(note.status).toBe(200)
    expect(await body(note)).toMatchObject({
      type: 'Post',
      post: 'Call started',
      parentType: 'Case',
      parentId: kase.id,
      parentName: 'c',
    })
    expect(store.commentsOf(String(kase.id)).map((c) => c.body)).toEqual(['Call started'])
    const stream = await body(await send(app, { path: `/Case/${String(kase.id)}/stream` }))
    expect(stream).toMatchObject({ total: 1, list: [{ post: 'Call started' }] })

    expect(
      (await send(app, { path: '/Note', body: { parentType: 'Case', parentId: 'x', post: 'p' } }))
        .status,
    ).toBe(404)
    expect(
      (
        await send(app, {
          path: '/Note',
          body: { parentType: 'Account', parentId: 'x', post: 'p' },
        })
      ).status,
    ).toBe(422)
  })

  it('stores an Attachment from a data URI on a Case and serves the same bytes at Attachment/file', async () => {
    const { app } = mounted()
    const kase = await body(await send(app, { path: '/Case', body: { name: 'c' } }))
    const bytes = new Uint8Array(Array.from({ length: 512 }, (_, i) => (i * 7) % 256))
    const uploaded = await send(app, {
      path: '/Attachment',
      body: {
        name: 'call-1.mp3',
        type: 'audio/mpeg',
        role: 'Attachment',
        parentType: 'Case',
        parentId: kase.id,
        field: 'attachments',
        file: `data:audio/mpeg;base64,${Buffer.from(bytes).toString('base64')}`,
      },
    })
    expect(uploaded.status).toBe(200)
    const attachment = await body(uploaded)
    expect(attachment).toMatchObject({
      name: 'call-1.mp3',
      type: 'audio/mpeg',
      size: 512,
      role: 'Attachment',
      parentType: 'Case',
      parentId: kase.id,
    })
    expect(attachment.id).toMatch(/^[0-9a-f]{17}$/)

    const file = await send(app, { path: `/Attachment/file/${String(attachment.id)}` })
    expect(file.headers.get('content-type')).toBe('audio/mpeg')
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(bytes)
    const viewed = await body(await send(app, { path: `/Case/${String(kase.id)}` }))
    expect(viewed).toMatchObject({
      attachmentsIds: [attachment.id],
      attachmentsNames: { [String(attachment.id)]: 'call-1.mp3' },
    })
    const download = await app.request(`/crm/espo/?entryPoint=download&id=${String(attachment.id)}`)
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(bytes)
  })

  it('links an unattached Attachment to a Case through attachmentsIds on update', async () => {
    const { app } = mounted()
    const kase = await body(await send(app, { path: '/Case', body: { name: 'c' } }))
    const loose = await body(
      await send(app, {
        path: '/Attachment',
        body: { name: 'a.txt', file: 'data:text/plain;base64,aGk=' },
      }),
    )
    expect(loose).toMatchObject({ parentId: null })
    const updated = await send(app, {
      method: 'PATCH',
      path: `/Case/${String(kase.id)}`,
      body: { attachmentsIds: [loose.id] },
    })
    expect(await body(updated)).toMatchObject({ attachmentsIds: [loose.id] })
  })

  it('answers an unknown where type 422 and requires the API key', async () => {
    const { app } = mounted()
    const bad = await send(app, { path: `/Contact?${where(['sounds', 'name', 'x'])}` })
    expect(bad.status).toBe(422)
    expect((await app.request(`${API}/Contact`)).status).toBe(401)
  })

  it('serves /espo/ for EspoCRM-style #Case/view/{id} lookup links, mapping them to the record page', async () => {
    const { app } = mounted()
    const response = await app.request('/crm/espo/')
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html).toContain('location.replace("http://localhost/crm"')
    expect(html).toContain("'/records/'")
  })
})
