import { z } from 'zod'
import type { VirtualClock, WallClock } from '../clock/virtual-clock.js'
import { WriteAheadLog, type WalEntry, type WalPosition, type WalStats } from '../runtime/wal.js'

/*
 * An outbox: accepted deliveries, each sent until acknowledged or given up, journaled ahead in a
 * write-ahead log when the host gives it a folder. The webhook dispatcher and the outcome-mail
 * sender are both outboxes; they differ only in what a "send" is. Decisions a receiver can rely on:
 *
 * - One lane per target (a webhook URL; the mail server). A lane sends up to `concurrency`
 *   deliveries at once, but never two of one session at once and never a session's later delivery
 *   before its earlier one: per-session order holds, while sessions overtake each other.
 * - A failed attempt marks the lane as failing: the lane backs off (doubling from `initialDelayMs`
 *   up to `maxDelayMs`, no jitter), then probes with one delivery at a time, the oldest first, and
 *   opens up to `concurrency` again on the first acknowledgement.
 * - The give-up clock of a delivery starts when it is accepted; waiting in line behind a failing
 *   lane counts. A delivery that fails at or past `giveUpAfterMs`, or that waited past it behind
 *   failures without an attempt of its own, is given up (journaled; never silently dropped).
 * - With a log, every accepted delivery is appended (and fdatasync'd) before it is first sent and
 *   its end (delivered or given up) is appended after; a restart resends what has no end, with its
 *   key. The log is compacted when ended records outweigh live ones, and on close.
 * - The last `keepGivenUp` given-up deliveries of each lane are kept, payload and all (in the log
 *   too, so they outlive a restart), for `retry`: it accepts the payload again under its original
 *   key and session, as a new delivery with a fresh give-up clock, at the back of its lane.
 * - Memory is bounded per lane by `maxInMemory`: beyond it, a delivery's payload lives only in the
 *   log and is read back when its turn comes (spilled, not dropped). Without a log (the pure app)
 *   there is no disk to spill to, and a delivery that finds `maxInMemory` waiting is given up.
 * - Retries and timeouts run on the host's wall clock (`wall`): a real receiver recovers in real
 *   time. Without one (the pure app in tests) retries wait on the virtual clock and per-attempt
 *   timeouts use an unreferenced timer, the request's own deadline.
 */

export interface OutboxRetryPolicy {
  readonly initialDelayMs: number
  readonly maxDelayMs: number
  readonly giveUpAfterMs: number
  readonly timeoutMs: number
}

/** What one attempt came to: acknowledged or not, with the status or error to journal. */
export type AttemptOutcome =
  | { readonly ok: true; readonly status?: number; readonly info?: string }
  | { readonly ok: false; readonly status?: number; readonly error?: string }

/** A delivery as the outbox hands it to `send` and its observers. */
export interface OutboxDelivery<P> {
  readonly id: number
  readonly lane: string
  readonly key: string
  readonly session: number
  readonly payload: P
  /** This attempt's number, from 1 (the count survives a restart up to the last compaction). */
  readonly attempt: number
}

export interface SettleDetail {
  readonly outcome: 'delivered' | 'failed' | 'gave-up'
  readonly status?: number
  readonly error?: string
  readonly info?: string
  readonly nextAttemptInMs?: number
}

/**
 * A lane's state changes, for the journal: a receiver went down (`failing`), came back
 * (`recovered`); the backlog outgrew memory and waits on disk (`spilling`), is being worked off
 * (`draining`, every `PROGRESS_EVERY` acknowledgements while it lasts, with the drain rate), is
 * gone (`drained`).
 */
export type LaneEvent = 'failing' | 'recovered' | 'spilling' | 'draining' | 'drained'

export interface OutboxOptions<P> {
  /** Names the outbox in errors (`webhooks`, `mail`). */
  readonly name: string
  readonly payloadSchema: z.ZodType<P>
  readonly retry: OutboxRetryPolicy
  readonly clock: VirtualClock
  readonly wall?: WallClock | undefined
  /** Deliveries in flight per lane (default 1). */
  readonly concurrency?: number | undefined
  /** Payloads held in memory per lane; the rest wait in the log (default 1 000). */
  readonly maxInMemory?: number | undefined
  /** Given-up deliveries kept per lane for a retry, the newest (default 20; 0 keeps none). */
  readonly keepGivenUp?: number | undefined
  /** fdatasync the log (default true). */
  readonly fsync?: boolean | undefined
  /** One attempt; `signal` aborts it at its timeout or when closing cuts it short. */
  readonly send: (delivery: OutboxDelivery<P>, signal: AbortSignal) => Promise<AttemptOutcome>
  /** Each attempt's result, and give-ups without an attempt. */
  readonly onSettled?: ((delivery: OutboxDelivery<P>, detail: SettleDetail) => void) | undefined
  readonly onLane?: ((event: LaneEvent, lane: LaneStats) => void) | undefined
  /** Every attempt's promise, so a host can wait for work under way (the runtime's `settle`). */
  readonly onAttempt?: ((work: Promise<void>) => void) | undefined
}

