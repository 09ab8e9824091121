import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Emission } from '@ccai-sim/fixtures'
import { checkPayload } from '@ccai-sim/schemas'
import { z } from 'zod'
import type { VirtualClock, WallClock } from '../clock/virtual-clock.js'
import type { SimulatorConfig } from '../config.js'
import { SimulatorError } from '../errors.js'
import type { EmissionBus } from '../runtime/bus.js'
import type { Journal } from '../runtime/journal.js'

/*
 * Outbound webhooks, at least once. Decisions a receiver can rely on:
 *
 * - One FIFO queue per target URL; only its head is ever in flight, so a receiver sees emissions in
 *   emission order, and a failing delivery holds back the later ones to the same URL (never those to
 *   other URLs). The queue is bounded (`maxQueuePerTarget`); an emission that finds it full is given
 *   up at once and journaled as such.
 * - `idempotency-key` is the emission's key (`<sessionId>:<surface>:<ordinal>`), the same on every
 *   retry and for every target: it names the event, not the delivery, and each receiver dedupes in
 *   its own scope. Because keys derive from the seed, a replay with the same seed repeats them.
 * - Any answer but 2xx is retried, 3xx and 4xx included: the platform's documents describe no webhook
 *   contract a receiver could be held to, and a receiver answering 4xx is most often one mid-deploy or
 *   with a stale key; `giveUpAfterMs` bounds what that costs.
 * - Backoff doubles from `initialDelayMs` up to `maxDelayMs`, without jitter (deterministic). The
 *   give-up clock starts when the delivery is enqueued, which is its first attempt unless it waited
 *   behind a failing one: waiting in line counts, so a dead receiver cannot hold a queue for
 *   `giveUpAfterMs` per delivery. The last retry is pulled in to land on the deadline; a delivery
 *   that fails at or past its deadline is given up (journal outcome `gave-up`).
 * - Retries and timeouts run on the host's wall clock (`wall`): a real receiver recovers in real
 *   time. Without one (the pure app in tests, whose clock is manual) retries are scheduled on the
 *   virtual clock and happen when it is advanced, and per-attempt timeouts use
 *   `AbortSignal.timeout`, the request's own unreferenced deadline, not a timer the app owns.
 */

/** The file `persist` writes and `restore` reads, inside the directory the host names. */
export const PENDING_DELIVERIES_FILE = 'pending-deliveries.json'

const WEBHOOK_SURFACES: ReadonlySet<string> = new Set(['adapter', 'vta', 'qm'])
const DEFAULT_MAX_QUEUE = 10_000
/** How long `close` gives in-flight and waiting deliveries for their last attempt (at most). */
const LAST_CALL_MS = 1_000

export interface WebhookDispatcherOptions {
  readonly config: SimulatorConfig['webhooks']
  readonly fetch: typeof fetch
  /** The host's real timers; retries use them. Without one, retries wait on the virtual clock. */
  readonly wall?: WallClock
  readonly journal: Journal
  readonly clock: VirtualClock
  /** Deliveries waiting per target URL before new ones are given up at once. Default 10 000. */
  readonly maxQueuePerTarget?: number
}

/** Counters since the dispatcher was created; `failed` counts failed attempts that will be retried or kept. */
export interface WebhookStats {
  readonly pending: number
  readonly delivered: number
  readonly failed: number
  readonly gaveUp: number
}

/** An undelivered delivery as `persist` writes it; times are epoch ms on the retry clock. */
export interface PendingDelivery {
  readonly target: string
  readonly key: string
  readonly payload: unknown
  /** Every header but `x-ccai-attempt`, which is sent as `attempts + 1` on the next try. */
  readonly headers: Readonly<Record<string, string>>
  readonly attempts: number
  readonly firstAttemptAt: number | null
  /** When the delivery joined its queue: the give-up clock starts here. */
  readonly enqueuedAt: number
}

