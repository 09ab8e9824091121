/** What happened, in order: every payload delivered and every delivery attempt. */
export type JournalEntry =
  | {
      readonly seq: number
      readonly at: number
      readonly type: 'session-started'
      readonly sessionId: number
      readonly scenario: string
      readonly seed: number
      /** What recreates the session's cast and script (`ccai-sim replay`). */
      readonly index?: number
      readonly params?: Readonly<Record<string, unknown>>
      readonly agent?: 'scripted' | 'manual'
      readonly overrides?: Readonly<Record<string, unknown>>
    }
  | {
      readonly seq: number
      readonly at: number
      /** One input the session machine applied (scripted, an agent's, an API client's, the CRM's, a timer). */
      readonly type: 'input'
      readonly sessionId: number
      readonly input: unknown
    }
  | {
      readonly seq: number
      readonly at: number
      /** An agent command the machine refused, and why. */
      readonly type: 'input-refused'
      readonly sessionId: number
      readonly input: unknown
      readonly reason: string
    }
  | {
      readonly seq: number
      readonly at: number
      /** An agent's presence changed (log in / out, available / unavailable). */
      readonly type: 'agent'
      readonly agentId: number
      readonly command: string
      readonly presence: string
    }
  | {
      readonly seq: number
      readonly at: number
      readonly type: 'emitted'
      readonly sessionId: number
      readonly surface: string
      readonly contract: string
      readonly key: string
      readonly payload: unknown
    }
  | {
      readonly seq: number
      readonly at: number
      readonly type: 'file-written'
      readonly sessionId: number
      readonly path: string
      readonly bytes: number
    }
  | {
      readonly seq: number
      readonly at: number
      readonly type: 'delivery-attempt'
      readonly target: string
      readonly key: string
      readonly attempt: number
      readonly outcome: 'delivered' | 'failed' | 'gave-up'
      readonly status?: number
      readonly error?: string
      readonly nextAttemptInMs?: number
    }
  | {
      readonly seq: number
      readonly at: number
      readonly type: 'file-failed'
      readonly sessionId: number
      readonly path: string
      readonly error: string
    }
  | {
      readonly seq: number
      readonly at: number
      readonly type: 'mail-sent'
      readonly sessionId: number
      readonly to: string
      readonly subject: string
      readonly messageId?: string
      /** The mail's idempotency key (`X-CCAI-Idempotency-Key`) and the attempt that sent it. */
      readonly key?: string
      readonly attempt?: number
    }
  | {
      readonly seq: number
      readonly at: number
      readonly type: 'mail-failed'
      readonly sessionId: number
      readonly error: string
      readonly key?: string
      readonly attempt?: number
      /** `failed`: retried after `nextAttemptInMs` (or at the next start); `gave-up`: never sent. */
      readonly outcome?: 'failed' | 'gave-up'
      readonly nextAttemptInMs?: number
    }
  | {
      readonly seq: number
      readonly at: number
      /** A delivery lane changed: its receiver failed or recovered; its backlog spilled to disk, drains (with its rate), or drained. */
      readonly type: 'backlog'
      readonly channel: 'webhooks' | 'mail'
      readonly event: 'failing' | 'recovered' | 'spilling' | 'draining' | 'drained'
      readonly target: string
      readonly pending: number
      /** Pending deliveries held only in the write-ahead log (not in memory). */
      readonly spilled: number
      readonly drainPerSecond: number
    }
  | {
      readonly seq: number
      readonly at: number
      /** One request to the customer's CRM and its answer (generic API flow; reference §5). */
      readonly type: 'crm-exchange'
      readonly sessionId: number
      /** The flow step (`find_account_by_query`, `comment`, …). */
      readonly step: string
      /** The endpoint of the settings that was called. */
      readonly endpoint: string
      readonly attempt: number
      readonly method: string
      readonly url: string
      readonly status?: number
      /** No response: `timeout after 5000ms`, `connection reset`, … */
      readonly error?: string
      readonly durationMs?: number
      /** What the flow made of it: `ok`, `not_found`, `retrying`, `queued`, `failed`. */
      readonly outcome: string
      /** With `retrying`: sent again at once (`immediate`) or on the 400 schedule (`scheduled`). */
      readonly retry?: 'immediate' | 'scheduled'
      /** With `retrying`/`queued`: virtual milliseconds until the next attempt (0: at once). */
      readonly nextAttemptInMs?: number
      /** Sent headers, secrets masked. */
      readonly requestHeaders: Readonly<Record<string, string>>
      /** Bodies as text, cut to a few kilobytes (base64 files are long). */
      readonly requestBody?: string
      readonly responseBody?: string
    }
  | {
      readonly seq: number
      readonly at: number
      /** One push of a storage file to an external storage sink (SFTP, Cloud Storage). */
      readonly type: 'upload'
      /** The sink: `sftp://user@host:port/folder` or `gs://bucket/prefix`. */
      readonly sink: string
      readonly path: string
      readonly attempt: number
      readonly outcome: 'uploaded' | 'failed'
      readonly bytes?: number
      readonly error?: string
      readonly nextAttemptInMs?: number
    }
  | { readonly seq: number; readonly at: number; readonly type: 'reset' }
  | {
      readonly seq: number
      readonly at: number
      /** How recordings sound this run, decided at start (`storage.media.speech`). */
      readonly type: 'speech'
      readonly synthesizer: 'espeak-ng' | 'tones'
      /** `off` (tones configured), `ready`, `unavailable` (`auto`, not installed), `failed`. */
      readonly outcome: 'off' | 'ready' | 'unavailable' | 'failed'
      /** The programs' versions, or why tones. */
      readonly detail: string
    }

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never
export type JournalInput = DistributiveOmit<JournalEntry, 'seq'>

