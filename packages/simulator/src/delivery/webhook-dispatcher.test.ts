import { copyFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Emission } from '@ccai-sim/fixtures'
import { afterEach, describe, expect, it } from 'vitest'
import { VirtualClock, type WallClock } from '../clock/virtual-clock.js'
import type { SimulatorConfig } from '../config.js'
import { SimulatorError } from '../errors.js'
import { EmissionBus } from '../runtime/bus.js'
import { Journal, type JournalEntry } from '../runtime/journal.js'
import {
  PENDING_DELIVERIES_FILE,
  WEBHOOK_LOG_FILE,
  WebhookDispatcher,
} from './webhook-dispatcher.js'

const WALL: WallClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => {
    clearTimeout(handle as NodeJS.Timeout)
  },
}

const START = Date.parse('2025-03-01T09:00:00.000Z')

type Surface = 'adapter' | 'vta' | 'qm' | 'email' | 'metadata'

interface Received {
  readonly headers: IncomingHttpHeaders
  readonly body: string
  readonly key: string
  readonly attempt: number
}

interface Answer {
  readonly status: number
  readonly delayMs?: number
}

interface Receiver {
  readonly url: string
  readonly port: number
  /** Every request, in arrival order. */
  readonly requests: Received[]
  /** What the receiver answers; tests change it to make the receiver fail or recover. */
  answer: (request: Received) => Answer
  /** Bodies of the requests answered 2xx, in order. */
  acknowledged(): Received[]
  close(): Promise<void>
}

const cleanups: (() => Promise<void>)[] = []

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.()
})

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => {
      resolve()
    })
    server.closeAllConnections()
  })
}

async function startReceiver(
  options: { port?: number; answer?: (r: Received) => Answer } = {},
): Promise<Receiver> {
  const requests: Received[] = []
  const acked: Received[] = []
  const timers = new Set<NodeJS.Timeout>()
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const received: Received = {
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        key: String(req.headers['idempotency-key']),
        attempt: Number(req.headers['x-ccai-attempt']),
      }
      requests.push(received)
      const { status, delayMs } = receiver.answer(received)
      const reply = (): void => {
        if (res.destroyed || req.socket.destroyed) return
        if (status >= 200 && status < 300) acked.push(received)
        res.writeHead(status, { 'content-type': 'text/plain' }).end(String(status))
      }
      if (delayMs === undefined) reply()
      else {
        const timer = setTimeout(() => {
          timers.delete(timer)
          reply()
        }, delayMs)
        timers.add(timer)
      }
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  let closed = false
  const receiver: Receiver = {
    url: `http://127.0.0.1:${port}/hook`,
    port,
    requests,
    answer: options.answer ?? (() => ({ status: 200 })),
    acknowledged: () => [...acked],
    close: async () => {
      if (closed) return
      closed = true
      for (const timer of timers) clearTimeout(timer)
      await closeServer(server)
    },
  }
  cleanups.push(() => receiver.close())
  return receiver
}

