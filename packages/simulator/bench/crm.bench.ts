import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { cpus, loadavg, totalmem } from 'node:os'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { serve } from '@hono/node-server'
import { generateStory, SCENARIO_NAMES } from '@ccai-sim/fixtures'
import { createCrmClient } from '../src/crm/crm-client.js'
import { planCrmFlow, runCrmFlow } from '../src/crm/flow-engine.js'
import {
  createMockCrmApp,
  defaultMockCrmSettings,
  fastPathServer,
  mockCrmCoreOf,
  FaultController,
  MockCrmStore,
  type MockCrmAuth,
} from '../src/crm/mock-crm/index.js'

/*
 * The generic API's capacity (issue 18; reference §5):
 *   a. the mock CRM's find-account route (`GET /api/accounts?phone=…`, 1,000 accounts, API-key
 *      auth, an empty fault list: what the simulator mounts, served as `serve` serves it, with the
 *      node:http fast path below Hono) in requests per second over loopback, against a bare
 *      `node:http` server answering the same JSON body, and the same app through Hono alone. Each server runs in its own
 *      child process pinned to core 0; the load comes from autocannon, out of process, pinned to
 *      core 1 (`taskset`, when present), so the generator never competes with the server it
 *      loads. Three interleaved rounds (bare, mock, Hono alone, bare, …) after a warm-up of each; the
 *      verdict is the median of the rounds' ratios, target ≥ 0.6;
 *   b. whole flows per second: `runCrmFlow(planCrmFlow(…))` with the default mock settings against
 *      the mock CRM in-process (`app.fetch`), through the real CRM client (auth headers, timeouts).
 * Run through `pnpm --filter @ccai-sim/simulator bench`.
 */

const ACCOUNTS = 1_000
const CONNECTIONS = 64
const PIPELINING = 1
const WARMUP_SECONDS = 3
const ROUND_SECONDS = 6
const ROUNDS = 3
const FLOW_WARMUP = 50
const FLOWS = 500
const TARGET_RATIO = 0.6
const AUTH: MockCrmAuth = { mode: 'api-key', header: 'X-Api-Key', value: 'bench-key' }
const SELF = fileURLToPath(import.meta.url)
const PIN = existsSync('/usr/bin/taskset')
const AUTOCANNON = createRequire(import.meta.url).resolve('autocannon/autocannon.js')

const fmt = (value: number, digits = 0): string =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
const median = (values: readonly number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0

/** Phone numbers `+1201555xxxx`, one per account. */
const phoneOf = (i: number): string => `+1201555${String(i).padStart(4, '0')}`

function fillStore(store: MockCrmStore, count: number): void {
  for (let i = 0; i < count; i++) {
    store.createAccount({
      fields: {
        name: `Bench Customer ${String(i)}`,
        first_name: 'Bench',
        last_name: `Customer ${String(i)}`,
        phone: phoneOf(i),
        email: `customer${String(i)}@example.com`,
        external_id: String(90_000 + i),
      },
    })
  }
}

const searched = phoneOf(ACCOUNTS / 2)
const path = `/api/accounts?phone=${encodeURIComponent(searched)}&limit=1`
const headers = {
  'x-api-key': AUTH.mode === 'api-key' ? AUTH.value : '',
  accept: 'application/json',
}

// ---- the servers, each in its own process ------------------------------------------------------

const { values: argv } = parseArgs({
  options: { serve: { type: 'string' }, body: { type: 'string' } },
})

if (argv.serve !== undefined) {
  // Exit (not die) on SIGTERM, so `--cpu-prof` can write its profile when the server is profiled.
  process.once('SIGTERM', () => process.exit(0))
}
if (argv.serve === 'mock' || argv.serve === 'hono') {
  const store = new MockCrmStore({ now: () => Date.now() })
  fillStore(store, ACCOUNTS)
  const app = createMockCrmApp({
    store,
    auth: AUTH,
    faults: new FaultController(),
    now: () => Date.now(),
  })
  // `hono`: the same app without the fast path (the comparison in the same run).
  const core = argv.serve === 'mock' ? mockCrmCoreOf(app) : undefined
  // As the simulator serves it (server.ts): the GET API below Hono, everything else through it.
  serve(
    {
      fetch: app.fetch,
      port: 0,
      hostname: '127.0.0.1',
      ...(core ? { createServer: fastPathServer({ core, mount: '' }) } : {}),
    },
    (info) => {
      process.stdout.write(`port ${String(info.port)}\n`)
    },
  )
} else if (argv.serve === 'bare') {
  const body = Buffer.from(argv.body ?? '', 'base64')
  const bare = createServer((req, res) => {
    req.resume()
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.byteLength })
    res.end(body)
  })
  bare.listen(0, '127.0.0.1', () => {
    process.stdout.write(`port ${String((bare.address() as AddressInfo).port)}\n`)
  })
} else {
  await main()
}

