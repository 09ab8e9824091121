import { describe, expect, it } from 'vitest'
import { createSimulatorApp } from '../../app.js'

/*
 * Regression tests for bad input that used to answer 5xx (issue 13): malformed multipart, bodies
 * too deep or too large, attachment names that are not ASCII. Each answer is a 4xx problem+json
 * naming the body, with its own code.
 */

const KEY = { 'x-api-key': 'ccai-sim-mock-crm-key' }

function app(dialect: 'generic' | 'espocrm' = 'generic') {
  return createSimulatorApp({
    config: {
      clock: { mode: 'manual', start: '2025-03-01T09:00:00.000Z' },
      crm: { enabled: false, mock: { dialect } },
    },
  }).app
}

interface Problem {
  type: string
  status: number
  detail: string
  issues?: { path: string }[]
}

async function problemOf(response: Response): Promise<Problem> {
  expect(response.headers.get('content-type')).toBe('application/problem+json')
  return (await response.json()) as Problem
}

/** Every mock CRM route that reads a body, in both dialects. */
const WRITE_ROUTES: readonly [string, string][] = [
  ['POST', '/crm/api/accounts'],
  ['PATCH', '/crm/api/accounts/1'],
  ['PUT', '/crm/api/accounts/1'],
  ['POST', '/crm/api/records'],
  ['PATCH', '/crm/api/records/1'],
  ['PUT', '/crm/api/records/1'],
  ['POST', '/crm/api/records/1/comments'],
  ['POST', '/crm/api/comments'],
  ['POST', '/crm/api/records/1/attachments'],
  ['POST', '/crm/api/attachments'],
  ['POST', '/crm/espo/api/v1/Contact'],
  ['PUT', '/crm/espo/api/v1/Contact/1'],
  ['POST', '/crm/espo/api/v1/Case'],
  ['PATCH', '/crm/espo/api/v1/Case/1'],
  ['POST', '/crm/espo/api/v1/Note'],
  ['POST', '/crm/espo/api/v1/Attachment'],
]

/** `depth` nested objects: `{"a":{"a":…{}…}}`. */
function nested(depth: number): string {
  return `${'{"a":'.repeat(depth - 1)}{}${'}'.repeat(depth - 1)}`
}

describe('the mock CRM refuses bad bodies with 4xx problem+json', () => {
  it('answers a malformed multipart body on every write route with 422 naming the body, not 500', async () => {
    for (const [method, path] of WRITE_ROUTES) {
      const sim = app(path.includes('/espo/') ? 'espocrm' : 'generic')
      const response = await sim.request(path, {
        method,
        headers: { ...KEY, 'content-type': 'multipart/form-data; boundary=XYZ' },
        body: 'this is not multipart at all',
      })
      expect(response.status, `${method} ${path}`).toBe(422)
      const body = await problemOf(response)
      expect(body.type).toBe('invalid_request')
      expect(body.issues?.[0]?.path).toBe('body')
      expect(body.detail).toContain('multipart/form-data')
    }
  })

  it('refuses a body nested 5 000 deep with body_too_deep, stores nothing, and the state stays readable', async () => {
    const sim = app()
    const response = await sim.request('/crm/api/accounts', {
      method: 'POST',
      headers: { ...KEY, 'content-type': 'application/json' },
      body: `{"name":"x","deep":${nested(5_000)}}`,
    })
    expect(response.status).toBe(422)
    const body = await problemOf(response)
    expect(body.type).toBe('body_too_deep')
    expect(body.detail).toContain('nested at most 32 deep')
    const state = await sim.request('/_sim/crm/state')
    expect(state.status).toBe(200)
    expect(JSON.stringify(await state.json())).not.toContain('"deep"')
    // A body within the limit is still stored.
    const fine = await sim.request('/crm/api/accounts', {
      method: 'POST',
      headers: { ...KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'y', deep: JSON.parse(nested(10)) as unknown }),
    })
    expect(fine.status).toBe(201)
  })

  it('refuses a 3.4 MB body of 250 000 unknown keys with a small 413, on the mock CRM and the control API', async () => {
    const sim = app()
    const keys: string[] = []
    for (let i = 0; i < 250_000; i++) keys.push(`"unknown${String(i)}":1`)
    const huge = `{${keys.join(',')}}`
    expect(huge.length).toBeGreaterThan(3_000_000)
    for (const [path, headers] of [
      ['/crm/api/accounts', KEY],
      ['/_sim/sessions', {}],
    ] as const) {
      const response = await sim.request(path, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: huge,
      })
      expect(response.status, path).toBe(413)
      const text = await response.text()
      expect(text.length, path).toBeLessThan(2_000)
      expect(JSON.parse(text)).toMatchObject({ type: 'payload_too_large', status: 413 })
    }
  })

  it('refuses a body whose Content-Length is over the limit before reading it', async () => {
    const sim = app()
    const response = await sim.request('/_sim/sessions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(50 << 20) },
      body: '{}',
    })
    expect(response.status).toBe(413)
    const body = await problemOf(response)
    expect(body.detail).toBe(
      `body: expected at most ${String(1 << 20)} bytes, received ${String(50 << 20)} bytes (Content-Length)`,
    )
  })

  it('lists at most 20 issues for a body with many unknown keys under the limits', async () => {
    const sim = app()
    const body: Record<string, number> = { scenario: 0 }
    for (let i = 0; i < 500; i++) body[`k${String(i)}`] = i
    const response = await sim.request('/_sim/sessions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    expect(response.status).toBe(422)
    const problem = await problemOf(response)
    expect(problem.issues).toHaveLength(20)
    expect(problem.detail).toMatch(/and \d+ more issues$/)
  })
})