/** A given-up delivery kept for a retry (`Outbox.retry`), without its payload. */
export interface GivenUpDelivery {
  /** `<outbox name>-<number>`: names the delivery across outboxes (`webhooks-12`, `mail-3`). */
  readonly id: string
  readonly key: string
  readonly session: number
  readonly acceptedAt: number
  /** When it was given up (epoch ms on the retry clock). */
  readonly gaveUpAt: number
  readonly attempts: number
  readonly status?: number
  readonly error?: string
}

export interface LaneStats {
  readonly lane: string
  /** Accepted and neither acknowledged nor given up (in flight included). */
  readonly pending: number
  readonly inFlight: number
  /** Pending deliveries whose payload is only in the log now. */
  readonly spilled: number
  readonly failing: boolean
  readonly delivered: number
  readonly failed: number
  readonly gaveUp: number
  /** Acknowledgements per second over the last ten seconds of the retry clock. */
  readonly drainPerSecond: number
  /** When the oldest pending delivery was accepted (epoch ms on the retry clock). */
  readonly oldestAcceptedAt: number | null
  /** When the lane's next attempt is due after a failure (epoch ms on the retry clock). */
  readonly nextAttemptAt: number | null
  /** The last given-up deliveries, oldest first, that `retry` can send again. */
  readonly givenUp: readonly GivenUpDelivery[]
}

export interface OutboxStats {
  readonly pending: number
  readonly inFlight: number
  readonly spilled: number
  readonly delivered: number
  readonly failed: number
  readonly gaveUp: number
  readonly lanes: readonly LaneStats[]
  readonly log: WalStats | null
}

/** The log's records: a delivery accepted, and its end. */
export type OutboxRecord<P> =
  | {
      readonly t: 'add'
      readonly id: number
      readonly lane: string
      readonly key: string
      readonly session: number
      readonly acceptedAt: number
      readonly attempts: number
      readonly payload: P
    }
  | {
      readonly t: 'end'
      readonly id: number
      /** `retried`: a given-up delivery sent again under a new id (no longer kept for a retry). */
      readonly outcome: 'delivered' | 'gave-up' | 'retried'
      /** Given up: when, and the last answer (for the list of retryable deliveries). */
      readonly at?: number | undefined
      readonly status?: number | undefined
      readonly error?: string | undefined
    }

interface Item<P> {
  readonly id: number
  readonly lane: string
  readonly key: string
  readonly session: number
  readonly acceptedAt: number
  attempts: number
  /** Undefined while spilled: the log has it at `at`. */
  payload: P | undefined
  at: WalPosition | undefined
}

interface GivenUp<P> {
  readonly id: number
  readonly key: string
  readonly session: number
  readonly acceptedAt: number
  readonly gaveUpAt: number
  readonly attempts: number
  readonly status?: number | undefined
  readonly error?: string | undefined
  readonly payload: P
}

interface Lane<P> {
  readonly name: string
  /** Pending items in acceptance order (a Map: removal from anywhere is O(1)). */
  readonly items: Map<number, Item<P>>
  readonly inFlight: Map<number, AttemptAbort | undefined>
  readonly sessions: Set<number>
  readonly running: Set<Promise<void>>
  retry: { readonly token: number; readonly dueAt: number; readonly cancel: () => void } | undefined
  failing: boolean
  inMemory: number
  delivered: number
  failed: number
  gaveUp: number
  /** Acknowledgement times (retry clock) within the rate window. */
  recent: number[]
  /** The last `keepGivenUp` given-up deliveries, oldest first, for `retry`. */
  readonly givenUp: Map<number, GivenUp<P>>
  /** A backlog built up (the lane failed or spilled) and has not drained yet. */
  backlogged: boolean
  /** Spilled since the last drain (`spilling` is journaled once per backlog). */
  spilling: boolean
}

