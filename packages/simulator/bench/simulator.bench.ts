import { cpus, loadavg } from 'node:os'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { SCENARIO_NAMES } from '@ccai-sim/fixtures'
import { createSimulatorApp } from '../src/app.js'
import { measureStartup, type StartupRun } from './cli-startup.js'

/*
 * The simulator's session capacity on one core (issue 9 "Benchmark", issue 18 "Sessions"):
 *   1. start cost per session with 1,000 and with 10,000 sessions already live, and RSS / heap with
 *      10,000 live sessions (measured first, in a fresh heap),
 *   2. complete sessions per second for 1,000 and for 10,000 sessions (manual clock advanced with
 *      `runtime.advance`, in-process sinks, the built-in mock CRM, every surface), wall and CPU;
 *      with `--compare-with <checkout>`, the same batches (up to `--compare-max`, default 1,000) on
 *      that checkout's runtime in the same run (a copy of the replay-based runtime, commit 982c011,
 *      driven by `clock.advance` + `settle`), both on the scenarios both checkouts know,
 *   3. start-up time of the real CLI to its ready line.
 * Targets (issues 9, 18): ≥ 2,000 sessions/s; the 10,000 rate within 20% of the 1,000 rate; start
 * cost flat from 1,000 to 10,000 live; 10,000 live sessions < 500 MB RSS.
 * Run through `pnpm --filter @ccai-sim/simulator bench` (the script passes `--expose-gc`);
 * `--sessions 1000,10000` changes the batches, `--live 10000` the live count, `--no-startup` skips 3.
 */

const { values: argv } = parseArgs({
  options: {
    sessions: { type: 'string', default: '1000,10000' },
    live: { type: 'string', default: '10000' },
    'compare-with': { type: 'string' },
    /** Larger batches are not run on the other checkout (the replay-based runtime slows with more sessions). */
    'compare-max': { type: 'string', default: '1000' },
    'no-startup': { type: 'boolean', default: false },
    /** `off` runs without the generic-API flow, to see the session's own costs without the CRM's. */
    crm: { type: 'string', default: 'on' },
  },
})
/** `--sessions 0` skips part 2, `--live 0` part 1. */
const BATCHES = argv.sessions
  .split(',')
  .map(Number)
  .filter((count) => count > 0)
if (argv.crm !== 'on' && argv.crm !== 'off')
  throw new Error(`--crm: expected on or off, got ${JSON.stringify(argv.crm)}`)
const CRM_ENABLED = argv.crm === 'on'
const LIVE = Number(argv.live)
/** The start cost is measured over this many sessions at each live count. */
const START_SAMPLE = 1_000
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

/** What the bench needs of a simulator: this checkout's, or another's (`--compare-with`). */
interface BenchSession {
  readonly id: number
  readonly scenario: string
  readonly state: string
  readonly delivered: number
  readonly total: number
}
interface BenchSimulator {
  readonly runtime: {
    startSession(input: { scenario: string }): BenchSession
    readonly clock: { advance(ms: number): unknown; readonly pending: number }
    /** The reactive runtime's own stepping (absent in the replay-based one). */
    advance?(ms: number): Promise<unknown>
    settle(): Promise<void>
  }
  close(): Promise<void>
}
type CreateSimulator = (options: {
  config: { clock: { mode: 'manual' }; email: { enabled: true }; crm: { enabled: boolean } }
}) => BenchSimulator

const createThis: CreateSimulator = (options) => createSimulatorApp(options)
let createOther: CreateSimulator | undefined
let scenarios: readonly string[] = SCENARIO_NAMES
if (argv['compare-with'] !== undefined) {
  const app = resolve(argv['compare-with'], 'packages/simulator/src/app.ts')
  const module = (await import(pathToFileURL(app).href)) as {
    createSimulatorApp: CreateSimulator
  }
  createOther = module.createSimulatorApp
  const fixtures = (await import(
    pathToFileURL(resolve(argv['compare-with'], 'packages/fixtures/src/index.ts')).href
  )) as { SCENARIO_NAMES: readonly string[] }
  // The same mix on both sides: the scenarios both checkouts know.
  scenarios = scenarios.filter((name) => fixtures.SCENARIO_NAMES.includes(name))
}

