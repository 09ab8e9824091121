import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import { VirtualClock } from '../clock/virtual-clock.js'
import { WriteAheadLog } from '../runtime/wal.js'
import { Outbox, PROGRESS_EVERY, type AttemptOutcome, type OutboxDelivery } from './outbox.js'

/*
 * The outbox on its own, with a scripted `send` and the virtual clock (no wall clock: retries wait
 * for `clock.advance`), so every assertion is about order and counts, never about speed.
 */

const cleanups: (() => Promise<unknown>)[] = []
/** The outboxes of the test now: `turns` waits for their logs' writes. */
const boxes: Outbox<string>[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  boxes.length = 0
})

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ccai-sim-outbox-'))
  cleanups.push(() => rm(dir, { recursive: true, force: true }))
  return dir
}

interface Script {
  /** Resolves each attempt; the default acknowledges at once. */
  answer: (delivery: OutboxDelivery<string>) => Promise<AttemptOutcome> | AttemptOutcome
}

function outbox(
  options: {
    concurrency?: number
    maxInMemory?: number
    fsync?: boolean
    giveUpAfterMs?: number
    keepGivenUp?: number
  } = {},
) {
  const clock = new VirtualClock({ mode: 'manual', start: 0 })
  const script: Script = { answer: () => ({ ok: true }) }
  const attempts: OutboxDelivery<string>[] = []
  /** The lane events (`onLane`), with the lane's pending and spilled counts then. */
  const events: { event: string; pending: number; spilled: number; delivered: number }[] = []
  let inFlight = 0
  let maxInFlight = 0
  const box = new Outbox<string>({
    name: 'test',
    payloadSchema: z.string(),
    retry: {
      initialDelayMs: 100,
      maxDelayMs: 1_000,
      giveUpAfterMs: options.giveUpAfterMs ?? 3_600_000,
      timeoutMs: 10_000,
    },
    keepGivenUp: options.keepGivenUp,
    clock,
    concurrency: options.concurrency ?? 1,
    maxInMemory: options.maxInMemory ?? 1_000,
    fsync: options.fsync ?? true,
    onLane: (event, lane) => {
      events.push({
        event,
        pending: lane.pending,
        spilled: lane.spilled,
        delivered: lane.delivered,
      })
    },
    send: async (delivery) => {
      attempts.push(delivery)
      inFlight += 1
      maxInFlight = Math.max(maxInFlight, inFlight)
      try {
        return await script.answer(delivery)
      } finally {
        inFlight -= 1
      }
    },
  })
  cleanups.push(() => box.close())
  boxes.push(box)
  return { box, clock, script, attempts, events, maxInFlight: () => maxInFlight }
}

/**
 * Lets queued attempts run: each is a few promise turns, an immediate, and a log write (written
 * and synced off the event loop, so each turn also waits until the logs have what was appended).
 */
async function turns(n = 20): Promise<void> {
  for (let i = 0; i < n; i++) {
    await Promise.all(boxes.map((box) => box.flushed()))
    await new Promise((resolve) => setImmediate(resolve))
  }
}

