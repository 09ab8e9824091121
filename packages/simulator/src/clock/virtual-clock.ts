import { SimulatorError } from '../errors.js'

export type ClockMode = 'realtime' | 'scaled' | 'manual'

/** The host's real time and timers; only hosts (startSimulator, tests) provide one. */
export interface WallClock {
  now(): number
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

interface Timer {
  readonly at: number
  readonly seq: number
  readonly fn: (at: number) => void
}

/** Earlier time first; equal times in the order they were scheduled. */
function before(a: Timer, b: Timer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq)
}

/**
 * A binary min-heap of timers: scheduling and taking the next one cost O(log n) however many are
 * pending (a sorted array's `splice`/`shift` made each one O(n), most of the CPU with thousands of
 * live sessions).
 */
class TimerHeap {
  private items: Timer[] = []

  get size(): number {
    return this.items.length
  }

  peek(): Timer | undefined {
    return this.items[0]
  }

  push(timer: Timer): void {
    const items = this.items
    let index = items.length
    items.push(timer)
    while (index > 0) {
      const parentIndex = (index - 1) >>> 1
      const parent = items[parentIndex] as Timer
      if (!before(timer, parent)) break
      items[index] = parent
      index = parentIndex
    }
    items[index] = timer
  }

  pop(): Timer | undefined {
    const items = this.items
    const top = items[0]
    const last = items.pop()
    if (top === undefined || last === undefined || items.length === 0) return top
    const size = items.length
    let index = 0
    for (;;) {
      const left = 2 * index + 1
      if (left >= size) break
      const right = left + 1
      let child = left
      let childTimer = items[left] as Timer
      if (right < size) {
        const rightTimer = items[right] as Timer
        if (before(rightTimer, childTimer)) {
          child = right
          childTimer = rightTimer
        }
      }
      if (!before(childTimer, last)) break
      items[index] = childTimer
      index = child
    }
    items[index] = last
    return top
  }

  clear(): void {
    this.items = []
  }
}

export interface ClockOptions {
  readonly mode: ClockMode
  /** Virtual start, epoch ms. */
  readonly start: number
  /** Virtual milliseconds per wall millisecond in `scaled` mode. */
  readonly scale?: number
  readonly wall?: WallClock
}

/**
 * The one source of time in the simulator: every timestamp and every delay (the ~15-minute metadata
 * delay, the transcript's "within seconds") is virtual. `manual` moves only when told to.
 */
export class VirtualClock {
  readonly mode: ClockMode
  readonly scale: number
  private readonly wall: WallClock | undefined
  private virtualAtAnchor: number
  private wallAtAnchor: number
  private readonly timers = new TimerHeap()
  private seq = 0
  private wakeHandle: unknown = undefined
  private stopped = false

  constructor(options: ClockOptions) {
    this.mode = options.mode
    this.scale =
      options.mode === 'realtime' ? 1 : options.mode === 'scaled' ? (options.scale ?? 60) : 0
    this.wall = options.wall
    if (options.mode !== 'manual' && !options.wall) {
      throw new SimulatorError(
        'invalid_config',
        `clock.mode: "${options.mode}" needs a wall clock from the host`,
      )
    }
    this.virtualAtAnchor = options.start
    this.wallAtAnchor = options.wall?.now() ?? 0
  }

  now(): number {
    if (this.mode === 'manual' || !this.wall) return this.virtualAtAnchor
    return this.virtualAtAnchor + Math.floor((this.wall.now() - this.wallAtAnchor) * this.scale)
  }

  /**
   * Runs `fn` when virtual time reaches `at`; if it already has, on the next turn (scaled, realtime)
   * or at the next `advance`/`set` (manual). `fn` is given `at` (the time it was scheduled for),
   * so one function can serve many timers (a session's, armed again and again).
   */
  schedule(at: number, fn: (at: number) => void): void {
    if (this.stopped) return
    const timer = { at, seq: this.seq++, fn }
    this.timers.push(timer)
    // Only a new earliest timer changes when the wall timer must fire.
    if (this.timers.peek() === timer) this.arm()
  }

  /** Manual mode: moves time on by `ms`, running every timer due on the way, in order. */
  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0)
      throw new SimulatorError(
        'invalid_request',
        `advance: expected a non-negative number of milliseconds, received ${String(ms)}`,
      )
    return this.set(this.now() + ms)
  }

  /** Manual mode: sets the virtual time (never backwards), running timers due up to it. */
  set(at: number): number {
    if (this.mode !== 'manual')
      throw new SimulatorError(
        'clock_not_manual',
        `the clock is ${this.mode}; only a manual clock can be moved`,
      )
    if (at < this.virtualAtAnchor) {
      throw new SimulatorError(
        'invalid_request',
        `clock: time only moves forward; now is ${new Date(this.virtualAtAnchor).toISOString()}`,
      )
    }
    for (;;) {
      const next = this.timers.peek()
      if (!next || next.at > at) break
      this.timers.pop()
      this.virtualAtAnchor = Math.max(this.virtualAtAnchor, next.at)
      next.fn(next.at)
    }
    this.virtualAtAnchor = at
    return at
  }

  /**
   * Any mode: moves virtual time forward to `at` (never back) without running timers, as a start
   * that resumes a previous run's sessions does (runtime/resume.ts); later time flows from there.
   */
  resumeAt(at: number): void {
    if (at <= this.now()) return
    this.virtualAtAnchor = at
    this.wallAtAnchor = this.wall?.now() ?? 0
    this.arm()
  }

  /** When the next timer is due, if any. */
  get nextAt(): number | undefined {
    return this.timers.peek()?.at
  }

  /** Timers not yet run. */
  get pending(): number {
    return this.timers.size
  }

  /** Drops every timer (reset), keeping the time. */
  clearTimers(): void {
    this.timers.clear()
    this.disarm()
  }

  stop(): void {
    this.stopped = true
    this.clearTimers()
  }

  private disarm(): void {
    if (this.wakeHandle !== undefined && this.wall) this.wall.clearTimeout(this.wakeHandle)
    this.wakeHandle = undefined
  }

  private arm(): void {
    if (this.mode === 'manual' || !this.wall || this.stopped) return
    this.disarm()
    const next = this.timers.peek()
    if (!next) return
    const wallDelay = Math.max(0, Math.ceil((next.at - this.now()) / this.scale))
    // Long virtual waits are re-armed in slices so a changed timer list is picked up soon enough.
    this.wakeHandle = this.wall.setTimeout(
      () => {
        this.wakeHandle = undefined
        this.fireDue()
      },
      Math.min(wallDelay, 60_000),
    )
  }

  private fireDue(): void {
    const now = this.now()
    for (let next = this.timers.peek(); next && next.at <= now; next = this.timers.peek()) {
      this.timers.pop()
      next.fn(next.at)
    }
    this.arm()
  }
}
