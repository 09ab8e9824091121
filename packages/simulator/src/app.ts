import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { DEFAULT_REF_DATE } from '@ccai-sim/fixtures'
import type { CrmIntegrationSettings } from '@ccai-sim/schemas'
import { Hono } from 'hono'
import type { UpgradeWebSocket } from 'hono/ws'
import { adapterPageHint, adapterRoutes } from './adapter/routes.js'
import { appsApiRoutes } from './apps-api/routes.js'
import { VirtualClock, type WallClock } from './clock/virtual-clock.js'
import { parseConfig, type SimulatorConfig, type SimulatorConfigInput } from './config.js'
import { consoleRoutes } from './console/routes.js'
import { controlRoutes } from './control/routes.js'
import { saveWebhooksToConfigFile } from './config-file.js'
import { SimulatorError } from './errors.js'
import { answerResponse, coreAnswerAt, coreFetch } from './crm/core-fetch.js'
import { createCrmClient, maskCrmSettings, type CrmClient } from './crm/crm-client.js'
import {
  localForms,
  localMultipart,
  localRequest,
  localResponse,
  realBody,
} from './crm/local-request.js'
import type { ExpertflowPeer } from './peers/expertflow-peer.js'
import type { CrmFlowReport } from './crm/flow-engine.js'
import { MockCrmAuthenticator, unauthorized } from './crm/mock-crm/auth.js'
import {
  createMockCrmApp,
  defaultMockCrmSettings,
  FaultController,
  mockCrmCoreOf,
  MockCrmStore,
  type MockCrmCore,
} from './crm/mock-crm/index.js'
import { MailOutbox } from './delivery/mail-outbox.js'
import type { OutboxStats } from './delivery/outbox.js'
import { WebhookDispatcher } from './delivery/webhook-dispatcher.js'
import { mailRoutes } from './email/routes.js'
import { HarmonyPeer } from './harmony/peer.js'
import { harmonyRoutes } from './harmony/routes.js'
import { unmatchedRoute } from './http/declare-routes.js'
import { documentRoutes } from './http/openapi.js'
import { problemFromError } from './http/problem.js'
import { streamRoutes } from './http/streams.js'
import { resumeSessions } from './runtime/resume.js'
import { SESSION_LOG_FILE, SessionLog } from './runtime/session-log.js'
import { SimulatorRuntime } from './runtime/simulator-runtime.js'
import {
  MemoryMail,
  MemoryStorageSink,
  type Mailbox,
  type MailTransport,
  type StorageSink,
} from './runtime/sinks.js'
import { gcsApiRoutes } from './storage/gcs-api.js'
import { createPushSinks } from './storage/push-sinks.js'
import { PushingStorage } from './storage/pushing-storage.js'
import { storageRoutes } from './storage/routes.js'
import { UploadQueue, type PushSink } from './storage/upload-queue.js'
import type { PreparedSpeech } from './media/speech.js'

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
  /** The configuration file the host was started with, for `POST /_sim/webhooks/save`; none: refused. */
  readonly configFile?: string | undefined
  /** Used for webhook deliveries. Default: the global `fetch`. */
  readonly fetch?: typeof fetch | undefined
  /** The host's WebSocket upgrade (from `@hono/node-ws`); without it `/ws` answers 426. */
  readonly upgradeWebSocket?: UpgradeWebSocket | undefined
  /**
   * Where the simulator is reachable (`http://127.0.0.1:4010`): the default CRM settings point at
   * `<publicUrl>/crm`. Default `INTERNAL_URL`, whose requests never leave the process.
   */
  readonly publicUrl?: string | undefined
  /** The mock CRM's store (`startSimulator` opens a persisted one). Default: a new one in memory. */
  readonly crmStore?: MockCrmStore | undefined
  /** Where files are pushed (SFTP servers, buckets). Default: the ones `storage.sinks` configures. */
  readonly pushSinks?: readonly PushSink[] | undefined
  /** Folder of the pending uploads, kept across restarts. Default: memory only. */
  readonly uploadSpoolDir?: string | undefined
  /**
   * This start's run id, the first part of every idempotency key (a reset appends `.<n>`).
   * Default: 8 random hex digits, so a restart with the same seed is new work to a receiver.
   */
  readonly runId?: string | undefined
  /**
   * The recordings' speech, prepared by the host (`prepareSpeech`, which runs programs); its
   * report is journaled. Default: tones, whatever `storage.media.speech` says.
   */
  readonly speech?: PreparedSpeech | undefined
}