const RATE_WINDOW_MS = 10_000
/** While a backlog lasts, a `draining` event every this many acknowledgements. */
export const PROGRESS_EVERY = 1_000
/** How long `close` gives in-flight and waiting deliveries for their last attempt (at most). */
const LAST_CALL_MS = 1_000
/** Compact when at least this many ended records outweigh the live ones. */
const COMPACT_AFTER_ENDS = 1_000

/**
 * An attempt's abort: the signal its `send` is given, and a promise that rejects when the attempt
 * is aborted (its timeout, or `hurry`) for the race against a `send` that ignores the signal. The
 * promise is rejected by `abort` itself: an `abort` listener per attempt (`addEventListener` with
 * its options object and listener record) cost more than the in-memory mail's whole send.
 */
class AttemptAbort {
  private readonly controller = new AbortController()
  private rejectRace: ((reason: Error) => void) | undefined
  /** Rejects with the abort's reason; only created for the race. */
  readonly aborted: Promise<never>

  constructor() {
    this.aborted = new Promise<never>((_resolve, reject) => {
      this.rejectRace = reject
    })
  }

  get signal(): AbortSignal {
    return this.controller.signal
  }

  abort(reason: Error): void {
    if (this.controller.signal.aborted) return
    this.controller.abort(reason)
    this.rejectRace?.(reason)
  }
}

/**
 * Calls due `ms` after they were added, on one unreferenced Node timer for the earliest: with one
 * delay for all, calls fall due in the order they were added, so a queue serves (a cancelled call
 * stays in it until its time, as a no-op). Saves a Node `Timeout` (its object, list insertion and
 * async-hook bookkeeping) per call, when nearly every call is cancelled (an attempt's timeout).
 */
class DeadlineQueue {
  private readonly entries: { due: number; fn: (() => void) | undefined }[] = []
  private head = 0
  private timer: ReturnType<typeof setTimeout> | undefined
  /** While due calls run: a call added by one is armed for after them, not on its own. */
  private firing = false

  constructor(private readonly ms: number) {}

  add(fn: () => void): () => void {
    const entry: { due: number; fn: (() => void) | undefined } = {
      due: performance.now() + this.ms,
      fn,
    }
    this.entries.push(entry)
    if (this.timer === undefined && !this.firing) this.arm(this.ms)
    return () => {
      entry.fn = undefined
    }
  }

  private arm(delay: number): void {
    this.timer = setTimeout(
      () => {
        this.timer = undefined
        this.fire()
      },
      Math.max(1, Math.ceil(delay)),
    )
    this.timer.unref()
  }

  private fire(): void {
    const now = performance.now()
    const { entries } = this
    this.firing = true
    try {
      while (this.head < entries.length) {
        const entry = entries[this.head] as { due: number; fn: (() => void) | undefined }
        if (entry.fn !== undefined && entry.due > now) break
        this.head += 1
        const { fn } = entry
        entry.fn = undefined
        fn?.()
      }
    } finally {
      this.firing = false
    }
    if (this.head === entries.length) {
      entries.length = 0
      this.head = 0
      return
    }
    // Drop what has run from the front once it is most of the array.
    if (this.head > 1024 && this.head * 2 > entries.length) {
      entries.splice(0, this.head)
      this.head = 0
    }
    const next = entries[this.head]
    if (next !== undefined) this.arm(next.due - now)
  }
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  // undici reports "fetch failed" and puts the useful part (ECONNREFUSED, …) in the cause.
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : ''
  return `${error.message}${cause}`
}

/** The log record schema for a payload schema (each line is checked when the log is opened). */
function recordSchema<P>(payload: z.ZodType<P>): z.ZodType<OutboxRecord<P>> {
  return z.discriminatedUnion('t', [
    z.object({
      t: z.literal('add'),
      id: z.int().min(1),
      lane: z.string().min(1),
      key: z.string().min(1),
      session: z.number(),
      acceptedAt: z.number(),
      attempts: z.int().min(0),
      payload,
    }),
    z.object({
      t: z.literal('end'),
      id: z.int().min(1),
      outcome: z.enum(['delivered', 'gave-up', 'retried']),
      at: z.number().optional(),
      status: z.int().optional(),
      error: z.string().optional(),
    }),
  ])
}

