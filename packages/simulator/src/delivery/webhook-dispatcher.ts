import { existsSync } from 'node:fs'
import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { Emission } from '@ccai-sim/fixtures'
import { checkPayload } from '@ccai-sim/schemas'
import { z } from 'zod'
import type { VirtualClock, WallClock } from '../clock/virtual-clock.js'
import type { SimulatorConfig } from '../config.js'
import { SimulatorError } from '../errors.js'
import type { EmissionBus } from '../runtime/bus.js'
import type { Journal } from '../runtime/journal.js'
import {
  Outbox,
  type AttemptOutcome,
  type LaneEvent,
  type LaneStats,
  type OutboxDelivery,
  type OutboxStats,
} from './outbox.js'

/*
 * Outbound webhooks, at least once: an `Outbox` (see outbox.ts for ordering, concurrency, retries,
 * spilling and the write-ahead log) whose lanes are the target URLs. Decisions of the webhook side:
 *
 * - `idempotency-key` is `<runId>:<emission key>` (`<runId>:<sessionId>:<surface>:<ordinal>`), the
 *   same on every retry, after a restart, and for every target: it names the event, not the
 *   delivery, and each receiver dedupes in its own scope. The run id is new for each start and each
 *   reset of the simulator, so a new run of the same seed (whose emission keys repeat) is new work
 *   to a deduplicating receiver, while a replay from the log keeps the key it was accepted with,
 *   and a live session resumed after a restart keeps the run id it started under (runtime/resume.ts).
 * - Any answer but 2xx is retried, 3xx and 4xx included: the platform's documents describe no webhook
 *   contract a receiver could be held to, and a receiver answering 4xx is most often one mid-deploy or
 *   with a stale key; `giveUpAfterMs` bounds what that costs.
 * - The response body is never read: a slow body cannot turn an acknowledgement into a timeout.
 */

/** What the simulator wrote before the write-ahead log; `open` imports and removes it. */
export const PENDING_DELIVERIES_FILE = 'pending-deliveries.json'
/** The webhooks' write-ahead log, inside the state folder the host names. */
export const WEBHOOK_LOG_FILE = 'webhooks.wal'

const WEBHOOK_SURFACES: ReadonlySet<string> = new Set(['adapter', 'vta', 'qm'])
const DEFAULT_MAX_QUEUE = 10_000

export interface WebhookDispatcherOptions {
  readonly config: SimulatorConfig['webhooks']
  readonly fetch: typeof fetch
  /** The host's real timers; retries use them. Without one, retries wait on the virtual clock. */
  readonly wall?: WallClock | undefined
  readonly journal: Journal
  readonly clock: VirtualClock
  /**
   * Payloads held in memory per target (default: `config.maxInMemory`, else 10 000). With a log the
   * rest wait on disk; without one a delivery that finds the queue this full is given up.
   */
  readonly maxQueuePerTarget?: number | undefined
  /**
   * The run id that prefixes a session's idempotency keys (default none: the emission key alone);
   * a resumed session keeps the one it started under.
   */
  readonly runId?: ((sessionId: number) => string) | undefined
  /** fdatasync the log (default true). */
  readonly fsync?: boolean | undefined
  /** Every attempt's promise (the runtime's `settle` waits for them). */
  readonly onAttempt?: ((work: Promise<void>) => void) | undefined
}

/** Counters since the dispatcher was created; `failed` counts failed attempts that will be retried or kept. */
/** Where adapter (and VTA) emissions and QM emissions are POSTed. */
export interface WebhookTargets {
  readonly adapter: SimulatorConfig['webhooks']['adapter']
  readonly qm: SimulatorConfig['webhooks']['qm']
}

export interface WebhookStats {
  readonly pending: number
  readonly delivered: number
  readonly failed: number
  readonly gaveUp: number
}

/** What a webhook delivery carries: the emission's payload and the headers of every attempt. */
export interface WebhookPayload {
  readonly payload: unknown
  /** Every header but `x-ccai-attempt`, which is sent per attempt. */
  readonly headers: Readonly<Record<string, string>>
}

