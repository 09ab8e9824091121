import { SCENARIO_NAMES } from '@ccai-sim/fixtures'
import { checkContract, checkPayload, ProblemSchema, type Problem } from '@ccai-sim/schemas'
import { describe, expect, it } from 'vitest'
import { createSimulatorApp } from '../app.js'
import type { WallClock } from '../clock/virtual-clock.js'
import { openApiDocument } from '../http/openapi.js'
import { ClockStateSchema, DeliveriesSchema, SessionSummarySchema } from './schemas.js'

const START = '2026-03-02T09:00:00.000Z'

function manualApp() {
  return createSimulatorApp({ config: { clock: { mode: 'manual', start: START } } })
}

/** A wall that never fires: enough for a scaled clock that the test never waits on. */
const STILL_WALL: WallClock = {
  now: () => Date.parse(START),
  setTimeout: () => 0,
  clearTimeout: () => undefined,
}

type App = ReturnType<typeof manualApp>['app']

/** `route` is "METHOD /path". */
function send(app: App, route: string, body?: unknown): Promise<Response> {
  const [method = 'GET', path = '/'] = route.split(' ')
  const init: RequestInit = { method }
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body)
    init.headers = { 'content-type': 'application/json' }
  }
  return Promise.resolve(app.request(path, init))
}

async function json<T = Record<string, unknown>>(response: Response): Promise<T> {
  return (await response.json()) as T
}

/** Asserts a strictly valid problem+json with the code, status and issue paths. */
async function expectProblem(
  response: Response,
  expected: { status: number; type: string; paths: readonly string[] },
): Promise<Problem> {
  expect(response.status).toBe(expected.status)
  expect(response.headers.get('content-type')).toBe('application/problem+json')
  const body: unknown = await response.json()
  expect(checkContract('common.problem', body, { mode: 'strict' }).issues).toEqual([])
  const problem = checkPayload(ProblemSchema, body, { mode: 'strict' })
  if (!problem.ok) throw new Error('not a problem body')
  expect(problem.value).toMatchObject({ type: expected.type, status: expected.status })
  expect((problem.value.issues?.map((i) => i.path) ?? []).sort()).toEqual(
    [...expected.paths].sort(),
  )
  for (const issue of problem.value.issues ?? []) {
    expect(issue.message.startsWith(`${issue.path}: expected `)).toBe(true)
    expect(problem.value.detail).toContain(issue.path === '$' ? '' : issue.path)
  }
  return problem.value
}