describe('Outbox', () => {
  it('sends up to `concurrency` deliveries at once across sessions, but one session at a time and in order', async () => {
    const { box, script, attempts, maxInFlight } = outbox({ concurrency: 3 })
    const gates: (() => void)[] = []
    script.answer = () =>
      new Promise((resolve) => {
        gates.push(() => {
          resolve({ ok: true })
        })
      })
    for (let i = 0; i < 4; i++)
      for (const session of [1, 2, 3, 4])
        box.enqueue({ lane: 'L', key: `${String(session)}:${String(i)}`, session, payload: 'p' })
    await turns()
    // Three sessions' first deliveries are in flight; session 4 waits for a free slot.
    expect(attempts.map((a) => a.key)).toEqual(['1:0', '2:0', '3:0'])
    while (attempts.length < 16 || gates.length > 0) {
      gates.shift()?.()
      await turns(5)
    }
    expect(maxInFlight()).toBe(3)
    for (const session of ['1', '2', '3', '4']) {
      const order = attempts.filter((a) => a.key.startsWith(`${session}:`)).map((a) => a.key)
      expect(order).toEqual([0, 1, 2, 3].map((i) => `${session}:${String(i)}`))
    }
    expect(box.stats()).toMatchObject({ pending: 0, delivered: 16 })
  })

  it('while failing, probes with one delivery at a time, the oldest first, then opens up again', async () => {
    const { box, clock, script, attempts } = outbox({ concurrency: 4 })
    script.answer = () => ({ ok: false, status: 503 })
    for (const session of [1, 2, 3])
      box.enqueue({ lane: 'L', key: `k${String(session)}`, session, payload: 'p' })
    await turns()
    const firstRound = attempts.length
    expect(firstRound).toBeGreaterThanOrEqual(1)
    expect(box.stats().lanes[0]).toMatchObject({ failing: true, pending: 3 })
    attempts.length = 0
    clock.advance(100)
    await turns()
    expect(attempts.map((a) => a.key)).toEqual(['k1'])
    script.answer = () => ({ ok: true })
    clock.advance(1_000)
    await turns()
    expect(box.stats()).toMatchObject({ pending: 0, delivered: 3 })
    expect(box.stats().lanes[0]?.failing).toBe(false)
  })

  it('keeps at most maxInMemory payloads per lane, the rest spilled to the log, and loses none of them', async () => {
    const dir = await tempDir()
    const { box, clock, script, attempts } = outbox({ maxInMemory: 2 })
    box.open(join(dir, 'test.wal'))
    script.answer = () => ({ ok: false, error: 'down' })
    for (let i = 0; i < 10; i++)
      box.enqueue({ lane: 'L', key: `k${String(i)}`, session: 1, payload: `payload ${String(i)}` })
    await turns()
    expect(box.stats()).toMatchObject({ pending: 10, spilled: 8, gaveUp: 0 })
    script.answer = () => ({ ok: true })
    clock.advance(1_000)
    await turns(60)
    expect(box.stats()).toMatchObject({ pending: 0, spilled: 0, delivered: 10, gaveUp: 0 })
    const delivered = attempts.filter((_, i) => i > 0)
    expect(delivered.map((a) => a.payload)).toEqual(
      Array.from({ length: 10 }, (_, i) => `payload ${String(i)}`),
    )
  })

  it('without a log, gives up a delivery that finds maxInMemory waiting (nothing to spill to)', () => {
    const { box, script } = outbox({ maxInMemory: 2 })
    script.answer = () => new Promise(() => undefined)
    for (let i = 0; i < 3; i++)
      box.enqueue({ lane: 'L', key: `k${String(i)}`, session: 1, payload: 'p' })
    expect(box.stats()).toMatchObject({ pending: 2, gaveUp: 1 })
  })

  it('journals a backlog as it spills to disk, every PROGRESS_EVERY acknowledgements while it drains, and when it has drained', async () => {
    const dir = await tempDir()
    // The events are the subject, not durability: no fdatasync per group.
    const { box, events } = outbox({ concurrency: 64, maxInMemory: 100, fsync: false })
    box.open(join(dir, 'test.wal'))
    const total = 2 * PROGRESS_EVERY + 500
    for (let i = 0; i < total; i++)
      box.enqueue({ lane: 'L', key: `k${String(i)}`, session: i, payload: 'p' })
    // Spilled once, when the 101st found 100 in memory; not again for the rest.
    expect(events).toEqual([{ event: 'spilling', pending: 101, spilled: 1, delivered: 0 }])
    for (let i = 0; i < 10_000 && box.stats().pending > 0; i++) await turns(1)
    expect(events.map((e) => [e.event, e.delivered, e.pending])).toEqual([
      ['spilling', 0, 101],
      ['draining', PROGRESS_EVERY, total - PROGRESS_EVERY],
      ['draining', 2 * PROGRESS_EVERY, total - 2 * PROGRESS_EVERY],
      ['drained', total, 0],
    ])
  })

  it('journals the drain after an outage even when the backlog outlasts the first acknowledgement', async () => {
    const { box, clock, script, events } = outbox({ concurrency: 4 })
    let up = false
    script.answer = () => (up ? { ok: true } : { ok: false, status: 503, error: 'down' })
    for (let i = 0; i < 10; i++)
      box.enqueue({ lane: 'L', key: `k${String(i)}`, session: i, payload: 'p' })
    await turns()
    up = true
    clock.advance(1_000)
    for (let i = 0; i < 1_000 && box.stats().pending > 0; i++) await turns(1)
    expect(events.map((e) => [e.event, e.pending])).toEqual([
      ['failing', 10],
      ['recovered', 9],
      ['drained', 0],
    ])
  })

  it('compacts the log once ended records outweigh live ones, keeping the live ones readable', async () => {
    const dir = await tempDir()
    const path = join(dir, 'test.wal')
    // Compaction is the subject here, not durability: no fdatasync per group.
    const { box } = outbox({ concurrency: 64, fsync: false })
    box.open(path)
    for (let i = 0; i < 1_500; i++)
      box.enqueue({ lane: 'L', key: `k${String(i)}`, session: i, payload: 'p' })
    for (let i = 0; i < 10_000 && box.stats().pending > 0; i++) await turns(1)
    expect(box.stats()).toMatchObject({ pending: 0, delivered: 1_500 })
    expect(box.stats().log?.compactions).toBeGreaterThanOrEqual(1)
    // After the last compaction only the ends of the last few deliveries can remain.
    const lines = (await readFile(path, 'utf8')).split('\n').filter((l) => l !== '')
    expect(lines.length).toBeLessThan(1_500)
  })

  it('after a crash, a new outbox on a copy of the log resends only what had no end', async () => {
    const dir = await tempDir()
    const crashed = await tempDir()
    const first = outbox()
    first.box.open(join(dir, 'test.wal'))
    first.script.answer = (d) => (d.key === 'k0' ? { ok: true } : { ok: false, error: 'down' })
    for (let i = 0; i < 3; i++)
      first.box.enqueue({ lane: 'L', key: `k${String(i)}`, session: 1, payload: `p${String(i)}` })
    await turns()
    expect(first.box.stats()).toMatchObject({ delivered: 1, pending: 2 })
    await first.box.flushed()
    await copyFile(join(dir, 'test.wal'), join(crashed, 'test.wal'))

    const second = outbox()
    second.box.open(join(crashed, 'test.wal'))
    await turns()
    expect(second.attempts.map((a) => [a.key, a.payload])).toEqual([
      ['k1', 'p1'],
      ['k2', 'p2'],
    ])
  })

  it('keeps a given-up delivery, and a retry sends it again with its original key and payload', async () => {
    const { box, clock, script, attempts } = outbox({ giveUpAfterMs: 150 })
    script.answer = () => ({ ok: false, status: 503, error: 'down' })
    box.enqueue({ lane: 'L', key: 'k1', session: 7, payload: 'hello' })
    await turns()
    clock.advance(100)
    await turns()
    clock.advance(100)
    await turns()
    const lane = box.stats().lanes[0]
    expect(lane).toMatchObject({ pending: 0, gaveUp: 1 })
    expect(lane?.givenUp).toEqual([
      expect.objectContaining({ id: 'test-1', key: 'k1', session: 7, status: 503, error: 'down' }),
    ])
    script.answer = () => ({ ok: true })
    attempts.length = 0
    expect(box.retry('test-1')).toBe('test-2')
    await turns()
    expect(attempts.map((a) => [a.key, a.session, a.payload])).toEqual([['k1', 7, 'hello']])
    expect(box.stats()).toMatchObject({ delivered: 1, pending: 0 })
    // Retried: no longer kept, so a second retry of the same id finds nothing.
    expect(box.stats().lanes[0]?.givenUp).toEqual([])
    expect(box.retry('test-1')).toBeUndefined()
  })

  it('refuses a retry of an id it does not keep: unknown, malformed, or of another outbox', () => {
    const { box } = outbox()
    expect(box.retry('test-99')).toBeUndefined()
    expect(box.retry('mail-1')).toBeUndefined()
    expect(box.retry('test-1e3')).toBeUndefined()
  })

  it('keeps only the last keepGivenUp given-up deliveries per lane', () => {
    const { box, script } = outbox({ maxInMemory: 1, keepGivenUp: 2 })
    script.answer = () => new Promise(() => undefined)
    // Without a log, each delivery beyond the first finds the queue full and is given up at once.
    for (let i = 0; i < 5; i++)
      box.enqueue({ lane: 'L', key: `k${String(i)}`, session: i, payload: `p${String(i)}` })
    expect(box.stats().lanes[0]?.givenUp.map((d) => d.key)).toEqual(['k3', 'k4'])
    expect(box.stats().gaveUp).toBe(4)
  })

  it('keeps given-up deliveries across a restart through the log, and forgets retried ones', async () => {
    const dir = await tempDir()
    const path = join(dir, 'test.wal')
    const first = outbox({ giveUpAfterMs: 50 })
    first.box.open(path)
    first.script.answer = () => ({ ok: false, status: 500 })
    first.box.enqueue({ lane: 'L', key: 'a', session: 1, payload: 'pa' })
    first.box.enqueue({ lane: 'L', key: 'b', session: 2, payload: 'pb' })
    for (let i = 0; i < 5 && first.box.stats().pending > 0; i++) {
      await turns()
      first.clock.advance(100)
    }
    await turns()
    expect(first.box.stats().lanes[0]?.givenUp.map((d) => d.key)).toEqual(['a', 'b'])
    await first.box.close()

    const second = outbox()
    second.box.open(path)
    await turns()
    // Kept, not resent by themselves.
    expect(second.attempts).toEqual([])
    const kept = second.box.stats().lanes[0]?.givenUp ?? []
    // `b` waited behind `a` past its deadline without an attempt of its own: no status, the reason.
    expect(kept.map((d) => [d.key, d.status, d.error?.slice(0, 6)])).toEqual([
      ['a', 500, undefined],
      ['b', undefined, 'waited'],
    ])
    const retried = second.box.retry(kept[0]?.id ?? '')
    await turns()
    expect(second.attempts.map((a) => [a.key, a.payload])).toEqual([['a', 'pa']])
    await second.box.close()

    const third = outbox()
    third.box.open(path)
    await turns()
    expect(retried).toBeDefined()
    expect(third.box.stats().lanes[0]?.givenUp.map((d) => d.key)).toEqual(['b'])
    expect(third.attempts).toEqual([])
  })
})