/** Accepted deliveries, sent in order per session and lane, retried, journaled ahead (see above). */
export class Outbox<P> {
  /** The unreferenced timers of `after` without a host clock, one per delay. */
  private readonly deadlines = new Map<number, DeadlineQueue>()
  private readonly options: OutboxOptions<P>
  private readonly concurrency: number
  private readonly maxInMemory: number
  private readonly keepGivenUp: number
  private readonly lanes = new Map<string, Lane<P>>()
  private wal: WriteAheadLog<OutboxRecord<P>> | undefined
  private nextId = 1
  private ends = 0
  private tokens = 0
  private closed = false
  private lastCallOver = false
  private closing: Promise<void> | undefined

  constructor(options: OutboxOptions<P>) {
    this.options = options
    this.concurrency = Math.max(1, options.concurrency ?? 1)
    this.maxInMemory = Math.max(1, options.maxInMemory ?? 1_000)
    this.keepGivenUp = Math.max(0, options.keepGivenUp ?? 20)
  }

  /**
   * Opens the log at `path` and takes up every delivery in it that has no end, in acceptance
   * order, with its key; they go ahead of anything accepted later. Call before the first `enqueue`.
   */
  open(path: string): void {
    const { wal, records } = WriteAheadLog.open({
      path,
      parse: (value) => recordSchema(this.options.payloadSchema).parse(value),
      fsync: this.options.fsync,
    })
    const ended = new Map<number, Extract<OutboxRecord<P>, { t: 'end' }>>()
    for (const { record } of records) if (record.t === 'end') ended.set(record.id, record)
    type Added = { record: Extract<OutboxRecord<P>, { t: 'add' }>; at: WalPosition }
    const live: Added[] = []
    const givenUp: { added: Added; end: Extract<OutboxRecord<P>, { t: 'end' }> }[] = []
    for (const { record, at } of records) {
      const end = record.t === 'add' ? ended.get(record.id) : undefined
      if (record.t === 'add' && !end) live.push({ record, at })
      if (record.t === 'add' && end?.outcome === 'gave-up')
        givenUp.push({ added: { record, at }, end })
      this.nextId = Math.max(this.nextId, record.id + 1)
    }
    for (const { added, end } of givenUp)
      this.keep(this.laneFor(added.record.lane), {
        id: added.record.id,
        key: added.record.key,
        session: added.record.session,
        acceptedAt: added.record.acceptedAt,
        gaveUpAt: end.at ?? added.record.acceptedAt,
        attempts: added.record.attempts,
        status: end.status,
        error: end.error,
        payload: added.record.payload,
      })
    // A fresh file with only the live records and the kept given-up ones: the rest is history now.
    const positions = wal.compact([
      ...live.map(({ at }) => ({ copy: at })),
      ...this.givenUpRecords(),
    ])
    this.wal = wal
    live.forEach(({ record }, index) => {
      const lane = this.laneFor(record.lane)
      const keep = lane.inMemory < this.maxInMemory
      if (keep) lane.inMemory += 1
      lane.items.set(record.id, {
        id: record.id,
        lane: record.lane,
        key: record.key,
        session: record.session,
        acceptedAt: record.acceptedAt,
        attempts: record.attempts,
        payload: keep ? record.payload : undefined,
        at: positions[index],
      })
    })
    for (const lane of this.lanes.values()) this.pump(lane)
  }

  /** Accepts one delivery: logged (when there is a log), then sent in its lane's order. */
  enqueue(input: {
    readonly lane: string
    readonly key: string
    readonly session: number
    readonly payload: P
  }): number {
    const lane = this.laneFor(input.lane)
    const id = this.nextId++
    const acceptedAt = this.now()
    if (!this.wal && lane.items.size >= this.maxInMemory) {
      lane.gaveUp += 1
      const error = `queue full: ${lane.items.size} deliveries already waiting for ${lane.name} (no state folder to spill to)`
      this.keep(lane, { id, ...input, acceptedAt, gaveUpAt: acceptedAt, attempts: 0, error })
      this.options.onSettled?.(
        {
          id,
          lane: input.lane,
          key: input.key,
          session: input.session,
          payload: input.payload,
          attempt: 0,
        },
        { outcome: 'gave-up', error },
      )
      return id
    }
    const at = this.wal?.append({ t: 'add', id, ...input, acceptedAt, attempts: 0 })
    const keep = !this.wal || lane.inMemory < this.maxInMemory
    if (keep) lane.inMemory += 1
    lane.items.set(id, {
      id,
      lane: input.lane,
      key: input.key,
      session: input.session,
      acceptedAt,
      attempts: 0,
      payload: keep ? input.payload : undefined,
      at,
    })
    if (!keep && !lane.spilling) {
      lane.spilling = true
      lane.backlogged = true
      this.options.onLane?.('spilling', this.laneStats(lane))
    }
    // A virtual retry timer is lost when the runtime resets the clock; a due one is honoured here.
    if (lane.retry && !this.options.wall && this.now() >= lane.retry.dueAt) lane.retry = undefined
    this.pump(lane)
    return id
  }