describe('the control API, happy paths', () => {
  it('lists every scenario preset', async () => {
    const { app } = manualApp()
    const response = await send(app, 'GET /_sim/scenarios')
    expect(response.status).toBe(200)
    const scenarios = await json<{ name: string; kind: string; title: string }[]>(response)
    expect(scenarios.map((s) => s.name)).toEqual(SCENARIO_NAMES)
    for (const s of scenarios) {
      expect(['call', 'chat']).toContain(s.kind)
      expect(s.title).not.toBe('')
    }
  })

  it('starts a session, lists it, and shows its timeline, emissions and files as time passes', async () => {
    const { app } = manualApp()
    const started = await send(app, 'POST /_sim/sessions', {
      scenario: 'web-chat-va-escalation',
      seed: 3,
    })
    expect(started.status).toBe(201)
    const summary = await json(started)
    expect(checkPayload(SessionSummarySchema, summary, { mode: 'strict' }).issues).toEqual([])
    expect(summary).toMatchObject({
      scenario: 'web-chat-va-escalation',
      seed: 3,
      kind: 'chat',
      state: 'live',
      agent: 'scripted',
      startedAt: START,
    })
    expect(started.headers.get('location')).toBe(`/_sim/sessions/${String(summary['id'])}`)

    const list = await json<unknown[]>(await send(app, 'GET /_sim/sessions'))
    expect(list).toEqual([summary])

    type Detail = {
      state: string
      delivered: number
      total: number
      story: { kind: string; agents: unknown[] }
      timeline: { kind: string; at: string }[]
      emissions: {
        at: string
        surface: string
        contract: string
        key: string
        published: boolean
        payload: unknown
      }[]
      files: { path: string; contentType: string; written: boolean }[]
    }
    const before = await json<Detail>(
      await send(app, `GET /_sim/sessions/${String(summary['id'])}`),
    )
    expect(before.story.kind).toBe('chat')
    // A session is driven, not precomputed: only what happened so far is there.
    expect(before.timeline[0]).toMatchObject({ kind: 'created', at: START })
    expect(before.files).toEqual([])
    for (const e of before.emissions) {
      expect(checkContract(e.contract, e.payload, { mode: 'strict' }).issues, e.key).toEqual([])
    }

    const moved = await send(app, 'POST /_sim/clock', { advanceMs: 2 * 3_600_000 })
    expect(moved.status).toBe(200)
    const after = await json<Detail>(await send(app, `GET /_sim/sessions/${String(summary['id'])}`))
    expect(after.state).toBe('complete')
    expect(after.delivered).toBe(after.total)
    expect(after.emissions.some((e) => e.surface === 'adapter')).toBe(true)
    expect(after.files.map((f) => f.path).join()).toMatch(/ujet-metadata\/chat-\d+\.json/)
    for (const e of after.emissions) {
      expect(checkContract(e.contract, e.payload, { mode: 'strict' }).issues, e.key).toEqual([])
    }
  })

  it('uses the configured seed when the request names none', async () => {
    const { app } = createSimulatorApp({ config: { seed: 42, clock: { mode: 'manual' } } })
    const summary = await json(
      await send(app, 'POST /_sim/sessions', { scenario: 'outbound-call' }),
    )
    expect(summary['seed']).toBe(42)
  })

  it('reads, advances and sets the manual clock, settling what fell due', async () => {
    const { app } = manualApp()
    const clock = await json(await send(app, 'GET /_sim/clock'))
    expect(checkPayload(ClockStateSchema, clock, { mode: 'strict' }).issues).toEqual([])
    expect(clock).toEqual({ mode: 'manual', now: START, scale: 0, pendingTimers: 0 })

    await send(app, 'POST /_sim/sessions', { scenario: 'inbound-ivr-call' })
    const pending = (await json(await send(app, 'GET /_sim/clock')))['pendingTimers']
    expect(pending).toBeGreaterThan(0)

    const advanced = await json(await send(app, 'POST /_sim/clock', { advanceMs: 60_000 }))
    expect(advanced['now']).toBe('2026-03-02T09:01:00.000Z')
    // The session keeps one timer, for its next input or payload.
    expect(advanced['pendingTimers']).toBeGreaterThan(0)

    const set = await json(
      await send(app, 'POST /_sim/clock', { set: '2026-03-02T12:00:00+01:00' }),
    )
    expect(set).toEqual({
      mode: 'manual',
      now: '2026-03-02T11:00:00.000Z',
      scale: 0,
      pendingTimers: 0,
    })
  })

  it('pages the journal with since and limit, and filters it by type', async () => {
    const { app } = manualApp()
    await send(app, 'POST /_sim/sessions', { scenario: 'inbound-ivr-call' })
    await send(app, 'POST /_sim/clock', { advanceMs: 3_600_000 })
    type Page = { entries: { seq: number; type: string }[]; dropped: number; next: number }
    const all = await json<Page>(await send(app, 'GET /_sim/journal'))
    expect(all.entries.length).toBeGreaterThan(10)
    expect(all.dropped).toBe(0)

    const first = await json<Page>(await send(app, 'GET /_sim/journal?limit=5'))
    expect(first.entries.map((e) => e.seq)).toEqual(all.entries.slice(0, 5).map((e) => e.seq))
    expect(first.next).toBe(first.entries.at(-1)?.seq)
    const second = await json<Page>(
      await send(app, `GET /_sim/journal?since=${first.next}&limit=5`),
    )
    expect(second.entries.map((e) => e.seq)).toEqual(all.entries.slice(5, 10).map((e) => e.seq))

    const tail = await json<Page>(await send(app, `GET /_sim/journal?since=${all.next}`))
    expect(tail).toEqual({ entries: [], dropped: 0, next: all.next })

    const files = await json<Page>(await send(app, 'GET /_sim/journal?type=file-written'))
    expect(files.entries.length).toBeGreaterThan(0)
    expect(files.entries.every((e) => e.type === 'file-written')).toBe(true)
  })

  it('resets with 204 and forgets every session', async () => {
    const { app } = manualApp()
    await send(app, 'POST /_sim/sessions', { scenario: 'inbound-ivr-call' })
    const reset = await send(app, 'POST /_sim/reset')
    expect(reset.status).toBe(204)
    expect(await reset.text()).toBe('')
    expect(await json(await send(app, 'GET /_sim/sessions'))).toEqual([])
    const journal = await json<{ entries: { type: string }[] }>(
      await send(app, 'GET /_sim/journal'),
    )
    expect(journal.entries.map((e) => e.type)).toEqual(['reset'])
    expect((await json(await send(app, 'GET /_sim/clock')))['pendingTimers']).toBe(0)
  })
})