/** A port nothing listens on (yet): bound once, then released. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  await closeServer(server)
  return port
}

function retryConfig(
  overrides: Partial<SimulatorConfig['webhooks']['retry']> = {},
): SimulatorConfig['webhooks']['retry'] {
  return {
    initialDelayMs: 20,
    maxDelayMs: 200,
    giveUpAfterMs: 30_000,
    timeoutMs: 2_000,
    ...overrides,
  }
}

interface Harness {
  readonly dispatcher: WebhookDispatcher
  readonly bus: EmissionBus
  readonly journal: Journal
  readonly clock: VirtualClock
}

function harness(options: {
  adapter?: readonly string[]
  qm?: readonly string[]
  headers?: Readonly<Record<string, string>>
  retry?: Partial<SimulatorConfig['webhooks']['retry']>
  wall?: WallClock | null
  maxQueuePerTarget?: number
  concurrency?: number
  runId?: string
}): Harness {
  const wall = options.wall === null ? undefined : (options.wall ?? WALL)
  const clock = new VirtualClock({ mode: 'manual', start: START })
  const journal = new Journal(10_000)
  const bus = new EmissionBus()
  const target = (url: string): { url: string; headers: Record<string, string> } => ({
    url,
    headers: { ...options.headers },
  })
  const dispatcher = new WebhookDispatcher({
    config: {
      adapter: (options.adapter ?? []).map(target),
      qm: (options.qm ?? []).map(target),
      retry: retryConfig(options.retry),
      concurrency: options.concurrency ?? 1,
      maxInMemory: 1_000,
      keepGivenUp: 20,
    },
    fetch: (input, init) => fetch(input, init),
    ...(options.runId === undefined ? {} : { runId: () => options.runId ?? '' }),
    ...(wall ? { wall } : {}),
    journal,
    clock,
    ...(options.maxQueuePerTarget === undefined
      ? {}
      : { maxQueuePerTarget: options.maxQueuePerTarget }),
  })
  dispatcher.attach(bus)
  cleanups.push(() => dispatcher.close())
  return { dispatcher, bus, journal, clock }
}

const CONTRACTS: Record<Surface, string> = {
  adapter: 'adapter.New_Call',
  vta: 'vta.Task_VA_Started',
  qm: 'qm.CallState',
  email: 'email.session_outcome',
  metadata: 'metadata.call',
}

function emission(surface: Surface, ordinal: number, sessionId = 4711): Emission {
  return {
    at: START + ordinal * 1000,
    surface,
    contract: CONTRACTS[surface],
    sessionId,
    ...(surface === 'adapter' || surface === 'vta' ? { agentId: 7 } : {}),
    key: `${sessionId}:${surface}:${ordinal}`,
    payload: {
      type: CONTRACTS[surface].split('.')[1],
      data: { ordinal, CallID: String(sessionId) },
    },
  }
}

async function until(what: string, predicate: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!predicate()) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

type Attempt = Extract<JournalEntry, { type: 'delivery-attempt' }>

function attempts(journal: Journal, key?: string): Attempt[] {
  return journal
    .read({ type: 'delivery-attempt', limit: 10_000 })
    .entries.filter(
      (e): e is Attempt => e.type === 'delivery-attempt' && (key === undefined || e.key === key),
    )
}

/** Whether `keys` first appear in `requests` in the given order, with no key sent before an earlier one was done. */
function inOrder(requests: readonly Received[], keys: readonly string[]): boolean {
  let index = 0
  for (const request of requests) {
    const at = keys.indexOf(request.key)
    if (at < index) return false
    index = at
  }
  return true
}

async function openError(dispatcher: WebhookDispatcher, dir: string): Promise<SimulatorError> {
  try {
    await dispatcher.open(dir)
  } catch (error) {
    if (error instanceof SimulatorError) return error
    throw error
  }
  throw new Error('open resolved; expected it to reject')
}

