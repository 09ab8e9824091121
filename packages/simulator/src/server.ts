import { readFile } from 'node:fs/promises'
import type { AddressInfo, Socket } from 'node:net'
import { createServer, type Server as HttpServer } from 'node:http'
import { join, resolve } from 'node:path'
import { Hono } from 'hono'
import { createSimulatorApp, type SimulatorApp } from './app.js'
import type { WallClock } from './clock/virtual-clock.js'
import {
  DEFAULT_STORAGE_DIR,
  parseConfig,
  type SimulatorConfig,
  type SimulatorConfigInput,
} from './config.js'
import type { BuiltinSmtpServer } from './email/builtin-smtp-server.js'
import { fastPathServer, MockCrmStore, type MockCrmCore } from './crm/mock-crm/index.js'
import type { ExpertflowPeer } from './peers/expertflow-peer.js'
import { answerClientErrors } from './http/client-error.js'
import { createLazyNodeWebSocket } from './http/lazy-node-ws.js'
import { lazyRequestListener } from './http/lazy-node-server.js'
import { startHarmonyTcpServer, type HarmonyTcpServer } from './harmony/tcp.js'
import type { Mailbox, MailTransport } from './runtime/sinks.js'
import { FileStorageSink, stateDirFor } from './storage/file-storage-sink.js'
import { claimStorageFolder } from './storage/instance-folder.js'
import { createPushSinks } from './storage/push-sinks.js'
import type { RunningSftpServer } from './storage/sftp-server.js'

export interface StartSimulatorOptions {
  readonly config?: SimulatorConfigInput | SimulatorConfig | undefined
  /** Resolves relative paths in the configuration (the storage folder). Default: the process cwd. */
  readonly cwd?: string | undefined
  /** The configuration file it was started with: `POST /_sim/webhooks/save` writes into it. */
  readonly configFile?: string | undefined
}

export interface RunningSimulator {
  /** `http://127.0.0.1:<port>` — the port is the real one when the configuration asked for 0. */
  readonly url: string
  readonly port: number
  /** The built-in SMTP server's port, when it runs. */
  readonly smtpPort: number | undefined
  readonly storageDir: string | undefined
  /** The built-in SFTP server's port, when `storage.serve.sftp.enabled`. */
  readonly sftpPort: number | undefined
  /** Where the write-ahead logs (pending webhooks and mail, live sessions) live (`stateDirFor(storageDir)`). */
  readonly stateDir: string | undefined
  /** The Harmony `~!OM` TCP transport's port, when `harmony.tcpPort` is set. */
  readonly harmonyTcpPort: number | undefined
  readonly simulator: SimulatorApp
  /** The Expertflow agent API peer, when `peers.expertflow.enabled`. */
  readonly expertflow: ExpertflowPeer | undefined
  /**
   * Stops accepting, closes every connection (SSE streams and WebSockets too), cancels mock-CRM
   * latency sleeps, gives pending deliveries a last attempt (at most about a second) and keeps the
   * rest in the write-ahead logs. Idempotent: every call returns the same promise.
   */
  close(): Promise<void>
  /** During `close`: cut the last attempts short now (what they carried stays in the logs). */
  hurry(): void
  [Symbol.asyncDispose](): Promise<void>
}

const WALL: WallClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => {
    clearTimeout(handle as NodeJS.Timeout)
  },
}

function listen(
  fetchHandler: Hono['fetch'],
  config: SimulatorConfig,
  crmCore: MockCrmCore | undefined,
): Promise<{ server: HttpServer; port: number }> {
  return new Promise((resolvePromise, reject) => {
    // What `@hono/node-server`'s `serve` does, with its listener loaded on the first request.
    const listener = lazyRequestListener(fetchHandler, config.host)
    // The mock CRM's GET API answers below Hono (issue 18); everything else goes to the app.
    const server = crmCore
      ? fastPathServer({ core: crmCore, mount: '/crm' })({}, listener)
      : createServer({}, listener)
    server.listen(config.port, config.host, () => {
      resolvePromise({ server, port: (server.address() as AddressInfo).port })
    })
    server.once('error', reject)
  })
}