  /**
   * Sends a kept given-up delivery again (`id` as `stats` names it): accepted anew with its key,
   * session and payload, and no longer kept. Returns the new delivery's id, or undefined when no
   * given-up delivery of that id is kept.
   */
  retry(id: string): string | undefined {
    const match = new RegExp(`^${this.options.name}-(\\d{1,15})$`).exec(id)
    if (!match) return undefined
    const number = Number(match[1])
    for (const lane of this.lanes.values()) {
      const entry = lane.givenUp.get(number)
      if (!entry) continue
      lane.givenUp.delete(number)
      if (this.wal) {
        this.wal.append({ t: 'end', id: number, outcome: 'retried' })
        this.ends += 1
      }
      const next = this.enqueue({
        lane: lane.name,
        key: entry.key,
        session: entry.session,
        payload: entry.payload,
      })
      return `${this.options.name}-${next}`
    }
    return undefined
  }

  /** Resolves once everything accepted so far is in the log (at once without a log). */
  flushed(): Promise<void> {
    return this.wal?.synced() ?? Promise.resolve()
  }

  stats(): OutboxStats {
    const lanes = [...this.lanes.values()].map((lane) => this.laneStats(lane))
    const sum = (key: 'pending' | 'inFlight' | 'spilled' | 'delivered' | 'failed' | 'gaveUp') =>
      lanes.reduce((total, lane) => total + lane[key], 0)
    return {
      pending: sum('pending'),
      inFlight: sum('inFlight'),
      spilled: sum('spilled'),
      delivered: sum('delivered'),
      failed: sum('failed'),
      gaveUp: sum('gaveUp'),
      lanes,
      log: this.wal?.stats() ?? null,
    }
  }

  /**
   * Stops scheduling retries; in-flight attempts and waiting deliveries get one last attempt within
   * a short deadline (a lane that acknowledges keeps draining until then); the rest stay in the log.
   */
  close(): Promise<void> {
    this.closing ??= this.shutDown()
    return this.closing
  }

  /** During `close`: ends the last call now; in-flight attempts are cut short and stay pending. */
  hurry(): void {
    this.lastCallOver = true
    for (const lane of this.lanes.values())
      for (const controller of lane.inFlight.values())
        controller?.abort(new Error('cut short: the simulator is closing'))
  }

  /** The retry clock: real time when the host gave one, else virtual time. */
  private now(): number {
    return this.options.wall ? this.options.wall.now() : this.options.clock.now()
  }

  private laneFor(name: string): Lane<P> {
    let lane = this.lanes.get(name)
    if (!lane) {
      lane = {
        name,
        items: new Map(),
        inFlight: new Map(),
        sessions: new Set(),
        running: new Set(),
        retry: undefined,
        failing: false,
        inMemory: 0,
        delivered: 0,
        failed: 0,
        gaveUp: 0,
        recent: [],
        givenUp: new Map(),
        backlogged: false,
        spilling: false,
      }
      this.lanes.set(name, lane)
    }
    return lane
  }

  private laneStats(lane: Lane<P>): LaneStats {
    const now = this.now()
    this.trimRecent(lane, now)
    let oldest: number | null = null
    for (const item of lane.items.values()) {
      oldest = item.acceptedAt
      break
    }
    return {
      lane: lane.name,
      pending: lane.items.size,
      inFlight: lane.inFlight.size,
      spilled: lane.items.size - lane.inMemory,
      failing: lane.failing,
      delivered: lane.delivered,
      failed: lane.failed,
      gaveUp: lane.gaveUp,
      drainPerSecond: Math.round((lane.recent.length / (RATE_WINDOW_MS / 1_000)) * 10) / 10,
      oldestAcceptedAt: oldest,
      nextAttemptAt: lane.retry?.dueAt ?? null,
      givenUp: [...lane.givenUp.values()].map((entry) => ({
        id: `${this.options.name}-${entry.id}`,
        key: entry.key,
        session: entry.session,
        acceptedAt: entry.acceptedAt,
        gaveUpAt: entry.gaveUpAt,
        attempts: entry.attempts,
        ...(entry.status === undefined ? {} : { status: entry.status }),
        ...(entry.error === undefined ? {} : { error: entry.error }),
      })),
    }
  }