describe('uploads without a usable file', () => {
  it.each([
    [{ filename: 'a.txt' }, 'body', 'no file'],
    [{ file: 'not base64!', filename: 'a.txt' }, 'file', 'text that is neither'],
    [
      { file: 'data:text/plain;base64,@@@', filename: 'a.txt' },
      'file',
      'a data: URI whose base64 does not decode',
    ],
  ])('answers %j 422 naming %s, what was expected and what came', async (body, path, received) => {
    const sim = app()
    const record = await sim.request('/crm/api/records', {
      method: 'POST',
      headers: { ...KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ subject: 'r' }),
    })
    const { id } = (await record.json()) as { id: number }
    const response = await sim.request(`/crm/api/records/${String(id)}/attachments`, {
      method: 'POST',
      headers: { ...KEY, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    expect(response.status).toBe(422)
    const problem = await problemOf(response)
    expect(problem.issues).toMatchObject([{ path, received }])
    expect(problem.detail).toMatch(new RegExp(`^${path}: expected .+, received ${received}$`))
  })
})

describe('attachment downloads with names that are not ASCII', () => {
  for (const filename of ['报告.txt', 'smile 😀.txt', 'nul\u0000byte.txt', 'quote"and\\back.txt']) {
    it(`serves ${JSON.stringify(filename)} with an ASCII filename and the real one in filename*`, async () => {
      const sim = app()
      const record = await sim.request('/crm/api/records', {
        method: 'POST',
        headers: { ...KEY, 'content-type': 'application/json' },
        body: JSON.stringify({ subject: 'r' }),
      })
      expect(record.status).toBe(201)
      const { id } = (await record.json()) as { id: number }
      const upload = await sim.request(`/crm/api/records/${String(id)}/attachments`, {
        method: 'POST',
        headers: { ...KEY, 'content-type': 'application/json' },
        body: JSON.stringify({ file: Buffer.from('hello').toString('base64'), filename }),
      })
      expect(upload.status).toBe(201)
      const { url } = (await upload.json()) as { url: string }
      for (const path of [
        new URL(url).pathname,
        new URL(url).pathname.replace('/crm/', '/crm/api/'),
      ]) {
        const download = await sim.request(path, { headers: KEY })
        expect(download.status, path).toBe(200)
        expect(await download.text()).toBe('hello')
        const disposition = download.headers.get('content-disposition') ?? ''
        expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/)
        const star = /filename\*=UTF-8''(.+)$/.exec(disposition)?.[1] ?? ''
        expect(decodeURIComponent(star)).toBe(filename)
      }
    })
  }
})