describe('the control API, a voicemail by hand', () => {
  it('lets a waiting caller leave a voicemail that lands in ujet-voicemails as long as asked', async () => {
    const { app, runtime } = manualApp()
    const started = await json(
      await send(app, 'POST /_sim/sessions', { scenario: 'inbound-ivr-call', agent: 'manual' }),
    )
    const id = started['id'] as number
    await send(app, 'POST /_sim/clock', { advanceMs: 60_000 })
    const left = await send(app, `POST /_sim/sessions/${String(id)}/customer/abandon`, {
      voicemailSeconds: 20,
    })
    expect(left.status).toBe(200)
    await send(app, 'POST /_sim/clock', { advanceMs: 3_600_000 })
    await runtime.settle()
    const files = (await runtime.storage.list()).map((f) => f.path)
    expect(files).toContain(`ujet-voicemails/call-${String(id)}.mp3`)
    expect(files.some((f) => f.startsWith('ujet-voice-recordings/'))).toBe(false)
    const audio = await runtime.storage.read(`ujet-voicemails/call-${String(id)}.mp3`)
    // 36-byte frames of 576 samples at 16 kHz: 20 s is 556 frames.
    expect(audio?.length).toBe(Math.ceil((20 * 16000) / 576) * 36)
  })

  it('refuses a voicemail length that is not a whole number of seconds from 1 to 3600', async () => {
    const { app } = manualApp()
    const started = await json(
      await send(app, 'POST /_sim/sessions', { scenario: 'inbound-ivr-call', agent: 'manual' }),
    )
    for (const voicemailSeconds of [0, 1.5, 7200, 'ten']) {
      await expectProblem(
        await send(app, `POST /_sim/sessions/${String(started['id'])}/customer/abandon`, {
          voicemailSeconds,
        }),
        { status: 422, type: 'invalid_request', paths: ['voicemailSeconds'] },
      )
    }
  })
})