  /** Keeps a given-up delivery for a retry, forgetting the oldest beyond `keepGivenUp`. */
  private keep(lane: Lane<P>, entry: GivenUp<P>): void {
    if (this.keepGivenUp === 0) return
    lane.givenUp.set(entry.id, entry)
    for (const oldest of lane.givenUp.keys()) {
      if (lane.givenUp.size <= this.keepGivenUp) break
      lane.givenUp.delete(oldest)
    }
  }

  /** The log records of the kept given-up deliveries: each one's acceptance and its end. */
  private givenUpRecords(): WalEntry<OutboxRecord<P>>[] {
    const entries: WalEntry<OutboxRecord<P>>[] = []
    for (const lane of this.lanes.values())
      for (const entry of lane.givenUp.values()) {
        entries.push(
          {
            record: {
              t: 'add',
              id: entry.id,
              lane: lane.name,
              key: entry.key,
              session: entry.session,
              acceptedAt: entry.acceptedAt,
              attempts: entry.attempts,
              payload: entry.payload,
            },
          },
          {
            record: {
              t: 'end',
              id: entry.id,
              outcome: 'gave-up',
              at: entry.gaveUpAt,
              ...(entry.status === undefined ? {} : { status: entry.status }),
              ...(entry.error === undefined ? {} : { error: entry.error }),
            },
          },
        )
      }
    return entries
  }

  private trimRecent(lane: Lane<P>, now: number): void {
    let drop = 0
    while (drop < lane.recent.length && (lane.recent[drop] ?? now) < now - RATE_WINDOW_MS) drop += 1
    if (drop > 0) lane.recent.splice(0, drop)
  }

  /** The first pending delivery that may go now: not in flight, and no earlier one of its session pending. */
  private next(lane: Lane<P>): Item<P> | undefined {
    const blocked = new Set<number>()
    for (const item of lane.items.values()) {
      if (lane.inFlight.has(item.id) || lane.sessions.has(item.session)) {
        blocked.add(item.session)
        continue
      }
      if (blocked.has(item.session)) continue
      return item
    }
    return undefined
  }

  /** Starts attempts until the lane is at its concurrency (one while failing), waits, or is empty. */
  private pump(lane: Lane<P>): void {
    if (this.closed || lane.retry) return
    const limit = lane.failing ? 1 : this.concurrency
    while (lane.inFlight.size < limit) {
      const item = this.next(lane)
      if (!item) return
      const giveUpAt = item.acceptedAt + this.options.retry.giveUpAfterMs
      if (item.attempts === 0 && lane.failing && this.now() >= giveUpAt) {
        // It waited in line past its deadline behind a lane that is still failing: no new attempt.
        this.finish(lane, item, {
          outcome: 'gave-up',
          error: `waited ${this.options.retry.giveUpAfterMs} ms behind failing deliveries to ${lane.name}`,
        })
        continue
      }
      void this.launch(lane, item, this.options.retry.timeoutMs)
    }
  }

  private launch(lane: Lane<P>, item: Item<P>, timeoutMs: number): Promise<void> {
    lane.inFlight.set(item.id, undefined)
    lane.sessions.add(item.session)
    const work = this.attempt(lane, item, timeoutMs).finally(() => {
      lane.running.delete(work)
      lane.inFlight.delete(item.id)
      lane.sessions.delete(item.session)
      this.pump(lane)
    })
    lane.running.add(work)
    this.options.onAttempt?.(work)
    return work
  }

  /** Calls `fn` after `ms` on the host's timers (or an unreferenced timer of its own); returns a cancel. */
  private after(ms: number, fn: () => void): () => void {
    const wall = this.options.wall
    if (wall) {
      const handle = wall.setTimeout(fn, ms)
      return () => {
        wall.clearTimeout(handle)
      }
    }
    // An unreferenced timer, cleared when the attempt ends: `AbortSignal.timeout` kept a signal,
    // a weak reference and a timer alive per attempt until the deadline passed (every outcome
    // mail of a burst of sessions at once). One timer per delay for all the calls due after it
    // (`DeadlineQueue`), not a Node timer each: most are cancelled before they are due.
    let queue = this.deadlines.get(ms)
    if (queue === undefined) {
      queue = new DeadlineQueue(ms)
      this.deadlines.set(ms, queue)
    }
    return queue.add(fn)
  }

