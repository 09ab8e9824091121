import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Hono } from 'hono'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createSimulatorApp } from '../app.js'
import { startSimulator, type RunningSimulator } from '../server.js'
import { problemFromError } from './problem.js'
import { streamRoutes, type StreamMessage } from './streams.js'

/** Things to release after each test, last opened first. */
const cleanups: (() => Promise<void>)[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function until<T>(
  probe: () => T | undefined | false,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = probe()
    if (value !== undefined && value !== false) return value
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** Bus subscribers right after start: the webhook dispatcher listens to the bus too. */
const baselines = new WeakMap<RunningSimulator, number>()

/** The stream subscriptions on the bus: subscribers beyond those present at start. */
function streams(sim: RunningSimulator): number {
  return sim.simulator.runtime.bus.size - (baselines.get(sim) ?? 0)
}

async function start(): Promise<RunningSimulator> {
  const dir = await mkdtemp(join(tmpdir(), 'ccai-sim-streams-'))
  const sim = await startSimulator({
    config: {
      port: 0,
      clock: { mode: 'manual' },
      storage: { dir: join(dir, 'storage') },
      email: { enabled: false },
    },
  })
  cleanups.push(async () => {
    await sim.close()
    await rm(dir, { recursive: true, force: true })
  })
  baselines.set(sim, sim.simulator.runtime.bus.size)
  return sim
}

interface SseEvent {
  readonly event: string | undefined
  readonly id: string | undefined
  readonly data: string
}

/** A minimal Server-Sent Events client over `fetch`: collects events and comments as they arrive. */
interface SseClient {
  readonly response: Response
  readonly events: SseEvent[]
  readonly comments: string[]
  close(): void
}

async function openSse(url: string): Promise<SseClient> {
  const controller = new AbortController()
  const response = await fetch(url, {
    signal: controller.signal,
    headers: { accept: 'text/event-stream' },
  })
  const events: SseEvent[] = []
  const comments: string[] = []
  const client: SseClient = {
    response,
    events,
    comments,
    close: () => {
      controller.abort()
    },
  }
  cleanups.push(() => {
    controller.abort()
    return Promise.resolve()
  })
  if (!response.ok || !response.body) return client
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
  let buffer = ''
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) return
        buffer += value
        let end = buffer.indexOf('\n\n')
        while (end >= 0) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          end = buffer.indexOf('\n\n')
          let event: string | undefined
          let id: string | undefined
          const data: string[] = []
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim())
            else if (line.startsWith('event: ')) event = line.slice(7)
            else if (line.startsWith('id: ')) id = line.slice(4)
            else if (line.startsWith('data: ')) data.push(line.slice(6))
          }
          if (data.length > 0) events.push({ event, id, data: data.join('\n') })
        }
      }
    } catch {
      // Aborted by close(): the stream is over.
    }
  })()
  return client
}