const WebhookPayloadSchema = z.object({
  payload: z.unknown(),
  headers: z.record(z.string(), z.string()),
}) as z.ZodType<WebhookPayload>

const LegacyPendingFileSchema = z.object({
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

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : ''
  return `${error.message}${cause}`
}

/**
 * The headers of a webhook delivery: the target's configured headers (lower-cased), then the
 * protocol's, which win: `content-type`, `idempotency-key` (the key given: the dispatcher's is
 * `<runId>:<emission key>`), `x-ccai-contract`, `x-ccai-session-id`. The load-test export sends
 * the same (`ccai-sim export artillery`), keyed by the emission key.
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
 * with exponential backoff until acknowledged (2xx) or given up, in emission order per session.
 */
export class WebhookDispatcher {
  private readonly config: SimulatorConfig['webhooks']
  private readonly fetchFn: typeof fetch
  private readonly journal: Journal
  private readonly clock: VirtualClock
  private readonly runId: (sessionId: number) => string
  private readonly outbox: Outbox<WebhookPayload>
  /** The configured targets until replaced at run time (`PUT /_sim/webhooks`). */
  private current: WebhookTargets

  constructor(options: WebhookDispatcherOptions) {
    this.config = options.config
    this.current = { adapter: options.config.adapter, qm: options.config.qm }
    this.fetchFn = options.fetch
    this.journal = options.journal
    this.clock = options.clock
    this.runId = options.runId ?? (() => '')
    this.outbox = new Outbox<WebhookPayload>({
      name: 'webhooks',
      payloadSchema: WebhookPayloadSchema,
      retry: options.config.retry,
      clock: options.clock,
      wall: options.wall,
      concurrency: options.config.concurrency,
      maxInMemory: options.maxQueuePerTarget ?? options.config.maxInMemory ?? DEFAULT_MAX_QUEUE,
      keepGivenUp: options.config.keepGivenUp,
      fsync: options.fsync,
      send: (delivery, signal) => this.post(delivery, signal),
      onSettled: (delivery, detail) => {
        this.journal.add({
          at: this.clock.now(),
          type: 'delivery-attempt',
          target: delivery.lane,
          key: delivery.key,
          attempt: delivery.attempt,
          outcome: detail.outcome,
          ...(detail.status === undefined ? {} : { status: detail.status }),
          ...(detail.error === undefined ? {} : { error: detail.error }),
          ...(detail.nextAttemptInMs === undefined
            ? {}
            : { nextAttemptInMs: detail.nextAttemptInMs }),
        })
      },
      onLane: (event, lane) => {
        this.journalBacklog(event, lane)
      },
      onAttempt: options.onAttempt,
    })
  }

  /** Subscribes to the bus: `adapter` and `vta` emissions go to every adapter target, `qm` to every QM target. */
  attach(bus: EmissionBus): void {
    bus.subscribe({ surfaces: [...WEBHOOK_SURFACES] }, (emission) => {
      this.dispatch(emission)
    })
  }

  /** Accepts one emission for its surface's targets (a URL listed twice gets it once). */
  dispatch(emission: Emission): void {
    if (!WEBHOOK_SURFACES.has(emission.surface)) return
    const targets = emission.surface === 'qm' ? this.current.qm : this.current.adapter
    if (targets.length === 0) return
    const run = this.runId(emission.sessionId)
    const key = run === '' ? emission.key : `${run}:${emission.key}`
    const seen = new Set<string>()
    for (const target of targets) {
      if (seen.has(target.url)) continue
      seen.add(target.url)
      // The key is the run's (`<runId>:<emission key>`): the protocol headers carry it.
      const headers = webhookHeaders({ ...emission, key }, target.headers)
      this.outbox.enqueue({
        lane: target.url,
        key,
        session: emission.sessionId,
        payload: { payload: emission.payload, headers },
      })
    }
  }

  /** Sends a kept given-up delivery again with its key (see `Outbox.retry`): its new id, or undefined. */
  retry(id: string): string | undefined {
    return this.outbox.retry(id)
  }

  /** Resolves once every delivery accepted so far is in the log (the session log's barrier). */
  flushed(): Promise<void> {
    return this.outbox.flushed()
  }

  /** The targets emissions go to now. */
  targets(): WebhookTargets {
    return this.current
  }

  /**
   * Replaces the targets for the emissions from now on (the configuration file is not touched);
   * deliveries already accepted stay queued for the target they were accepted for.
   */
  setTargets(targets: WebhookTargets): void {
    this.current = { adapter: [...targets.adapter], qm: [...targets.qm] }
  }

  /** Pending deliveries now, and delivered, failed-attempt and given-up counts since creation. */
  stats(): WebhookStats {
    const { pending, delivered, failed, gaveUp } = this.outbox.stats()
    return { pending, delivered, failed, gaveUp }
  }

  /** The backlog per target: pending, in flight, spilled to disk, drain rate, failing or not. */
  backlog(): OutboxStats {
    return this.outbox.stats()
  }

  /** Deliveries neither acknowledged nor given up, over every target. */
  pending(): number {
    return this.outbox.stats().pending
  }

  /**
   * Opens the write-ahead log in `dir` (`webhooks.wal`) and resends what it holds; a
   * `pending-deliveries.json` of an older version (in `legacyDir`, default `dir`: older versions
   * wrote it beside the storage folder) is imported first and removed. Without a folder the
   * deliveries live in memory only.
   */
  async open(dir?: string, legacyDir: string | undefined = dir): Promise<void> {
    if (dir === undefined) return
    const legacy = legacyDir === undefined ? [] : await this.readLegacy(legacyDir)
    this.outbox.open(join(dir, WEBHOOK_LOG_FILE))
    if (legacy.length > 0) {
      for (const saved of legacy) {
        this.outbox.enqueue({
          lane: saved.target,
          key: saved.key,
          session: Number(saved.headers['x-ccai-session-id'] ?? 0),
          payload: { payload: saved.payload, headers: saved.headers },
        })
      }
      await this.outbox.flushed()
      await rm(join(legacyDir ?? dir, PENDING_DELIVERIES_FILE), { force: true })
    }
  }

  /**
   * Stops scheduling retries; in-flight attempts and waiting heads get one last attempt within a
   * short deadline (a target that acknowledges keeps draining until then); the rest stay in the log.
   */
  close(): Promise<void> {
    return this.outbox.close()
  }

  /** During `close`: ends the last call now (in-flight attempts are cut short and stay pending). */
  hurry(): void {
    this.outbox.hurry()
  }

  private async post(
    delivery: OutboxDelivery<WebhookPayload>,
    signal: AbortSignal,
  ): Promise<AttemptOutcome> {
    const response = await this.fetchFn(delivery.lane, {
      method: 'POST',
      headers: { ...delivery.payload.headers, 'x-ccai-attempt': String(delivery.attempt) },
      body: JSON.stringify(delivery.payload.payload),
      redirect: 'manual',
      signal,
    })
    // The status is the answer; the body is not read, so a slow body cannot turn an ack into a timeout.
    void response.body?.cancel().catch(() => undefined)
    return { ok: response.status >= 200 && response.status < 300, status: response.status }
  }

  private journalBacklog(event: LaneEvent, lane: LaneStats): void {
    this.journal.add({
      at: this.clock.now(),
      type: 'backlog',
      channel: 'webhooks',
      event,
      target: lane.lane,
      pending: lane.pending,
      spilled: lane.spilled,
      drainPerSecond: lane.drainPerSecond,
    })
  }

  private async readLegacy(
    dir: string,
  ): Promise<z.output<typeof LegacyPendingFileSchema>['deliveries']> {
    const path = join(dir, PENDING_DELIVERIES_FILE)
    if (!existsSync(path)) return []
    let text: string
    try {
      text = await readFile(path, 'utf8')
    } catch (error) {
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
    const result = checkPayload(LegacyPendingFileSchema, value)
    if (!result.ok) {
      throw new SimulatorError(
        'invalid_config',
        `${path}: ${result.issues.map((i) => i.message).join('; ')}`,
        { issues: result.issues },
      )
    }
    return result.value.deliveries
  }
}