/**
 * The simulator's own address when it has no port (the pure app): the CRM client sends requests
 * for this origin straight to the app (`app.fetch`), so the default settings work without a network.
 */
export const INTERNAL_URL = 'http://ccai-sim.internal'

/** The mock CRM at `/crm`: its state, its faults. */
export interface SimulatorCrm {
  readonly store: MockCrmStore
  readonly faults: FaultController
  /** The integration settings sessions use now (configured, or the mock CRM's defaults). */
  settings(): CrmIntegrationSettings
  /** A session's generic-API flow report (undefined: no such session, or `crm.enabled` false). */
  report(sessionId: number): CrmFlowReport | undefined
  /** The mock CRM's API without Hono (its fast paths: the node host's, the sessions' client). */
  readonly core: MockCrmCore | undefined
}

/** Who is connected to the Expertflow peer (`ExpertflowPeer.list`), for `GET /_sim/peers`. */
export type ExpertflowList = () => ReturnType<ExpertflowPeer['list']>

export interface SimulatorApp {
  readonly app: Hono
  readonly runtime: SimulatorRuntime
  readonly config: SimulatorConfig
  readonly webhooks: WebhookDispatcher
  /** Pushes to the configured SFTP servers and buckets (none configured: no sinks, nothing pending). */
  readonly uploads: UploadQueue
  /** Outcome emails: retried, journaled ahead like webhooks. */
  readonly mail: MailOutbox
  readonly crm: SimulatorCrm
  /** The run id of now (`<start id>` or `<start id>.<resets>`): the first part of every idempotency key. */
  runId(): string
  /**
   * Opens the write-ahead logs (`webhooks.wal`, `mail.wal`, `sessions.wal`) in the host's state
   * folder and resends what a previous run accepted and did not finish (the live sessions resume at
   * `start`); an older version's `pending-deliveries.json` is imported from `legacyDir` (default
   * `dir`). Call before `start`.
   */
  openState(dir: string | undefined, legacyDir?: string): Promise<void>
  /**
   * Resolves once the session log has noted, on disk, everything published so far (its marks wait
   * for the outboxes' logs): a crash after this resends nothing. At once without a state folder.
   */
  sessionLogSettled(): Promise<void>
  /** Pending, in-flight and spilled deliveries per target, with drain rates (`GET /_sim/deliveries`). */
  deliveries(): { readonly webhooks: OutboxStats; readonly mail: OutboxStats }
  /** The Harmony session-resource peer (its HTTP and WebSocket transports are at /harmony). */
  readonly harmony: HarmonyPeer
  /** Tells the app who is connected to the Expertflow peer (the host creates it with its server). */
  setExpertflow(list: ExpertflowList | undefined): void
  /** Tells the app its real address once it listens (the default CRM settings use it). */
  setPublicUrl(url: string): void
  /**
   * Resumes the live sessions the state folder's log holds, then starts the continuous load, when
   * configured (creating the app starts nothing).
   */
  start(): void
  /** Stops accepting work, lets in-flight deliveries finish (or persist), releases timers. */
  close(): Promise<void>
  /** During `close`: cut the deliveries' last attempts short now (they stay in the logs). */
  hurry(): void
  /** Ends every SSE stream and WebSocket of `/events` and `/ws` (the host's shutdown). */
  closeStreams(): void
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
  const hostFetch: typeof fetch = options.fetch ?? ((input, init) => fetch(input, init))

