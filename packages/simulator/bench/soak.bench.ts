// Soak: the real server (`startSimulator`, HTTP, files on disk) under continuous load for a long
// time — 20 sessions per virtual minute on a ×60 clock, every adapter and QM emission delivered as a
// webhook to a receiver, one SSE client reading `/events` — sampling the process's RSS. The target
// (issue 13): RSS after the warm-up grows less than 10% by the end. Receiver and client run in this
// process too (they hold nothing: counters only), so the RSS is the simulator's plus a constant.
//
//   tsx --conditions=@ccai-sim/source --expose-gc bench/soak.bench.ts [--minutes 10] [--warmup 2]
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { startSimulator } from '../src/server.js'

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`)
  const value = at === -1 ? undefined : Number(process.argv[at + 1])
  if (value === undefined) return fallback
  if (!Number.isFinite(value) || value <= 0) {
    console.error(`--${name}: expected a positive number of minutes, received ${String(value)}`)
    process.exit(2)
  }
  return value
}

const MINUTES = option('minutes', 10)
const WARMUP_MINUTES = option('warmup', Math.min(2, MINUTES / 5))
const SAMPLE_MS = 5_000
const TARGET_GROWTH = 0.1
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`

/** A webhook receiver that answers 200 and counts. */
async function startReceiver(): Promise<{ server: Server; url: string; received: () => number }> {
  let received = 0
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      received += 1
      res.writeHead(200).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { server, url: `http://127.0.0.1:${String(port)}/hook`, received: () => received }
}

const dir = await mkdtemp(join(tmpdir(), 'ccai-sim-soak-'))
const receiver = await startReceiver()
const sim = await startSimulator({
  config: {
    port: 0,
    seed: 13,
    clock: { mode: 'scaled', scale: 60 },
    load: { sessionsPerMinute: 20 },
    storage: { dir: join(dir, 'storage') },
    webhooks: { adapter: [{ url: receiver.url }], qm: [{ url: receiver.url }] },
  },
})

// The SSE client reads every event as it comes.
let sseBytes = 0
const sse = new AbortController()
const reading = (async () => {
  const response = await fetch(`${sim.url}/events`, { signal: sse.signal })
  const reader = response.body?.getReader()
  for (;;) {
    const chunk = await reader?.read()
    if (!chunk || chunk.done) return
    sseBytes += chunk.value.byteLength
  }
})().catch(() => undefined)

interface Sample {
  readonly minute: number
  readonly rss: number
  readonly heap: number
  /** Memory outside the JS heap held by JS objects (Buffers, ArrayBuffers). */
  readonly external: number
  readonly live: number
  readonly sessions: number
}

const gc = (globalThis as { gc?: () => void }).gc
const samples: Sample[] = []
const started = performance.now()
const end = started + MINUTES * 60_000
console.log(
  `soak: ${String(MINUTES)} min (warm-up ${String(WARMUP_MINUTES)}), 20 sessions per virtual minute ×60, webhooks and an SSE reader; load average ${loadavg()[0]?.toFixed(1) ?? '?'}`,
)
while (performance.now() < end) {
  await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS))
  gc?.()
  const sessions = sim.simulator.runtime.listSessions()
  const memory = process.memoryUsage()
  const sample: Sample = {
    minute: (performance.now() - started) / 60_000,
    rss: memory.rss,
    heap: memory.heapUsed,
    external: memory.external,
    live: sessions.filter((s) => s.state === 'live').length,
    sessions: sessions.length,
  }
  samples.push(sample)
  if (samples.length % 6 === 0) {
    console.log(
      `  ${sample.minute.toFixed(1)} min: RSS ${mb(sample.rss)}, heap ${mb(sample.heap)}, external ${mb(sample.external)}, ${String(sample.live)} live of ${String(sample.sessions)} kept, ${String(receiver.received())} webhooks, SSE ${mb(sseBytes)}`,
    )
  }
}

/** The median RSS of the samples within a minute before `minute`. */
function rssAround(minute: number): number {
  const near = samples
    .filter((s) => s.minute <= minute && s.minute > minute - 1)
    .map((s) => s.rss)
    .sort((a, b) => a - b)
  return near[Math.floor(near.length / 2)] ?? 0
}

const warm = rssAround(WARMUP_MINUTES)
const last = rssAround(samples.at(-1)?.minute ?? MINUTES)
const peak = Math.max(...samples.filter((s) => s.minute >= WARMUP_MINUTES).map((s) => s.rss))
const growth = warm === 0 ? 0 : (last - warm) / warm
const deliveries = sim.simulator.deliveries()
console.log(
  `\nRSS after warm-up ${mb(warm)}, at the end ${mb(last)} (peak ${mb(peak)}): growth ${(growth * 100).toFixed(1)}% ` +
    `(target < ${String(TARGET_GROWTH * 100)}%: ${growth < TARGET_GROWTH ? 'met' : 'NOT met'}); ` +
    `${String(receiver.received())} webhooks received, ${String(deliveries.webhooks.pending)} pending (${String(deliveries.webhooks.spilled)} spilled to disk); SSE read ${mb(sseBytes)}`,
)
sse.abort()
await reading
await sim.close()
await new Promise<void>((resolve) =>
  receiver.server.close(() => {
    resolve()
  }),
)
await rm(dir, { recursive: true, force: true })
