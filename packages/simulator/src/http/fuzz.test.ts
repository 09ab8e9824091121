import { mkdtemp, rm } from 'node:fs/promises'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createSimulatorApp, type SimulatorApp } from '../app.js'
import { startSimulator, type RunningSimulator } from '../server.js'
import { DEFAULT_APPS_API_COMPANY_KEY, DEFAULT_APPS_API_TOKEN } from '../config.js'
import { SIMULATOR_ERROR_CODES } from '../errors.js'

/*
 * A bounded, seeded fuzz over every route /openapi.json declares (issue 13): random and invalid
 * path parameters, query strings, methods, media types and bodies — some shaped by the route's own
 * request schema so they get past validation into the handlers. Whatever comes, the simulator
 * answers below 500, and every 4xx is application/problem+json whose `type` is one of the closed
 * list with its status — except where an emulated wire format decides and the route documents it
 * (the mock CRM's OAuth errors, RFC 6749 §5.2; the Apps API's `{ message }`, reference §7.1).
 * The seed and the number of runs are fixed: the same requests every time, a few seconds long.
 * A failure names the request; rerun with that seed to replay the sequence.
 */

const SEED = 1_313
const RUNS = 600
const HTTP_RUNS = 150
const INTERNAL = 'http://ccai-sim.internal'

type Json = Record<string, unknown>

interface Operation {
  readonly method: string
  /** The document's path, `{name}` for each parameter. */
  readonly path: string
  readonly operation: Json
}

const MOCK_CRM_KEY = 'ccai-sim-mock-crm-key'
const APPS_AUTH = `Basic ${Buffer.from(`${DEFAULT_APPS_API_COMPANY_KEY}:${DEFAULT_APPS_API_TOKEN}`).toString('base64')}`

/** Strings that have broken servers before: traversal, encodings, huge numbers, NUL, non-ASCII. */
const NASTY = [
  '',
  ' ',
  '0',
  '-1',
  '1.5',
  '1e400',
  '99999999999999999999999',
  'NaN',
  'null',
  'undefined',
  'true',
  '..',
  '../..',
  '%2e%2e',
  '%',
  '%zz',
  '/',
  '\\',
  '\u0000',
  '报告.txt',
  'smile 😀',
  '<script>',
  "'; DROP TABLE x; --",
  'a'.repeat(3_000),
  '__proto__',
  'constructor',
  'toString',
]

/** A lone surrogate cannot be percent-encoded (`URIError`): replaced, as a browser would. */
function wellFormed(text: string): string {
  return text.replace(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '\uFFFD',
  )
}

const nastyString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
  {
    weight: 1,
    arbitrary: fc.string({ unit: 'binary', maxLength: 8 }).map(wellFormed),
  },
)

/** `#/components/schemas/<name>` within the document. */
function resolveRef(document: Json, schema: Json): Json {
  const ref = schema['$ref']
  if (typeof ref !== 'string') return schema
  const name = ref.replace('#/components/schemas/', '')
  const schemas = (document['components'] as Json)['schemas'] as Record<string, Json>
  return schemas[name] ?? {}
}

/**
 * Values a JSON Schema accepts (roughly: formats and patterns are ignored), each now and then
 * swapped for a nasty string or any JSON: enough to reach past validation and to poke at it.
 */
function valuesOf(document: Json, raw: Json, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolveRef(document, raw)
  const wild = fc.oneof(nastyString, fc.jsonValue({ maxDepth: 2 }))
  if (depth > 4) return wild
  const shaped = shapedValuesOf(document, schema, depth)
  return fc.oneof({ weight: 8, arbitrary: shaped }, { weight: 1, arbitrary: wild })
}

