import { DEFAULT_SCENARIO_MIX, hashSeed, SCENARIO_NAMES } from '@ccai-sim/fixtures'
import type { VirtualClock } from '../clock/virtual-clock.js'
import { SimulatorError } from '../errors.js'

/** A deterministic uniform number in [0, 1) from `(seed, i, purpose)`. */
function unit(seed: number, i: number, purpose: string): number {
  return hashSeed(seed, 'load', i, purpose) / 4_294_967_296
}

/**
 * Continuous load: sessions arrive as a Poisson process (exponential gaps) at `sessionsPerMinute`
 * virtual minutes, each scenario drawn from the mix; both derive from `(seed, n)`, so a seed replays.
 */
export class LoadGenerator {
  private n = 0
  private running = false
  /** When the last arrival was due (virtual ms): the next one is a gap after it, not after now. */
  private lastAt = 0
  private readonly entries: readonly { readonly name: string; readonly weight: number }[]
  private readonly total: number

  constructor(
    private readonly options: {
      readonly clock: Pick<VirtualClock, 'now' | 'schedule'>
      readonly seed: number
      readonly sessionsPerMinute: number
      readonly mix: Readonly<Record<string, number>> | undefined
      readonly start: (scenario: string, seed: number) => unknown
    },
  ) {
    const mix = options.mix ?? DEFAULT_SCENARIO_MIX
    for (const name of Object.keys(mix)) {
      if (!SCENARIO_NAMES.includes(name)) {
        throw new SimulatorError(
          'invalid_config',
          `load.mix.${name}: expected a scenario name (${SCENARIO_NAMES.join(', ')})`,
        )
      }
    }
    this.entries = Object.entries(mix).map(([name, weight]) => ({ name, weight }))
    this.total = this.entries.reduce((sum, e) => sum + e.weight, 0)
  }

  start(): void {
    if (this.running || this.options.sessionsPerMinute <= 0 || this.total <= 0) return
    this.running = true
    this.lastAt = this.options.clock.now()
    this.scheduleNext()
  }

  stop(): void {
    this.running = false
  }

  /** After a reset: the clock's timers are gone, so arm again. */
  restart(): void {
    this.running = false
    this.n = 0
    this.start()
  }

  private pick(i: number): string {
    let ticket = unit(this.options.seed, i, 'scenario') * this.total
    for (const entry of this.entries) {
      ticket -= entry.weight
      if (ticket < 0) return entry.name
    }
    return this.entries.at(-1)?.name ?? 'inbound-ivr-call'
  }

  private scheduleNext(): void {
    const i = this.n++
    const meanGapMs = 60_000 / this.options.sessionsPerMinute
    const gap = Math.max(
      1,
      Math.round(-Math.log(1 - unit(this.options.seed, i, 'gap')) * meanGapMs),
    )
    // From the previous arrival's due time: a callback that runs late (a busy event loop under a
    // real-time clock) must not push every later arrival back, or the load offered falls short of
    // the rate asked. Arrivals already due run at once, in order.
    this.lastAt += gap
    this.options.clock.schedule(this.lastAt, () => {
      if (!this.running) return
      this.options.start(this.pick(i), this.options.seed)
      this.scheduleNext()
    })
  }
}
