import { createServer, Agent, request, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { cpus, loadavg, totalmem } from 'node:os'
import { serve, type ServerType } from '@hono/node-server'
import { generateStory, SCENARIO_NAMES } from '@ccai-sim/fixtures'
import { createCrmClient } from '../src/crm/crm-client.js'
import { planCrmFlow, runCrmFlow } from '../src/crm/flow-engine.js'
import {
  createMockCrmApp,
  defaultMockCrmSettings,
  FaultController,
  MockCrmStore,
  type MockCrmAuth,
} from '../src/crm/mock-crm/index.js'

/*
 * The generic API's capacity (the item 3; reference §5):
 *   a. the mock CRM's find-account route (`GET /api/accounts?phone=…`, 1,000 accounts, API-key
 *      auth, an empty fault list: what the simulator mounts) in requests per second over loopback,
 *      measured in the same run as a bare `node:http` server answering the same JSON body; the
 *      target is a ratio of at least 0.6;
 *   b. whole flows per second: `runCrmFlow(planCrmFlow(…))` with the default mock settings against
 *      the mock CRM in-process (`app.fetch`), through the real CRM client (auth headers, timeouts).
 * The load generator is in-process: `http.Agent({ keepAlive: true })`, a fixed number of requests
 * with a fixed number in flight. Server and client share one event loop (one core), for both
 * servers alike. Run through `pnpm --filter @ccai-sim/simulator bench`.
 */

const ACCOUNTS = 1_000
const CONCURRENCY = 32
const WARMUP_REQUESTS = 10_000
const MEASURED_REQUESTS = 8_000
const ROUNDS = 7
const FLOW_WARMUP = 50
const FLOWS = 500
const TARGET_RATIO = 0.6
const AUTH: MockCrmAuth = { mode: 'api-key', header: 'X-Api-Key', value: 'bench-key' }

const benchStartedAt = performance.now()
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

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      resolve((server.address() as AddressInfo).port)
    })
  })
}

function close(server: Server | ServerType): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => {
      if (error) reject(error)
      else resolve()
    })
    if ('closeAllConnections' in server) server.closeAllConnections()
  })
}

interface LoadTarget {
  readonly port: number
  readonly path: string
  readonly headers: Readonly<Record<string, string>>
  /** The body every answer must carry (checked on the first answers of each run). */
  readonly body: string
}

/** One GET over `agent`; resolves with the body (only kept when `keep`). */
function get(
  agent: Agent,
  target: LoadTarget,
  keep: boolean,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: '127.0.0.1',
        port: target.port,
        path: target.path,
        method: 'GET',
        headers: target.headers,
      },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => {
          if (keep) chunks.push(chunk)
        })
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') })
        })
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end()
  })
}

/** `total` requests, `CONCURRENCY` in flight on keep-alive sockets; requests per second. */
async function load(target: LoadTarget, total: number): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY })
  let issued = 0
  const worker = async (): Promise<void> => {
    while (issued < total) {
      const n = issued++
      const check = n < CONCURRENCY
      const { status, body } = await get(agent, target, check)
      if (status !== 200) throw new Error(`request ${String(n)}: HTTP ${String(status)}`)
      if (check && body !== target.body) throw new Error(`request ${String(n)}: unexpected body`)
    }
  }
  const started = performance.now()
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
  const seconds = (performance.now() - started) / 1000
  agent.destroy()
  return total / seconds
}

// ---- a. find-account requests per second: mock CRM vs bare node:http ----------------------------

const store = new MockCrmStore({ now: () => Date.now() })
fillStore(store, ACCOUNTS)
const crmApp = createMockCrmApp({
  store,
  auth: AUTH,
  faults: new FaultController(),
  now: () => Date.now(),
})
const searched = phoneOf(ACCOUNTS / 2)
const path = `/api/accounts?phone=${encodeURIComponent(searched)}&limit=1`
const headers = {
  'x-api-key': AUTH.mode === 'api-key' ? AUTH.value : '',
  accept: 'application/json',
}

const crmServer = await new Promise<{ server: ServerType; port: number }>((resolve) => {
  const server = serve({ fetch: crmApp.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
    resolve({ server, port: info.port })
  })
})
// The body the mock answers (one account) is the body the bare server answers.
const sample = await get(new Agent(), { port: crmServer.port, path, headers, body: '' }, true)
if (sample.status !== 200) throw new Error(`mock CRM find: HTTP ${String(sample.status)}`)
const found = JSON.parse(sample.body) as { phone?: string }[]
if (found.length !== 1 || found[0]?.phone !== searched)
  throw new Error(`mock CRM find: expected the one account with ${searched}, got ${sample.body}`)
const body = sample.body

const bare = createServer((req, res) => {
  req.resume()
  res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  })
  res.end(body)
})
const barePort = await listen(bare)

const mockTarget: LoadTarget = { port: crmServer.port, path, headers, body }
const bareTarget: LoadTarget = { port: barePort, path, headers, body }
const mockRates: number[] = []
const bareRates: number[] = []
try {
  await load(bareTarget, WARMUP_REQUESTS)
  await load(mockTarget, WARMUP_REQUESTS)
  // Interleaved rounds, so drift (thermal, other load) hits both alike.
  for (let round = 0; round < ROUNDS; round++) {
    bareRates.push(await load(bareTarget, MEASURED_REQUESTS))
    mockRates.push(await load(mockTarget, MEASURED_REQUESTS))
  }
} finally {
  await close(crmServer.server)
  await close(bare)
}

const bareRate = median(bareRates)
const mockRate = median(mockRates)
// Each round's mock run follows its bare run: the median of the rounds' ratios is the verdict.
const ratio = median(mockRates.map((rate, i) => rate / (bareRates[i] ?? Infinity)))
console.log(
  `a. find account over loopback (${fmt(ACCOUNTS)} accounts, ${String(CONCURRENCY)} in flight, ` +
    `keep-alive, median of ${String(ROUNDS)} × ${fmt(MEASURED_REQUESTS)} requests, ${fmt(body.length)}-byte answer)`,
)
console.log(
  `   bare node:http  ${fmt(bareRate).padStart(8)} req/s   (${bareRates.map((r) => fmt(r)).join(', ')})`,
)
console.log(
  `   mock CRM        ${fmt(mockRate).padStart(8)} req/s   (${mockRates.map((r) => fmt(r)).join(', ')})`,
)
console.log(
  `   ratio ${fmt(ratio, 2)} (median of the rounds' ratios: ${mockRates
    .map((rate, i) => fmt(rate / (bareRates[i] ?? Infinity), 2))
    .join(', ')}) — ${ratio >= TARGET_RATIO ? 'PASS' : 'FAIL'} (target ≥ ${String(TARGET_RATIO)})`,
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