const PendingFileSchema = z.object({
  version: z.literal(1),
  deliveries: z.array(
    z.object({
      target: z.url(),
      key: z.string().min(1),
      payload: z.unknown(),
      headers: z.record(z.string(), z.string()),
      attempts: z.int().min(0),
      firstAttemptAt: z.number().nullable(),
      enqueuedAt: z.number(),
    }),
  ),
})

interface Delivery {
  readonly target: string
  readonly key: string
  readonly payload: unknown
  readonly body: string
  readonly headers: Readonly<Record<string, string>>
  attempts: number
  firstAttemptAt: number | undefined
  readonly enqueuedAt: number
}

interface TargetQueue {
  readonly url: string
  readonly items: Delivery[]
  /** A drain is running (an attempt may be in flight). */
  busy: boolean
  running: Promise<void> | undefined
  retry: { readonly token: number; readonly dueAt: number; readonly cancel: () => void } | undefined
  /** The in-flight attempt's controller, so `close` can cut it short. */
  abort: AbortController | undefined
  /** The last attempt to this URL succeeded (true until one fails). */
  healthy: boolean
}

type AttemptResult = { readonly status: number } | { readonly error: string }

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  // undici reports "fetch failed" and puts the useful part (ECONNREFUSED, …) in the cause.
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : ''
  return `${error.message}${cause}`
}

function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    signal.addEventListener(
      'abort',
      () => {
        reject(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)))
      },
      { once: true },
    )
  })
}

/**
 * The headers of a webhook delivery: the target's configured headers (lower-cased), then the
 * protocol's, which win: `content-type`, `idempotency-key` (the emission's key), `x-ccai-contract`,
 * `x-ccai-session-id`. The load-test export sends the same (`ccai-sim export artillery`).
 */
export function webhookHeaders(
  emission: Pick<Emission, 'key' | 'contract' | 'sessionId'>,
  configured: Readonly<Record<string, string>>,
): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(configured)) headers[name.toLowerCase()] = value
  // The protocol headers win over configured ones: the key must stay the emission's.
  headers['content-type'] = 'application/json'
  headers['idempotency-key'] = emission.key
  headers['x-ccai-contract'] = emission.contract
  headers['x-ccai-session-id'] = String(emission.sessionId)
  return headers
}

/**
 * Delivers adapter, VTA and QM emissions to the configured webhook targets: POSTed as JSON, retried
 * with exponential backoff until acknowledged (2xx) or given up, in emission order per target.
 */
export class WebhookDispatcher {
  private readonly config: SimulatorConfig['webhooks']
  private readonly fetchFn: typeof fetch
  private readonly wall: WallClock | undefined
  private readonly journal: Journal
  private readonly clock: VirtualClock
  private readonly maxQueue: number
  private readonly queues = new Map<string, TargetQueue>()
  private readonly counts = { delivered: 0, failed: 0, gaveUp: 0 }
  private tokens = 0
  private closed = false
  private lastCallOver = false
  private closing: Promise<void> | undefined

  constructor(options: WebhookDispatcherOptions) {
    this.config = options.config
    this.fetchFn = options.fetch
    this.wall = options.wall
    this.journal = options.journal
    this.clock = options.clock
    this.maxQueue = options.maxQueuePerTarget ?? DEFAULT_MAX_QUEUE
  }

  /** Subscribes to the bus: `adapter` and `vta` emissions go to every adapter target, `qm` to every QM target. */
  attach(bus: EmissionBus): void {
    bus.subscribe({ surfaces: [...WEBHOOK_SURFACES] }, (emission) => {
      this.dispatch(emission)
    })
  }

  /** Enqueues one emission for its surface's targets (a URL listed twice gets it once). */
  dispatch(emission: Emission): void {
    if (!WEBHOOK_SURFACES.has(emission.surface)) return
    const targets = emission.surface === 'qm' ? this.config.qm : this.config.adapter
    const seen = new Set<string>()
    for (const target of targets) {
      if (seen.has(target.url)) continue
      seen.add(target.url)
      const headers = webhookHeaders(emission, target.headers)
      this.enqueue({
        target: target.url,
        key: emission.key,
        payload: emission.payload,
        body: JSON.stringify(emission.payload),
        headers,
        attempts: 0,
        firstAttemptAt: undefined,
        enqueuedAt: this.now(),
      })
    }
  }

