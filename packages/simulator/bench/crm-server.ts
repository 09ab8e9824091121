import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { serve } from '@hono/node-server'
import {
  createMockCrmApp,
  fastPathServer,
  mockCrmCoreOf,
  FaultController,
  MockCrmStore,
  type MockCrmAuth,
} from '../src/crm/mock-crm/index.js'

/*
 * The servers of bench/crm.bench.ts, one per process: `mock` (the mock CRM as `serve` serves it,
 * the node:http fast path below Hono), `hono` (the same app through Hono alone) and `bare` (a
 * `node:http` server answering a fixed body). The bench compiles this file with esbuild, as the
 * package's build compiles the CLI (no `keepNames` helpers around every function), and runs the
 * output with plain `node`; `--source` runs it from source through tsx instead.
 */

export const ACCOUNTS = 1_000
export const AUTH: MockCrmAuth = { mode: 'api-key', header: 'X-Api-Key', value: 'bench-key' }

/** Phone numbers `+1201555xxxx`, one per account. */
export const phoneOf = (i: number): string => `+1201555${String(i).padStart(4, '0')}`

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

/** Starts one server and prints `port <n>` once it listens. */
function serveKind(kind: string, body: Buffer): void {
  // Exit (not die) on SIGTERM, so `--cpu-prof` can write its profile when the server is profiled.
  process.once('SIGTERM', () => process.exit(0))
  if (kind === 'mock' || kind === 'hono') {
    const store = new MockCrmStore({ now: () => Date.now() })
    fillStore(store, ACCOUNTS)
    const app = createMockCrmApp({
      store,
      auth: AUTH,
      faults: new FaultController(),
      now: () => Date.now(),
    })
    // `hono`: the same app without the fast path (the comparison in the same run).
    const core = kind === 'mock' ? mockCrmCoreOf(app) : undefined
    // As the simulator serves it (server.ts): the GET API below Hono, everything else through it.
    serve(
      {
        fetch: app.fetch,
        port: 0,
        hostname: '127.0.0.1',
        overrideGlobalObjects: false,
        ...(core ? { createServer: fastPathServer({ core, mount: '' }) } : {}),
      },
      (info) => {
        process.stdout.write(`port ${String(info.port)}\n`)
      },
    )
    return
  }
  if (kind !== 'bare') throw new Error(`--serve: expected mock, hono or bare, received "${kind}"`)
  const bare = createServer((req, res) => {
    req.resume()
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.byteLength })
    res.end(body)
  })
  bare.listen(0, '127.0.0.1', () => {
    process.stdout.write(`port ${String((bare.address() as AddressInfo).port)}\n`)
  })
}

// Run as a program (`crm-server <kind> <base64 body>`), not when the bench imports the constants.
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  serveKind(process.argv[2] ?? '', Buffer.from(process.argv[3] ?? '', 'base64'))
}