/**
 * Starts the simulator: real sinks (a storage folder, SMTP), HTTP on the configured port (0 picks
 * one), WebSocket streams, and the configured load. Returns the URL and a `close` that stops
 * accepting, finishes or persists in-flight deliveries, and releases every port.
 */
export async function startSimulator(
  options: StartSimulatorOptions = {},
): Promise<RunningSimulator> {
  const config = parseConfig(options.config ?? {})
  const cwd = options.cwd ?? process.cwd()
  // The default folder is per instance: a second simulator started in the same directory takes
  // the next free one instead of sharing (and resetting) the first one's files.
  const claim = !config.storage.enabled
    ? undefined
    : await claimStorageFolder(
        resolve(cwd, config.storage.dir),
        config.storage.dir === DEFAULT_STORAGE_DIR,
      )
  const storageDir = claim?.dir
  const keepsFolder = config.storage.sinks.some((sink) => sink.type === 'local')
  const pushSinks = createPushSinks({
    ...config.storage,
    sinks: config.storage.sinks.map((sink) =>
      sink.type === 'sftp' && sink.privateKeyFile !== undefined
        ? { ...sink, privateKeyFile: resolve(cwd, sink.privateKeyFile) }
        : sink,
    ),
  })
  // The mock CRM's state file, when configured; its times come from the simulator's clock. Opened
  // (like speech, below) before the SMTP server starts: a bad file leaves no port open behind it.
  let clockNow: () => number = () => 0
  const persistFile = config.crm.mock.persistFile
  const crmStore =
    persistFile === undefined
      ? undefined
      : await MockCrmStore.open({ file: resolve(cwd, persistFile), now: () => clockNow() })
  // Speech renders every line once, before any session: a recording never waits on a program.
  const media = config.storage.media
  const program = (name: string): string => (name.includes('/') ? resolve(cwd, name) : name)
  const speech =
    media.speech === 'tones'
      ? undefined
      : await (
          await import('./media/speech.js')
        ).prepareSpeech({ ...media, espeakNg: program(media.espeakNg), lame: program(media.lame) })
  let smtp: BuiltinSmtpServer | undefined
  let mail: MailTransport | undefined
  let mailbox: Mailbox | undefined
  // SMTP, SFTP and socket.io are loaded only when configured: start-up pays for what it serves.
  if (config.email.enabled) {
    const { SmtpMailTransport } = await import('./email/smtp-transport.js')
    if (config.email.smtp === 'builtin') {
      const { startBuiltinSmtpServer } = await import('./email/builtin-smtp-server.js')
      smtp = await startBuiltinSmtpServer({ host: config.host, port: config.email.builtinPort })
      mail = new SmtpMailTransport({ host: config.host, port: smtp.port, secure: false })
      mailbox = smtp.mailbox
    } else {
      mail = new SmtpMailTransport(config.email.smtp)
    }
  }
  const root = new Hono()
  // `@hono/node-ws` (and `ws`) load on the first WebSocket upgrade, not at start-up.
  const webSockets = createLazyNodeWebSocket({ app: root })
  const { upgradeWebSocket } = webSockets
  const simulator = createSimulatorApp({
    config,
    wall: WALL,
    ...(storageDir && keepsFolder ? { storage: new FileStorageSink(storageDir) } : {}),
    pushSinks,
    ...(storageDir ? { uploadSpoolDir: join(stateDirFor(storageDir), 'pending-uploads') } : {}),
    ...(mail ? { mail } : {}),
    ...(mailbox ? { mailbox } : {}),
    upgradeWebSocket,
    ...(crmStore ? { crmStore } : {}),
    configFile: options.configFile,
    ...(speech ? { speech } : {}),
  })
  clockNow = () => simulator.runtime.clock.now()
  root.route('/', simulator.app)
  // Nothing matched here, nothing matches in the app either: its answer (404, or 405 with Allow,
  // problem+json) rather than the wrapper's text/plain 404.
  root.notFound((c) => simulator.app.fetch(c.req.raw, c.env))
  // The write-ahead logs of pending webhooks and mail live in the storage folder's own state folder
  // (`stateDirFor`, claimed per instance): two instances never resend each other's work. Older
  // versions kept `pending-deliveries.json` in the storage folder's parent: imported once from there.
  const stateDir = storageDir ? stateDirFor(storageDir) : undefined
  let listening: Awaited<ReturnType<typeof listen>>
  let sftp: RunningSftpServer | undefined
  let harmonyTcp: HarmonyTcpServer | undefined
  try {
    // A corrupt write-ahead log refuses the start: inside the `try`, so the SMTP port is let go.
    await simulator.openState(stateDir, storageDir ? resolve(storageDir, '..') : undefined)
    await simulator.uploads.restore()
    const serveSftp = config.storage.serve.sftp
    if (serveSftp.enabled) {
      const { startSftpServer } = await import('./storage/sftp-server.js')
      sftp = await startSftpServer({
        storage: simulator.runtime.storage,
        host: config.host,
        port: serveSftp.port,
        user: serveSftp.user,
        password: serveSftp.password,
        authorizedKeys: serveSftp.authorizedKeys,
        ...(serveSftp.hostKeyFile === undefined
          ? {}
          : { hostKey: await readFile(resolve(cwd, serveSftp.hostKeyFile), 'utf8') }),
        now: () => simulator.runtime.clock.now(),
      })
    }
    if (config.harmony.tcpPort !== undefined) {
      harmonyTcp = await startHarmonyTcpServer({
        peer: simulator.harmony,
        host: config.host,
        port: config.harmony.tcpPort,
      })
    }
    listening = await listen(root.fetch, config, simulator.crm.core)
  } catch (error) {
    // Release what already runs (the SMTP and SFTP ports), or the process would never exit.
    await simulator.close()
    await smtp?.close()
    await sftp?.close()
    await harmonyTcp?.close()
    await claim?.release()
    throw error
  }
  const { server, port } = listening
  // Every socket, upgraded ones included: `closeAllConnections` knows only HTTP connections, and
  // an open WebSocket would keep `server.close` from ever finishing.
  const sockets = new Set<Socket>()
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  webSockets.injectWebSocket(server)
  // What Node's parser refuses (an unknown method, a bad header) answers problem+json too.
  answerClientErrors(server)
  const expertflow = config.peers.expertflow.enabled
    ? new (await import('./peers/expertflow-peer.js')).ExpertflowPeer(
        simulator.runtime,
        config.peers.expertflow,
        server,
      )
    : undefined
  if (expertflow) {
    simulator.setExpertflow(() => expertflow.list())
  }
  const host = config.host.includes(':') ? `[${config.host}]` : config.host
  // The default CRM settings point at this simulator's own /crm, over real HTTP.
  simulator.setPublicUrl(`http://${host}:${port}`)
  simulator.start()
  let closing: Promise<void> | undefined
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await expertflow?.close()
      const closed = new Promise<void>((done) => {
        server.close(() => {
          done()
        })
      })
      // SSE streams and WebSockets end here: a client that stays connected cannot hold the stop.
      simulator.closeStreams()
      for (const socket of sockets) socket.destroy()
      await closed
      // Closing compacts the logs: what is still pending is resent by the next start.
      await harmonyTcp?.close()
      await simulator.close()
      await smtp?.close()
      await sftp?.close()
      await claim?.release()
    })()
    return closing
  }
  return {
    url: `http://${host}:${port}`,
    port,
    smtpPort: smtp?.port,
    storageDir,
    sftpPort: sftp?.port,
    stateDir,
    harmonyTcpPort: harmonyTcp?.port,
    simulator,
    expertflow,
    close,
    hurry: () => {
      simulator.hurry()
    },
    [Symbol.asyncDispose]: close,
  }
}
