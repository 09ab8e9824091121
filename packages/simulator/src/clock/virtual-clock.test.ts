import { describe, expect, it } from 'vitest'
import { SimulatorError } from '../errors.js'
import { VirtualClock, type WallClock } from './virtual-clock.js'

const START = Date.parse('2026-01-15T15:00:00.000Z')

/**
 * A wall clock the test drives: `now` moves only with `move`, and armed timers run only when the
 * test fires them, so nothing here sleeps.
 */
class FakeWall implements WallClock {
  time = 1_000_000
  private nextHandle = 1
  readonly armed = new Map<number, { fn: () => void; ms: number }>()
  readonly delays: number[] = []

  now(): number {
    return this.time
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const handle = this.nextHandle++
    this.armed.set(handle, { fn, ms })
    this.delays.push(ms)
    return handle
  }

  clearTimeout(handle: unknown): void {
    this.armed.delete(handle as number)
  }

  move(ms: number): void {
    this.time += ms
  }

  /** Runs every timer armed right now, as the host's event loop would once their delay passed. */
  fire(): void {
    const due = [...this.armed.entries()]
    this.armed.clear()
    for (const [, timer] of due) timer.fn()
  }

  /** The delay of the one timer the clock keeps armed. */
  get armedDelay(): number | undefined {
    expect(this.armed.size).toBeLessThanOrEqual(1)
    return [...this.armed.values()][0]?.ms
  }
}

function caught(fn: () => unknown): SimulatorError {
  try {
    fn()
  } catch (error) {
    if (error instanceof SimulatorError) return error
    throw error
  }
  throw new Error('expected a SimulatorError')
}