async function post(sim: RunningSimulator, path: string, body: unknown): Promise<Response> {
  return fetch(`${sim.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
}

async function startSession(sim: RunningSimulator, scenario: string, seed = 7): Promise<number> {
  const response = await post(sim, '/_sim/sessions', { scenario, seed })
  expect(response.status).toBe(201)
  return ((await response.json()) as { id: number }).id
}

async function advance(sim: RunningSimulator, ms: number): Promise<void> {
  const response = await post(sim, '/_sim/clock', { advanceMs: ms })
  expect(response.status).toBe(200)
}

type Expected = StreamMessage & { readonly published: boolean }

async function emissionsOf(sim: RunningSimulator, id: number): Promise<StreamMessage[]> {
  const response = await fetch(`${sim.url}/_sim/sessions/${id}`)
  const body = (await response.json()) as { emissions: Expected[] }
  return body.emissions.map(({ published: _published, ...rest }) => ({ ...rest, sessionId: id }))
}

/** Agent presence (the roster's login/logout, session 0) is not part of any one session. */
const inSession = (m: StreamMessage): boolean => m.sessionId !== 0

function messagesOf(client: SseClient): StreamMessage[] {
  return client.events.map((e) => JSON.parse(e.data) as StreamMessage).filter(inSession)
}

function sessionEvents(client: SseClient): SseClient['events'] {
  return client.events.filter((e) => inSession(JSON.parse(e.data) as StreamMessage))
}

const DAY = 86_400_000

describe('GET /events', () => {
  it('streams every emission of a session in order, each with its surface as event, its key as id and the documented JSON', async () => {
    const sim = await start()
    const sse = await openSse(`${sim.url}/events`)
    expect(sse.response.status).toBe(200)
    expect(sse.response.headers.get('content-type')).toContain('text/event-stream')
    await until(() => streams(sim) === 1, 'the subscription')
    const id = await startSession(sim, 'inbound-ivr-call')
    await advance(sim, DAY)
    const expected = await emissionsOf(sim, id)
    expect(expected.length).toBeGreaterThan(3)
    await until(() => sse.events.length >= expected.length, `${expected.length} events`)
    expect(messagesOf(sse)).toEqual(expected)
    expect(sessionEvents(sse).map((e) => e.event)).toEqual(expected.map((e) => e.surface))
    expect(sessionEvents(sse).map((e) => e.id)).toEqual(expected.map((e) => e.key))
    const first = messagesOf(sse)[0]!
    expect(Object.keys(first).sort()).toEqual(
      [
        'at',
        'contract',
        'key',
        'payload',
        'sessionId',
        'surface',
        ...(first.agentId === undefined ? [] : ['agentId']),
      ].sort(),
    )
    expect(first.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
  })

  it('sends only the surfaces named in the surface filter', async () => {
    const sim = await start()
    const sse = await openSse(`${sim.url}/events?surface=qm,metadata`)
    const id = await startSession(sim, 'inbound-ivr-call')
    await advance(sim, DAY)
    const expected = (await emissionsOf(sim, id)).filter(
      (e) => e.surface === 'qm' || e.surface === 'metadata',
    )
    expect(expected.some((e) => e.surface === 'metadata')).toBe(true)
    await until(() => sse.events.length >= expected.length, `${expected.length} events`)
    expect(messagesOf(sse)).toEqual(expected)
  })

  it('sends only the named session when filtered by session', async () => {
    const sim = await start()
    const first = await startSession(sim, 'inbound-ivr-call', 1)
    const sse = await openSse(`${sim.url}/events?session=${first}`)
    await startSession(sim, 'web-chat-va-escalation', 2)
    await advance(sim, DAY)
    const expected = await emissionsOf(sim, first)
    await until(() => sse.events.length >= expected.length, `${expected.length} events`)
    // Let a stray event of the other session show up, if the filter leaked.
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(messagesOf(sse)).toEqual(expected)
  })

  it("sends an agent's adapter events only, when filtered by agent", async () => {
    const sim = await start()
    const id = await startSession(sim, 'call-hold-warm-transfer')
    // The cast is known at the start: the second agent takes the transfer.
    const detail = (await (await fetch(`${sim.url}/_sim/sessions/${id}`)).json()) as {
      story: { agents: { id: number }[] }
    }
    const agent = detail.story.agents[1]!.id
    const sse = await openSse(`${sim.url}/events?surface=adapter&agent=${agent}`)
    await until(() => streams(sim) === 1, 'the subscription')
    await advance(sim, DAY)
    const all = (await emissionsOf(sim, id)).filter((e) => e.surface === 'adapter')
    expect(new Set(all.map((e) => e.agentId)).size).toBeGreaterThan(1)
    const expected = all.filter((e) => e.agentId === agent)
    await until(() => sse.events.length >= expected.length, `${expected.length} events`)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(messagesOf(sse)).toEqual(expected)
  })

  it.each([
    [
      'surface',
      'surface=adapter,sms',
      'surface: expected a comma-separated list of adapter, vta, qm, metadata, transcript, email',
    ],
    ['surface', 'surface=', 'surface: expected a comma-separated list'],
    ['session', 'session=abc', 'session: expected a string matching'],
    ['agent', 'agent=0', 'agent: expected a string matching'],
    ['colour', 'colour=red', 'colour: expected no such key'],
  ])('answers 422 problem+json naming %s when the query is %s', async (name, query, message) => {
    const sim = await start()
    const response = await fetch(`${sim.url}/events?${query}`)
    expect(response.status).toBe(422)
    expect(response.headers.get('content-type')).toBe('application/problem+json')
    const body = (await response.json()) as {
      type: string
      detail: string
      issues: { path: string; message: string }[]
    }
    expect(body.type).toBe('invalid_request')
    expect(body.issues[0]?.path).toBe(name)
    expect(body.issues[0]?.message).toContain(message)
    expect(streams(sim)).toBe(0)
  })

  it('unsubscribes from the bus when the client disconnects', async () => {
    const sim = await start()
    const one = await openSse(`${sim.url}/events`)
    const two = await openSse(`${sim.url}/events?surface=qm`)
    await until(() => streams(sim) === 2, 'two subscriptions')
    one.close()
    await until(() => streams(sim) === 1, 'one subscription left')
    two.close()
    await until(() => streams(sim) === 0, 'no subscription left')
  })

  it('unsubscribes every stream when the simulator closes', async () => {
    const sim = await start()
    await openSse(`${sim.url}/events`)
    await until(() => streams(sim) === 1, 'the subscription')
    await sim.close()
    await until(() => streams(sim) === 0, 'no subscription left')
  })

  it('writes a heartbeat comment at the configured wall interval while nothing happens', async () => {
    const { runtime } = createSimulatorApp({ config: { clock: { mode: 'manual' } } })
    const baseline = runtime.bus.size
    const app = new Hono()
    app.onError((error, c) => problemFromError(c, error))
    app.route('/', streamRoutes(runtime, undefined, { heartbeatMs: 20 }).app)
    const controller = new AbortController()
    const response = await app.request('/events', { signal: controller.signal })
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader()
    let text = ''
    while ((text.match(/: heartbeat\n\n/g) ?? []).length < 2) {
      const { done, value } = await reader.read()
      if (done) break
      text += value
    }
    expect(text.startsWith(': connected\n\n')).toBe(true)
    expect(text).toContain(': heartbeat\n\n')
    await reader.cancel()
    await until(() => runtime.bus.size === baseline, 'no subscription left')
  })
})

describe('HEAD /events and clients that do not read', () => {
  function inProcess(maxBufferBytes?: number) {
    const sim = createSimulatorApp({
      config: { clock: { mode: 'manual' }, crm: { enabled: false } },
    })
    cleanups.push(() => sim.close())
    const baseline = sim.runtime.bus.size
    const app = new Hono()
    app.onError((error, c) => problemFromError(c, error))
    app.route(
      '/',
      streamRoutes(sim.runtime, undefined, { heartbeatMs: 60_000, maxBufferBytes }).app,
    )
    return { runtime: sim.runtime, app, baseline }
  }

  it('answers HEAD /events with the stream headers and opens no subscription', async () => {
    const { runtime, app, baseline } = inProcess()
    const head = await app.request('/events', { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.headers.get('content-type')).toBe('text/event-stream')
    expect(runtime.bus.size).toBe(baseline)
  })

  it('drops an SSE client that leaves more than maxBufferBytes unread, and unsubscribes it', async () => {
    const { runtime, app, baseline } = inProcess(2_048)
    const response = await app.request('/events')
    expect(response.status).toBe(200)
    expect(runtime.bus.size).toBe(baseline + 1)
    // The client never reads: a played session's emissions pile up past 2 KiB.
    runtime.startSession({ scenario: 'web-chat-va-escalation', seed: 1 })
    await runtime.advance(3_600_000)
    await until(() => runtime.bus.size === baseline, 'the unread client dropped')
    // What it was sent before the drop ends there: the stream is closed, not left hanging.
    const text = await response.text().catch(() => '')
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(2_048 + 64 * 1_024)
  })
})

describe('GET /ws', () => {
  async function openWs(url: string): Promise<{ ws: WebSocket; messages: StreamMessage[] }> {
    const ws = new WebSocket(url)
    const messages: StreamMessage[] = []
    ws.on('message', (data: Buffer) =>
      messages.push(JSON.parse(data.toString('utf8')) as StreamMessage),
    )
    cleanups.push(() => {
      ws.terminate()
      return Promise.resolve()
    })
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => {
        resolve()
      })
      ws.once('error', reject)
    })
    return { ws, messages }
  }

  it('sends the same JSON messages as /events, with the same filters', async () => {
    const sim = await start()
    const wsUrl = sim.url.replace(/^http/, 'ws')
    const all = await openWs(`${wsUrl}/ws`)
    const adapterOnly = await openWs(`${wsUrl}/ws?surface=adapter,vta`)
    const sse = await openSse(`${sim.url}/events`)
    await until(() => streams(sim) === 3, 'three subscriptions')
    const id = await startSession(sim, 'web-chat-va-escalation')
    await advance(sim, DAY)
    const expected = await emissionsOf(sim, id)
    await until(
      () => all.messages.length >= expected.length && sse.events.length >= expected.length,
      'every message',
    )
    expect(all.messages.filter(inSession)).toEqual(expected)
    expect(all.messages.filter(inSession)).toEqual(messagesOf(sse))
    const adapterExpected = expected.filter((e) => e.surface === 'adapter' || e.surface === 'vta')
    await until(() => adapterOnly.messages.length >= adapterExpected.length, 'the adapter messages')
    expect(adapterOnly.messages.filter(inSession)).toEqual(adapterExpected)
  })

  it('unsubscribes from the bus when the socket closes', async () => {
    const sim = await start()
    const { ws } = await openWs(`${sim.url.replace(/^http/, 'ws')}/ws?surface=qm`)
    await until(() => streams(sim) === 1, 'the subscription')
    ws.close()
    await until(() => streams(sim) === 0, 'no subscription left')
  })

  it('refuses the upgrade with 422 when a filter is invalid', async () => {
    const sim = await start()
    const ws = new WebSocket(`${sim.url.replace(/^http/, 'ws')}/ws?surface=sms`)
    const status = await new Promise<number>((resolve, reject) => {
      ws.once('unexpected-response', (request, response) => {
        // With this listener the client owns the refused handshake: end it without an error event.
        request.destroy()
        resolve(response.statusCode ?? 0)
      })
      ws.once('open', () => {
        reject(new Error('the socket opened'))
      })
    })
    expect(status).toBe(422)
    expect(streams(sim)).toBe(0)
  })

  it('answers a plain GET (no upgrade) with 426 problem+json pointing at /events', async () => {
    const sim = await start()
    const response = await fetch(`${sim.url}/ws`)
    expect(response.status).toBe(426)
    expect(response.headers.get('content-type')).toBe('application/problem+json')
    const body = (await response.json()) as { type: string; detail: string }
    expect(body.type).toBe('upgrade_required')
    expect(body.detail).toContain('/events')
  })

  it('answers 426 problem+json when the host provides no WebSocket upgrade', async () => {
    const { app } = createSimulatorApp({ config: { clock: { mode: 'manual' } } })
    const response = await app.request('/ws', {
      headers: { upgrade: 'websocket', connection: 'Upgrade' },
    })
    expect(response.status).toBe(426)
    const body = (await response.json()) as { type: string; detail: string }
    expect(body).toMatchObject({ type: 'upgrade_required', status: 426 })
    expect(body.detail).toContain('GET /events')
  })
})
