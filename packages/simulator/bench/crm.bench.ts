import { spawn, type ChildProcess } from 'node:child_process'
import { cpus, loadavg, totalmem } from 'node:os'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { build, type Plugin } from 'esbuild'
import { generateStory, SCENARIO_NAMES } from '@ccai-sim/fixtures'
import { createCrmClient } from '../src/crm/crm-client.js'
import { planCrmFlow, runCrmFlow } from '../src/crm/flow-engine.js'
import {
  createMockCrmApp,
  defaultMockCrmSettings,
  FaultController,
  MockCrmStore,
} from '../src/crm/mock-crm/index.js'
import { ACCOUNTS, AUTH, phoneOf } from './crm-server.js'

/*
 * The generic API's capacity (issue 18; reference §5):
 *   a. the mock CRM's find-account route (`GET /api/accounts?phone=…`, 1,000 accounts, API-key
 *      auth, an empty fault list: what the simulator mounts, served as `serve` serves it, with the
 *      node:http fast path below Hono) in requests per second over loopback, against a bare
 *      `node:http` server answering the same JSON body, and the same app through Hono alone. The
 *      servers (bench/crm-server.ts) are compiled with esbuild first, as `pnpm build` compiles the
 *      CLI, into node_modules/.cache (fresh on every run, so never stale; `--source` runs them from
 *      source through tsx instead, whose `keepNames` wraps every function made at run time).
 *      Each server runs in its own child process pinned to core 0; the load comes from
 *      autocannon, out of process, pinned to core 1 (`taskset`, when present), so the generator
 *      never competes with the server it loads. Three interleaved rounds (bare, mock, Hono alone,
 *      bare, …) after a warm-up of each; the verdict is the median of the rounds' ratios, target
 *      ≥ 0.6. Each round reports the share of a core the server and autocannon used: the figure
 *      holds only when bare `node:http` is the limit (its core busy, autocannon's not);
 *   b. whole flows per second: `runCrmFlow(planCrmFlow(…))` with the default mock settings against
 *      the mock CRM in-process (`app.fetch`), through the real CRM client (auth headers, timeouts).
 * Run through `pnpm --filter @ccai-sim/simulator bench`; `--connections` and `--pipelining` change
 * autocannon's settings, `--find-only` skips b.
 */

const { values: argv } = parseArgs({
  options: {
    source: { type: 'boolean', default: false },
    connections: { type: 'string', default: '64' },
    pipelining: { type: 'string', default: '1' },
    'find-only': { type: 'boolean', default: false },
  },
})

const CONNECTIONS = Number(argv.connections)
const PIPELINING = Number(argv.pipelining)
const WARMUP_SECONDS = 3
const ROUND_SECONDS = 6
const ROUNDS = 3
const FLOW_WARMUP = 50
const FLOWS = 500
const TARGET_RATIO = 0.6
const HERE = dirname(fileURLToPath(import.meta.url))
const SERVER_SOURCE = join(HERE, 'crm-server.ts')
const SERVER_BUILT = join(HERE, '../node_modules/.cache/ccai-sim-bench/crm-server.mjs')
const PIN = existsSync('/usr/bin/taskset')
const AUTOCANNON = createRequire(import.meta.url).resolve('autocannon/autocannon.js')

const fmt = (value: number, digits = 0): string =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
const median = (values: readonly number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0

const searched = phoneOf(ACCOUNTS / 2)
const path = `/api/accounts?phone=${encodeURIComponent(searched)}&limit=1`
const headers = {
  'x-api-key': AUTH.mode === 'api-key' ? AUTH.value : '',
  accept: 'application/json',
}

/**
 * bench/crm-server.ts compiled as the CLI is (esbuild, no `keepNames`), the workspace packages
 * from source, third-party packages left to node_modules (hence the output inside it).
 */
async function buildServer(): Promise<string> {
  const thirdParty: Plugin = {
    name: 'third-party-external',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) =>
        args.path.startsWith('@ccai-sim/') ? undefined : { path: args.path, external: true },
      )
    },
  }
  await build({
    entryPoints: [SERVER_SOURCE],
    outfile: SERVER_BUILT,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    conditions: ['@ccai-sim/source'],
    plugins: [thirdParty],
    logLevel: 'warning',
  })
  return SERVER_BUILT
}