describe('VirtualClock in manual mode', () => {
  it('stands still until told to move', () => {
    const clock = new VirtualClock({ mode: 'manual', start: START })
    expect(clock.now()).toBe(START)
    expect(clock.scale).toBe(0)
    expect(clock.now()).toBe(START)
  })

  it('gives each timer the time it was scheduled for, so one function can serve several', () => {
    const clock = new VirtualClock({ mode: 'manual', start: START })
    const seen: number[] = []
    const wake = (at: number): void => {
      seen.push(at)
    }
    clock.schedule(START + 2_000, wake)
    clock.schedule(START + 1_000, wake)
    clock.advance(500)
    clock.schedule(START + 100, wake)
    clock.advance(5_000)
    // The past-due one runs at the next move, told its own (past) time.
    expect(seen).toEqual([START + 100, START + 1_000, START + 2_000])
  })

  it('runs every timer due on an advance, in time order, seeing its own time as now', () => {
    const clock = new VirtualClock({ mode: 'manual', start: START })
    const seen: [string, number][] = []
    clock.schedule(START + 3_000, () => seen.push(['c', clock.now()]))
    clock.schedule(START + 1_000, () => seen.push(['a', clock.now()]))
    clock.schedule(START + 2_000, () => seen.push(['b', clock.now()]))
    clock.schedule(START + 10_000, () => seen.push(['late', clock.now()]))
    expect(clock.pending).toBe(4)

    expect(clock.advance(5_000)).toBe(START + 5_000)
    expect(seen).toEqual([
      ['a', START + 1_000],
      ['b', START + 2_000],
      ['c', START + 3_000],
    ])
    expect(clock.now()).toBe(START + 5_000)
    expect(clock.pending).toBe(1)
  })

  it('runs timers that share a time in the order they were scheduled', () => {
    const clock = new VirtualClock({ mode: 'manual', start: START })
    const seen: number[] = []
    for (let i = 0; i < 20; i += 1) clock.schedule(START + 500, () => seen.push(i))
    clock.advance(500)
    expect(seen).toEqual([...Array(20).keys()])
  })

  it('runs thousands of timers with many shared times in (time, scheduling) order, also when some are scheduled while others run', () => {
    const clock = new VirtualClock({ mode: 'manual', start: START })
    // A fixed linear congruential sequence: repeatable, with plenty of equal times.
    let state = 12345
    const nextTime = () => {
      state = (state * 1103515245 + 12345) % 2147483648
      return START + (state % 400) * 10
    }
    const expected: { at: number; seq: number }[] = []
    const seen: number[] = []
    let seq = 0
    const add = (at: number, spawn: boolean) => {
      const id = seq++
      expected.push({ at, seq: id })
      clock.schedule(at, () => {
        seen.push(id)
        // A timer that schedules another at or after its own time: it must slot in correctly.
        if (spawn) add(Math.max(clock.now(), nextTime()), false)
      })
    }
    for (let i = 0; i < 3_000; i += 1) add(nextTime(), i % 7 === 0)
    clock.advance(1_500)
    clock.advance(10_000)
    expect(clock.pending).toBe(0)
    const order = [...expected]
      .sort((a, b) => a.at - b.at || a.seq - b.seq)
      .map((timer) => timer.seq)
    expect(seen).toEqual(order)
  })

  it('runs a timer scheduled during an advance when it falls due within it, and keeps a later one', () => {
    const clock = new VirtualClock({ mode: 'manual', start: START })
    const seen: string[] = []
    clock.schedule(START + 1_000, () => {
      seen.push('first')
      clock.schedule(clock.now() + 500, () => {
        seen.push('chained')
        clock.schedule(clock.now(), () => seen.push('same-time'))
      })
      clock.schedule(clock.now() + 60_000, () => seen.push('beyond'))
    })
    clock.schedule(START + 1_200, () => seen.push('between'))
    clock.advance(2_000)
    expect(seen).toEqual(['first', 'between', 'chained', 'same-time'])
    expect(clock.pending).toBe(1)
    clock.advance(60_000)
    expect(seen.at(-1)).toBe('beyond')
  })

  it('runs a timer already due only at the next move (advance(0) runs it)', () => {
    const clock = new VirtualClock({ mode: 'manual', start: START })
    let ran = false
    clock.schedule(START - 1_000, () => {
      ran = true
    })
    expect(ran).toBe(false)
    clock.advance(0)
    expect(ran).toBe(true)
    // Running a past-due timer never moves time backwards.
    expect(clock.now()).toBe(START)
  })

  it('sets an absolute time forwards and refuses to go backwards, keeping its time', () => {
    const clock = new VirtualClock({ mode: 'manual', start: START })
    const seen: number[] = []
    clock.schedule(START + 60_000, () => seen.push(clock.now()))
    expect(clock.set(START + 120_000)).toBe(START + 120_000)
    expect(seen).toEqual([START + 60_000])

    const backwards = caught(() => clock.set(START))
    expect(backwards.code).toBe('invalid_request')
    expect(backwards.message).toContain('only moves forward')
    expect(clock.now()).toBe(START + 120_000)

    // Setting the same time is allowed (a no-op move).
    expect(clock.set(START + 120_000)).toBe(START + 120_000)
  })

  it('refuses a negative or non-finite advance', () => {
    const clock = new VirtualClock({ mode: 'manual', start: START })
    for (const ms of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(caught(() => clock.advance(ms)).code).toBe('invalid_request')
    }
    expect(clock.now()).toBe(START)
  })

  it('drops its timers on clearTimers but keeps its time', () => {
    const clock = new VirtualClock({ mode: 'manual', start: START })
    let ran = false
    clock.schedule(START + 1_000, () => {
      ran = true
    })
    clock.advance(500)
    clock.clearTimers()
    expect(clock.pending).toBe(0)
    clock.advance(10_000)
    expect(ran).toBe(false)
    expect(clock.now()).toBe(START + 10_500)
  })

  it('ignores timers scheduled after it is stopped', () => {
    const clock = new VirtualClock({ mode: 'manual', start: START })
    clock.schedule(START + 1, () => undefined)
    clock.stop()
    expect(clock.pending).toBe(0)
    clock.schedule(START + 1, () => {
      throw new Error('must not run')
    })
    expect(clock.pending).toBe(0)
    expect(() => clock.advance(10)).not.toThrow()
  })
})