function pinned(core: number, args: readonly string[]): [string, string[]] {
  return PIN
    ? ['/usr/bin/taskset', ['-c', String(core), process.execPath, ...args]]
    : [process.execPath, [...args]]
}

async function startServer(
  kind: 'mock' | 'hono' | 'bare',
  body = '',
): Promise<{ child: ChildProcess; port: number }> {
  // The workspace packages from source, as this bench itself runs (dist/ may not be built).
  const [command, args] = pinned(0, [
    '--conditions=@ccai-sim/source',
    '--import',
    'tsx',
    SELF,
    '--serve',
    kind,
    '--body',
    body,
  ])
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
  let out = ''
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString()
  })
  child.stderr.resume()
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
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
  }
}

async function main(): Promise<void> {
  const benchStartedAt = performance.now()

  // ---- a. find-account requests per second: mock CRM vs bare node:http ------------------------

  const mock = await startServer('mock')
  const sample = await fetch(`http://127.0.0.1:${String(mock.port)}${path}`, { headers })
  const body = await sample.text()
  if (sample.status !== 200) throw new Error(`mock CRM find: HTTP ${String(sample.status)}`)
  const found = JSON.parse(body) as { phone?: string }[]
  if (found.length !== 1 || found[0]?.phone !== searched)
    throw new Error(`mock CRM find: expected the one account with ${searched}, got ${body}`)
  const bare = await startServer('bare', Buffer.from(body).toString('base64'))
  const bareBody = await (await fetch(`http://127.0.0.1:${String(bare.port)}${path}`)).text()
  if (bareBody !== body) throw new Error('the bare server does not answer the mock CRM body')

  const hono = await startServer('hono')
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
      `keep-alive, ${String(ROUNDS)} interleaved rounds of ${String(ROUND_SECONDS)} s, ${fmt(body.length)}-byte answer${PIN ? '; servers on core 0, load on core 1' : ''})`,
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

  await flows(FLOW_WARMUP, 1_000_000)
  const flowRuns = [await flows(FLOWS, 1), await flows(FLOWS, 1)]
  const flowRate = Math.max(...flowRuns.map((r) => r.perSecond))
  const perFlow = (flowRuns[0]?.requests ?? 0) / FLOWS
  console.log(
    `\nb. whole flows in-process (default mock settings, API-key auth, every scenario in turn, ` +
      `${fmt(FLOWS)} flows, best of ${String(flowRuns.length)})`,
  )
  console.log(
    `   ${fmt(flowRate)} flows/s, ${fmt(perFlow, 1)} requests per flow (${fmt(flowRate * perFlow)} requests/s)`,
  )

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
      `(target ≥ ${String(TARGET_RATIO)}: ${ratio >= TARGET_RATIO ? 'met' : 'NOT met'}); ${fmt(flowRate)} flows/s`,
  )
  console.log(`bench took ${fmt((performance.now() - benchStartedAt) / 1000, 1)} s`)
}