await main()

function pinned(core: number, args: readonly string[]): [string, string[]] {
  return PIN
    ? ['/usr/bin/taskset', ['-c', String(core), process.execPath, ...args]]
    : [process.execPath, [...args]]
}

async function startServer(
  server: string,
  kind: 'mock' | 'hono' | 'bare',
  body = '',
): Promise<{ child: ChildProcess; port: number }> {
  const [command, args] = pinned(
    0,
    argv.source
      ? ['--conditions=@ccai-sim/source', '--import', 'tsx', server, kind, body]
      : [server, kind, body],
  )
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] })
  const port = await new Promise<number>((resolve, reject) => {
    let out = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const match = /port (\d+)/.exec(out)
      if (match) resolve(Number(match[1]))
    })
    child.once('exit', (code) => {
      reject(new Error(`${kind} server exited ${String(code)}`))
    })
  })
  return { child, port }
}

interface CannonResult {
  readonly rate: number
  readonly total: number
  readonly bad: number
  readonly p99: number
  /** Requests per CPU second of the server (its utime + stime from /proc over the run). */
  readonly perCpuSecond: number
  /** The share of a core the server used over the run (1: its core was all its own). */
  readonly serverCore: number
  /** The share of a core autocannon used (near 1: the load generator was the limit). */
  readonly loaderCore: number
}

/** A process's CPU time so far (utime + stime, /proc/<pid>/stat fields 14 and 15), in seconds. */
async function cpuSecondsOf(pid: number | undefined): Promise<number> {
  if (pid === undefined) return Number.NaN
  const stat = await readFile(`/proc/${String(pid)}/stat`, 'utf8').catch(() => '')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

/** One autocannon run, out of process, on core 1, against the server `server` (for its CPU time). */
async function cannon(
  server: { port: number; child: ChildProcess },
  seconds: number,
): Promise<CannonResult> {
  const port = server.port
  const cpuBefore = await cpuSecondsOf(server.child.pid)
  const headerArgs = Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`])
  const [command, args] = pinned(1, [
    AUTOCANNON,
    '-c',
    String(CONNECTIONS),
    '-p',
    String(PIPELINING),
    '-d',
    String(seconds),
    '--json',
    ...headerArgs,
    `http://127.0.0.1:${String(port)}${path}`,
  ])
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  const started = performance.now()
  let out = ''
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString()
  })
  child.stderr.resume()
  // autocannon's own CPU time, read just before it ends (its last line comes as it exits).
  let loaderCpu = 0
  let loaderWall = Number.NaN
  const sampler = setInterval(() => {
    void cpuSecondsOf(child.pid).then((cpu) => {
      if (!Number.isFinite(cpu) || cpu <= loaderCpu) return
      loaderCpu = cpu
      loaderWall = (performance.now() - started) / 1000
    })
  }, 250)
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  clearInterval(sampler)
  if (code !== 0) throw new Error(`autocannon exited ${String(code)}`)
  const cpu = (await cpuSecondsOf(server.child.pid)) - cpuBefore
  const result = JSON.parse(out) as {
    requests: { average: number; total: number }
    latency: { p99: number }
    non2xx: number
    errors: number
    timeouts: number
  }
  return {
    rate: result.requests.average,
    total: result.requests.total,
    bad: result.non2xx + result.errors + result.timeouts,
    p99: result.latency.p99,
    perCpuSecond: result.requests.total / cpu,
    serverCore: cpu / seconds,
    loaderCore: loaderCpu / loaderWall,
  }
}