describe('WriteAheadLog', () => {
  const parse = (value: unknown) => z.object({ n: z.number() }).parse(value)

  it('reads back appended records by position, across a compaction', async () => {
    const dir = await tempDir()
    const path = join(dir, 'w.wal')
    const { wal, records } = WriteAheadLog.open({ path, parse })
    expect(records).toEqual([])
    const positions = [1, 2, 3].map((n) => wal.append({ n }))
    expect(wal.read(positions[1]!)).toEqual({ n: 2 })
    await wal.synced()
    const moved = wal.compact([{ copy: positions[2]! }, { record: { n: 4 } }])
    expect(wal.read(moved[0]!)).toEqual({ n: 3 })
    expect(wal.read(moved[1]!)).toEqual({ n: 4 })
    wal.close()
    const reopened = WriteAheadLog.open({ path, parse })
    expect(reopened.records.map((r) => r.record)).toEqual([{ n: 3 }, { n: 4 }])
    reopened.wal.close()
  })

  it('has every appended record in the file once synced resolves, and reads records not yet written from memory', async () => {
    const dir = await tempDir()
    const path = join(dir, 'w.wal')
    const { wal } = WriteAheadLog.open({ path, parse })
    const first = wal.append({ n: 1 })
    // Not written yet (the batch starts on the next turn): read from memory.
    expect(wal.read(first)).toEqual({ n: 1 })
    const firstSynced = wal.synced()
    // Appended while the first batch may be on its way: the next batch, read from memory too.
    await new Promise((resolve) => setImmediate(resolve))
    const second = wal.append({ n: 2 })
    expect(wal.read(second)).toEqual({ n: 2 })
    await firstSynced
    expect((await readFile(path, 'utf8')).split('\n')[0]).toBe('{"n":1}')
    await wal.synced()
    expect(await readFile(path, 'utf8')).toBe('{"n":1}\n{"n":2}\n')
    expect(wal.stats()).toMatchObject({ appended: 2, bytes: 16 })
    wal.close()
  })

  it('tells a record on disk long ago at once, while later records wait for their own sync', async () => {
    const dir = await tempDir()
    const path = join(dir, 'w.wal')
    const { wal } = WriteAheadLog.open({ path, parse })
    const old = wal.append({ n: 1 })
    await wal.synced()
    const fresh = wal.append({ n: 2 })
    const seen: string[] = []
    const waits = [
      wal.durable(old).then(() => seen.push('old')),
      wal.durable(fresh).then(async () => {
        seen.push('fresh')
        // Once resolved, the record is in the file.
        expect(await readFile(path, 'utf8')).toBe('{"n":1}\n{"n":2}\n')
      }),
    ]
    await Promise.resolve()
    // The old one did not wait for the batch the fresh one needs.
    expect(seen).toEqual(['old'])
    await Promise.all(waits)
    expect(seen).toEqual(['old', 'fresh'])
    wal.close()
  })

  it('writes everything appended when closed with a batch on its way, so a reopen finds it all', async () => {
    const dir = await tempDir()
    const path = join(dir, 'w.wal')
    const { wal } = WriteAheadLog.open({ path, parse })
    for (let n = 1; n <= 3; n++) wal.append({ n })
    // The first batch starts; more records are appended behind it; close writes both.
    await new Promise((resolve) => setImmediate(resolve))
    for (let n = 4; n <= 6; n++) wal.append({ n })
    const waiting = wal.synced()
    wal.close()
    await waiting
    const reopened = WriteAheadLog.open({ path, parse })
    expect(reopened.records.map((r) => r.record.n)).toEqual([1, 2, 3, 4, 5, 6])
    reopened.wal.close()
  })

  it('compacts with a batch on its way: the new file has what was kept, and later appends follow it', async () => {
    const dir = await tempDir()
    const path = join(dir, 'w.wal')
    const { wal } = WriteAheadLog.open({ path, parse })
    const positions = [1, 2, 3].map((n) => wal.append({ n }))
    await new Promise((resolve) => setImmediate(resolve))
    const late = wal.append({ n: 4 })
    const moved = wal.compact([{ copy: positions[1]! }, { copy: late }])
    expect(moved.map((at) => wal.read(at))).toEqual([{ n: 2 }, { n: 4 }])
    wal.append({ n: 5 })
    await wal.synced()
    expect(await readFile(path, 'utf8')).toBe('{"n":2}\n{"n":4}\n{"n":5}\n')
    wal.close()
    const reopened = WriteAheadLog.open({ path, parse })
    expect(reopened.records.map((r) => r.record.n)).toEqual([2, 4, 5])
    reopened.wal.close()
  })

  it('removes an empty log on close', async () => {
    const dir = await tempDir()
    const path = join(dir, 'w.wal')
    const { wal } = WriteAheadLog.open({ path, parse })
    wal.close()
    await expect(readFile(path)).rejects.toMatchObject({ code: 'ENOENT' })
  })
})