function shapedValuesOf(document: Json, schema: Json, depth: number): fc.Arbitrary<unknown> {
  if ('const' in schema) return fc.constant(schema['const'])
  const choices = (schema['anyOf'] ?? schema['oneOf']) as Json[] | undefined
  if (Array.isArray(choices) && choices.length > 0)
    return fc.oneof(...choices.map((choice) => valuesOf(document, choice, depth + 1)))
  if (Array.isArray(schema['enum']) && schema['enum'].length > 0)
    return fc.constantFrom(...(schema['enum'] as unknown[]))
  const types = schema['type']
  const type = Array.isArray(types) ? (types[0] as string) : (types as string | undefined)
  switch (type ?? 'any') {
    case 'object': {
      const properties = (schema['properties'] ?? {}) as Record<string, Json>
      const required = (schema['required'] ?? []) as string[]
      const model = Object.fromEntries(
        Object.entries(properties).map(([key, value]) => [
          key,
          valuesOf(document, value, depth + 1),
        ]),
      )
      return fc.record(model, { requiredKeys: required.filter((key) => key in model) })
    }
    case 'array': {
      const items = (schema['items'] ?? {}) as Json
      return fc.array(valuesOf(document, items, depth + 1), { maxLength: 3 })
    }
    case 'string':
      return schema['format'] === 'date-time'
        ? fc
            .integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) })
            .map((ms) => new Date(ms).toISOString())
        : fc.oneof(fc.string({ maxLength: 16 }), fc.constantFrom('1', '2', 'a@b.c', '+15551234567'))
    case 'integer':
    case 'number': {
      const min = typeof schema['minimum'] === 'number' ? schema['minimum'] : -5
      const max = typeof schema['maximum'] === 'number' ? schema['maximum'] : 100_000
      return fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(max, 2 ** 31) })
    }
    case 'boolean':
      return fc.boolean()
    case 'null':
      return fc.constant(null)
    default:
      return fc.jsonValue({ maxDepth: 2 })
  }
}

function operationsOf(document: Json): Operation[] {
  const paths = document['paths'] as Record<string, Record<string, Json>>
  return Object.entries(paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path,
      operation,
    })),
  )
}

interface Parameter {
  readonly name: string
  readonly in: 'path' | 'query'
  readonly required?: boolean
  readonly schema?: Json
}

/** A body as sent: its media type (none: no header) and its bytes or form. */
interface Body {
  readonly contentType: string | undefined
  readonly body: string | FormData | Uint8Array
  readonly what: string
}

function bodiesOf(document: Json, operation: Json): fc.Arbitrary<Body | undefined> {
  const content = ((operation['requestBody'] as Json | undefined)?.['content'] ?? {}) as Record<
    string,
    Json
  >
  const declared = Object.entries(content).map(([media, { schema }]) => ({
    media,
    values: valuesOf(document, (schema ?? {}) as Json),
  }))
  const anyJson = fc.jsonValue({ maxDepth: 3 })
  const values = declared.length > 0 ? fc.oneof(...declared.map((d) => d.values)) : anyJson
  const media = fc.constantFrom(
    ...declared.map((d) => d.media),
    'application/json',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=XYZ',
    'text/plain',
    undefined,
  )
  const asJson = fc.tuple(media, values).map(([contentType, value]): Body => ({
    contentType,
    body: JSON.stringify(value) ?? '',
    what: `${String(contentType)} JSON ${truncate(JSON.stringify(value) ?? '')}`,
  }))
  const asForm = fc
    .tuple(
      fc.dictionary(
        nastyString,
        fc.oneof(
          nastyString,
          anyJson.map((v) => JSON.stringify(v)),
        ),
        {
          maxKeys: 4,
        },
      ),
      fc.option(fc.tuple(nastyString, fc.uint8Array({ maxLength: 64 }))),
      fc.boolean(),
    )
    .map(([fields, file, multipart]): Body => {
      if (!multipart) {
        return {
          contentType: 'application/x-www-form-urlencoded',
          body: new URLSearchParams(fields).toString(),
          what: `form ${truncate(JSON.stringify(fields))}`,
        }
      }
      const form = new FormData()
      for (const [key, value] of Object.entries(fields)) form.append(key, value)
      if (file) form.append('file', new Blob([file[1]]), file[0])
      return {
        contentType: undefined,
        body: form,
        what: `multipart ${truncate(JSON.stringify(fields))} file ${JSON.stringify(file?.[0])}`,
      }
    })
  const garbage = fc
    .tuple(media, fc.oneof(nastyString, fc.constantFrom('{', '{"a":', '[1,', '--XYZ\r\n', '{}}')))
    .map(([contentType, text]): Body => ({
      contentType,
      body: text,
      what: `${String(contentType)} text ${truncate(JSON.stringify(text))}`,
    }))
  const bytes = fc.uint8Array({ maxLength: 64 }).map((data): Body => ({
    contentType: 'application/octet-stream',
    body: data,
    what: `${String(data.length)} bytes`,
  }))
  return fc.option(
    fc.oneof(
      { weight: 5, arbitrary: asJson },
      { weight: 2, arbitrary: asForm },
      { weight: 2, arbitrary: garbage },
      { weight: 1, arbitrary: bytes },
    ),
    { freq: 6, nil: undefined },
  )
}

