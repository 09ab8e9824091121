import type { SessionInput } from '@ccai-sim/fixtures'
import { z } from 'zod'
import type { RecordedInput, SavedSession, SessionRecorder, SessionStart } from './resume.js'
import type { LiveSession } from './simulator-runtime.js'
import { WriteAheadLog, type WalEntry, type WalPosition, type WalStats } from './wal.js'

/*
 * The session-input log (`sessions.wal` in the state folder, beside `webhooks.wal` and
 * `mail.wal`): what a restart needs to resume every live session (resume.ts says what is logged
 * and why). Records, one JSON line each:
 *
 * - `start`: a session started (scenario, seed, index, params, overrides, start time, run id);
 * - `input`: an input from outside the script, with its position among the session's inputs;
 * - `mark`: how many emissions sessions have published and which files they wrote, appended only
 *   after the outboxes synced what they accepted (`barrier`);
 * - `end`: a session finished and everything it published is in the outboxes: its records are
 *   dropped at the next compaction.
 *
 * Starts and inputs are appended synchronously (group commit: one fdatasync per turn of the event
 * loop); an HTTP request that started a session or applied an input is answered after `synced()`
 * (app.ts), so what a client was told was accepted survives `kill -9`. Marks and ends ride on the
 * same group commit a turn later.
 */

/** The log's file name in the state folder. */
export const SESSION_LOG_FILE = 'sessions.wal'

/** Compact once at least this many records belong to finished sessions and outweigh live ones. */
const COMPACT_AFTER_DEAD = 1_000

export type SessionLogRecord =
  | ({ readonly t: 'start'; readonly id: number } & SessionStart)
  | ({ readonly t: 'input'; readonly id: number } & RecordedInput)
  | {
      readonly t: 'mark'
      readonly at: number
      /** `[session id, emissions published]`. */
      readonly out: readonly (readonly [number, number])[]
      /** `[session id, storage path written]`. */
      readonly files: readonly (readonly [number, string])[]
    }
  | { readonly t: 'end'; readonly id: number }

const RecordSchema = z.discriminatedUnion('t', [
  z.object({
    t: z.literal('start'),
    id: z.number(),
    scenario: z.string().min(1),
    seed: z.number(),
    index: z.int().min(0),
    params: z.record(z.string(), z.unknown()),
    agent: z.enum(['scripted', 'manual']),
    overrides: z.looseObject({}),
    startedAt: z.number(),
    run: z.string(),
  }),
  z.object({
    t: z.literal('input'),
    id: z.number(),
    n: z.int().min(0),
    d: z.int().min(0),
    nested: z.boolean(),
    // The machine checks the input itself when it is applied again.
    input: z.looseObject({ type: z.string().min(1), at: z.number() }),
  }),
  z.object({
    t: z.literal('mark'),
    at: z.number(),
    out: z.array(z.tuple([z.number(), z.int().min(0)])),
    files: z.array(z.tuple([z.number(), z.string()])),
  }),
  z.object({ t: z.literal('end'), id: z.number() }),
])

function parseRecord(value: unknown): SessionLogRecord {
  const result = RecordSchema.safeParse(value)
  if (result.success) {
    const record = result.data
    if (record.t === 'start') return record
    if (record.t === 'input') return { ...record, input: record.input as unknown as SessionInput }
    return record
  }
  const issue = result.error.issues[0]
  const path = issue?.path.join('.') ?? ''
  throw new Error(`${path === '' ? 'record' : path}: ${issue?.message ?? 'invalid'}`)
}

/** One live session as the log holds it. */
interface Entry {
  readonly start: SessionStart
  startAt: WalPosition
  readonly inputs: { readonly record: RecordedInput; at: WalPosition }[]
  emitted: number
  readonly files: string[]
  doneAt: number
}

export interface SessionLogOptions {
  readonly path: string
  readonly fsync?: boolean | undefined
  /** Virtual time now (marks carry it: where the clock resumes). */
  readonly now: () => number
  /** The run id of sessions starting now. */
  readonly runId: () => string
  /** Resolves once the outboxes have synced everything they accepted so far. */
  readonly barrier: () => Promise<unknown>
}