describe('the control API refuses bad input with problem+json naming the field', () => {
  it('refuses a session for an unknown scenario', async () => {
    const { app, runtime } = manualApp()
    const problem = await expectProblem(
      await send(app, 'POST /_sim/sessions', { scenario: 'no-such-scenario' }),
      {
        status: 422,
        type: 'invalid_request',
        paths: ['scenario'],
      },
    )
    expect(problem.issues?.[0]?.received).toBe('string "no-such-scenario"')
    expect(problem.issues?.[0]?.expected).toContain('"inbound-ivr-call"')
    expect(runtime.listSessions()).toEqual([])
  })

  it('refuses a negative seed', async () => {
    const { app } = manualApp()
    const problem = await expectProblem(
      await send(app, 'POST /_sim/sessions', { scenario: 'outbound-call', seed: -1 }),
      {
        status: 422,
        type: 'invalid_request',
        paths: ['seed'],
      },
    )
    expect(problem.issues?.[0]?.message).toBe('seed: expected at least 0, received integer -1')
  })

  it('refuses unknown keys, each by name', async () => {
    const { app } = manualApp()
    await expectProblem(
      await send(app, 'POST /_sim/sessions', {
        scenario: 'outbound-call',
        speed: 2,
        colour: 'red',
      }),
      {
        status: 422,
        type: 'invalid_request',
        paths: ['colour', 'speed'],
      },
    )
  })

  it('refuses unknown scenario parameters', async () => {
    const { app } = manualApp()
    const problem = await expectProblem(
      await send(app, 'POST /_sim/sessions', { scenario: 'outbound-call', params: { nope: 1 } }),
      { status: 422, type: 'invalid_request', paths: ['params.nope'] },
    )
    expect(problem.instance).toBe('/_sim/sessions')
  })

  it('refuses a missing scenario', async () => {
    const { app } = manualApp()
    await expectProblem(await send(app, 'POST /_sim/sessions', {}), {
      status: 422,
      type: 'invalid_request',
      paths: ['scenario'],
    })
  })

  it('refuses malformed JSON naming the body, as the other body errors do', async () => {
    const { app } = manualApp()
    const problem = await expectProblem(await send(app, 'POST /_sim/sessions', '{"scenario": '), {
      status: 422,
      type: 'invalid_request',
      paths: ['body'],
    })
    expect(problem.issues?.[0]?.code).toBe('invalid_json')
    expect(problem.detail).toMatch(/^body: expected JSON, received malformed JSON \(/)
  })

  it('refuses a clock move with both or neither of advanceMs and set', async () => {
    const { app } = manualApp()
    await expectProblem(await send(app, 'POST /_sim/clock', { advanceMs: 1_000, set: START }), {
      status: 422,
      type: 'invalid_request',
      paths: ['set'],
    })
    const neither = await expectProblem(await send(app, 'POST /_sim/clock', {}), {
      status: 422,
      type: 'invalid_request',
      paths: ['advanceMs'],
    })
    expect(neither.issues?.[0]?.message).toBe(
      'advanceMs: expected exactly one of advanceMs or set, received nothing (the key is missing)',
    )
    // An empty body is the same as {}.
    await expectProblem(await send(app, 'POST /_sim/clock'), {
      status: 422,
      type: 'invalid_request',
      paths: ['advanceMs'],
    })
  })

  it('refuses a negative advance, a bad date and a move backwards, keeping the time', async () => {
    const { app } = manualApp()
    await expectProblem(await send(app, 'POST /_sim/clock', { advanceMs: -5 }), {
      status: 422,
      type: 'invalid_request',
      paths: ['advanceMs'],
    })
    await expectProblem(await send(app, 'POST /_sim/clock', { set: 'tomorrow' }), {
      status: 422,
      type: 'invalid_request',
      paths: ['set'],
    })
    const backwards = await expectProblem(
      await send(app, 'POST /_sim/clock', { set: '2026-03-02T08:00:00Z' }),
      {
        status: 422,
        type: 'invalid_request',
        paths: ['set'],
      },
    )
    expect(backwards.detail).toContain('never goes backwards')
    expect((await json(await send(app, 'GET /_sim/clock')))['now']).toBe(START)
  })

  it('answers 409 clock_not_manual when a scaled clock is asked to move', async () => {
    const { app } = createSimulatorApp({ config: { clock: { mode: 'scaled' } }, wall: STILL_WALL })
    const advance = await expectProblem(await send(app, 'POST /_sim/clock', { advanceMs: 1_000 }), {
      status: 409,
      type: 'clock_not_manual',
      paths: ['advanceMs'],
    })
    expect(advance.issues?.[0]?.received).toBe('a scaled clock')
    await expectProblem(await send(app, 'POST /_sim/clock', { set: '2030-01-01T00:00:00Z' }), {
      status: 409,
      type: 'clock_not_manual',
      paths: ['set'],
    })
    // A bad body is still a bad body, whatever the clock.
    await expectProblem(await send(app, 'POST /_sim/clock', {}), {
      status: 422,
      type: 'invalid_request',
      paths: ['advanceMs'],
    })
    expect(await json(await send(app, 'GET /_sim/clock'))).toMatchObject({
      mode: 'scaled',
      scale: 60,
      now: START,
    })
  })

  it('answers 404 unknown_session for an id it does not know', async () => {
    const { app } = manualApp()
    const problem = await expectProblem(await send(app, 'GET /_sim/sessions/999'), {
      status: 404,
      type: 'unknown_session',
      paths: ['id'],
    })
    expect(problem.detail).toBe('no session with id 999')
    expect(problem.instance).toBe('/_sim/sessions/999')
    for (const id of ['abc', '1e5', '-1']) {
      await expectProblem(await send(app, `GET /_sim/sessions/${id}`), {
        status: 404,
        type: 'unknown_session',
        paths: ['id'],
      })
    }
  })

  it('refuses bad journal query parameters, each by name', async () => {
    const { app } = manualApp()
    const limit = await expectProblem(await send(app, 'GET /_sim/journal?limit=abc'), {
      status: 422,
      type: 'invalid_request',
      paths: ['limit'],
    })
    expect(limit.issues?.[0]?.received).toBe('string "abc"')
    await expectProblem(await send(app, 'GET /_sim/journal?since=-1'), {
      status: 422,
      type: 'invalid_request',
      paths: ['since'],
    })
    await expectProblem(await send(app, 'GET /_sim/journal?type=everything'), {
      status: 422,
      type: 'invalid_request',
      paths: ['type'],
    })
    await expectProblem(await send(app, 'GET /_sim/journal?page=2'), {
      status: 422,
      type: 'invalid_request',
      paths: ['page'],
    })
  })

  it('names the agent id it expected when a presence path holds no agent id', async () => {
    const { app } = manualApp()
    const problem = await expectProblem(await send(app, 'POST /_sim/agents/abc/login'), {
      status: 404,
      type: 'not_found',
      paths: ['id'],
    })
    expect(problem.detail).toBe(
      'id: expected a positive agent id (GET /_sim/agents lists the roster), received "abc"',
    )
  })

  it('answers not_found for a control route that does not exist', async () => {
    const { app } = manualApp()
    const problem = await expectProblem(await send(app, 'GET /_sim/nothing-here'), {
      status: 404,
      type: 'not_found',
      paths: [],
    })
    expect(problem.detail).toBe('no route for GET /_sim/nothing-here')
  })
})

describe('/openapi.json', () => {
  type Json = Record<string, unknown>

  function resolvePointer(document: Json, ref: string): unknown {
    expect(ref.startsWith('#/'), ref).toBe(true)
    let node: unknown = document
    for (const raw of ref.slice(2).split('/')) {
      const key = raw.replaceAll('~1', '/').replaceAll('~0', '~')
      if (typeof node !== 'object' || node === null || !(key in node)) return undefined
      node = (node as Json)[key]
    }
    return node
  }

  function refsOf(node: unknown, out: string[] = []): string[] {
    if (Array.isArray(node)) node.forEach((item) => refsOf(item, out))
    else if (typeof node === 'object' && node !== null) {
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string') out.push(value)
        else refsOf(value, out)
      }
    }
    return out
  }

  it('is OpenAPI 3.1 whose every $ref resolves', async () => {
    const { app } = manualApp()
    const response = await send(app, 'GET /openapi.json')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
    const document = await json(response)
    const { servers, ...generated } = document
    expect(generated).toEqual(JSON.parse(JSON.stringify(await openApiDocument(app))) as unknown)
    expect(servers).toEqual([{ url: 'http://localhost' }])
    expect(document['openapi']).toMatch(/^3\.1\.\d+$/)
    const info = document['info'] as Json
    expect(typeof info['title']).toBe('string')
    expect(typeof info['version']).toBe('string')
    const refs = refsOf(document)
    expect(refs.length).toBeGreaterThan(0)
    for (const ref of refs) {
      const target = resolvePointer(document, ref)
      expect(target, ref).toBeDefined()
      expect(typeof target, ref).toBe('object')
    }
  })

  it('documents every control route with its method, path parameters and responses', async () => {
    const { app } = manualApp()
    const document = await json(await send(app, 'GET /openapi.json'))
    const paths = document['paths'] as Record<string, Record<string, Json>>
    const routes = app.routes.filter((r) => r.path.startsWith('/_sim/') && r.method !== 'ALL')
    expect(routes.length).toBeGreaterThanOrEqual(8)
    for (const route of routes) {
      const path = route.path.replace(/:(\w+)/g, '{$1}')
      const operation = paths[path]?.[route.method.toLowerCase()]
      expect(operation, `${route.method} ${path}`).toBeDefined()
      expect(
        Object.keys((operation?.['responses'] as Json | undefined) ?? {}).length,
      ).toBeGreaterThan(0)
      for (const name of [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1])) {
        const parameters = (operation?.['parameters'] as Json[] | undefined) ?? []
        expect(parameters, `${path} parameter ${String(name)}`).toContainEqual(
          expect.objectContaining({ name, in: 'path', required: true }),
        )
      }
    }
    // Every operation has a description per response, as OpenAPI requires.
    for (const [path, item] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(item)) {
        for (const [code, response] of Object.entries(
          operation['responses'] as Record<string, Json>,
        )) {
          expect(typeof response['description'], `${method} ${path} ${code}`).toBe('string')
        }
      }
    }
  })
})

