import type { StorageFile } from '@ccai-sim/fixtures'
import { z } from 'zod'
import type { VirtualClock, WallClock } from '../clock/virtual-clock.js'
import type { SimulatorConfig } from '../config.js'
import type { Journal } from '../runtime/journal.js'
import { PendingSpool } from './pending-spool.js'

/*
 * Pushes storage files to the configured external storage (SFTP servers, Cloud Storage buckets), as
 * the platform does. Decisions:
 *
 * - One FIFO queue per sink, one upload in flight per sink: a pipeline reading the sink sees files
 *   in the order the platform wrote them, and a sink that is down costs one connection attempt per
 *   retry, not one per file.
 * - A file is persisted to the spool (when the host gives one) before `enqueue` resolves, and its
 *   spool entry is removed only after the sink acknowledged it: a sink that is down, a restart or a
 *   `kill -9` loses nothing. Files are never given up: storage has no receiver to blame, and the
 *   platform's own pushes are documented as eventually complete (seed 000).
 * - Backoff doubles from `initialDelayMs` to `maxDelayMs`, without jitter (deterministic), on the
 *   host's wall clock when there is one (a real server comes back in real time), else on the
 *   virtual clock (the pure app in tests). Every attempt is one `upload` journal entry.
 */

/** A place files are pushed to. `upload` replaces the file if it exists; `signal` cuts it short. */
export interface PushSink {
  /** Stable and readable: `sftp://user@host:22/folder`, `gs://bucket/prefix`. Names the sink in the journal and the spool. */
  readonly id: string
  upload(file: UploadFile, signal: AbortSignal): Promise<void>
  close(): Promise<void>
}

export interface UploadFile {
  readonly path: string
  readonly contentType: string
  readonly content: Uint8Array
}

const SpooledUploadSchema = z.object({
  sink: z.string().min(1),
  path: z.string().min(1),
  contentType: z.string().min(1),
  /** Base64. */
  content: z.string(),
  enqueuedAt: z.number(),
})
type SpooledUpload = z.output<typeof SpooledUploadSchema>

interface Pending {
  readonly file: UploadFile
  readonly spoolId: string | undefined
  attempts: number
}

interface SinkQueue {
  readonly sink: PushSink
  readonly items: Pending[]
  busy: boolean
  retry: { readonly dueAt: number; readonly cancel: () => void } | undefined
  abort: AbortController | undefined
}

export interface UploadQueueOptions {
  readonly sinks: readonly PushSink[]
  readonly retry: SimulatorConfig['storage']['retry']
  readonly journal: Journal
  readonly clock: VirtualClock
  readonly wall?: WallClock | undefined
  /** Folder of the persisted pending uploads; without one they live in memory only. */
  readonly spoolDir?: string | undefined
}

export interface UploadStats {
  readonly pending: number
  readonly uploaded: number
  readonly failed: number
}

export class UploadQueue {
  private readonly queues: SinkQueue[]
  private readonly options: UploadQueueOptions
  private readonly spool: PendingSpool<SpooledUpload> | undefined
  private readonly counts = { uploaded: 0, failed: 0 }
  private closed = false
  private idleWaiters: (() => void)[] = []
  private settleWaiters: (() => void)[] = []

  constructor(options: UploadQueueOptions) {
    this.options = options
    this.queues = options.sinks.map((sink) => ({
      sink,
      items: [],
      busy: false,
      retry: undefined,
      abort: undefined,
    }))
    this.spool =
      options.spoolDir === undefined
        ? undefined
        : new PendingSpool(options.spoolDir, SpooledUploadSchema)
  }

  get sinkIds(): readonly string[] {
    return this.queues.map((q) => q.sink.id)
  }

  stats(): UploadStats {
    return { pending: this.pending(), ...this.counts }
  }

  pending(): number {
    return this.queues.reduce((sum, q) => sum + q.items.length, 0)
  }

  /** Resolves when nothing is pending (at once if nothing is). */
  whenIdle(): Promise<void> {
    if (this.pending() === 0) return Promise.resolve()
    return new Promise((resolve) => this.idleWaiters.push(resolve))
  }

  /** Resolves when no upload is in flight (each queue is empty or waiting for its next retry). */
  whenSettled(): Promise<void> {
    if (this.queues.every((q) => !q.busy)) return Promise.resolve()
    return new Promise((resolve) => this.settleWaiters.push(resolve))
  }

  /** Queues the file for every sink; resolves once it is persisted (write-ahead), not uploaded. */
  async enqueue(file: StorageFile): Promise<void> {
    const content =
      typeof file.content === 'string' ? new TextEncoder().encode(file.content) : file.content
    const upload: UploadFile = { path: file.path, contentType: file.contentType, content }
    for (const queue of this.queues) {
      const spoolId = await this.spool?.add({
        sink: queue.sink.id,
        path: upload.path,
        contentType: upload.contentType,
        content: Buffer.from(content).toString('base64'),
        enqueuedAt: this.options.clock.now(),
      })
      queue.items.push({ file: upload, spoolId, attempts: 0 })
      // A virtual retry timer is lost when the runtime resets the clock's timers; a due one is honoured here.
      const retry = queue.retry
      if (retry && !this.options.wall && this.options.clock.now() >= retry.dueAt) {
        queue.retry = undefined
      }
      this.start(queue)
    }
  }