  private async attempt(lane: Lane<P>, item: Item<P>, timeoutMs: number): Promise<void> {
    // Nothing leaves before it is on disk: the log is the acceptance. Only this delivery's record
    // is waited for: one accepted long ago is on disk already.
    if (item.at && this.wal) await this.wal.durable(item.at)
    if (item.payload === undefined && item.at && this.wal) {
      const record = this.wal.read(item.at)
      if (record.t === 'add') item.payload = record.payload
      lane.inMemory += 1
    }
    const payload = item.payload as P
    item.attempts += 1
    const controller = new AttemptAbort()
    lane.inFlight.set(item.id, controller)
    const cancelTimeout = this.after(timeoutMs, () => {
      controller.abort(new Error(`timed out after ${timeoutMs} ms`))
    })
    const delivery: OutboxDelivery<P> = {
      id: item.id,
      lane: item.lane,
      key: item.key,
      session: item.session,
      payload,
      attempt: item.attempts,
    }
    let outcome: AttemptOutcome
    try {
      // The race covers a `send` that ignores its signal.
      outcome = await Promise.race([
        this.options.send(delivery, controller.signal),
        controller.aborted,
      ])
    } catch (error) {
      outcome = {
        ok: false,
        error: describeError(controller.signal.aborted ? controller.signal.reason : error),
      }
    } finally {
      cancelTimeout()
    }
    this.settle(lane, item, { delivery, outcome })
  }

  private settle(
    lane: Lane<P>,
    item: Item<P>,
    result: { readonly delivery: OutboxDelivery<P>; readonly outcome: AttemptOutcome },
  ): void {
    const { delivery, outcome } = result
    const answer = {
      ...(outcome.status === undefined ? {} : { status: outcome.status }),
      ...(!outcome.ok && outcome.error !== undefined ? { error: outcome.error } : {}),
      ...(outcome.ok && outcome.info !== undefined ? { info: outcome.info } : {}),
    }
    if (outcome.ok) {
      const wasFailing = lane.failing
      lane.failing = false
      lane.recent.push(this.now())
      this.finish(lane, item, { outcome: 'delivered', ...answer, delivery })
      if (wasFailing) this.options.onLane?.('recovered', this.laneStats(lane))
      if (lane.items.size === 0 && (lane.backlogged || lane.delivered % 10_000 === 0)) {
        lane.backlogged = false
        lane.spilling = false
        this.options.onLane?.('drained', this.laneStats(lane))
      } else if (lane.backlogged && lane.delivered % PROGRESS_EVERY === 0) {
        this.options.onLane?.('draining', this.laneStats(lane))
      }
      return
    }
    const wasFailing = lane.failing
    lane.failing = true
    lane.backlogged = true
    const now = this.now()
    const deadline = item.acceptedAt + this.options.retry.giveUpAfterMs
    if (now >= deadline) {
      this.finish(lane, item, { outcome: 'gave-up', ...answer, delivery })
      if (!wasFailing) this.options.onLane?.('failing', this.laneStats(lane))
      return
    }
    const { initialDelayMs, maxDelayMs } = this.options.retry
    const backoff = Math.min(initialDelayMs * 2 ** Math.min(item.attempts - 1, 40), maxDelayMs)
    const delay = Math.max(1, Math.min(backoff, deadline - now))
    lane.failed += 1
    // A spilled payload goes back to the log while it waits, so a long outage stays bounded.
    if (lane.inMemory > this.maxInMemory && item.at && this.wal) {
      item.payload = undefined
      lane.inMemory -= 1
    }
    const retrying = !this.closed && !lane.retry
    this.options.onSettled?.(delivery, {
      outcome: 'failed',
      ...answer,
      ...(retrying ? { nextAttemptInMs: delay } : {}),
    })
    if (retrying) this.scheduleRetry(lane, delay)
    if (!wasFailing) this.options.onLane?.('failing', this.laneStats(lane))
  }