function truncate(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text
}

interface FuzzRequest {
  readonly method: string
  readonly url: string
  readonly headers: Record<string, string>
  readonly body: Body | undefined
  /** The declared operation this request was made from. */
  readonly from: Operation
}

/** What exists in the simulator now, by kind: path parameters are drawn from these too. */
interface Known {
  sessions: string[]
  agents: string[]
  crm: string[]
  files: string[]
  mails: string[]
  buckets: string[]
}

/** The kind of id a path parameter names, from where it is. */
function kindOf(path: string, name: string): keyof Known {
  if (name === 'path' || name === 'object') return 'files'
  if (name === 'bucket') return 'buckets'
  if (path.startsWith('/mail/')) return 'mails'
  if (path.startsWith('/_sim/agents/') || path.startsWith('/agent/agents/')) return 'agents'
  if (path.startsWith('/crm/') || path.startsWith('/_sim/crm/')) return 'crm'
  return 'sessions'
}

/** One of a list that may change between runs (read when the value is drawn, not before). */
function oneOfLive(list: readonly string[]): fc.Arbitrary<string> {
  return fc.nat().map((i) => list[i % Math.max(list.length, 1)] ?? '1')
}

function requestsFor(document: Json, known: Known, op: Operation) {
  const parameters = (op.operation['parameters'] ?? []) as Parameter[]
  const pathParameters = parameters.filter((p) => p.in === 'path')
  const queryParameters = parameters.filter((p) => p.in === 'query')
  const pathValue = (p: Parameter): fc.Arbitrary<string> =>
    fc.oneof(
      { weight: 5, arbitrary: oneOfLive(known[kindOf(op.path, p.name)]) },
      { weight: 3, arbitrary: valuesOf(document, p.schema ?? {}).map((v) => stringOf(v)) },
      { weight: 2, arbitrary: nastyString },
    )
  const query = fc.record(
    Object.fromEntries(
      queryParameters.map((p) => [
        p.name,
        fc.oneof(
          valuesOf(document, p.schema ?? {}).map((v) => stringOf(v)),
          oneOfLive(known.sessions),
          nastyString,
        ),
      ]),
    ),
    { requiredKeys: [] },
  )
  const extraQuery = fc.dictionary(nastyString, nastyString, { maxKeys: 2 })
  const method = fc.oneof(
    { weight: 8, arbitrary: fc.constant(op.method) },
    { weight: 2, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD') },
    { weight: 1, arbitrary: fc.constantFrom('OPTIONS', 'PROPFIND', 'FOO') },
  )
  const credentials = fc.oneof(
    { weight: 8, arbitrary: fc.constant('right') },
    { weight: 1, arbitrary: fc.constant('none') },
    { weight: 1, arbitrary: fc.constant('wrong') },
  )
  return fc
    .record({
      params: fc.tuple(...pathParameters.map(pathValue)),
      query,
      extraQuery,
      method,
      body: bodiesOf(document, op.operation),
      credentials,
      slash: fc.nat(9).map((n) => n === 0),
    })
    .map(({ params, query, extraQuery, method, body, credentials, slash }): FuzzRequest => {
      let path = op.path
      pathParameters.forEach((p, i) => {
        const value = params[i] ?? ''
        // `{path}` and `{object}` may hold slashes; elsewhere a slash would be another route.
        const encoded = ['path', 'object'].includes(p.name)
          ? value.split('/').map(encodeURIComponent).join('/')
          : encodeURIComponent(value)
        path = path.replace(`{${p.name}}`, encoded)
      })
      if (slash && !path.endsWith('/')) path = `${path}/`
      const search = new URLSearchParams(
        Object.entries({ ...extraQuery, ...query }).flatMap(([k, v]) =>
          v === undefined ? [] : [[k, v]],
        ),
      ).toString()
      const request: FuzzRequest = {
        method,
        url: `${INTERNAL}${path}${search ? `?${search}` : ''}`,
        headers: headersFor(op.path, credentials, body),
        body: method === 'GET' || method === 'HEAD' ? undefined : body,
        from: op,
      }
      // How fast-check prints a counterexample: the request, not the whole operation.
      return Object.assign(request, { [fc.toStringMethod]: () => describeRequest(request) })
    })
}

function stringOf(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '')
}