describe('attempt timeouts without a host clock', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('abort each attempt still running its timeout after it started, and only those', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
    const settled: { session: number; outcome: string; error?: string }[] = []
    const signals = new Map<number, AbortSignal>()
    const box = new Outbox<string>({
      name: 'timeouts',
      payloadSchema: z.string(),
      retry: { initialDelayMs: 100, maxDelayMs: 1_000, giveUpAfterMs: 1_000, timeoutMs: 10_000 },
      clock: new VirtualClock({ mode: 'manual', start: 0 }),
      concurrency: 10,
      // Session 2 answers at once; the others never answer (nor look at their signal).
      send: (delivery, signal) => {
        signals.set(delivery.session, signal)
        return delivery.session === 2 ? Promise.resolve({ ok: true }) : new Promise(() => {})
      },
      onSettled: (delivery, detail) => {
        settled.push({
          session: delivery.session,
          outcome: detail.outcome,
          ...(detail.error === undefined ? {} : { error: detail.error }),
        })
      },
    })
    const flush = async (): Promise<void> => {
      for (let i = 0; i < 10; i += 1) await Promise.resolve()
    }
    box.enqueue({ lane: 'l', key: 'a', session: 1, payload: 'a' })
    box.enqueue({ lane: 'l', key: 'b', session: 2, payload: 'b' })
    await vi.advanceTimersByTimeAsync(4_000)
    box.enqueue({ lane: 'l', key: 'c', session: 3, payload: 'c' })
    await flush()
    expect(settled).toEqual([{ session: 2, outcome: 'delivered' }])
    // Session 1's deadline (10 s after it started), not session 3's.
    await vi.advanceTimersByTimeAsync(6_000)
    expect(settled.map((s) => s.session)).toEqual([2, 1])
    expect(settled[1]?.error).toBe('timed out after 10000 ms')
    expect(signals.get(1)?.aborted).toBe(true)
    expect(signals.get(3)?.aborted).toBe(false)
    await vi.advanceTimersByTimeAsync(4_000)
    expect(settled.map((s) => s.session)).toEqual([2, 1, 3])
    expect(signals.get(3)?.aborted).toBe(true)
    expect(signals.get(2)?.aborted).toBe(false)
  })
})