describe('WebhookDispatcher', () => {
  it('posts adapter and vta emissions to every adapter target and qm emissions to every qm target, with the documented headers', async () => {
    const adapterA = await startReceiver()
    const adapterB = await startReceiver()
    const qm = await startReceiver()
    const { dispatcher, bus, journal } = harness({
      adapter: [adapterA.url, adapterB.url],
      qm: [qm.url],
      headers: { 'X-Api-Key': 'secret-1', 'Idempotency-Key': 'must-not-win' },
    })
    const sent = [
      emission('adapter', 0),
      emission('vta', 0),
      emission('qm', 0),
      emission('email', 0),
      emission('metadata', 0),
    ]
    for (const e of sent) bus.publish(e)

    await until('three targets acknowledged', () => dispatcher.stats().delivered === 5)
    expect(adapterA.requests.map((r) => r.key)).toEqual(['4711:adapter:0', '4711:vta:0'])
    expect(adapterB.requests.map((r) => r.key)).toEqual(['4711:adapter:0', '4711:vta:0'])
    expect(qm.requests.map((r) => r.key)).toEqual(['4711:qm:0'])
    const first = adapterA.requests[0]!
    expect(JSON.parse(first.body)).toEqual(sent[0]!.payload)
    expect(first.headers).toMatchObject({
      'content-type': 'application/json',
      'idempotency-key': '4711:adapter:0',
      'x-ccai-contract': 'adapter.New_Call',
      'x-ccai-session-id': '4711',
      'x-ccai-attempt': '1',
      'x-api-key': 'secret-1',
    })
    expect(qm.requests[0]!.headers['x-ccai-contract']).toBe('qm.CallState')
    expect(dispatcher.stats()).toEqual({ pending: 0, delivered: 5, failed: 0, gaveUp: 0 })
    expect(attempts(journal).map((a) => [a.target, a.key, a.attempt, a.outcome, a.status])).toEqual(
      expect.arrayContaining([
        [adapterA.url, '4711:adapter:0', 1, 'delivered', 200],
        [adapterB.url, '4711:adapter:0', 1, 'delivered', 200],
        [qm.url, '4711:qm:0', 1, 'delivered', 200],
      ]),
    )
    expect(attempts(journal).every((a) => a.at === START)).toBe(true)
  })

  it('keeps retrying while the receiver answers 503 and, once it recovers, has every event in emission order under the same idempotency key', async () => {
    const receiver = await startReceiver({ answer: () => ({ status: 503 }) })
    const { dispatcher, bus, journal } = harness({ adapter: [receiver.url] })
    const keys = [0, 1, 2].map((n) => emission('adapter', n).key)
    for (const n of [0, 1, 2]) bus.publish(emission('adapter', n))

    await until(
      'three failed attempts',
      () => attempts(journal).filter((a) => a.outcome === 'failed').length >= 3,
    )
    // Only the head was tried: the later ones wait behind it.
    expect(new Set(receiver.requests.map((r) => r.key))).toEqual(new Set([keys[0]]))
    expect(dispatcher.pending()).toBe(3)
    receiver.answer = () => ({ status: 200 })

    await until('all delivered', () => dispatcher.stats().delivered === 3)
    expect(receiver.acknowledged().map((r) => r.key)).toEqual(keys)
    expect(inOrder(receiver.requests, keys)).toBe(true)
    const retries = receiver.requests.filter((r) => r.key === keys[0])
    expect(retries.length).toBeGreaterThanOrEqual(4)
    expect(retries.map((r) => r.attempt)).toEqual(retries.map((_, i) => i + 1))
    expect(new Set(retries.map((r) => r.body)).size).toBe(1)

    const journaled = attempts(journal, keys[0])
    expect(journaled.at(-1)).toMatchObject({
      outcome: 'delivered',
      status: 200,
      attempt: retries.length,
    })
    for (const failed of journaled.slice(0, -1)) {
      expect(failed).toMatchObject({ outcome: 'failed', status: 503 })
      expect(failed.nextAttemptInMs).toBeGreaterThan(0)
    }
    expect(dispatcher.stats()).toMatchObject({
      pending: 0,
      delivered: 3,
      failed: journaled.length - 1,
      gaveUp: 0,
    })
  })

  it('retries while nothing listens on the port and delivers once the receiver listens again, backing off 20, 40, 80, 160, 200 ms', async () => {
    const port = await closedPort()
    const { dispatcher, bus, journal } = harness({ qm: [`http://127.0.0.1:${port}/hook`] })
    bus.publish(emission('qm', 0))
    bus.publish(emission('qm', 1))

    await until('six failed attempts', () => attempts(journal).length >= 6)
    const failed = attempts(journal).slice(0, 6)
    expect(
      failed.every(
        (a) => a.outcome === 'failed' && a.key === '4711:qm:0' && a.status === undefined,
      ),
    ).toBe(true)
    expect(failed[0]!.error).toMatch(/ECONNREFUSED|fetch failed/)
    expect(failed.map((a) => a.nextAttemptInMs)).toEqual([20, 40, 80, 160, 200, 200])

    const receiver = await startReceiver({ port })
    await until('both delivered', () => dispatcher.stats().delivered === 2)
    expect(receiver.acknowledged().map((r) => r.key)).toEqual(['4711:qm:0', '4711:qm:1'])
    expect(receiver.requests[0]!.attempt).toBeGreaterThanOrEqual(7)
    expect(attempts(journal, '4711:qm:0').at(-1)).toMatchObject({
      outcome: 'delivered',
      status: 200,
    })
  })

  it('gives up after giveUpAfterMs, journals the give-up with the last answer and counts it', async () => {
    const receiver = await startReceiver({ answer: () => ({ status: 500 }) })
    const { dispatcher, bus, journal } = harness({
      adapter: [receiver.url],
      retry: { giveUpAfterMs: 150 },
    })
    const startedAt = Date.now()
    bus.publish(emission('adapter', 0))
    bus.publish(emission('adapter', 1))

    await until('both given up', () => dispatcher.stats().gaveUp === 2)
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(150)
    const first = attempts(journal, '4711:adapter:0')
    expect(first.at(-1)).toMatchObject({ outcome: 'gave-up', status: 500 })
    expect(first.at(-1)!.nextAttemptInMs).toBeUndefined()
    expect(first.slice(0, -1).every((a) => a.outcome === 'failed')).toBe(true)
    expect(attempts(journal, '4711:adapter:1').at(-1)).toMatchObject({ outcome: 'gave-up' })
    expect(dispatcher.stats()).toMatchObject({ pending: 0, delivered: 0, gaveUp: 2 })

    // A give-up does not stop the target: the next emission is sent and, once it answers, acknowledged.
    receiver.answer = () => ({ status: 204 })
    bus.publish(emission('adapter', 2))
    await until('the next one delivered', () => dispatcher.stats().delivered === 1)
    expect(receiver.acknowledged().map((r) => r.key)).toEqual(['4711:adapter:2'])
  })

  it('counts a receiver slower than timeoutMs as a failed attempt and retries it', async () => {
    const receiver = await startReceiver({
      // The first answer comes long after the timeout; the timeout itself is long enough that the
      // prompt second answer beats it on a loaded machine (a real HTTP round trip, real time).
      answer: (r) => (r.attempt === 1 ? { status: 200, delayMs: 60_000 } : { status: 200 }),
    })
    const { dispatcher, bus, journal } = harness({
      adapter: [receiver.url],
      retry: { timeoutMs: 1_500 },
    })
    bus.publish(emission('adapter', 0))

    await until('delivered', () => dispatcher.stats().delivered === 1)
    const journaled = attempts(journal)
    expect(journaled[0]).toMatchObject({
      outcome: 'failed',
      attempt: 1,
      error: 'timed out after 1500 ms',
      nextAttemptInMs: 20,
    })
    expect(journaled[0]!.status).toBeUndefined()
    expect(journaled[1]).toMatchObject({ outcome: 'delivered', attempt: 2, status: 200 })
    expect(receiver.acknowledged().map((r) => r.attempt)).toEqual([2])
  })

  it('retries a 4xx answer like any other failure (a receiver may be misconfigured for a while)', async () => {
    const receiver = await startReceiver({
      answer: (r) => ({ status: r.attempt <= 2 ? 401 : 200 }),
    })
    const { dispatcher, bus, journal } = harness({ qm: [receiver.url] })
    bus.publish(emission('qm', 0))

    await until('delivered', () => dispatcher.stats().delivered === 1)
    expect(attempts(journal).map((a) => [a.outcome, a.status])).toEqual([
      ['failed', 401],
      ['failed', 401],
      ['delivered', 200],
    ])
    expect(dispatcher.stats()).toEqual({ pending: 0, delivered: 1, failed: 2, gaveUp: 0 })
  })

  it('treats a redirect as not acknowledged', async () => {
    const receiver = await startReceiver({
      answer: (r) => ({ status: r.attempt === 1 ? 302 : 200 }),
    })
    const { dispatcher, bus, journal } = harness({ qm: [receiver.url] })
    bus.publish(emission('qm', 0))

    await until('delivered', () => dispatcher.stats().delivered === 1)
    expect(attempts(journal).map((a) => [a.outcome, a.status])).toEqual([
      ['failed', 302],
      ['delivered', 200],
    ])
  })

  it('with two targets and one down, the other gets everything while it is still down, and both get the same idempotency keys', async () => {
    const downPort = await closedPort()
    const up = await startReceiver()
    const downUrl = `http://127.0.0.1:${downPort}/hook`
    const { dispatcher, bus } = harness({
      adapter: [downUrl, up.url],
      retry: { initialDelayMs: 200, maxDelayMs: 200 },
    })
    const keys = [0, 1, 2, 3, 4].map((n) => emission('adapter', n).key)
    for (const n of [0, 1, 2, 3, 4]) bus.publish(emission('adapter', n))

    // Event-driven, no wall-clock bound: the down target only comes up after this.
    await until('the healthy target has all five', () => dispatcher.stats().delivered === 5)
    expect(up.acknowledged().map((r) => r.key)).toEqual(keys)
    expect(dispatcher.stats()).toMatchObject({ pending: 5, delivered: 5 })

    const down = await startReceiver({ port: downPort })
    await until('the recovered target has all five', () => dispatcher.stats().delivered === 10)
    expect(down.acknowledged().map((r) => r.key)).toEqual(keys)
    expect(dispatcher.stats()).toMatchObject({ pending: 0, delivered: 10 })
  })

  it('bounds each target queue: an emission that finds it full is given up at once and journaled', async () => {
    const port = await closedPort()
    const url = `http://127.0.0.1:${port}/hook`
    const { dispatcher, bus, journal } = harness({ adapter: [url], maxQueuePerTarget: 2 })
    for (const n of [0, 1, 2]) bus.publish(emission('adapter', n))

    expect(dispatcher.stats()).toMatchObject({ pending: 2, gaveUp: 1 })
    expect(attempts(journal, '4711:adapter:2')).toEqual([
      expect.objectContaining({
        outcome: 'gave-up',
        attempt: 0,
        target: url,
        error: `queue full: 2 deliveries already waiting for ${url} (no state folder to spill to)`,
      }),
    ])
  })

  it('without a wall clock, schedules retries on the virtual clock and sends them when it is advanced', async () => {
    const receiver = await startReceiver({
      answer: (r) => ({ status: r.attempt === 1 ? 503 : 200 }),
    })
    const { dispatcher, bus, journal, clock } = harness({ qm: [receiver.url], wall: null })
    bus.publish(emission('qm', 0))

    await until('the first attempt failed', () => attempts(journal).length === 1)
    expect(attempts(journal)[0]).toMatchObject({
      outcome: 'failed',
      status: 503,
      nextAttemptInMs: 20,
    })
    expect(clock.pending).toBe(1)
    expect(receiver.requests).toHaveLength(1)

    clock.advance(20)
    await until('delivered', () => dispatcher.stats().delivered === 1)
    expect(attempts(journal)[1]).toMatchObject({ outcome: 'delivered', attempt: 2, at: START + 20 })
  })

  it('on close, makes one last attempt for a waiting delivery and drains the target while it acknowledges', async () => {
    const receiver = await startReceiver({ answer: () => ({ status: 503 }) })
    const { dispatcher, bus, journal } = harness({
      adapter: [receiver.url],
      retry: { initialDelayMs: 60_000, maxDelayMs: 60_000 },
    })
    bus.publish(emission('adapter', 0))
    bus.publish(emission('adapter', 1))
    await until('the first attempt failed', () => attempts(journal).length === 1)
    receiver.answer = () => ({ status: 200 })

    await dispatcher.close()
    expect(receiver.acknowledged().map((r) => r.key)).toEqual(['4711:adapter:0', '4711:adapter:1'])
    expect(dispatcher.stats()).toMatchObject({ pending: 0, delivered: 2, failed: 1 })
  })

  it('on close, keeps what the last attempt could not deliver, schedules nothing more and sends nothing new', async () => {
    const receiver = await startReceiver({ answer: () => ({ status: 503 }) })
    const { dispatcher, bus, journal } = harness({
      adapter: [receiver.url],
      retry: { initialDelayMs: 60_000, maxDelayMs: 60_000 },
    })
    bus.publish(emission('adapter', 0))
    bus.publish(emission('adapter', 1))
    await until('the first attempt failed', () => attempts(journal).length === 1)

    await dispatcher.close()
    const journaled = attempts(journal)
    expect(journaled).toHaveLength(2)
    expect(journaled[1]).toMatchObject({
      key: '4711:adapter:0',
      attempt: 2,
      outcome: 'failed',
      status: 503,
    })
    expect(journaled[1]!.nextAttemptInMs).toBeUndefined()
    bus.publish(emission('adapter', 2))
    expect(dispatcher.stats()).toMatchObject({ pending: 3, delivered: 0 })
    expect(receiver.requests).toHaveLength(2)
  })

  it('on close, cuts an in-flight attempt short and keeps the delivery pending', async () => {
    // The receiver answers only after an hour: `close` resolving at all shows it did not wait
    // (no wall-clock bound, which a busy machine could break).
    const receiver = await startReceiver({ answer: () => ({ status: 200, delayMs: 3_600_000 }) })
    const { dispatcher, bus, journal } = harness({
      qm: [receiver.url],
      retry: { timeoutMs: 120_000 },
    })
    bus.publish(emission('qm', 0))
    await until('the request arrived', () => receiver.requests.length === 1)

    await dispatcher.close()
    expect(receiver.acknowledged()).toEqual([])
    expect(attempts(journal)).toEqual([
      expect.objectContaining({
        outcome: 'failed',
        attempt: 1,
        error: 'cut short: the simulator is closing',
      }),
    ])
    expect(dispatcher.pending()).toBe(1)
  })

  it('logs every accepted delivery before sending it; after a crash a new dispatcher on the folder resends what had no end, in order, with its key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ccai-sim-webhooks-'))
    const crashed = await mkdtemp(join(tmpdir(), 'ccai-sim-webhooks-'))
    cleanups.push(() => rm(dir, { recursive: true, force: true }))
    cleanups.push(() => rm(crashed, { recursive: true, force: true }))
    const receiver = await startReceiver({ answer: () => ({ status: 503 }) })
    const first = harness({ adapter: [receiver.url], headers: { 'x-api-key': 'k1' }, runId: 'r1' })
    await first.dispatcher.open(dir)
    first.bus.publish(emission('adapter', 0))
    first.bus.publish(emission('vta', 1))
    await until('a failed attempt', () => attempts(first.journal).length >= 1)
    // The log as a `kill -9` leaves it: no close, no compaction.
    await copyFile(join(dir, WEBHOOK_LOG_FILE), join(crashed, WEBHOOK_LOG_FILE))
    const lines = (await readFile(join(crashed, WEBHOOK_LOG_FILE), 'utf8')).trim().split('\n')
    expect(lines.map((l) => (JSON.parse(l) as { t: string; key?: string }).key)).toEqual([
      'r1:4711:adapter:0',
      'r1:4711:vta:1',
    ])
    // The crashed process is gone: it sends nothing more.
    await first.dispatcher.close()

    receiver.answer = () => ({ status: 200 })
    const second = harness({ adapter: [receiver.url], runId: 'r2' })
    await second.dispatcher.open(crashed)
    await until('restored deliveries delivered', () => second.dispatcher.stats().delivered === 2)
    const acked = receiver.acknowledged()
    expect(acked.map((r) => r.key)).toEqual(['r1:4711:adapter:0', 'r1:4711:vta:1'])
    expect(acked[0]!.headers['x-api-key']).toBe('k1')
    expect(acked[0]!.headers['x-ccai-contract']).toBe('adapter.New_Call')
    expect(JSON.parse(acked[1]!.body)).toEqual(emission('vta', 1).payload)
    // A new emission of this run gets this run's key.
    second.bus.publish(emission('adapter', 2))
    await until('the new emission delivered', () => second.dispatcher.stats().delivered === 3)
    expect(receiver.acknowledged().at(-1)?.key).toBe('r2:4711:adapter:2')

    // Everything ended: closing compacts the log to nothing and removes it.
    await second.dispatcher.close()
    await expect(stat(join(crashed, WEBHOOK_LOG_FILE))).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('on close keeps what was not delivered in the log, with its attempt count, for the next start', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ccai-sim-webhooks-'))
    cleanups.push(() => rm(dir, { recursive: true, force: true }))
    const receiver = await startReceiver({ answer: () => ({ status: 503 }) })
    const first = harness({ adapter: [receiver.url] })
    await first.dispatcher.open(dir)
    first.bus.publish(emission('adapter', 0))
    await until('two failed attempts', () => attempts(first.journal).length >= 2)
    await first.dispatcher.close()
    const saved = (await readFile(join(dir, WEBHOOK_LOG_FILE), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { t: string; key: string; attempts: number })
    expect(saved).toHaveLength(1)
    expect(saved[0]).toMatchObject({ t: 'add', key: '4711:adapter:0' })
    expect(saved[0]!.attempts).toBeGreaterThanOrEqual(2)

    receiver.answer = () => ({ status: 200 })
    const second = harness({ adapter: [receiver.url] })
    await second.dispatcher.open(dir)
    await until('delivered', () => second.dispatcher.stats().delivered === 1)
    expect(receiver.acknowledged()[0]!.attempt).toBe(saved[0]!.attempts + 1)
  })

  it('imports a pending-deliveries.json of an older version into the log, delivers it and removes the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ccai-sim-webhooks-'))
    cleanups.push(() => rm(dir, { recursive: true, force: true }))
    const receiver = await startReceiver({ answer: () => ({ status: 200 }) })
    await writeFile(
      join(dir, PENDING_DELIVERIES_FILE),
      JSON.stringify({
        version: 1,
        deliveries: [
          {
            target: receiver.url,
            key: '4711:adapter:0',
            payload: emission('adapter', 0).payload,
            headers: { 'idempotency-key': '4711:adapter:0', 'x-ccai-session-id': '4711' },
            attempts: 3,
            firstAttemptAt: 1,
            enqueuedAt: 0,
          },
        ],
      }),
    )
    const { dispatcher } = harness({ adapter: [receiver.url], retry: { giveUpAfterMs: 3_600_000 } })
    await dispatcher.open(dir)
    await expect(stat(join(dir, PENDING_DELIVERIES_FILE))).rejects.toMatchObject({ code: 'ENOENT' })
    await until('delivered', () => dispatcher.stats().delivered === 1)
    expect(receiver.acknowledged().map((r) => r.key)).toEqual(['4711:adapter:0'])
  })

  it('does nothing on disk without a folder', async () => {
    const { dispatcher } = harness({ adapter: ['http://127.0.0.1:9/hook'] })
    await dispatcher.open()
    expect(dispatcher.pending()).toBe(0)
    expect(dispatcher.backlog().log).toBeNull()
  })

  it('refuses a log with a corrupt line, naming the file and line, and drops a torn last line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ccai-sim-webhooks-'))
    cleanups.push(() => rm(dir, { recursive: true, force: true }))
    const path = join(dir, WEBHOOK_LOG_FILE)
    const add = (id: number) =>
      JSON.stringify({
        t: 'add',
        id,
        lane: 'http://127.0.0.1:9/hook',
        key: `k${id}`,
        session: 1,
        acceptedAt: 0,
        attempts: 0,
        payload: { payload: {}, headers: {} },
      })
    await writeFile(path, `${add(1)}\n{"t":"add","id":2,"la`)
    const torn = harness({ wall: null })
    await torn.dispatcher.open(dir)
    expect(torn.dispatcher.pending()).toBe(1)
    await torn.dispatcher.close()

    await writeFile(path, `${add(1)}\nnot json\n${add(3)}\n`)
    const error = await openError(harness({}).dispatcher, dir)
    expect(error.code).toBe('invalid_config')
    expect(error.message).toContain(`${path}:2: not a record of this log`)
  })

  it('rejects a malformed pending-deliveries file, naming the file and the field', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ccai-sim-webhooks-'))
    cleanups.push(() => rm(dir, { recursive: true, force: true }))
    const path = join(dir, PENDING_DELIVERIES_FILE)
    const { dispatcher } = harness({})

    await writeFile(path, '{ not json')
    const notJson = await openError(dispatcher, dir)
    expect(notJson.code).toBe('invalid_config')
    expect(notJson.message).toContain(`${path}: not valid JSON`)

    await writeFile(
      path,
      JSON.stringify({
        version: 1,
        deliveries: [
          {
            target: 'http://x.test/',
            key: 'k',
            payload: {},
            headers: {},
            attempts: 'two',
            firstAttemptAt: null,
            enqueuedAt: 0,
          },
        ],
      }),
    )
    const badField = await openError(dispatcher, dir)
    expect(badField.code).toBe('invalid_config')
    expect(badField.message).toContain(path)
    expect(badField.message).toMatch(/deliveries\.0\.attempts|deliveries\[0\]\.attempts/)
    expect(dispatcher.pending()).toBe(0)
  })
})