function headersFor(
  path: string,
  credentials: string,
  body: Body | undefined,
): Record<string, string> {
  const headers: Record<string, string> = {}
  if (body?.contentType !== undefined) headers['content-type'] = body.contentType
  if (credentials === 'none') return headers
  const right = credentials === 'right'
  if (path.startsWith('/apps/api/v1')) headers['authorization'] = right ? APPS_AUTH : 'Basic eDp5'
  else headers['x-api-key'] = right ? MOCK_CRM_KEY : 'wrong'
  return headers
}

/** What is wrong with an answer (undefined: nothing). */
async function checkAnswer(
  operations: ReadonlyMap<string, Operation>,
  request: FuzzRequest,
  response: Response,
): Promise<string | undefined> {
  const type = response.headers.get('content-type') ?? ''
  // A stream (`/events`) never ends by itself: its headers are the answer.
  const text = type.startsWith('text/event-stream')
    ? (await response.body?.cancel(), '')
    : await response.text()
  const status = response.status
  if (status >= 500) return `answered ${String(status)}: ${truncate(text)}`
  if (status < 400 || request.method === 'HEAD') return undefined
  if (type === 'application/problem+json') {
    const body = JSON.parse(text) as { type?: string; status?: number }
    const code = body.type as keyof typeof SIMULATOR_ERROR_CODES | undefined
    if (code === undefined || !(code in SIMULATOR_ERROR_CODES))
      return `problem type ${String(code)} is not in the closed list`
    if (SIMULATOR_ERROR_CODES[code] !== status || body.status !== status)
      return `problem ${code} answered with status ${String(status)} (body says ${String(body.status)})`
    return undefined
  }
  // An emulated wire format: only where the operation that answered documents it for this status.
  const answering = operations.get(`${request.method} ${request.from.path}`)
  const responses = (answering?.operation['responses'] ?? {}) as Record<string, Json>
  const documented = Object.keys(responses[String(status)]?.['content'] ?? {})
  if (type.startsWith('application/json') && documented.includes('application/json'))
    return undefined
  return `a ${String(status)} as ${type || 'no content type'}, not problem+json: ${truncate(text)}`
}

function describeRequest(request: FuzzRequest): string {
  return `${request.method} ${truncate(request.url.replace(INTERNAL, ''))} (${request.from.method} ${request.from.path}) ${request.body?.what ?? 'no body'} ${JSON.stringify(request.headers)}`
}

/** Where the requests go: the app in process, or the real server over HTTP. */
interface Target {
  readonly sim: SimulatorApp
  send(request: FuzzRequest): Promise<Response>
}

function inProcess(sim: SimulatorApp): Target {
  return {
    sim,
    send: async (request) =>
      sim.app.request(request.url, {
        method: request.method,
        headers: request.headers,
        ...(request.body === undefined ? {} : { body: request.body.body as BodyInit }),
      }),
  }
}

function overHttp(server: RunningSimulator): Target {
  return {
    sim: server.simulator,
    send: async (request) =>
      fetch(request.url.replace(INTERNAL, server.url), {
        method: request.method,
        headers: request.headers,
        ...(request.body === undefined ? {} : { body: request.body.body as BodyInit }),
      }),
  }
}

