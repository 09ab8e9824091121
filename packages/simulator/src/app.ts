import { DEFAULT_REF_DATE } from '@ccai-sim/fixtures'
import { Hono } from 'hono'
import type { UpgradeWebSocket } from 'hono/ws'
import { adapterRoutes } from './adapter/routes.js'
import { VirtualClock, type WallClock } from './clock/virtual-clock.js'
import { parseConfig, type SimulatorConfig, type SimulatorConfigInput } from './config.js'
import { consoleRoutes } from './console/routes.js'
import { controlRoutes } from './control/routes.js'
import { WebhookDispatcher } from './delivery/webhook-dispatcher.js'
import { mailRoutes } from './email/routes.js'
import { openApiDocument } from './http/openapi.js'
import { problem, problemFromError } from './http/problem.js'
import { streamRoutes } from './http/streams.js'
import { SimulatorRuntime } from './runtime/simulator-runtime.js'
import {
  MemoryMail,
  MemoryStorageSink,
  type Mailbox,
  type MailTransport,
  type StorageSink,
} from './runtime/sinks.js'
import { storageRoutes } from './storage/routes.js'

export interface SimulatorAppOptions {
  /** Configuration (validated strictly; defaults fill the rest). */
  readonly config?: SimulatorConfigInput | undefined
  /** Real time for `realtime` and `scaled` clocks and for delivery retries; hosts pass it. */
  readonly wall?: WallClock | undefined
  /** Default: in memory. */
  readonly storage?: StorageSink | undefined
  /** Default: in memory (delivered straight into the mailbox). */
  readonly mail?: MailTransport | undefined
  /** What `/mail` shows. Default: the in-memory mail. */
  readonly mailbox?: Mailbox | undefined
  /** Used for webhook deliveries. Default: the global `fetch`. */
  readonly fetch?: typeof fetch | undefined
  /** The host's WebSocket upgrade (from `@hono/node-ws`); without it `/ws` answers 426. */
  readonly upgradeWebSocket?: UpgradeWebSocket | undefined
}

export interface SimulatorApp {
  readonly app: Hono
  readonly runtime: SimulatorRuntime
  readonly config: SimulatorConfig
  readonly webhooks: WebhookDispatcher
  /** Starts the continuous load, when configured (creating the app starts nothing). */
  start(): void
  /** Stops accepting work, lets in-flight deliveries finish (or persist), releases timers. */
  close(): Promise<void>
}

/**
 * Builds the simulator as a value: no ports, no environment, no I/O until it is used. Hosts
 * (`startSimulator`, tests, the MSW handlers) decide where it listens and which sinks are real.
 */
export function createSimulatorApp(options: SimulatorAppOptions = {}): SimulatorApp {
  const config = parseConfig(options.config ?? {})
  const start = config.clock.start
    ? Date.parse(config.clock.start)
    : (options.wall?.now() ?? Date.parse(DEFAULT_REF_DATE))
  const clock = new VirtualClock({
    mode: config.clock.mode,
    start,
    scale: config.clock.scale,
    ...(options.wall ? { wall: options.wall } : {}),
  })
  const memoryMail = new MemoryMail()
  const runtime = new SimulatorRuntime({
    config,
    clock,
    storage: options.storage ?? new MemoryStorageSink(),
    mail: options.mail ?? memoryMail,
  })
  const webhooks = new WebhookDispatcher({
    config: config.webhooks,
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    ...(options.wall ? { wall: options.wall } : {}),
    journal: runtime.journal,
    clock,
  })
  webhooks.attach(runtime.bus)

  const app = new Hono()
  app.onError((error, c) => problemFromError(c, error))
  app.notFound((c) =>
    problem(c, 'not_found', `no route for ${c.req.method} ${new URL(c.req.url).pathname}`),
  )

  app.route('/_sim', controlRoutes(runtime))
  app.route('/', streamRoutes(runtime, options.upgradeWebSocket))
  app.route('/agent', adapterRoutes(runtime))
  app.route('/storage', storageRoutes(runtime.storage))
  app.route('/mail', mailRoutes(options.mailbox ?? (options.mail ? undefined : memoryMail)))
  app.get('/openapi.json', (c) => c.json(openApiDocument()))
  app.route('/', consoleRoutes(runtime))

  return {
    app,
    runtime,
    config,
    webhooks,
    start() {
      runtime.start()
    },
    async close() {
      await runtime.close()
      await webhooks.close()
    },
  }
}