/** The session-input log: the runtime's recorder, and what a restart resumes (see above). */
export class SessionLog implements SessionRecorder {
  private readonly wal: WriteAheadLog<SessionLogRecord>
  private readonly options: SessionLogOptions
  private readonly live = new Map<number, Entry>()
  private dead = 0
  private dirty = new Map<number, number>()
  private dirtyFiles: [number, string][] = []
  private markQueued = false
  /** Marks and ends waiting for the barrier (`settled`). */
  private readonly waiting = new Set<Promise<unknown>>()
  /** Bumped by a reset: marks and ends still waiting for the barrier are dropped. */
  private epoch = 0
  private closed = false

  private constructor(options: SessionLogOptions, wal: WriteAheadLog<SessionLogRecord>) {
    this.options = options
    this.wal = wal
  }

  /**
   * Opens (or creates) the log and returns the sessions it holds as unfinished, oldest first. A
   * torn last line is dropped; any other bad line is an `invalid_config` error naming the file and
   * line (wal.ts). The file is compacted to those sessions at once.
   */
  static open(options: SessionLogOptions): { log: SessionLog; saved: SavedSession[] } {
    const { wal, records } = WriteAheadLog.open({
      path: options.path,
      parse: parseRecord,
      fsync: options.fsync,
    })
    const log = new SessionLog(options, wal)
    for (const { record, at } of records) log.fold(record, at)
    log.compact()
    const saved = [...log.live].map(([id, entry]) => ({
      id,
      start: entry.start,
      inputs: entry.inputs.map((i) => i.record).sort((a, b) => a.n - b.n),
      emitted: entry.emitted,
      files: [...entry.files],
      doneAt: entry.doneAt,
    }))
    return { log, saved }
  }

  /** The run id a live session's keys use (the one it started under), if the log holds it. */
  runOf(sessionId: number): string | undefined {
    return this.live.get(sessionId)?.start.run
  }

  /** Resolves once every start and input appended so far is on disk. */
  synced(): Promise<void> {
    return this.wal.synced()
  }

  /**
   * Resolves once every mark and end queued so far (they wait for the outboxes' logs first) is
   * appended and on disk: from then on a crash resends nothing already published.
   */
  async settled(): Promise<void> {
    while (this.markQueued || this.waiting.size > 0) {
      // A queued mark is taken in a microtask; its barrier is then in `waiting`.
      await new Promise((resolve) => setImmediate(resolve))
      await Promise.allSettled(this.waiting)
    }
    await this.wal.synced()
  }

  /** Keeps `work` in `waiting` until it settles (see `settled`). */
  private track(work: Promise<unknown>): void {
    this.waiting.add(work)
    const done = (): void => {
      this.waiting.delete(work)
    }
    work.then(done, done)
  }

  stats(): WalStats & { readonly sessions: number } {
    return { ...this.wal.stats(), sessions: this.live.size }
  }

  started(session: LiveSession): void {
    if (this.closed) return
    const start: SessionStart = {
      scenario: session.scenario,
      seed: session.seed,
      index: session.index,
      params: session.params,
      agent: session.agent,
      overrides: session.overrides,
      startedAt: session.startedAt,
      run: this.options.runId(),
    }
    const record = { t: 'start', id: session.id, ...start } as const
    this.fold(record, this.wal.append(record))
  }

  input(session: LiveSession, recorded: RecordedInput): void {
    if (this.closed || !this.live.has(session.id)) return
    const record = { t: 'input', id: session.id, ...recorded } as const
    this.fold(record, this.wal.append(record))
  }

  emitted(session: LiveSession): void {
    if (this.closed || !this.live.has(session.id)) return
    this.dirty.set(session.id, session.emissions.length)
    this.queueMark()
  }

  fileWritten(session: LiveSession, path: string): void {
    if (this.closed || !this.live.has(session.id)) return
    this.dirtyFiles.push([session.id, path])
    this.queueMark()
  }

  finished(session: LiveSession): void {
    if (this.closed || !this.live.has(session.id)) return
    const epoch = this.epoch
    // What it published last is in the outboxes' logs before its own records may go.
    this.track(
      this.options.barrier().then(() => {
        if (epoch !== this.epoch || this.closed) return
        const record = { t: 'end', id: session.id } as const
        this.fold(record, this.wal.append(record))
        if (this.dead >= COMPACT_AFTER_DEAD && this.dead > this.liveRecords()) this.compact()
      }),
    )
  }