/** A bounded in-memory journal: the oldest entries drop off first; `seq` never repeats. */
export class Journal {
  /**
   * The kept entries as a ring of at most `limit` slots: the oldest at `start`, in `seq` order
   * from there. Once full, each new entry takes the oldest one's slot: no array is cut or copied
   * as entries drop off (the cut copies, and the entries they kept moving, were old-space garbage
   * that made full collections come sooner under load).
   */
  private ring: JournalEntry[] = []
  private start = 0
  private nextSeq = 1
  private dropped = 0
  private readonly listeners = new Set<(entry: JournalEntry) => void>()
  readonly limit: number

  constructor(limit: number) {
    this.limit = limit
  }

  /**
   * Journals `entry`, a new object of the caller's that becomes the entry: `seq` is added to it
   * (last, as a copy would have it), not to a copy (two objects fewer per entry; every input,
   * emission and file is one). Callers hand over a fresh object and do not change it afterwards.
   */
  add(entry: JournalInput): JournalEntry {
    const full = entry as { seq?: number } & JournalInput as JournalEntry & { seq: number }
    full.seq = this.nextSeq++
    if (this.ring.length < this.limit) {
      this.ring.push(full)
    } else {
      this.ring[this.start] = full
      this.start = this.start + 1 === this.limit ? 0 : this.start + 1
      this.dropped += 1
    }
    // Guarded: iterating even an empty set allocates (one iterator per entry).
    if (this.listeners.size > 0) for (const listener of this.listeners) listener(full)
    return full
  }

  /** The `i`-th kept entry, oldest first. */
  private at(i: number): JournalEntry | undefined {
    const slot = this.start + i
    return this.ring[slot < this.ring.length ? slot : slot - this.ring.length]
  }

  /**
   * Calls `listener` after each entry is added: every input, presence change and emission is
   * journaled, so a peer that mirrors the runtime (Harmony) learns of each change here.
   */
  subscribe(listener: (entry: JournalEntry) => void): () => void {
    this.listeners.add(listener)
    return () => {
      this.listeners.delete(listener)
    }
  }

  /** Entries after `since` (a seq), oldest first, at most `limit`. */
  read(
    options: {
      since?: number
      limit?: number
      type?: JournalEntry['type']
      /** Only the entries about this session (entries of no session, such as deliveries, drop out). */
      sessionId?: number
    } = {},
  ): {
    entries: JournalEntry[]
    dropped: number
    next: number
  } {
    const since = options.since ?? 0
    const limit = options.limit ?? 500
    const entries: JournalEntry[] = []
    // Entries are in `seq` order: start at the first one after `since`, stop at `limit`.
    const size = this.ring.length
    let low = 0
    let high = size
    while (low < high) {
      const mid = (low + high) >>> 1
      if ((this.at(mid)?.seq ?? 0) > since) high = mid
      else low = mid + 1
    }
    for (let i = low; i < size && entries.length < limit; i += 1) {
      const e = this.at(i)
      if (
        e !== undefined &&
        (options.type === undefined || e.type === options.type) &&
        (options.sessionId === undefined || ('sessionId' in e && e.sessionId === options.sessionId))
      )
        entries.push(e)
    }
    return { entries, dropped: this.dropped, next: entries.at(-1)?.seq ?? since }
  }

  clear(): void {
    this.ring = []
    this.start = 0
    this.dropped = 0
  }
}