describe('VirtualClock in scaled and realtime mode', () => {
  it('needs a wall clock from the host', () => {
    const error = caught(() => new VirtualClock({ mode: 'scaled', start: START }))
    expect(error.code).toBe('invalid_config')
    expect(error.message).toContain('clock.mode')
  })

  it('moves `scale` virtual milliseconds per wall millisecond', () => {
    const wall = new FakeWall()
    const clock = new VirtualClock({ mode: 'scaled', start: START, scale: 60, wall })
    expect(clock.now()).toBe(START)
    wall.move(1_000)
    expect(clock.now()).toBe(START + 60_000)
    wall.move(250)
    expect(clock.now()).toBe(START + 75_000)
  })

  it('defaults to 60x when scaled and 1x when realtime', () => {
    const wall = new FakeWall()
    expect(new VirtualClock({ mode: 'scaled', start: START, wall }).scale).toBe(60)
    const realtime = new VirtualClock({ mode: 'realtime', start: START, scale: 999, wall })
    expect(realtime.scale).toBe(1)
    wall.move(1_234)
    expect(realtime.now()).toBe(START + 1_234)
  })

  it('arms one wall timer for the next due time, divided by the scale', () => {
    const wall = new FakeWall()
    const clock = new VirtualClock({ mode: 'scaled', start: START, scale: 60, wall })
    const seen: number[] = []
    clock.schedule(START + 15 * 60_000, () => seen.push(clock.now()))
    // The 15-minute metadata delay becomes 15 wall seconds.
    expect(wall.armedDelay).toBe(15_000)
    // An earlier timer replaces the armed one.
    clock.schedule(START + 60_000, () => seen.push(clock.now()))
    expect(wall.armedDelay).toBe(1_000)

    wall.move(1_000)
    wall.fire()
    expect(seen).toEqual([START + 60_000])
    expect(wall.armedDelay).toBe(14_000)

    wall.move(14_000)
    wall.fire()
    expect(seen).toEqual([START + 60_000, START + 15 * 60_000])
    expect(wall.armed.size).toBe(0)
    expect(clock.pending).toBe(0)
  })

  it('runs nothing when the wall timer fires early, and arms again for the rest', () => {
    const wall = new FakeWall()
    const clock = new VirtualClock({ mode: 'scaled', start: START, scale: 10, wall })
    let ran = false
    clock.schedule(START + 10_000, () => {
      ran = true
    })
    expect(wall.armedDelay).toBe(1_000)
    wall.move(400)
    wall.fire()
    expect(ran).toBe(false)
    expect(wall.armedDelay).toBe(600)
    wall.move(600)
    wall.fire()
    expect(ran).toBe(true)
  })

  it('runs every timer due when the wall timer fires late, in order', () => {
    const wall = new FakeWall()
    const clock = new VirtualClock({ mode: 'scaled', start: START, scale: 60, wall })
    const seen: string[] = []
    clock.schedule(START + 120_000, () => seen.push('b'))
    clock.schedule(START + 60_000, () => seen.push('a'))
    clock.schedule(START + 600_000, () => seen.push('later'))
    wall.move(5_000)
    wall.fire()
    expect(seen).toEqual(['a', 'b'])
    expect(clock.pending).toBe(1)
    expect(wall.armedDelay).toBe(5_000)
  })

  it('runs a timer scheduled in the past on the next turn', () => {
    const wall = new FakeWall()
    const clock = new VirtualClock({ mode: 'scaled', start: START, scale: 60, wall })
    let ran = false
    clock.schedule(START - 5_000, () => {
      ran = true
    })
    expect(ran).toBe(false)
    expect(wall.armedDelay).toBe(0)
    wall.fire()
    expect(ran).toBe(true)
  })

  it('re-arms long waits in slices of at most a wall minute', () => {
    const wall = new FakeWall()
    const clock = new VirtualClock({ mode: 'realtime', start: START, wall })
    let ran = false
    clock.schedule(START + 3 * 60_000 + 30_000, () => {
      ran = true
    })
    expect(wall.armedDelay).toBe(60_000)
    for (const expected of [60_000, 60_000, 60_000, 30_000]) {
      expect(wall.armedDelay).toBe(expected)
      wall.move(expected)
      wall.fire()
    }
    expect(ran).toBe(true)
  })

  it('cannot be advanced or set: only a manual clock moves on request', () => {
    const wall = new FakeWall()
    const clock = new VirtualClock({ mode: 'scaled', start: START, wall })
    expect(caught(() => clock.advance(1_000)).code).toBe('clock_not_manual')
    expect(caught(() => clock.set(START + 1_000)).code).toBe('clock_not_manual')
    expect(clock.now()).toBe(START)
  })

  it('releases its wall timer when its timers are cleared or it stops', () => {
    const wall = new FakeWall()
    const clock = new VirtualClock({ mode: 'scaled', start: START, wall })
    clock.schedule(START + 60_000, () => undefined)
    expect(wall.armed.size).toBe(1)
    clock.clearTimers()
    expect(wall.armed.size).toBe(0)
    clock.schedule(START + 60_000, () => undefined)
    clock.stop()
    expect(wall.armed.size).toBe(0)
    clock.schedule(START + 60_000, () => undefined)
    expect(wall.armed.size).toBe(0)
  })
})