  // The generic API (reference §5): the mock CRM at /crm, and the client the sessions' flows use.
  let publicUrl = (options.publicUrl ?? INTERNAL_URL).replace(/\/+$/, '')
  const crmStore = options.crmStore ?? new MockCrmStore({ now: () => clock.now() })
  crmStore.setLimits({
    entities: config.crm.mock.limits.entities,
    attachments: config.crm.mock.limits.attachments,
  })
  const crmFaults = new FaultController()
  const crmSettings = (): CrmIntegrationSettings =>
    config.crm.settings ??
    defaultMockCrmSettings(`${publicUrl}/crm`, {
      dialect: config.crm.mock.dialect,
      auth: config.crm.mock.auth,
    })
  const app = new Hono()
  // The mock CRM's API without Hono, once it is mounted (below): the sessions' requests go to it.
  const crmDirect: { core: MockCrmCore | undefined } = { core: undefined }
  const crmMount = `${INTERNAL_URL}/crm`
  /** Requests for the internal origin go to the app itself; everything else to the host's fetch. */
  const crmFetch: typeof fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    if (!url.startsWith(`${INTERNAL_URL}/`)) return hostFetch(input, init && realBody(init))
    // The app does not watch the client's abort signal (its timeout): race it, as a socket would.
    // The Request is built without the signal: one built with it keeps every request, its
    // response and its streams alive through the signal's listeners (about 2 MB per virtual
    // minute under continuous load), and its derived signal follows the caller's only weakly.
    const signal = init?.signal ?? undefined
    const { signal: _dropped, ...rest } = init ?? {}
    // The built-in mock CRM's core answers what it can without the app (crm/core-fetch.ts).
    const direct =
      crmDirect.core && typeof input === 'string' && signal?.aborted !== true
        ? coreFetch(crmDirect.core, { mount: crmMount, url: input, init: rest })
        : undefined
    if (direct !== undefined) return answerResponse(await direct)
    const request =
      (typeof input === 'string' ? localRequest(input, rest) : undefined) ??
      new Request(input, realBody(rest))
    let abort: (() => void) | undefined
    try {
      const response = await new Promise<Response>((resolve, reject) => {
        if (signal) {
          abort = (): void => {
            reject(signal.reason as Error)
          }
          if (signal.aborted) abort()
          signal.addEventListener('abort', abort, { once: true })
        }
        Promise.resolve(app.fetch(request)).then(resolve, reject)
      })
      // The mock CRM's in-process "connection reset" (`Response.error()`) is a failed fetch.
      if (response.type === 'error' || response.status === 0) {
        throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } })
      }
      return localResponse(response)
    } finally {
      if (signal && abort) signal.removeEventListener('abort', abort)
    }
  }
  let crmClient: { settings: CrmIntegrationSettings; client: CrmClient } | undefined
  const clientFor = (settings: CrmIntegrationSettings): CrmClient => {
    // One client (and OAuth token) per settings value: a new public URL makes new settings.
    if (crmClient?.settings !== settings) {
      crmClient = {
        settings,
        client: createCrmClient({
          settings,
          fetch: crmFetch,
          now: () => clock.now(),
          multipart: localMultipart,
          // The internal origin is answered in-process (racing the timeout, as `crmFetch` would).
          raceTimeout: (url) => url.startsWith(`${INTERNAL_URL}/`),
          // The built-in mock CRM's core answers what it can without `fetch` (crm/core-fetch.ts).
          local: (request) => crmDirect.core && coreAnswerAt(crmDirect.core, crmMount, request),
        }),
      }
    }
    return crmClient.client
  }
  let currentSettings: CrmIntegrationSettings | undefined
  let settingsUrl: string | undefined
  const settingsNow = (): CrmIntegrationSettings => {
    if (currentSettings === undefined || settingsUrl !== publicUrl) {
      currentSettings = crmSettings()
      settingsUrl = publicUrl
    }
    return currentSettings
  }

  const store = options.storage ?? new MemoryStorageSink()
  const pushSinks = options.pushSinks ?? createPushSinks(config.storage)
  const pushing = pushSinks.length === 0 ? undefined : new PushingStorage(store)
  const runtime = new SimulatorRuntime({
    config,
    clock,
    storage: pushing ?? store,
    mail: options.mail ?? memoryMail,
    speech: options.speech?.renderer,
    crm: {
      settings: settingsNow,
      // The client of the settings the flow was planned with (requests carry no settings, so the
      // current ones: they only change when the host learns its URL, before any session starts).
      send: (request) => clientFor(settingsNow()).send(request),
      retry: config.crm.retry,
      reset: () => {
        crmStore.reset()
      },
    },
  })
  const speech = options.speech
  if (speech) {
    const journalSpeech = (): void => {
      runtime.journal.add({ at: clock.now(), type: 'speech', ...speech.report })
    }
    journalSpeech()
    // A reset empties the journal; the recordings still sound the same, so it says so again.
    runtime.journal.subscribe((entry) => {
      if (entry.type === 'reset') journalSpeech()
    })
  }
  const uploads = new UploadQueue({
    sinks: pushSinks,
    retry: config.storage.retry,
    journal: runtime.journal,
    clock,
    wall: options.wall,
    spoolDir: options.uploadSpoolDir,
  })
  pushing?.attach(uploads)
  const startId = options.runId ?? randomBytes(4).toString('hex')
  // A reset replays the seed from the start: the same emission keys, so a new run id.
  const runId = (): string =>
    runtime.resets === 0 ? startId : `${startId}.${String(runtime.resets)}`
  // The session-input log (runtime/resume.ts): opened with the state folder, resumed at `start`.
  let sessionLog: SessionLog | undefined
  let saved: Parameters<typeof resumeSessions>[2] = []
  // A session resumed after a restart keeps the run id it started under: its keys stay the same.
  const runIdOf = (sessionId: number): string => sessionLog?.runOf(sessionId) ?? runId()
  const webhooks = new WebhookDispatcher({
    config: config.webhooks,
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    ...(options.wall ? { wall: options.wall } : {}),
    journal: runtime.journal,
    clock,
    runId: runIdOf,
    fsync: config.durability.fsync,
  })
  webhooks.attach(runtime.bus)
  const mailTransport: MailTransport = options.mail ?? memoryMail
  const mail = new MailOutbox({
    config: config.email,
    transport: mailTransport,
    journal: runtime.journal,
    clock,
    wall: options.wall,
    runId: runIdOf,
    storyOf: (sessionId) => runtime.getSession(sessionId)?.story,
    fsync: config.durability.fsync,
    onAttempt: (work) => {
      runtime.track(work)
    },
  })
  mail.attach(runtime.bus)
  const deliveries = (): { webhooks: OutboxStats; mail: OutboxStats } => ({
    webhooks: webhooks.backlog(),
    mail: mail.backlog(),
  })

  app.onError((error, c) => problemFromError(c, error))
  // A request that started a session or gave one an input is answered once the session-input log
  // has it on disk (group commit: one fdatasync for every request of the same turn).
  app.use(async (c, next) => {
    await next()
    const { method, path } = c.req
    // The mock CRM's requests (the sessions' own flows among them) start no session.
    if (sessionLog && method !== 'GET' && method !== 'HEAD' && !path.startsWith('/crm/'))
      await sessionLog.synced()
  })
  app.notFound(unmatchedRoute(app, adapterPageHint))

  // Beyond loopback, the settings (the mock CRM's credentials) and the attachment downloads demand
  // the mock CRM's own credentials; configured settings (a real CRM's) never show their secrets.
  const guarded = !isLoopbackHost(config.host)
  const crmAuthenticator = new MockCrmAuthenticator({
    auth: config.crm.mock.auth,
    now: () => clock.now(),
    maxTokens: config.crm.mock.limits.tokens,
  })
  let expertflow: ExpertflowList | undefined
  // Made before the control routes (their /peers reads it); the routes come later in the file.
  const harmony = new HarmonyPeer(runtime, {
    password: config.harmony.password,
    disconnectGraceSeconds: config.harmony.disconnectGraceSeconds,
  })
  app.route(
    '/_sim',
    controlRoutes({
      runtime,
      crm: {
        store: crmStore,
        faults: crmFaults,
        // Masked as the journal masks; `?secrets=include` shows the mock CRM's own credentials
        // (a ready-made settings file), never those of configured settings (a real CRM's).
        settings: ({ includeSecrets }) =>
          includeSecrets && config.crm.settings === undefined
            ? settingsNow()
            : maskCrmSettings(settingsNow()),
        guard: guarded
          ? (c) => {
              const check = crmAuthenticator.check((name) => c.req.header(name))
              return check.ok ? undefined : unauthorized(c, check)
            }
          : undefined,
      },
      deliveries: () => ({ runId: runId(), ...deliveries() }),
      retryDelivery: (id) => webhooks.retry(id) ?? mail.retry(id),
      peers: () => ({
        harmony: { sessions: harmony.list(), traffic: harmony.traffic.snapshot() },
        expertflow: expertflow === undefined ? null : expertflow(),
      }),
      webhooks: {
        get: () => webhooks.targets(),
        set: (targets) => {
          webhooks.setTargets(targets)
        },
        save: async () => {
          const file = options.configFile
          if (file === undefined)
            throw new SimulatorError(
              'conflict',
              'the simulator was started without a configuration file (--config or CCAI_SIM_CONFIG): there is no file to save the webhooks to; PUT /_sim/webhooks changes them until restart',
            )
          await saveWebhooksToConfigFile(file, webhooks.targets())
          return file
        },
      },
    }),
  )
  // The sessions' requests arrive as `localRequest` stand-ins: their multipart bodies come parsed.
  app.use('/crm/*', localForms)
  const mockCrm = createMockCrmApp({
    store: crmStore,
    auth: config.crm.mock.auth,
    dialect: config.crm.mock.dialect,
    faults: crmFaults,
    now: () => clock.now(),
    authenticator: crmAuthenticator,
    guardDownloads: guarded,
  })
  crmDirect.core = mockCrmCoreOf(mockCrm)
  app.route('/crm', mockCrm)
  const streams = streamRoutes(runtime, options.upgradeWebSocket)
  app.route('/', streams.app)
  app.route('/agent', adapterRoutes(runtime))
  // The platform's Apps API (reference §7): what a CRM calls to place calls and send SMS.
  if (config.appsApi.enabled) {
    app.route('/apps/api/v1', appsApiRoutes({ runtime, config: config.appsApi }))
  }
  app.route('/harmony', harmonyRoutes(harmony, options.upgradeWebSocket))
  // The Cloud Storage JSON API (`/storage/v1/…`, `/download/…`, `/upload/…`) before `/storage/*`.
  app.route('/', gcsApiRoutes({ storage: store, bucket: config.storage.serve.bucket }))
  app.route('/storage', storageRoutes(runtime.storage))
  app.route('/mail', mailRoutes(options.mailbox ?? (options.mail ? undefined : memoryMail)))
  app.route(
    '/',
    documentRoutes(() => app),
  )
  app.route('/', consoleRoutes(runtime))

  return {
    app,
    runtime,
    config,
    webhooks,
    uploads,
    mail,
    runId,
    sessionLogSettled: () => sessionLog?.settled() ?? Promise.resolve(),
    async openState(dir, legacyDir) {
      await webhooks.open(dir, legacyDir ?? dir)
      mail.open(dir)
      if (dir === undefined) return
      const opened = SessionLog.open({
        path: join(dir, SESSION_LOG_FILE),
        fsync: config.durability.fsync,
        now: () => clock.now(),
        runId,
        barrier: () => Promise.all([webhooks.flushed(), mail.flushed()]),
      })
      sessionLog = opened.log
      saved = opened.saved
      runtime.setRecorder(sessionLog)
    },
    deliveries,
    harmony,
    crm: {
      store: crmStore,
      faults: crmFaults,
      settings: settingsNow,
      report: (sessionId) => runtime.crmReport(sessionId),
      core: crmDirect.core,
    },
    setExpertflow(list) {
      expertflow = list
    },
    setPublicUrl(url) {
      publicUrl = url.replace(/\/+$/, '')
    },
    start() {
      // Resumed once the host knows its address (a resumed session's CRM flow uses the settings).
      resumeSessions(runtime, clock, saved)
      saved = []
      runtime.start()
    },
    hurry() {
      webhooks.hurry()
      mail.hurry()
    },
    closeStreams() {
      streams.closeAll()
    },
    async close() {
      streams.closeAll()
      // A latency fault's sleep would hold a CRM flow (and so `settle`) for its whole length.
      crmFaults.close()
      harmony.close()
      await runtime.close()
      await Promise.all([webhooks.close(), mail.close(), uploads.close()])
      // After the outboxes: they hold everything the sessions published; live sessions stay.
      sessionLog?.close()
      await mailTransport.close?.()
      await crmStore.flush()
    },
  }
}

/** `127.0.0.0/8`, `::1` and `localhost`: only this machine can connect. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase()
  return (
    bare === 'localhost' ||
    bare === '::1' ||
    bare === '::ffff:127.0.0.1' ||
    /^127(?:\.\d{1,3}){3}$/.test(bare)
  )
}