  /** Pending deliveries now, and delivered, failed-attempt and given-up counts since creation. */
  stats(): WebhookStats {
    return { pending: this.pending(), ...this.counts }
  }

  /** Deliveries neither acknowledged nor given up, over every target. */
  pending(): number {
    let total = 0
    for (const queue of this.queues.values()) total += queue.items.length
    return total
  }

  /**
   * Stops scheduling retries; in-flight attempts and waiting heads get one last attempt within a
   * short deadline (a target that acknowledges keeps draining until then); the rest stay for `persist`.
   */
  close(): Promise<void> {
    this.closing ??= this.shutDown()
    return this.closing
  }

  /** Writes undelivered deliveries to `<dir>/pending-deliveries.json`, or removes it when there are none. */
  async persist(dir?: string): Promise<void> {
    if (dir === undefined) return
    const path = join(dir, PENDING_DELIVERIES_FILE)
    const deliveries: PendingDelivery[] = []
    for (const queue of this.queues.values()) {
      for (const d of queue.items) {
        deliveries.push({
          target: d.target,
          key: d.key,
          payload: d.payload,
          headers: d.headers,
          attempts: d.attempts,
          firstAttemptAt: d.firstAttemptAt ?? null,
          enqueuedAt: d.enqueuedAt,
        })
      }
    }
    if (deliveries.length === 0) {
      await rm(path, { force: true })
      return
    }
    await mkdir(dir, { recursive: true })
    // Write then rename: a crash mid-write must not leave a half file that blocks the next start.
    const temporary = `${path}.${process.pid}.partial`
    await writeFile(temporary, `${JSON.stringify({ version: 1, deliveries }, null, 2)}\n`)
    await rename(temporary, path)
  }

