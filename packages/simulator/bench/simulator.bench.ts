import { cpus, loadavg } from 'node:os'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { SCENARIO_NAMES } from '@ccai-sim/fixtures'
import { Bench } from 'tinybench'
import { createSimulatorApp, type SimulatorApp } from '../src/app.js'
import type { LiveSession } from '../src/runtime/simulator-runtime.js'
import { measureStartup, type StartupRun } from './cli-startup.js'

/*
 * The simulator's capacity on one core, for planning (the issue sets no targets):
 *   1. sessions played to completion per second (manual clock, in-memory storage and mail),
 *   2. heap per 1,000 concurrent live sessions (every emission scheduled, none delivered),
 *   3. start-up time of the real CLI to its ready line.
 * Run through `pnpm --filter @ccai-sim/simulator bench` (the script passes `--expose-gc`).
 */

const THROUGHPUT_BATCHES = [100, 500] as const
const MEMORY_SESSIONS = 1_000
const STARTUP_RUNS = 5
/** Longer than any scenario's story, its delayed files and its email. */
const PAST_EVERY_END_MS = 3 * 3600_000

const benchStartedAt = performance.now()

/** `global.gc` when node runs with `--expose-gc`; otherwise enabled late through V8 flags. */
function gcFunction(): () => void {
  if (typeof globalThis.gc === 'function') {
    const gc = globalThis.gc
    return () => {
      gc()
    }
  }
  setFlagsFromString('--expose-gc')
  return runInNewContext('gc') as () => void
}
const gc = gcFunction()

/** Several full collections, with turns between them so weak references and finalizers settle. */
async function collectGarbage(): Promise<void> {
  for (let i = 0; i < 4; i++) {
    gc()
    await new Promise((resolve) => setImmediate(resolve))
  }
}

function newSimulator(): SimulatorApp {
  // Memory storage and memory mail are the defaults of the pure app.
  return createSimulatorApp({ config: { clock: { mode: 'manual' }, email: { enabled: true } } })
}

/** Starts `count` sessions of the default mix, cycling through every scenario. */
function startSessions(simulator: SimulatorApp, count: number): LiveSession[] {
  const sessions: LiveSession[] = []
  for (let i = 0; i < count; i++) {
    const scenario = SCENARIO_NAMES[i % SCENARIO_NAMES.length] ?? 'inbound-ivr-call'
    sessions.push(simulator.runtime.startSession({ scenario }))
  }
  return sessions
}

function assertAllComplete(sessions: readonly LiveSession[]): void {
  const unfinished = sessions.filter((s) => s.state !== 'complete')
  const first = unfinished[0]
  if (first) {
    throw new Error(
      `${unfinished.length} of ${sessions.length} sessions not complete after the clock passed their ends; ` +
        `first: #${first.id} ${first.scenario} ${first.state} (${first.delivered}/${first.total} delivered)`,
    )
  }
}