  /**
   * Re-queues what an earlier run left pending, ahead of anything newer. Entries for a sink no longer
   * configured stay in the spool (and are journaled once), so changing the configuration loses nothing.
   */
  async restore(): Promise<void> {
    if (!this.spool) return
    const restored = new Map<SinkQueue, Pending[]>()
    for (const { id, item } of await this.spool.load()) {
      const queue = this.queues.find((q) => q.sink.id === item.sink)
      if (!queue) {
        this.options.journal.add({
          at: this.options.clock.now(),
          type: 'upload',
          sink: item.sink,
          path: item.path,
          attempt: 0,
          outcome: 'failed',
          error: `pending from an earlier run for a sink that is not configured now; kept in ${this.spool.dir}`,
        })
        continue
      }
      const list = restored.get(queue) ?? []
      list.push({
        file: {
          path: item.path,
          contentType: item.contentType,
          content: new Uint8Array(Buffer.from(item.content, 'base64')),
        },
        spoolId: id,
        attempts: 0,
      })
      restored.set(queue, list)
    }
    for (const [queue, list] of restored) {
      queue.items.unshift(...list)
      this.start(queue)
    }
  }

  /** Stops retrying and cuts in-flight uploads short; pending files stay in the spool for the next start. */
  async close(): Promise<void> {
    this.closed = true
    for (const queue of this.queues) {
      queue.retry?.cancel()
      queue.retry = undefined
      queue.abort?.abort(new Error('cut short: the simulator is closing'))
    }
    await Promise.all(this.queues.map((q) => q.sink.close().catch(() => undefined)))
  }

  private start(queue: SinkQueue): void {
    if (queue.busy || queue.retry || this.closed || queue.items.length === 0) return
    queue.busy = true
    void this.drain(queue)
  }

  private async drain(queue: SinkQueue): Promise<void> {
    try {
      for (;;) {
        const head = queue.items[0]
        if (!head || this.closed) return
        head.attempts += 1
        const error = await this.attempt(queue, head)
        const at = this.options.clock.now()
        if (error === undefined) {
          queue.items.shift()
          this.counts.uploaded += 1
          await this.spool?.remove(head.spoolId ?? '').catch(() => undefined)
          this.options.journal.add({
            at,
            type: 'upload',
            sink: queue.sink.id,
            path: head.file.path,
            attempt: head.attempts,
            outcome: 'uploaded',
            bytes: head.file.content.byteLength,
          })
          continue
        }
        this.counts.failed += 1
        const { initialDelayMs, maxDelayMs } = this.options.retry
        const delay = Math.min(initialDelayMs * 2 ** Math.min(head.attempts - 1, 40), maxDelayMs)
        this.options.journal.add({
          at,
          type: 'upload',
          sink: queue.sink.id,
          path: head.file.path,
          attempt: head.attempts,
          outcome: 'failed',
          error,
          ...(this.closed ? {} : { nextAttemptInMs: delay }),
        })
        if (!this.closed) this.scheduleRetry(queue, delay)
        return
      }
    } finally {
      queue.busy = false
      if (this.queues.every((q) => !q.busy)) {
        const waiters = this.settleWaiters
        this.settleWaiters = []
        for (const resolve of waiters) resolve()
      }
      if (this.pending() === 0) {
        const waiters = this.idleWaiters
        this.idleWaiters = []
        for (const resolve of waiters) resolve()
      }
    }
  }

  /** One upload; the error's message when it failed. */
  private async attempt(queue: SinkQueue, pending: Pending): Promise<string | undefined> {
    const controller = new AbortController()
    queue.abort = controller
    const { timeoutMs } = this.options.retry
    const cancel = this.after(timeoutMs, () => {
      controller.abort(new Error(`timed out after ${timeoutMs} ms`))
    })
    try {
      await Promise.race([
        queue.sink.upload(pending.file, controller.signal),
        new Promise<never>((_resolve, reject) => {
          controller.signal.addEventListener(
            'abort',
            () => {
              reject(controller.signal.reason as Error)
            },
            { once: true },
          )
        }),
      ])
      return undefined
    } catch (error) {
      const reason: unknown = controller.signal.aborted ? controller.signal.reason : error
      return reason instanceof Error ? reason.message : String(reason)
    } finally {
      cancel()
      queue.abort = undefined
    }
  }

  private scheduleRetry(queue: SinkQueue, delayMs: number): void {
    let live = true
    const fire = (): void => {
      if (!live) return
      live = false
      queue.retry = undefined
      this.start(queue)
    }
    const cancelTimer = this.options.wall
      ? this.after(delayMs, fire)
      : (this.options.clock.schedule(this.options.clock.now() + delayMs, fire), () => undefined)
    queue.retry = {
      dueAt: this.options.clock.now() + delayMs,
      cancel: () => {
        live = false
        cancelTimer()
      },
    }
  }

  private after(ms: number, fn: () => void): () => void {
    const wall = this.options.wall
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
}