describe('webhook targets at run time and the journal of one session', () => {
  it('sends the emissions after a PUT /_sim/webhooks to the new target, with its headers', async () => {
    const posted: { url: string; headers: Headers }[] = []
    const fetchSpy: typeof fetch = (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
      posted.push({ url, headers: new Headers(init?.headers) })
      return Promise.resolve(new Response(null, { status: 204 }))
    }
    const { app } = createSimulatorApp({
      config: { clock: { mode: 'manual', start: START } },
      fetch: fetchSpy,
    })
    expect(await json(await send(app, 'GET /_sim/webhooks'))).toEqual({ adapter: [], qm: [] })
    // Before any target: a session sends nothing.
    await send(app, 'POST /_sim/sessions', { scenario: 'inbound-ivr-call', seed: 1 })
    await send(app, 'POST /_sim/clock', { advanceMs: 600_000 })
    expect(posted).toEqual([])

    const targets = {
      adapter: [{ url: 'http://receiver.test/adapter', headers: { 'x-api-key': 'k1' } }],
      qm: [{ url: 'http://receiver.test/qm' }],
    }
    const put = await send(app, 'PUT /_sim/webhooks', targets)
    expect(put.status).toBe(200)
    const now = { adapter: targets.adapter, qm: [{ url: 'http://receiver.test/qm', headers: {} }] }
    expect(await json(put)).toEqual(now)
    expect(await json(await send(app, 'GET /_sim/webhooks'))).toEqual(now)

    await send(app, 'POST /_sim/sessions', { scenario: 'inbound-ivr-call', seed: 2 })
    await send(app, 'POST /_sim/clock', { advanceMs: 3_600_000 })
    const adapter = posted.filter((p) => p.url === 'http://receiver.test/adapter')
    expect(adapter.length).toBeGreaterThan(0)
    expect(adapter.every((p) => p.headers.get('x-api-key') === 'k1')).toBe(true)
    expect(posted.some((p) => p.url === 'http://receiver.test/qm')).toBe(true)
    const backlog = await json<{ webhooks: { lanes: { lane: string; delivered: number }[] } }>(
      await send(app, 'GET /_sim/deliveries'),
    )
    const lane = backlog.webhooks.lanes.find((l) => l.lane === 'http://receiver.test/adapter')
    expect(lane?.delivered).toBe(adapter.length)

    // Emptied again: nothing more goes out.
    await send(app, 'PUT /_sim/webhooks', {})
    const before = posted.length
    await send(app, 'POST /_sim/sessions', { scenario: 'inbound-ivr-call', seed: 3 })
    await send(app, 'POST /_sim/clock', { advanceMs: 3_600_000 })
    expect(posted.length).toBe(before)
  })

  it('keeps a given-up delivery and retries it on POST /_sim/deliveries/{id}/retry with its idempotency key', async () => {
    // A receiver that answers 500 until told otherwise.
    let down = true
    const received: string[] = []
    const fetchSpy: typeof fetch = (_input, init) => {
      if (down) return Promise.resolve(new Response('down', { status: 500 }))
      received.push(new Headers(init?.headers).get('idempotency-key') ?? '')
      return Promise.resolve(new Response(null, { status: 204 }))
    }
    const { app } = createSimulatorApp({
      config: {
        clock: { mode: 'manual', start: START },
        webhooks: {
          adapter: [{ url: 'http://receiver.test/adapter' }],
          retry: { initialDelayMs: 100, maxDelayMs: 100, giveUpAfterMs: 250 },
        },
      },
      fetch: fetchSpy,
    })
    type Backlog = {
      webhooks: {
        pending: number
        lanes: { lane: string; givenUp: { id: string; key: string; status?: number }[] }[]
      }
    }
    const backlog = async () => json<Backlog>(await send(app, 'GET /_sim/deliveries'))
    await send(app, 'POST /_sim/sessions', { scenario: 'inbound-ivr-call', seed: 1 })
    await send(app, 'POST /_sim/clock', { advanceMs: 600_000 })
    // Retries wait on the virtual clock: move it until nothing is pending (each step a retry delay).
    for (let i = 0; i < 200 && (await backlog()).webhooks.pending > 0; i++) {
      await send(app, 'POST /_sim/clock', { advanceMs: 100 })
      await new Promise((resolve) => setImmediate(resolve))
    }
    const lane = (await backlog()).webhooks.lanes.find(
      (l) => l.lane === 'http://receiver.test/adapter',
    )
    const given = lane?.givenUp[0]
    expect(given).toMatchObject({ status: 500 })
    if (!given) throw new Error('nothing given up')
    expect(received).toEqual([])
    // Times are ISO-8601, as everywhere else in the control API, and the declared schema says so.
    const raw = await json(await send(app, 'GET /_sim/deliveries'))
    expect(checkPayload(DeliveriesSchema, raw, { mode: 'strict' }).issues).toEqual([])
    const isoTime = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/
    expect(given).toMatchObject({
      acceptedAt: expect.stringMatching(isoTime) as unknown,
      gaveUpAt: expect.stringMatching(isoTime) as unknown,
    })

    down = false
    const retry = await send(app, `POST /_sim/deliveries/${given.id}/retry`)
    expect(retry.status).toBe(202)
    const answer = await json<{ id: string; retried: string }>(retry)
    expect(answer.retried).toBe(given.id)
    expect(answer.id).not.toBe(given.id)
    for (let i = 0; i < 50 && received.length === 0; i++)
      await new Promise((resolve) => setImmediate(resolve))
    expect(received).toEqual([given.key])
    const after = (await backlog()).webhooks.lanes[0]?.givenUp.map((d) => d.id) ?? []
    expect(after).not.toContain(given.id)

    // Retried once: the id is no longer kept.
    await expectProblem(await send(app, `POST /_sim/deliveries/${given.id}/retry`), {
      status: 404,
      type: 'not_found',
      paths: [],
    })
  })

  it('answers 404 not_found naming the id for a retry of a delivery it does not keep, or a malformed id', async () => {
    const { app } = manualApp()
    const unknown = await expectProblem(
      await send(app, 'POST /_sim/deliveries/webhooks-42/retry'),
      {
        status: 404,
        type: 'not_found',
        paths: [],
      },
    )
    expect(unknown.detail).toContain('webhooks-42')
    const malformed = await expectProblem(await send(app, 'POST /_sim/deliveries/42/retry'), {
      status: 404,
      type: 'not_found',
      paths: [],
    })
    expect(malformed.detail).toContain('"42"')
  })

  it('refuses webhook targets that are not http(s) URLs, or unknown keys, by field', async () => {
    const { app } = manualApp()
    await expectProblem(
      await send(app, 'PUT /_sim/webhooks', {
        adapter: [{ url: 'ftp://x.test/' }, { url: 'nope' }],
      }),
      { status: 422, type: 'invalid_request', paths: ['adapter[0].url', 'adapter[1].url'] },
    )
    await expectProblem(await send(app, 'PUT /_sim/webhooks', { vta: [] }), {
      status: 422,
      type: 'invalid_request',
      paths: ['vta'],
    })
    expect(await json(await send(app, 'GET /_sim/webhooks'))).toEqual({ adapter: [], qm: [] })
  })

  it('reads the journal of one session with ?session, and refuses a session that is not an id', async () => {
    const { app } = manualApp()
    type Page = { entries: { type: string; sessionId?: number }[] }
    const a = await json<{ id: number }>(
      await send(app, 'POST /_sim/sessions', { scenario: 'inbound-ivr-call', seed: 1 }),
    )
    await send(app, 'POST /_sim/sessions', { scenario: 'web-chat-va-escalation', seed: 2 })
    await send(app, 'POST /_sim/clock', { advanceMs: 3_600_000 })
    const all = await json<Page>(await send(app, 'GET /_sim/journal?limit=5000'))
    const mine = await json<Page>(await send(app, `GET /_sim/journal?limit=5000&session=${a.id}`))
    expect(mine.entries.length).toBeGreaterThan(0)
    expect(mine.entries.every((e) => e.sessionId === a.id)).toBe(true)
    expect(mine.entries).toEqual(all.entries.filter((e) => e.sessionId === a.id))
    const crm = await json<Page>(
      await send(app, `GET /_sim/journal?type=crm-exchange&session=${a.id}`),
    )
    expect(crm.entries.length).toBeGreaterThan(0)
    expect(crm.entries.every((e) => e.type === 'crm-exchange' && e.sessionId === a.id)).toBe(true)
    await expectProblem(await send(app, 'GET /_sim/journal?session=abc'), {
      status: 422,
      type: 'invalid_request',
      paths: ['session'],
    })
  })
})