  /**
   * Re-enqueues what `persist` wrote (ahead of anything newer, in the saved order); a missing file is
   * nothing to restore. The file stays until the next `persist`, so a crash in between re-delivers.
   */
  async restore(dir?: string): Promise<void> {
    if (dir === undefined) return
    const path = join(dir, PENDING_DELIVERIES_FILE)
    let text: string
    try {
      text = await readFile(path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
      throw new SimulatorError(
        'invalid_config',
        `${path}: cannot read the pending deliveries (${describeError(error)})`,
        { cause: error },
      )
    }
    let value: unknown
    try {
      value = JSON.parse(text) as unknown
    } catch (error) {
      throw new SimulatorError(
        'invalid_config',
        `${path}: not valid JSON (${describeError(error)}); delete it to start without the pending deliveries`,
      )
    }
    const result = checkPayload(PendingFileSchema, value)
    if (!result.ok) {
      throw new SimulatorError(
        'invalid_config',
        `${path}: ${result.issues.map((i) => i.message).join('; ')}`,
        { issues: result.issues },
      )
    }
    const restored = new Map<TargetQueue, Delivery[]>()
    for (const saved of result.value.deliveries) {
      const queue = this.queueFor(saved.target)
      const list = restored.get(queue) ?? []
      if (queue.items.some((d) => d.key === saved.key) || list.some((d) => d.key === saved.key))
        continue
      list.push({
        target: saved.target,
        key: saved.key,
        payload: saved.payload,
        body: JSON.stringify(saved.payload),
        headers: saved.headers,
        attempts: saved.attempts,
        firstAttemptAt: saved.firstAttemptAt ?? undefined,
        enqueuedAt: saved.enqueuedAt,
      })
      restored.set(queue, list)
    }
    for (const [queue, list] of restored) {
      queue.items.unshift(...list)
      this.start(queue)
    }
  }

  /** The retry clock: real time when the host gave one, else virtual time. */
  private now(): number {
    return this.wall ? this.wall.now() : this.clock.now()
  }

  private queueFor(url: string): TargetQueue {
    let queue = this.queues.get(url)
    if (!queue) {
      queue = {
        url,
        items: [],
        busy: false,
        running: undefined,
        retry: undefined,
        abort: undefined,
        healthy: true,
      }
      this.queues.set(url, queue)
    }
    return queue
  }

  private enqueue(delivery: Delivery): void {
    const queue = this.queueFor(delivery.target)
    if (queue.items.length >= this.maxQueue) {
      this.counts.gaveUp += 1
      this.record(delivery, {
        outcome: 'gave-up',
        error: `queue full: ${queue.items.length} deliveries already waiting for ${queue.url}`,
      })
      return
    }
    queue.items.push(delivery)
    // A virtual retry timer is lost when the runtime resets the clock; a due one is honoured here.
    if (queue.retry && !this.wall && this.now() >= queue.retry.dueAt) queue.retry = undefined
    this.start(queue)
  }

  private start(queue: TargetQueue): void {
    if (queue.busy || queue.retry || this.closed || queue.items.length === 0) return
    queue.busy = true
    queue.running = this.drain(queue, 'normal')
  }

  /** Calls `fn` after `ms` on the host's timers (or the request-scoped `AbortSignal.timeout`); returns a cancel. */
  private after(ms: number, fn: () => void): () => void {
    const wall = this.wall
    if (wall) {
      const handle = wall.setTimeout(fn, ms)
      return () => {
        wall.clearTimeout(handle)
      }
    }
    const signal = AbortSignal.timeout(ms)
    signal.addEventListener('abort', fn, { once: true })
    return () => {
      signal.removeEventListener('abort', fn)
    }
  }

  private scheduleRetry(queue: TargetQueue, delayMs: number): void {
    this.tokens += 1
    const token = this.tokens
    const fire = (): void => {
      if (queue.retry?.token !== token) return
      queue.retry = undefined
      this.start(queue)
    }
    const dueAt = this.now() + delayMs
    if (this.wall) {
      queue.retry = { token, dueAt, cancel: this.after(delayMs, fire) }
    } else {
      // A virtual timer cannot be cancelled; the token makes a stale one a no-op.
      this.clock.schedule(this.clock.now() + delayMs, fire)
      queue.retry = { token, dueAt, cancel: () => undefined }
    }
  }

  /** Sends the queue's head until it is empty, a retry is scheduled, or closing stops it. */
  private async drain(queue: TargetQueue, mode: 'normal' | 'last-call'): Promise<void> {
    const timeoutMs =
      mode === 'normal'
        ? this.config.retry.timeoutMs
        : Math.min(this.config.retry.timeoutMs, LAST_CALL_MS)
    try {
      for (;;) {
        if (mode === 'normal' ? this.closed : this.lastCallOver) return
        const head = queue.items[0]
        if (!head) return
        if (
          head.attempts === 0 &&
          !queue.healthy &&
          this.now() >= head.enqueuedAt + this.config.retry.giveUpAfterMs
        ) {
          // It waited in line past its deadline behind a target that is still failing: no new attempt.
          this.remove(queue, head)
          this.counts.gaveUp += 1
          this.record(head, {
            outcome: 'gave-up',
            error: `waited ${this.config.retry.giveUpAfterMs} ms behind failing deliveries to ${queue.url}`,
          })
          continue
        }
        const result = await this.attempt(queue, head, timeoutMs)
        const retryInMs = this.settle(queue, head, result)
        if (retryInMs !== undefined) {
          if (!this.closed) this.scheduleRetry(queue, retryInMs)
          return
        }
        // On the last call a target gets more only while it acknowledges.
        if (mode === 'last-call' && !queue.healthy) return
      }
    } finally {
      queue.busy = false
    }
  }

  private async attempt(
    queue: TargetQueue,
    delivery: Delivery,
    timeoutMs: number,
  ): Promise<AttemptResult> {
    delivery.attempts += 1
    delivery.firstAttemptAt ??= this.now()
    const controller = new AbortController()
    queue.abort = controller
    const cancelTimeout = this.after(timeoutMs, () => {
      controller.abort(new Error(`timed out after ${timeoutMs} ms`))
    })
    try {
      // The race covers a `fetch` that ignores its signal.
      const response = await Promise.race([
        this.fetchFn(delivery.target, {
          method: 'POST',
          headers: { ...delivery.headers, 'x-ccai-attempt': String(delivery.attempts) },
          body: delivery.body,
          redirect: 'manual',
          signal: controller.signal,
        }),
        untilAborted(controller.signal),
      ])
      // The status is the answer; the body is not read, so a slow body cannot turn an ack into a timeout.
      void response.body?.cancel().catch(() => undefined)
      return { status: response.status }
    } catch (error) {
      return { error: describeError(controller.signal.aborted ? controller.signal.reason : error) }
    } finally {
      cancelTimeout()
      queue.abort = undefined
    }
  }

  /** Journals one attempt and updates the queue; returns the retry delay when the delivery stays. */
  private settle(
    queue: TargetQueue,
    delivery: Delivery,
    result: AttemptResult,
  ): number | undefined {
    const answer = 'status' in result ? { status: result.status } : { error: result.error }
    if ('status' in result && result.status >= 200 && result.status < 300) {
      queue.healthy = true
      this.remove(queue, delivery)
      this.counts.delivered += 1
      this.record(delivery, { outcome: 'delivered', ...answer })
      return undefined
    }
    queue.healthy = false
    const now = this.now()
    const deadline = delivery.enqueuedAt + this.config.retry.giveUpAfterMs
    if (now >= deadline) {
      this.remove(queue, delivery)
      this.counts.gaveUp += 1
      this.record(delivery, { outcome: 'gave-up', ...answer })
      return undefined
    }
    const { initialDelayMs, maxDelayMs } = this.config.retry
    const backoff = Math.min(initialDelayMs * 2 ** Math.min(delivery.attempts - 1, 40), maxDelayMs)
    const delay = Math.max(1, Math.min(backoff, deadline - now))
    this.counts.failed += 1
    this.record(delivery, {
      outcome: 'failed',
      ...answer,
      ...(this.closed ? {} : { nextAttemptInMs: delay }),
    })
    return delay
  }

  private remove(queue: TargetQueue, delivery: Delivery): void {
    const index = queue.items.indexOf(delivery)
    if (index >= 0) queue.items.splice(index, 1)
  }

  private record(
    delivery: Delivery,
    detail: {
      outcome: 'delivered' | 'failed' | 'gave-up'
      status?: number
      error?: string
      nextAttemptInMs?: number
    },
  ): void {
    this.journal.add({
      at: this.clock.now(),
      type: 'delivery-attempt',
      target: delivery.target,
      key: delivery.key,
      attempt: delivery.attempts,
      ...detail,
    })
  }

  private async shutDown(): Promise<void> {
    this.closed = true
    for (const queue of this.queues.values()) {
      queue.retry?.cancel()
      queue.retry = undefined
    }
    const cancelLastCall = this.after(LAST_CALL_MS, () => {
      this.lastCallOver = true
      for (const queue of this.queues.values())
        queue.abort?.abort(new Error('cut short: the simulator is closing'))
    })
    try {
      await Promise.all([...this.queues.values()].map((queue) => this.lastCall(queue)))
    } finally {
      cancelLastCall()
    }
  }

  private async lastCall(queue: TargetQueue): Promise<void> {
    if (queue.busy && queue.running) {
      await queue.running
      // That attempt was this target's last call; only an acknowledged one earns more.
      if (!queue.healthy) return
    }
    if (queue.items.length === 0) return
    queue.busy = true
    queue.running = this.drain(queue, 'last-call')
    await queue.running
  }
}
