import {
  closeSync,
  existsSync,
  fdatasync,
  fdatasyncSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  ftruncateSync,
  write,
  writeSync,
} from 'node:fs'
import { dirname } from 'node:path'
import { SimulatorError } from '../errors.js'

/*
 * A write-ahead log: one append-only file of JSON lines, one typed record per line. What a caller
 * appends is durable (written and fdatasync'd) before `synced()` resolves, so work it acknowledged
 * after that survives `kill -9`. Decisions:
 *
 * - Group commit: `append` buffers the line; the buffer is written and synced off the event loop
 *   (libuv's thread pool), one batch at a time: what is appended while a batch is on its way goes
 *   in the next one, so a burst of appends costs one fdatasync, not one each. Callers that act on a
 *   record (send a delivery) first await `synced()`: nothing leaves the process before it is on
 *   disk. The write and the fdatasync are asynchronous because a synchronous fdatasync (5–20 ms
 *   on a busy disk) once per turn of the event loop held up everything else the process does:
 *   under continuous load it capped webhook delivery at about a hundred a second.
 * - A record not yet written (buffered, or in the batch under way) is read back from memory.
 *   `close` and `compact` are synchronous: they write what is pending themselves.
 * - A crash can tear the last line (a partial write); `open` drops a last line without its newline
 *   and truncates the file there. A malformed line anywhere else is corruption: `open` refuses it,
 *   naming the file and line, rather than guess.
 * - Compaction rewrites the file with the records the caller still needs (written to a temporary
 *   file, synced, renamed over the log, the folder synced): a crash during it leaves either the old
 *   log or the new one, never a mix.
 * - Each record's position (offset and length) is returned, so a caller may drop a large record
 *   from memory and read it back later (`read`): that is how the outboxes spill to disk.
 *
 * One log per stream of work (webhooks, mail, live sessions' inputs), each in its own file.
 */

/** Where a record sits in the log file (bytes, its newline excluded). */
export interface WalPosition {
  readonly offset: number
  readonly length: number
}

/** What compaction keeps: a record to write, or one already in the log to copy as it is. */
export type WalEntry<R> = { readonly record: R } | { readonly copy: WalPosition }

export interface WalOptions<R> {
  /** The log file; its folder is created when missing. */
  readonly path: string
  /** Checks one parsed line and returns it typed; throws a message naming the field when it is not. */
  readonly parse: (value: unknown) => R
  /** fdatasync after each group of appends (default true; false trades durability for speed). */
  readonly fsync?: boolean | undefined
}

export interface WalStats {
  readonly path: string
  /** Bytes in the file now (appended but unsynced bytes included). */
  readonly bytes: number
  readonly appended: number
  readonly syncs: number
  readonly compactions: number
}

const NEWLINE = 0x0a

/** A durable, append-only log of typed records (see the module comment). */
export class WriteAheadLog<R extends object> {
  readonly path: string
  private readonly parse: (value: unknown) => R
  private readonly fsync: boolean
  private fd: number
  private size: number
  /** Appended, not yet handed to a write: the bytes from `size - bufferedBytes` on. */
  private buffered: Buffer[] = []
  private bufferedBytes = 0
  private flushScheduled = false
  /** Resolve once the buffered records are on disk. */
  private waiters: (() => void)[] = []
  /** Bytes of the file known to be on disk (synced), from its start. */
  private durableSize: number
  /** Wait for a record to be on disk (`durable`): its end offset, in the current file. */
  private recordWaiters: { readonly end: number; readonly resolve: () => void }[] = []
  /** The batch being written and synced now, off the event loop. */
  private batch: Batch | undefined
  private closed = false
  private counts = { appended: 0, syncs: 0, compactions: 0 }

  private constructor(options: WalOptions<R>, fd: number, size: number) {
    this.path = options.path
    this.parse = options.parse
    this.fsync = options.fsync ?? true
    this.fd = fd
    this.size = size
    this.durableSize = size
  }

  /**
   * Opens (or creates) the log and returns it with every record in it, oldest first. A torn last
   * line is dropped; any other bad line is an `invalid_config` error naming the file and line.
   */
  static open<R extends object>(
    options: WalOptions<R>,
  ): { wal: WriteAheadLog<R>; records: { record: R; at: WalPosition }[] } {
    mkdirSync(dirname(options.path), { recursive: true })
    const records: { record: R; at: WalPosition }[] = []
    let size = 0
    if (existsSync(options.path)) {
      const bytes = readFileSync(options.path)
      let start = 0
      let line = 0
      for (;;) {
        const end = bytes.indexOf(NEWLINE, start)
        if (end === -1) break
        line += 1
        const text = bytes.subarray(start, end).toString('utf8')
        if (text.trim() !== '') {
          let value: unknown
          try {
            value = JSON.parse(text) as unknown
          } catch (error) {
            throw corrupt(
              options.path,
              line,
              error instanceof Error ? error.message : String(error),
            )
          }
          let record: R
          try {
            record = options.parse(value)
          } catch (error) {
            throw corrupt(
              options.path,
              line,
              error instanceof Error ? error.message : String(error),
            )
          }
          records.push({ record, at: { offset: start, length: end - start } })
        }
        start = end + 1
      }
      // Whatever follows the last newline is a write the crash cut short: never acknowledged.
      size = start
    }
    const fd = openSync(options.path, existsSync(options.path) ? 'r+' : 'w+')
    ftruncateSync(fd, size)
    return { wal: new WriteAheadLog(options, fd, size), records }
  }