function newSimulator(create: CreateSimulator): BenchSimulator {
  // Memory storage and memory mail are the defaults of the pure app.
  return create({
    config: { clock: { mode: 'manual' }, email: { enabled: true }, crm: { enabled: CRM_ENABLED } },
  })
}

/** Starts `count` sessions of the default mix, cycling through every scenario. */
function startSessions(simulator: BenchSimulator, count: number, from = 0): BenchSession[] {
  const sessions: BenchSession[] = []
  for (let i = from; i < from + count; i++) {
    const scenario = scenarios[i % scenarios.length] ?? 'inbound-ivr-call'
    sessions.push(simulator.runtime.startSession({ scenario }))
  }
  return sessions
}

async function playToTheEnd(simulator: BenchSimulator): Promise<void> {
  const { runtime } = simulator
  if (runtime.advance) {
    // Steps every timer in order and settles between (the reactive runtime's own way).
    await runtime.advance(PAST_EVERY_END_MS)
  } else {
    runtime.clock.advance(PAST_EVERY_END_MS)
    await runtime.settle()
  }
}

function assertAllComplete(sessions: readonly BenchSession[]): void {
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
/** CPU time of this process (every thread: GC helpers included) since `from`, in ms. */
const cpuMs = (from: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(from)
  return (used.user + used.system) / 1000
}

// Memory first, in a fresh heap: the throughput runs leave RSS the allocator keeps.
// ---- 1. start cost and memory with many live sessions ------------------------------------------

const liveSimulator = newSimulator(createThis)
await collectGarbage()
const heapBefore = process.memoryUsage().heapUsed
const startCosts: { live: number; msPerSession: number }[] = []
let started = 0
for (const target of LIVE > 0 ? [START_SAMPLE, LIVE] : []) {
  // Fill up to the live count less one sample, then time the starts of the sample on top of it.
  const fill = target - START_SAMPLE - started
  if (fill > 0) {
    startSessions(liveSimulator, fill, started)
    started += fill
  }
  await collectGarbage()
  const at = performance.now()
  startSessions(liveSimulator, START_SAMPLE, started)
  started += START_SAMPLE
  startCosts.push({ live: started, msPerSession: (performance.now() - at) / START_SAMPLE })
}
const pendingTimers = liveSimulator.runtime.clock.pending
await collectGarbage()
const liveMemory = process.memoryUsage()
const liveHeap = liveMemory.heapUsed - heapBefore
await liveSimulator.close()
if (LIVE > 0) {
  console.log(
    `\n1. Starting sessions while others are live (${fmt(START_SAMPLE)} starts timed at each count), and memory with ${fmt(started)} live`,
  )
  console.table(
    startCosts.map((s) => ({
      'live after the sample': fmt(s.live),
      'start cost (ms/session)': fmt(s.msPerSession, 3),
    })),
  )
  console.table([
    {
      'live sessions': fmt(started),
      'clock timers pending': fmt(pendingTimers),
      'RSS (MB)': fmt(mb(liveMemory.rss)),
      'heap of the sessions (MB)': fmt(mb(liveHeap), 1),
      'KB per session': fmt(liveHeap / started / 1024, 1),
    },
  ])
}

// ---- 2. sessions completed per second ----------------------------------------------------------

interface Throughput {
  readonly runtime: string
  readonly count: number
  readonly wallMs: number
  readonly cpuMs: number
  readonly startMs: number
}

async function throughput(
  name: string,
  create: CreateSimulator,
  count: number,
): Promise<Throughput> {
  const simulator = newSimulator(create)
  await collectGarbage()
  const cpu = process.cpuUsage()
  const startedAt = performance.now()
  const sessions = startSessions(simulator, count)
  const startMs = performance.now() - startedAt
  await playToTheEnd(simulator)
  const wallMs = performance.now() - startedAt
  const result = { runtime: name, count, wallMs, cpuMs: cpuMs(cpu), startMs }
  assertAllComplete(sessions)
  await simulator.close()
  return result
}

const runs: Throughput[] = []
// A warm-up batch, not reported: the first sessions pay for module loading and JIT compilation.
if (BATCHES.length > 0) await throughput('warm-up', createThis, 200)
if (createOther && BATCHES.length > 0) await throughput('warm-up', createOther, 200)
for (const count of BATCHES) {
  runs.push(await throughput('reactive (this checkout)', createThis, count))
  if (createOther && count <= Number(argv['compare-max']))
    runs.push(await throughput(`--compare-with`, createOther, count))
}
const rate = (count: number, ms: number): number => (count / ms) * 1000
console.log(
  `\n2. Sessions started, played to the end and settled (manual clock, memory storage and mail, ${CRM_ENABLED ? 'mock CRM' : 'CRM flow off'})`,
)
console.table(
  runs.map((r) => ({
    runtime: r.runtime,
    sessions: fmt(r.count),
    'wall (s)': fmt(r.wallMs / 1000, 1),
    'sessions/s (wall)': fmt(rate(r.count, r.wallMs)),
    'sessions/s (CPU time)': fmt(rate(r.count, r.cpuMs)),
    'ms/session (wall)': fmt(r.wallMs / r.count, 2),
    'of which starting': `${fmt((r.startMs / r.wallMs) * 100)} %`,
  })),
)
if (scenarios.length < SCENARIO_NAMES.length)
  console.log(`mix: the ${String(scenarios.length)} scenarios both checkouts know`)
const ours = runs.filter((r) => r.runtime.startsWith('reactive'))
const smallest = ours[0]
const largest = ours.at(-1)

// ---- 3. start-up time of the CLI ---------------------------------------------------------------

let medianReady: number | undefined
if (!argv['no-startup']) {
  const startupRuns: StartupRun[] = []
  for (let i = 0; i < STARTUP_RUNS; i++) startupRuns.push(await measureStartup())
  medianReady = median(startupRuns.map((r) => r.readyMs))
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
}

// ---- summary -----------------------------------------------------------------------------------

const cpu = cpus()
console.log(
  `\nmachine: node ${process.version}, ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ` +
    `load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
)
if (smallest && largest) {
  const small = rate(smallest.count, smallest.wallMs)
  const large = rate(largest.count, largest.wallMs)
  // CPU time too: on a shared machine the wall rates follow the other work more than this one.
  const smallCpu = rate(smallest.count, smallest.cpuMs)
  const largeCpu = rate(largest.count, largest.cpuMs)
  const first = startCosts[0]
  const last = startCosts.at(-1)
  const met = (ok: boolean): string => (ok ? 'met' : 'NOT met')
  console.log(
    `sessions/s: ${fmt(small)} for ${fmt(smallest.count)}, ${fmt(large)} for ${fmt(largest.count)} ` +
      `(${fmt((large / small) * 100)} % of the smaller batch; target ≥ 80 %: ${met(large >= 0.8 * small)}; ` +
      `target ≥ 2,000/s: ${met(Math.min(small, large) >= 2000)})`,
  )
  console.log(
    `sessions/s of CPU time: ${fmt(smallCpu)} for ${fmt(smallest.count)}, ${fmt(largeCpu)} for ${fmt(largest.count)} ` +
      `(${fmt((largeCpu / smallCpu) * 100)} % of the smaller batch; target ≥ 80 %: ${met(largeCpu >= 0.8 * smallCpu)}; ` +
      `target ≥ 2,000/s: ${met(Math.min(smallCpu, largeCpu) >= 2000)})`,
  )
  if (first && last) {
    console.log(
      `start cost: ${fmt(first.msPerSession, 3)} ms/session at ${fmt(first.live)} live, ` +
        `${fmt(last.msPerSession, 3)} at ${fmt(last.live)} live ` +
        `(${fmt(last.msPerSession / first.msPerSession, 2)}×); ` +
        `RSS with ${fmt(started)} live: ${fmt(mb(liveMemory.rss))} MB (target < 500 MB: ${met(mb(liveMemory.rss) < 500)})`,
    )
  }
}
if (medianReady !== undefined)
  console.log(`ready in ${fmt(medianReady)} ms (median of ${STARTUP_RUNS})`)
console.log(`bench took ${fmt((performance.now() - benchStartedAt) / 1000, 1)} s`)