  reset(): void {
    this.epoch += 1
    this.dirty.clear()
    this.dirtyFiles = []
    this.live.clear()
    this.compact()
  }

  /**
   * Writes what is still unmarked (the host calls this after the outboxes closed: they hold
   * everything accepted), compacts to the live sessions, and closes; an empty log is removed.
   */
  close(): void {
    if (this.closed) return
    this.applyMarks(this.takeDirty())
    this.compact()
    this.closed = true
    this.wal.close()
  }

  private queueMark(): void {
    if (this.markQueued) return
    this.markQueued = true
    // After the publishing code of this turn has run: one mark per turn, however many emissions.
    queueMicrotask(() => {
      this.markQueued = false
      const taken = this.takeDirty()
      const epoch = this.epoch
      this.track(
        this.options.barrier().then(() => {
          if (epoch !== this.epoch || this.closed) return
          this.applyMarks(taken, true)
        }),
      )
    })
  }

  private takeDirty(): { out: [number, number][]; files: [number, string][] } {
    const out = [...this.dirty]
    const files = this.dirtyFiles
    this.dirty = new Map()
    this.dirtyFiles = []
    return { out, files }
  }

  private applyMarks(taken: { out: [number, number][]; files: [number, string][] }, log = false) {
    const out = taken.out.filter(([id]) => this.live.has(id))
    const files = taken.files.filter(([id]) => this.live.has(id))
    if (out.length === 0 && files.length === 0) return
    const record = { t: 'mark', at: this.options.now(), out, files } as const
    if (log) this.wal.append(record)
    this.fold(record)
  }

  /** Applies one record to the in-memory view (`at`: where it sits in the file). */
  private fold(record: SessionLogRecord, at?: WalPosition): void {
    switch (record.t) {
      case 'start': {
        const { t: _t, id, ...start } = record
        if (at === undefined) return
        this.live.set(id, {
          start,
          startAt: at,
          inputs: [],
          emitted: 0,
          files: [],
          doneAt: start.startedAt,
        })
        return
      }
      case 'input': {
        const entry = this.live.get(record.id)
        if (!entry || at === undefined) {
          this.dead += 1
          return
        }
        const { t: _t, id: _id, ...input } = record
        entry.inputs.push({ record: input, at })
        entry.doneAt = Math.max(entry.doneAt, input.input.at)
        return
      }
      case 'mark': {
        for (const [id, emitted] of record.out) {
          const entry = this.live.get(id)
          if (!entry) continue
          entry.emitted = Math.max(entry.emitted, emitted)
          entry.doneAt = Math.max(entry.doneAt, record.at)
        }
        for (const [id, path] of record.files) {
          const entry = this.live.get(id)
          if (!entry) continue
          entry.files.push(path)
          entry.doneAt = Math.max(entry.doneAt, record.at)
        }
        this.dead += 1
        return
      }
      case 'end': {
        const entry = this.live.get(record.id)
        this.dead += 1 + (entry ? 1 + entry.inputs.length : 0)
        this.live.delete(record.id)
        return
      }
    }
  }

  private liveRecords(): number {
    let count = 0
    for (const entry of this.live.values()) count += 2 + entry.inputs.length
    return count
  }

  /** Rewrites the file with the live sessions only: each one's start, inputs and one mark. */
  private compact(): void {
    const kept: WalEntry<SessionLogRecord>[] = []
    const owners: { entry: Entry; input: number }[] = []
    for (const [id, entry] of this.live) {
      kept.push({ copy: entry.startAt })
      owners.push({ entry, input: -1 })
      entry.inputs.forEach((input, i) => {
        kept.push({ copy: input.at })
        owners.push({ entry, input: i })
      })
      if (entry.emitted > 0 || entry.files.length > 0) {
        kept.push({
          record: {
            t: 'mark',
            at: entry.doneAt,
            out: [[id, entry.emitted]],
            files: entry.files.map((path) => [id, path] as const),
          },
        })
        owners.push({ entry, input: -2 })
      }
    }
    const positions = this.wal.compact(kept)
    owners.forEach(({ entry, input }, i) => {
      const position = positions[i]
      if (position === undefined) return
      if (input >= 0) {
        const recorded = entry.inputs[input]
        if (recorded) recorded.at = position
      } else if (input === -1) entry.startAt = position
    })
    this.dead = 0
  }
}