  /** Buffers one record; it is written and synced in the next batch (see the module comment). */
  append(record: R): WalPosition {
    if (this.closed) throw new SimulatorError('internal', `${this.path}: the log is closed`)
    const line = Buffer.from(JSON.stringify(record), 'utf8')
    const at = { offset: this.size, length: line.byteLength }
    this.buffered.push(line, Buffer.of(NEWLINE))
    this.bufferedBytes += line.byteLength + 1
    this.size += line.byteLength + 1
    this.counts.appended += 1
    this.schedule()
    return at
  }

  /** Resolves once everything appended so far is on disk. */
  synced(): Promise<void> {
    if (this.buffered.length === 0 && !this.batch) return Promise.resolve()
    return new Promise((resolve) => {
      if (this.buffered.length > 0) this.waiters.push(resolve)
      else this.batch?.waiters.push(resolve)
    })
  }

  /**
   * Resolves once the record at `at` is on disk: at once for one synced long ago (a delivery that
   * waited in the backlog), so a catch-up does not wait for a new fdatasync per attempt, as
   * `synced()` would while appends keep coming.
   */
  durable(at: WalPosition): Promise<void> {
    const end = at.offset + at.length
    if (end <= this.durableSize || this.closed) return Promise.resolve()
    return new Promise((resolve) => {
      this.recordWaiters.push({ end, resolve })
    })
  }

  /** Bytes up to `size` are on disk: resolves the waiters for records within them (all: `every`). */
  private madeDurable(size: number, every = false): void {
    this.durableSize = Math.max(this.durableSize, size)
    if (this.recordWaiters.length === 0) return
    const waiting: typeof this.recordWaiters = []
    for (const waiter of this.recordWaiters)
      if (every || waiter.end <= this.durableSize) waiter.resolve()
      else waiting.push(waiter)
    this.recordWaiters = waiting
  }

  /** Writes and syncs the buffered records now, synchronously (with a batch under way, that one too). */
  flush(): void {
    this.flushScheduled = false
    if (this.closed) return
    const batch = this.batch
    // The same bytes at the same place: harmless when the batch's own write lands too. The batch
    // stays current until its write is done, so its file is not closed under it.
    if (batch) writeAt(this.fd, batch.data, batch.offset)
    const buffered = this.buffered.length > 0
    if (buffered) {
      const offset = this.size - this.bufferedBytes
      writeAt(this.fd, this.takeBuffered(), offset)
    }
    const waiters = [...(batch?.waiters.splice(0) ?? []), ...this.waiters.splice(0)]
    if (batch || buffered) {
      if (this.fsync) fdatasyncSync(this.fd)
      this.counts.syncs += 1
    }
    for (const resolve of waiters) resolve()
    this.madeDurable(this.size)
  }

  /** Reads a record back from its position (from memory while it is not written yet). */
  read(at: WalPosition): R {
    const bytes = this.rawAt(at)
    return this.parse(JSON.parse(bytes.toString('utf8')) as unknown)
  }

  private schedule(): void {
    if (this.flushScheduled || this.batch || this.closed) return
    this.flushScheduled = true
    setImmediate(() => {
      this.flushScheduled = false
      this.startBatch()
    })
  }

  /** Hands the buffered records to one asynchronous write and fdatasync. */
  private startBatch(): void {
    if (this.batch || this.closed || this.buffered.length === 0) return
    const offset = this.size - this.bufferedBytes
    const batch: Batch = {
      fd: this.fd,
      offset,
      data: this.takeBuffered(),
      waiters: this.waiters.splice(0),
      retired: false,
    }
    this.batch = batch
    const done = (error: NodeJS.ErrnoException | null): void => {
      if (batch.retired) closeSync(batch.fd)
      if (this.batch === batch) this.batch = undefined
      if (error && !batch.retired && !this.closed) {
        // As a synchronous write would have: the process cannot keep its promise of durability.
        throw new SimulatorError(
          'internal',
          `${this.path}: cannot write the log (${error.message})`,
          {
            cause: error,
          },
        )
      }
      this.counts.syncs += 1
      for (const resolve of batch.waiters.splice(0)) resolve()
      if (!batch.retired) this.madeDurable(batch.offset + batch.data.byteLength)
      if (this.buffered.length > 0) this.schedule()
    }
    writeAll(batch, (error) => {
      if (error || !this.fsync) {
        done(error)
        return
      }
      fdatasync(batch.fd, done)
    })
  }

  private takeBuffered(): Buffer {
    const data = Buffer.concat(this.buffered)
    this.buffered = []
    this.bufferedBytes = 0
    return data
  }