async function main(): Promise<void> {
  const benchStartedAt = performance.now()

  // ---- a. find-account requests per second: mock CRM vs bare node:http ------------------------

  const loadBefore = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')
  const server = argv.source ? SERVER_SOURCE : await buildServer()
  const mock = await startServer(server, 'mock')
  const sample = await fetch(`http://127.0.0.1:${String(mock.port)}${path}`, { headers })
  const body = await sample.text()
  if (sample.status !== 200) throw new Error(`mock CRM find: HTTP ${String(sample.status)}`)
  const found = JSON.parse(body) as { phone?: string }[]
  if (found.length !== 1 || found[0]?.phone !== searched)
    throw new Error(`mock CRM find: expected the one account with ${searched}, got ${body}`)
  const bare = await startServer(server, 'bare', Buffer.from(body).toString('base64'))
  const bareBody = await (await fetch(`http://127.0.0.1:${String(bare.port)}${path}`)).text()
  if (bareBody !== body) throw new Error('the bare server does not answer the mock CRM body')

  const hono = await startServer(server, 'hono')
  const mockRuns: CannonResult[] = []
  const honoRuns: CannonResult[] = []
  const bareRuns: CannonResult[] = []
  try {
    await cannon(bare, WARMUP_SECONDS)
    await cannon(mock, WARMUP_SECONDS)
    await cannon(hono, WARMUP_SECONDS)
    // Interleaved rounds, so drift (thermal, other load) hits both alike.
    for (let round = 0; round < ROUNDS; round++) {
      bareRuns.push(await cannon(bare, ROUND_SECONDS))
      mockRuns.push(await cannon(mock, ROUND_SECONDS))
      honoRuns.push(await cannon(hono, ROUND_SECONDS))
    }
  } finally {
    mock.child.kill('SIGTERM')
    hono.child.kill('SIGTERM')
    bare.child.kill('SIGTERM')
  }
  const bad = [...mockRuns, ...honoRuns, ...bareRuns].reduce((sum, run) => sum + run.bad, 0)
  if (bad > 0) throw new Error(`${String(bad)} answers were not 2xx, or failed`)

  const bareRate = median(bareRuns.map((r) => r.rate))
  const mockRate = median(mockRuns.map((r) => r.rate))
  const ratios = mockRuns.map((run, i) => run.rate / (bareRuns[i]?.rate ?? Infinity))
  const ratio = median(ratios)
  console.log(
    `a. find account over loopback (${fmt(ACCOUNTS)} accounts, autocannon out of process, ${String(CONNECTIONS)} connections, ` +
      `${PIPELINING > 1 ? `pipelining ${String(PIPELINING)}, ` : ''}keep-alive, ${String(ROUNDS)} interleaved rounds of ${String(ROUND_SECONDS)} s, ${fmt(body.length)}-byte answer, ` +
      `servers ${argv.source ? 'from source (tsx)' : 'compiled (esbuild)'}${PIN ? ' on core 0, load on core 1' : ''})`,
  )
  console.log(
    `   bare node:http  ${fmt(bareRate).padStart(8)} req/s   (${bareRuns.map((r) => fmt(r.rate)).join(', ')}; p99 ${fmt(median(bareRuns.map((r) => r.p99)))} ms)`,
  )
  console.log(
    `   mock CRM        ${fmt(mockRate).padStart(8)} req/s   (${mockRuns.map((r) => fmt(r.rate)).join(', ')}; p99 ${fmt(median(mockRuns.map((r) => r.p99)))} ms)`,
  )
  console.log(
    `   ratio ${fmt(ratio, 2)} (median of the rounds' ratios: ${ratios.map((r) => fmt(r, 2)).join(', ')}) — ` +
      `${ratio >= TARGET_RATIO ? 'PASS' : 'FAIL'} (target ≥ ${String(TARGET_RATIO)})`,
  )
  // On a shared machine the servers' core also runs other people's work: requests per CPU second
  // of each server say what each request costs, whatever else ran.
  const cpuRatios = mockRuns.map(
    (run, i) => run.perCpuSecond / (bareRuns[i]?.perCpuSecond ?? Infinity),
  )
  console.log(
    `   per server CPU second: bare ${fmt(median(bareRuns.map((r) => r.perCpuSecond)))} req, mock CRM ` +
      `${fmt(median(mockRuns.map((r) => r.perCpuSecond)))} req; ratio ${fmt(median(cpuRatios), 2)} ` +
      `(rounds ${cpuRatios.map((r) => fmt(r, 2)).join(', ')})`,
  )

  const cores = (runs: readonly CannonResult[]): string =>
    runs.map((r) => `${fmt(r.serverCore, 2)}/${fmt(r.loaderCore, 2)}`).join(', ')
  console.log(
    `   share of a core used, server/autocannon, by round: bare ${cores(bareRuns)}; mock CRM ${cores(mockRuns)}; Hono only ${cores(honoRuns)}`,
  )
  console.log(
    `   load average ${loadBefore} before these rounds, ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} after`,
  )

  const honoRatios = honoRuns.map((run, i) => run.rate / (bareRuns[i]?.rate ?? Infinity))
  const honoCpuRatios = honoRuns.map(
    (run, i) => run.perCpuSecond / (bareRuns[i]?.perCpuSecond ?? Infinity),
  )
  console.log(
    `   without the fast path (Hono only): ${fmt(median(honoRuns.map((r) => r.rate)))} req/s, ratio ${fmt(median(honoRatios), 2)}; ` +
      `per server CPU second ${fmt(median(honoRuns.map((r) => r.perCpuSecond)))} req, ratio ${fmt(median(honoCpuRatios), 2)}`,
  )

  // ---- b. whole flows per second, in-process -------------------------------------------------------

  async function flows(
    count: number,
    seedFrom: number,
  ): Promise<{ perSecond: number; requests: number }> {
    const flowStore = new MockCrmStore({ now: () => Date.now() })
    const app = createMockCrmApp({
      store: flowStore,
      auth: AUTH,
      faults: new FaultController(),
      now: () => Date.now(),
    })
    const settings = defaultMockCrmSettings('http://mock-crm.invalid', { auth: AUTH })
    const client = createCrmClient({
      settings,
      fetch: (input, init) => Promise.resolve(app.fetch(new Request(input, init))),
      now: () => Date.now(),
    })
    const send = client.send.bind(client)
    let requests = 0
    const started = performance.now()
    for (let i = 0; i < count; i++) {
      const scenario = SCENARIO_NAMES[i % SCENARIO_NAMES.length] ?? 'inbound-ivr-call'
      const story = generateStory(scenario, { seed: seedFrom + i })
      const report = await runCrmFlow(planCrmFlow({ settings, story }), { send })
      const failed = report.steps.find((s) => s.outcome === 'failed')
      if (failed)
        throw new Error(
          `${scenario} seed ${String(seedFrom + i)}: ${failed.step} failed: ${failed.error ?? ''}`,
        )
      requests += report.steps.filter((s) => s.attempts > 0).length
    }
    return { perSecond: count / ((performance.now() - started) / 1000), requests }
  }

  let flowRate: number | undefined
  if (!argv['find-only']) {
    await flows(FLOW_WARMUP, 1_000_000)
    const flowRuns = [await flows(FLOWS, 1), await flows(FLOWS, 1)]
    flowRate = Math.max(...flowRuns.map((r) => r.perSecond))
    const perFlow = (flowRuns[0]?.requests ?? 0) / FLOWS
    console.log(
      `\nb. whole flows in-process (default mock settings, API-key auth, every scenario in turn, ` +
        `${fmt(FLOWS)} flows, best of ${String(flowRuns.length)})`,
    )
    console.log(
      `   ${fmt(flowRate)} flows/s, ${fmt(perFlow, 1)} requests per flow (${fmt(flowRate * perFlow)} requests/s)`,
    )
  }

  // ---- summary -----------------------------------------------------------------------------------

  const cpu = cpus()
  console.log(
    `\nmachine: node ${process.version}, ${cpu[0]?.model ?? 'unknown CPU'}, ${String(cpu.length)} cores, ` +
      `${fmt(totalmem() / 1024 ** 3, 1)} GB, load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
  )
  console.log(
    `crm: mock CRM find ${fmt(mockRate)} req/s vs bare ${fmt(bareRate)} req/s, ratio ${fmt(ratio, 2)} ` +
      `(target ≥ ${String(TARGET_RATIO)}: ${ratio >= TARGET_RATIO ? 'met' : 'NOT met'})` +
      (flowRate === undefined ? '' : `; ${fmt(flowRate)} flows/s`),
  )
  console.log(`bench took ${fmt((performance.now() - benchStartedAt) / 1000, 1)} s`)
}