const fmt = (value: number, digits = 0): string =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
const mb = (bytes: number): number => bytes / 1024 / 1024
const median = (values: readonly number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0

// ---- 1. sessions completed per second ----------------------------------------------------------

const bench = new Bench({
  time: 0,
  iterations: 4,
  warmupTime: 0,
  warmupIterations: 1,
  throws: true,
})
let current: SimulatorApp | undefined
/** Per run (warm-up included), by batch size: the share of the time spent starting sessions. */
const startShares = new Map<number, number[]>()
for (const count of THROUGHPUT_BATCHES) {
  startShares.set(count, [])
  bench.add(
    `${count} sessions started, played to the end, settled`,
    async () => {
      const simulator = current ?? newSimulator()
      const startedAt = performance.now()
      const sessions = startSessions(simulator, count)
      const startedAllAt = performance.now()
      // Steps every timer in order and settles between (the reactive runtime's own way).
      await simulator.runtime.advance(PAST_EVERY_END_MS)
      assertAllComplete(sessions)
      const share = (startedAllAt - startedAt) / (performance.now() - startedAt)
      startShares.get(count)?.push(share)
    },
    {
      beforeEach: () => {
        current = newSimulator()
      },
      afterEach: async () => {
        await current?.close()
        current = undefined
      },
    },
  )
}
await bench.run()

const throughputRows = bench.tasks.map((task, i) => {
  const count = THROUGHPUT_BATCHES[i] ?? 0
  const result = task.result
  if (result.state !== 'completed') throw new Error(`${task.name}: ${result.state}`)
  const best = result.latency.min
  return {
    count,
    best,
    row: {
      task: task.name,
      runs: result.latency.samplesCount,
      'best (ms)': fmt(best),
      'median (ms)': fmt(result.latency.p50),
      'sessions/s (best)': fmt((count / best) * 1000),
      'ms/session (best)': fmt(best / count, 2),
      'of which starting (median)': `${fmt(median(startShares.get(count) ?? []) * 100)} %`,
    },
  }
})
console.log('\n1. Sessions completed per second (manual clock, memory storage, memory mail)')
console.table(throughputRows.map((r) => r.row))

// ---- 2. memory per 1,000 live sessions ---------------------------------------------------------

const memorySimulator = newSimulator()
await collectGarbage()
const heapBefore = process.memoryUsage().heapUsed
const liveSessions = startSessions(memorySimulator, MEMORY_SESSIONS)
const pendingTimers = memorySimulator.runtime.clock.pending
await collectGarbage()
const heapLive = process.memoryUsage().heapUsed
const stillLive = liveSessions.filter((s) => s.state === 'live').length
if (stillLive !== MEMORY_SESSIONS) {
  throw new Error(`expected ${MEMORY_SESSIONS} live sessions, found ${stillLive}: the clock moved`)
}
// What stays once they have all finished: the sessions, the sinks' files and mail, the journal.
await memorySimulator.runtime.advance(PAST_EVERY_END_MS)
assertAllComplete(liveSessions)
await collectGarbage()
const heapComplete = process.memoryUsage().heapUsed
await memorySimulator.close()

const liveBytes = heapLive - heapBefore
const completeBytes = heapComplete - heapBefore
const per1000 = (bytes: number): number => (bytes * 1000) / MEMORY_SESSIONS
console.log(
  `\n2. Heap per ${fmt(MEMORY_SESSIONS)} sessions (process.memoryUsage().heapUsed after forced GC)`,
)
console.table([
  {
    state: `live (${fmt(pendingTimers)} emissions scheduled)`,
    'MB per 1,000 sessions': fmt(mb(per1000(liveBytes)), 1),
    'KB per session': fmt(liveBytes / MEMORY_SESSIONS / 1024, 1),
  },
  {
    state: 'complete (sessions, stored files, mail, journal kept)',
    'MB per 1,000 sessions': fmt(mb(per1000(completeBytes)), 1),
    'KB per session': fmt(completeBytes / MEMORY_SESSIONS / 1024, 1),
  },
])

// ---- 3. start-up time of the CLI ---------------------------------------------------------------

const startupRuns: StartupRun[] = []
for (let i = 0; i < STARTUP_RUNS; i++) startupRuns.push(await measureStartup())
const medianReady = median(startupRuns.map((r) => r.readyMs))
console.log(
  `\n3. Start-up: spawn of \`ccai-sim serve --port 0 --clock manual --no-email --no-storage\` to its ready line`,
)
console.table(
  startupRuns.map((r, i) => ({
    run: i + 1,
    'to ready line (ms)': fmt(r.readyMs),
    'SIGTERM to exit (ms)': fmt(r.stopMs),
  })),
)
console.log(`ready line: ${startupRuns[0]?.readyLine ?? ''}`)

// ---- summary -----------------------------------------------------------------------------------

const cpu = cpus()
const headline = throughputRows.find((r) => r.count === 500) ?? throughputRows.at(-1)
console.log(
  `\nmachine: node ${process.version}, ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ` +
    `load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
)
console.log(
  `simulator: ${fmt(((headline?.count ?? 0) / (headline?.best ?? Infinity)) * 1000)} sessions/s completed ` +
    `(best run of ${headline?.count ?? 0}); ` +
    `${fmt(mb(per1000(liveBytes)), 1)} MB heap per 1,000 live sessions ` +
    `(${fmt(liveBytes / MEMORY_SESSIONS / 1024, 1)} KB each); ` +
    `ready in ${fmt(medianReady)} ms (median of ${STARTUP_RUNS}) — no targets set, reported for capacity planning`,
)
console.log(`bench took ${fmt((performance.now() - benchStartedAt) / 1000, 1)} s`)