  /**
   * Rewrites the log with only `live` (records, or positions of records to copy as they are) and
   * returns each one's new position, in order. Atomic: see the module comment.
   */
  compact(live: readonly WalEntry<R>[]): WalPosition[] {
    const temporary = `${this.path}.compact`
    const fd = openSync(temporary, 'w')
    const positions: WalPosition[] = []
    let offset = 0
    try {
      const chunks: Buffer[] = []
      let pending = 0
      const out = (): void => {
        const data = Buffer.concat(chunks)
        chunks.length = 0
        pending = 0
        let written = 0
        while (written < data.byteLength)
          written += writeSync(fd, data, written, data.byteLength - written)
      }
      for (const item of live) {
        const line =
          'copy' in item ? this.rawAt(item.copy) : Buffer.from(JSON.stringify(item.record), 'utf8')
        positions.push({ offset, length: line.byteLength })
        chunks.push(line, Buffer.of(NEWLINE))
        offset += line.byteLength + 1
        pending += line.byteLength + 1
        if (pending > 1 << 20) out()
      }
      out()
      if (this.fsync) fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(temporary, this.path)
    if (this.fsync) syncFolder(dirname(this.path))
    // What was pending is in the new file (or not needed): the waiters may go, the batch under way
    // lands in the old file, which it closes when done.
    const waiters = [...(this.batch?.waiters.splice(0) ?? []), ...this.waiters.splice(0)]
    this.retire(this.fd)
    this.batch = undefined
    this.buffered = []
    this.bufferedBytes = 0
    this.fd = openSync(this.path, 'r+')
    this.size = offset
    for (const resolve of waiters) resolve()
    // Every position changed, and all of the new file is on disk.
    this.durableSize = 0
    this.madeDurable(offset, true)
    this.counts.compactions += 1
    return positions
  }

  stats(): WalStats {
    return { path: this.path, bytes: this.size, ...this.counts }
  }

  /** Flushes and closes the file; an empty log is removed. */
  close(): void {
    if (this.closed) return
    this.flush()
    this.closed = true
    this.retire(this.fd)
    if (this.size === 0) rmSync(this.path, { force: true })
  }

  /** Closes `fd` now, or when the batch writing to it is done. */
  private retire(fd: number): void {
    if (this.batch?.fd === fd) this.batch.retired = true
    else closeSync(fd)
  }

  /** A record's bytes: from the buffer or the batch under way when not written yet, else the file. */
  private rawAt(at: WalPosition): Buffer {
    const bufferedFrom = this.size - this.bufferedBytes
    if (this.buffered.length > 0 && at.offset >= bufferedFrom) {
      if (this.buffered.length > 1) this.buffered = [Buffer.concat(this.buffered)]
      const start = at.offset - bufferedFrom
      return Buffer.from((this.buffered[0] as Buffer).subarray(start, start + at.length))
    }
    const batch = this.batch
    if (batch && at.offset >= batch.offset && at.offset < batch.offset + batch.data.byteLength) {
      const start = at.offset - batch.offset
      return Buffer.from(batch.data.subarray(start, start + at.length))
    }
    const buffer = Buffer.alloc(at.length)
    let got = 0
    while (got < at.length) {
      const n = readSync(this.fd, buffer, got, at.length - got, at.offset + got)
      if (n === 0) break
      got += n
    }
    return buffer.subarray(0, got)
  }
}

/** A write on its way: its file, where it goes, its bytes, and who waits for it to be synced. */
interface Batch {
  readonly fd: number
  readonly offset: number
  readonly data: Buffer
  readonly waiters: (() => void)[]
  /** The log moved on (compacted or closed): close `fd` once this write is done. */
  retired: boolean
}

/** Writes all of `data` at `offset`, synchronously. */
function writeAt(fd: number, data: Buffer, offset: number): void {
  let written = 0
  while (written < data.byteLength)
    written += writeSync(fd, data, written, data.byteLength - written, offset + written)
}

/** Writes all of `data` at `offset` on libuv's thread pool, then calls `callback`. */
function writeAll(
  target: { readonly fd: number; readonly data: Buffer; readonly offset: number },
  callback: (error: NodeJS.ErrnoException | null) => void,
): void {
  const { fd, data, offset } = target
  const from = (done: number): void => {
    write(fd, data, done, data.byteLength - done, offset + done, (error, written) => {
      if (error) callback(error)
      else if (done + written < data.byteLength) from(done + written)
      else callback(null)
    })
  }
  from(0)
}

function corrupt(path: string, line: number, detail: string): SimulatorError {
  return new SimulatorError(
    'invalid_config',
    `${path}:${line}: not a record of this log (${detail}); move the file away to start without its pending work`,
  )
}

/** Makes a rename durable (a folder's entry is data too); ignored where folders cannot be opened. */
function syncFolder(path: string): void {
  let fd: number | undefined
  try {
    fd = openSync(path, 'r')
    fsyncSync(fd)
  } catch {
    // Some platforms (Windows) cannot fsync a folder; the rename is still atomic there.
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

/** The size of a log file on disk, 0 when there is none (for tests and the deliveries route). */
export function walFileBytes(path: string): number {
  try {
    return statSync(path).size
  } catch {
    return 0
  }
}