const CONFIG = {
  seed: 13,
  clock: { mode: 'manual', start: '2025-03-01T09:00:00.000Z' },
  // The limit counts wall-clock seconds: off, so the answers do not depend on speed.
  appsApi: { rateLimitPerSecond: 0 },
} as const

/** Sessions that ran, CRM accounts and records with an attachment, files, mail: things to find. */
async function populate(target: Target, known: Known): Promise<void> {
  const call = (path: string, init?: RequestInit) =>
    target.send({
      method: init?.method ?? 'GET',
      url: `${INTERNAL}${path}`,
      headers: (init?.headers ?? {}) as Record<string, string>,
      body:
        init?.body === undefined
          ? undefined
          : { contentType: undefined, body: init.body as string, what: '' },
      from: { method: 'GET', path, operation: {} },
    })
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    call(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    })
  const scenarios = ['inbound-ivr-call', 'web-chat-va-escalation']
  for (const agent of ['scripted', 'manual'])
    for (const scenario of scenarios)
      expect((await post('/_sim/sessions', { scenario, agent })).status, scenario).toBe(201)
  expect((await post('/_sim/clock', { advanceMs: 1_800_000 })).status).toBe(200)
  const key = { 'x-api-key': MOCK_CRM_KEY }
  expect((await post('/crm/api/accounts', { name: 'Fuzz' }, key)).status).toBe(201)
  const file = { file: Buffer.from('x').toString('base64'), filename: '报告.txt' }
  expect((await post('/crm/api/records', { subject: 'Fuzz' }, key)).status).toBe(201)
  expect((await post('/crm/api/records/1/attachments', file, key)).status).toBe(201)
  const read = async <T>(path: string): Promise<T> => (await (await call(path)).json()) as T
  known.sessions = (await read<{ id: number }[]>('/_sim/sessions')).map((s) => String(s.id))
  known.agents = (await read<{ id: number }[]>('/_sim/agents')).map((a) => String(a.id))
  known.crm = ['1', '2', '3']
  known.files = (await read<{ files: { path: string }[] }>('/storage')).files.map((f) => f.path)
  known.mails = (await read<{ id: string }[]>('/mail')).map((m) => m.id)
  known.buckets = [target.sim.config.storage.serve.bucket]
}

/**
 * Sends `runs` seeded random requests to the target; returns every wrong answer (described) and
 * the operations that answered a success at least once.
 */
async function fuzz(
  target: Target,
  runs: number,
): Promise<{ failures: string[]; reached: Set<string>; operations: number }> {
  const document = (await (await target.send(plainGet('/openapi.json'))).json()) as Json
  const operations = operationsOf(document)
  const byKey = new Map(operations.map((op) => [`${op.method} ${op.path}`, op]))
  const known: Known = { sessions: [], agents: [], crm: [], files: [], mails: [], buckets: [] }
  await populate(target, known)
  const requests = fc.oneof(...operations.map((op) => requestsFor(document, known, op)))
  const failures: string[] = []
  const reached = new Set<string>()
  await fc.assert(
    fc.asyncProperty(requests, async (request) => {
      const response = await target.send(request)
      const wrong = await checkAnswer(byKey, request, response)
      // A fault a fuzzed `POST /_sim/crm/faults` set makes the mock CRM's documented 5xx: lift it.
      target.sim.crm.faults.clear()
      // After a reset, make things to find again.
      if (response.status < 300 && request.url.includes('/reset')) await populate(target, known)
      if (wrong !== undefined) failures.push(`${describeRequest(request)} → ${wrong}`)
      const key = `${request.method} ${request.from.path}`
      if (response.status < 400 && byKey.has(key)) reached.add(key)
    }),
    { seed: SEED, numRuns: runs },
  )
  return { failures, reached, operations: operations.length }
}

function plainGet(path: string): FuzzRequest {
  return {
    method: 'GET',
    url: `${INTERNAL}${path}`,
    headers: {},
    body: undefined,
    from: { method: 'GET', path, operation: {} },
  }
}