  /** Ends a delivery: acknowledged or given up, journaled, its end logged. */
  private finish(
    lane: Lane<P>,
    item: Item<P>,
    ending: SettleDetail & {
      readonly outcome: 'delivered' | 'gave-up'
      readonly delivery?: OutboxDelivery<P>
    },
  ): void {
    const { delivery, ...detail } = ending
    const outcome = ending.outcome
    const gaveUpAt = this.now()
    if (outcome === 'gave-up') {
      const payload =
        item.payload ??
        (item.at && this.wal ? this.payloadAt(item.at) : undefined) ??
        delivery?.payload
      if (payload !== undefined)
        this.keep(lane, {
          id: item.id,
          key: item.key,
          session: item.session,
          acceptedAt: item.acceptedAt,
          gaveUpAt,
          attempts: item.attempts,
          status: detail.status,
          error: detail.error,
          payload,
        })
    }
    lane.items.delete(item.id)
    if (item.payload !== undefined) lane.inMemory -= 1
    if (outcome === 'delivered') lane.delivered += 1
    else lane.gaveUp += 1
    this.options.onSettled?.(
      delivery ?? {
        id: item.id,
        lane: item.lane,
        key: item.key,
        session: item.session,
        payload: item.payload as P,
        attempt: item.attempts,
      },
      detail,
    )
    if (this.wal) {
      this.wal.append(
        outcome === 'delivered'
          ? { t: 'end', id: item.id, outcome }
          : {
              t: 'end',
              id: item.id,
              outcome,
              at: gaveUpAt,
              ...(detail.status === undefined ? {} : { status: detail.status }),
              ...(detail.error === undefined ? {} : { error: detail.error }),
            },
      )
      this.ends += 1
      if (this.ends >= COMPACT_AFTER_ENDS && this.ends >= this.pendingTotal()) this.compact()
    }
  }

  private payloadAt(at: WalPosition): P | undefined {
    const record = this.wal?.read(at)
    return record?.t === 'add' ? record.payload : undefined
  }

  private pendingTotal(): number {
    let total = 0
    for (const lane of this.lanes.values()) total += lane.items.size
    return total
  }

  /** Rewrites the log with the pending deliveries only (current attempt counts where in memory). */
  private compact(): void {
    const wal = this.wal
    if (!wal) return
    const items: Item<P>[] = []
    for (const lane of this.lanes.values()) for (const item of lane.items.values()) items.push(item)
    items.sort((a, b) => a.id - b.id)
    const positions = wal.compact([
      ...items.map((item) =>
        item.payload === undefined && item.at
          ? { copy: item.at }
          : {
              record: {
                t: 'add' as const,
                id: item.id,
                lane: item.lane,
                key: item.key,
                session: item.session,
                acceptedAt: item.acceptedAt,
                attempts: item.attempts,
                payload: item.payload as P,
              },
            },
      ),
      ...this.givenUpRecords(),
    ])
    items.forEach((item, index) => {
      item.at = positions[index]
    })
    this.ends = 0
  }

  private scheduleRetry(lane: Lane<P>, delayMs: number): void {
    this.tokens += 1
    const token = this.tokens
    const fire = (): void => {
      if (lane.retry?.token !== token) return
      lane.retry = undefined
      this.pump(lane)
    }
    const dueAt = this.now() + delayMs
    if (this.options.wall) {
      lane.retry = { token, dueAt, cancel: this.after(delayMs, fire) }
    } else {
      // A virtual timer cannot be cancelled; the token makes a stale one a no-op.
      const clock = this.options.clock
      clock.schedule(clock.now() + delayMs, fire)
      lane.retry = { token, dueAt, cancel: () => undefined }
    }
  }

  private async shutDown(): Promise<void> {
    this.closed = true
    for (const lane of this.lanes.values()) {
      lane.retry?.cancel()
      lane.retry = undefined
    }
    const cancelLastCall = this.after(LAST_CALL_MS, () => {
      this.hurry()
    })
    try {
      await Promise.all([...this.lanes.values()].map((lane) => this.lastCall(lane)))
    } finally {
      cancelLastCall()
    }
    if (this.wal) {
      this.compact()
      this.wal.close()
    }
  }

  private async lastCall(lane: Lane<P>): Promise<void> {
    if (lane.running.size > 0) {
      await Promise.allSettled([...lane.running])
      // Those attempts were this lane's last call; only an acknowledged one earns more.
      if (lane.failing) return
    }
    const timeoutMs = Math.min(this.options.retry.timeoutMs, LAST_CALL_MS)
    while (!this.lastCallOver) {
      const item = this.next(lane)
      if (!item) return
      await this.launch(lane, item, timeoutMs)
      if (lane.failing) return
    }
  }
}