describe('every declared route, fuzzed with seeded random requests', () => {
  it(
    `answers ${String(RUNS)} in process below 500, every 4xx problem+json of the closed list`,
    { timeout: 60_000 },
    async () => {
      const sim = createSimulatorApp({ config: CONFIG })
      try {
        const { failures, reached, operations } = await fuzz(inProcess(sim), RUNS)
        expect(operations).toBeGreaterThan(60)
        expect(failures).toEqual([])
        // The requests reach the handlers, not only the validation in front of them.
        expect(reached.size).toBeGreaterThan(operations / 2)
      } finally {
        await sim.close()
      }
    },
  )

  it(
    `answers ${String(HTTP_RUNS)} on the real server the same way (its own body parsing, its outer app)`,
    { timeout: 60_000 },
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'ccai-sim-fuzz-'))
      const server = await startSimulator({
        config: { ...CONFIG, port: 0, storage: { dir: join(dir, 'storage') } },
      })
      try {
        const { failures, reached } = await fuzz(overHttp(server), HTTP_RUNS)
        expect(failures).toEqual([])
        expect(reached.size).toBeGreaterThan(10)
      } finally {
        await server.close()
        await rm(dir, { recursive: true, force: true })
      }
    },
  )
})

describe('answers the fuzz found wrong, now 4xx problem+json', () => {
  it('refuses an action or command named after an Object.prototype member as unknown, not 500', async () => {
    const sim = createSimulatorApp({ config: CONFIG })
    const started = await sim.app.request('/_sim/sessions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ scenario: 'web-chat-va-escalation', agent: 'manual' }),
    })
    const { id } = (await started.json()) as { id: number }
    for (const path of [
      'customer/toString',
      'customer/__proto__',
      'constructor',
      'hasOwnProperty',
    ]) {
      const response = await sim.app.request(`/_sim/sessions/${String(id)}/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      })
      expect(response.status, path).toBe(404)
      expect(response.headers.get('content-type')).toBe('application/problem+json')
      expect(await response.json()).toMatchObject({ type: 'not_found' })
    }
    await sim.close()
  })

  it('answers a bucket name of any length 404 no bucket on the Cloud Storage API, not 500', async () => {
    const sim = createSimulatorApp({ config: CONFIG })
    const long = 'b'.repeat(300)
    for (const path of [
      `/storage/v1/b/${long}`,
      `/storage/v1/b/${long}/o`,
      `/storage/v1/b/${long}/o/x`,
      `/download/storage/v1/b/${long}/o/x?alt=media`,
    ]) {
      const response = await sim.app.request(path)
      expect(response.status, path).toBe(404)
      expect(await response.json()).toMatchObject({ type: 'not_found' })
    }
    const upload = await sim.app.request(`/upload/storage/v1/b/${long}/o?uploadType=media&name=x`, {
      method: 'POST',
      body: 'x',
    })
    expect(upload.status).toBe(404)
    await sim.close()
  })

  it('answers a request Node cannot parse (an unknown method token) 400 bad_request problem+json', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ccai-sim-fuzz-'))
    const server = await startSimulator({
      config: { ...CONFIG, port: 0, storage: { dir: join(dir, 'storage') } },
    })
    try {
      const raw = await new Promise<string>((resolve, reject) => {
        const socket = connect(server.port, '127.0.0.1', () => {
          socket.write('FOO /_sim/clock HTTP/1.1\r\nhost: x\r\n\r\n')
        })
        let text = ''
        socket.setEncoding('utf8')
        socket.on('data', (chunk: string) => (text += chunk))
        socket.on('end', () => {
          resolve(text)
        })
        socket.on('error', reject)
      })
      const [head = '', body = ''] = raw.split('\r\n\r\n')
      expect(head).toMatch(/^HTTP\/1\.1 400 /)
      expect(head.toLowerCase()).toContain('content-type: application/problem+json')
      expect(JSON.parse(body)).toMatchObject({ type: 'bad_request', status: 400 })
      expect((JSON.parse(body) as { detail: string }).detail).toContain('HPE_INVALID_METHOD')
    } finally {
      await server.close()
      await rm(dir, { recursive: true, force: true })
    }
  })
})
