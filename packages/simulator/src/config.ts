import { createRequire } from 'node:module'
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { SCENARIO_NAMES } from '@ccai-sim/fixtures'
import type * as JsoncParser from 'jsonc-parser'
import { checkPayload, CrmIntegrationSettingsSchema, type CheckIssue } from '@ccai-sim/schemas'
import { z } from 'zod'
import { DEFAULT_CRM_RETRY_POLICY } from './crm/flow-engine.js'
import { DEFAULT_CRM_IMMEDIATE_RETRY } from './crm/immediate-retry.js'
import { OPTIONAL_RECORD_UPDATE_EVENTS } from './crm/record-events.js'
import { MOCK_CRM_DIALECTS } from './crm/mock-crm/app.js'
import { MockCrmAuthSchema, type MockCrmAuth } from './crm/mock-crm/auth.js'
import { SimulatorError } from './errors.js'

/*
 * The simulator's one configuration schema. Sources, later winning: the embedded defaults, a JSON
 * file (`--config`), then command-line flags. This is the only module that reads `process.env`.
 */

const WebhookTargetSchema = z.object({
  /** Where to POST each payload (JSON). */
  url: z.url(),
  /** Extra headers, e.g. an API key the receiver checks. */
  headers: z.record(z.string(), z.string()).prefault({}),
})

const RetrySchema = z.object({
  /** First retry delay; each retry doubles it, up to `maxDelayMs`. */
  initialDelayMs: z.int().min(1).max(3_600_000).default(500),
  maxDelayMs: z.int().min(1).max(86_400_000).default(30_000),
  /** Stop retrying a delivery this long after its first attempt; the give-up is journaled. */
  giveUpAfterMs: z
    .int()
    .min(1)
    .max(7 * 86_400_000)
    .default(3_600_000),
  /** Per-attempt timeout. */
  timeoutMs: z.int().min(100).max(120_000).default(5_000),
})

const SmtpServerSchema = z.object({
  host: z.string().min(1),
  port: z.int().min(1).max(65_535),
  secure: z.boolean().default(false),
  user: z.string().optional(),
  pass: z.string().optional(),
})

const CRM_RETRY = DEFAULT_CRM_RETRY_POLICY
const CRM_IMMEDIATE = DEFAULT_CRM_IMMEDIATE_RETRY

/** The storage folder when none is configured; each running instance claims its own (see server). */
export const DEFAULT_STORAGE_DIR = './.ccai-sim/storage'

/** An SFTP server's host key pin: OpenSSH's `SHA256:<base64>` fingerprint (`ssh-keygen -lf`). */
const HostKeyFingerprintSchema = z
  .string()
  .regex(/^SHA256:[A-Za-z0-9+/]{43}=?$/, 'an OpenSSH fingerprint "SHA256:<43 base64 chars>"')

/** The storage folder's path inside an SFTP server or bucket: `/`-separated, no `..`. */
const RemoteFolderSchema = z
  .string()
  .refine(
    (folder) => !folder.split('/').some((part) => part === '..' || part === '.'),
    'a folder path without "." or ".." segments',
  )

const SftpSinkSchema = z
  .object({
    type: z.literal('sftp'),
    host: z.string().min(1),
    port: z.int().min(1).max(65_535).default(22),
    user: z.string().min(1),
    password: z.string().optional(),
    /** A private key in OpenSSH or PEM format, or `privateKeyFile` naming one. */
    privateKey: z.string().min(1).optional(),
    privateKeyFile: z.string().min(1).optional(),
    passphrase: z.string().optional(),
    /** Folder on the server the `ujet-*` folders go under (the portal's Folder Path); created as needed. */
    folder: RemoteFolderSchema.default('.'),
    /** Refuse a server whose host key has another fingerprint (recommended; default: any key). */
    hostKey: HostKeyFingerprintSchema.optional(),
  })
  .refine(
    (sink) =>
      sink.password !== undefined ||
      sink.privateKey !== undefined ||
      sink.privateKeyFile !== undefined,
    'one of password, privateKey or privateKeyFile',
  )

const GcsSinkSchema = z.object({
  type: z.literal('gcs'),
  bucket: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/, 'a Cloud Storage bucket name'),
  /** Object-name prefix the `ujet-*` folders go under (the portal's Folder Path). */
  prefix: RemoteFolderSchema.default(''),
  /** A service-account key file (JSON); without one, Application Default Credentials (none with `apiEndpoint`). */
  keyFile: z.string().min(1).optional(),
  projectId: z.string().min(1).optional(),
  /** Another endpoint (an emulator, or another simulator's `http://host:port`). */
  apiEndpoint: z.url().optional(),
})

const StorageSinkSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('local') }),
  SftpSinkSchema,
  GcsSinkSchema,
])
export type StorageSinkConfig = z.output<typeof StorageSinkSchema>

const StorageRetrySchema = z.object({
  /** First retry delay; each retry doubles it, up to `maxDelayMs`. Files are never given up. */
  initialDelayMs: z.int().min(1).max(3_600_000).default(1_000),
  maxDelayMs: z.int().min(1).max(86_400_000).default(60_000),
  /** One upload (connect included) longer than this fails and is retried. */
  timeoutMs: z.int().min(100).max(600_000).default(30_000),
})

const StorageServeSchema = z.object({
  /** The bucket name `/storage/v1/b/{bucket}/o` answers for. */
  bucket: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/, 'a Cloud Storage bucket name')
    .default('ccai-sim'),
  sftp: z
    .object({
      /** Serve the storage read-only over SFTP on `port` (`--sftp-port`). */
      enabled: z.boolean().default(false),
      /** 0 picks a free one. */
      port: z.int().min(0).max(65_535).default(0),
      user: z.string().min(1).default('ccai-sim'),
      /** A password, authorized public keys (OpenSSH `authorized_keys` lines), or both. */
      password: z.string().optional(),
      authorizedKeys: z.array(z.string().min(1)).default([]),
      /** The server's host key (PEM/OpenSSH private key file); default: a new one per start. */
      hostKeyFile: z.string().min(1).optional(),
    })
    .prefault({})
    .refine(
      (sftp) => !sftp.enabled || sftp.password !== undefined || sftp.authorizedKeys.length > 0,
      'a password or authorizedKeys when enabled',
    ),
})

/**
 * What the mock CRM demands by default (EspoCRM's reference uses an `X-Api-Key` header); the
 * default integration settings send it, settings of your own must too (or set `crm.mock.auth`).
 */
export const DEFAULT_MOCK_CRM_AUTH: MockCrmAuth = {
  mode: 'api-key',
  header: 'X-Api-Key',
  value: 'ccai-sim-mock-crm-key',
}
const WEEK_MS = 7 * 86_400_000

/** The generic API's retry policy (seed 000, API account: 400 retried for a week; reference §5.4, §8). */
const CrmRetrySchema = z.object({
  /**
   * The error-handling page's single retry "once, immediately, for some statuses" and for no
   * response (which statuses: our decision, crm/immediate-retry.ts). `{ statuses: [], noResponse:
   * false }` turns it off.
   */
  immediate: z
    .object({
      statuses: z
        .array(z.int().min(400).max(599))
        .default([...CRM_IMMEDIATE.statuses])
        .refine(
          (list) => !list.includes(429),
          '429 is handled by `rateLimited`, not retried at once',
        ),
      noResponse: z.boolean().default(CRM_IMMEDIATE.noResponse),
    })
    .prefault({}),
  /** Statuses retried on a schedule; the documented policy retries 400 only. */
  statuses: z
    .array(z.int().min(400).max(599))
    .default([...CRM_RETRY.statuses])
    .refine((list) => !list.includes(429), '429 is handled by `rateLimited`, not by `statuses`'),
  /** First retry delay; each next one is `factor` times longer ("exponential ramp down"). */
  initialDelayMs: z.int().min(1).max(WEEK_MS).default(CRM_RETRY.initialDelayMs),
  factor: z.number().min(1).max(100).default(CRM_RETRY.factor),
  maxDelayMs: z.int().min(1).max(WEEK_MS).default(CRM_RETRY.maxDelayMs),
  /** No retry later than this after the first attempt (documented: a week). */
  giveUpAfterMs: z
    .int()
    .min(0)
    .max(365 * 86_400_000)
    .default(CRM_RETRY.giveUpAfterMs),
  /** 429: the request is queued and sent again after `Retry-After` or this backoff (reference §8). */
  rateLimited: z
    .object({
      initialDelayMs: z.int().min(1).max(WEEK_MS).default(CRM_RETRY.rateLimited.initialDelayMs),
      maxDelayMs: z.int().min(1).max(WEEK_MS).default(CRM_RETRY.rateLimited.maxDelayMs),
      /** `null`: keep the queue until the CRM accepts calls again ("nothing is lost"). */
      giveUpAfterMs: z
        .int()
        .min(0)
        .max(365 * 86_400_000)
        .nullable()
        .default(CRM_RETRY.rateLimited.giveUpAfterMs),
    })
    .prefault({}),
})

/** The Apps API's default credentials (README, "The Apps API"): a simulator's, not a secret. */
export const DEFAULT_APPS_API_COMPANY_KEY = 'ccai-sim'
export const DEFAULT_APPS_API_TOKEN = 'ccai-sim-apps-api-token'

export const SimulatorConfigSchema = z.object({
  /** HTTP port; 0 picks a free one. */
  port: z.int().min(0).max(65_535).default(4010),
  host: z.string().min(1).default('127.0.0.1'),
  /** Seed of every generated session: the same seed replays the same sessions. */
  seed: z
    .int()
    .min(0)
    .max(2 ** 31)
    .default(1),
  clock: z
    .object({
      mode: z.enum(['realtime', 'scaled', 'manual']).default('scaled'),
      /** Virtual seconds per real second in `scaled` mode (60: the 15-minute metadata delay takes 15 s). */
      scale: z.number().positive().max(100_000).default(60),
      /** Virtual start time; default: now, from the host's wall clock. */
      start: z.iso.datetime({ offset: true }).optional(),
    })
    .prefault({}),
  load: z
    .object({
      /** Continuous load: new sessions per virtual minute (0: only sessions started through /_sim). */
      sessionsPerMinute: z.number().min(0).max(6_000).default(0),
      /** Relative weights by scenario name; default: a contact-centre-like mix. */
      mix: z
        .record(z.string(), z.number().nonnegative())
        // Checked here so a typo is a configuration error naming the key, not a crash at start.
        .superRefine((mix, ctx) => {
          for (const name of Object.keys(mix)) {
            if (!SCENARIO_NAMES.includes(name)) {
              ctx.addIssue({
                code: 'custom',
                path: [name],
                input: name,
                message: `a scenario name (${SCENARIO_NAMES.join(', ')})`,
              })
            }
          }
        })
        .optional(),
    })
    .prefault({}),
  adapter: z
    .object({
      /** The agent the adapter page represents when the page's URL names none (`?agent=`); default: every agent. */
      agentId: z.int().positive().optional(),
    })
    .prefault({}),
  webhooks: z
    .object({
      adapter: z.array(WebhookTargetSchema).default([]),
      qm: z.array(WebhookTargetSchema).default([]),
      retry: RetrySchema.prefault({}),
      /** Deliveries in flight per target; one session's deliveries still go one at a time, in order. */
      concurrency: z.int().min(1).max(256).default(16),
      /** Payloads held in memory per target; beyond, they wait in the write-ahead log on disk. */
      maxInMemory: z.int().min(1).max(1_000_000).default(1_000),
      /** Given-up deliveries kept per target (in the log too) for `POST /_sim/deliveries/{id}/retry`. */
      keepGivenUp: z.int().min(0).max(10_000).default(20),
    })
    .prefault({}),
  storage: z
    .object({
      enabled: z.boolean().default(true),
      /** Folder the `ujet-*` folders are written under. */
      dir: z.string().min(1).default(DEFAULT_STORAGE_DIR),
      /**
       * Where files are pushed, as the platform pushes them to external storage (seed 000): `local`
       * (the folder `dir`; without it the simulator keeps its own copy in memory), `sftp`, `gcs`.
       */
      sinks: z.array(StorageSinkSchema).default([{ type: 'local' }]),
      /** Retries of a push sink that is down; its files stay pending (persisted) until it is back. */
      retry: StorageRetrySchema.prefault({}),
      /** The reading side: the simulator's storage served over SFTP and a Cloud Storage JSON API. */
      serve: StorageServeSchema.prefault({}),
      /** Recordings last as long as the call's talk time, up to this many seconds. */
      maxRecordingSeconds: z.int().min(1).max(86_400).default(3_600),
      /**
       * How recordings and voicemails sound: `tones` (a tone pair per speaker), `espeak-ng` (the
       * turns' words, spoken by espeak-ng and encoded by LAME; tones, journaled, when they fail),
       * `auto` (speech when both are installed). The programs: names on PATH or paths.
       */
      media: z
        .object({
          speech: z.enum(['tones', 'espeak-ng', 'auto']).default('tones'),
          espeakNg: z.string().min(1).default('espeak-ng'),
          lame: z.string().min(1).default('lame'),
        })
        .prefault({}),
    })
    .prefault({}),
  email: z
    .object({
      enabled: z.boolean().default(true),
      /** `builtin`: the simulator's own SMTP server (mailbox at /mail); or an SMTP server to send to. */
      smtp: z.union([z.literal('builtin'), SmtpServerSchema]).default('builtin'),
      /** Port of the built-in SMTP server; 0 picks a free one. */
      builtinPort: z.int().min(0).max(65_535).default(0),
      /** Outcome mail is retried like webhooks (a send that fails is tried again with backoff). */
      retry: RetrySchema.prefault({}),
      /** Messages sent at once to the SMTP server. */
      concurrency: z.int().min(1).max(64).default(1),
      /** The portal's "session outcome email" settings (seed 000 inheritance table). */
      outcome: z
        .object({
          global: z
            .object({
              enabled: z.boolean().default(true),
              address: z.string().default('crm-inbox@example.com'),
            })
            .prefault({}),
          /** Per-queue settings by queue id. */
          queues: z
            .record(z.string(), z.object({ enabled: z.boolean(), address: z.string().optional() }))
            .default({}),
        })
        .prefault({}),
    })
    .prefault({}),
  journal: z.object({ limit: z.int().min(100).max(1_000_000).default(10_000) }).prefault({}),
  /** The agents' roster (reactive sessions): presence, offers, idle logout. */
  agents: z
    .object({
      /** An offer rings this long before it is missed and the session goes back to its queue. */
      offerTimeoutSeconds: z.int().min(1).max(600).default(30),
      /** A scripted agent with nothing to do logs out after this many virtual minutes. */
      idleLogoutMinutes: z
        .int()
        .min(1)
        .max(24 * 60)
        .default(30),
    })
    .prefault({}),
  /** The write-ahead logs of pending webhooks and mail (in the state folder, beside the storage folder). */
  durability: z
    .object({
      /** fdatasync each group of appends: accepted work survives a power cut, not only `kill -9`. */
      fsync: z.boolean().default(true),
    })
    .prefault({}),
  /** Agent-desktop protocols of other vendors the simulator also speaks (README "Expertflow peer"). */
  peers: z
    .object({
      /** Expertflow Hybrid Chat agent API: socket.io at `/expertflow/socket.io` on the HTTP port. */
      expertflow: z
        .object({
          /** Serve the endpoint and route chats to its READY agents. */
          enabled: z.boolean().default(false),
          /** The one team every agent logged into the peer belongs to (`teamInfo`). */
          team: z
            .object({
              id: z.string().min(1).default('team-1'),
              name: z.string().min(1).default('Team 1'),
            })
            .prefault({}),
          /**
           * Chats an agent takes at once (the MRD's max tasks): ACTIVE below it, BUSY at it
           * (reference §2.5). The documents give no default; 2 makes both states reachable.
           */
          maxTasks: z.int().min(1).max(20).default(2),
          /** Agent ids that log in as supervisors (silentMonitor, bargeIn, raiseHand targets). */
          supervisors: z.array(z.string().min(1)).default([]),
          /**
           * Virtual seconds a logged-in agent may be without a socket (a page reload, a network
           * drop) before the peer treats the gadget as gone: READY turns NOT_READY, offers not
           * joined go back to their queue, no new chat is offered. 0: at once. The documents are
           * silent (README "Expertflow peer", known gaps).
           */
          disconnectGraceSeconds: z.int().min(0).max(600).default(10),
        })
        .prefault({}),
    })
    .prefault({}),
  /** The OpenMethods Harmony session-resource peer (WebSocket and HTTP at /harmony, `~!OM` TCP). */
  harmony: z
    .object({
      /** When set, prepareSession refuses any other agent password (default: any non-empty one). */
      password: z.string().min(1).optional(),
      /** Port of the `~!OM` framed TCP transport (0 picks a free one); absent: not served. */
      tcpPort: z.int().min(0).max(65_535).optional(),
      /**
       * Virtual seconds an agent's session resource may be without a connection (a WebSocket or
       * TCP close, an HTTP endSession) before the agent is away: READY turns NOT_READY, a ringing
       * call goes back to its queue, no new call is offered. 0: at once. The documents are silent
       * (README "The Harmony peer", known gaps).
       */
      disconnectGraceSeconds: z.int().min(0).max(600).default(10),
    })
    .prefault({}),
  sessions: z
    .object({
      /** Completed sessions kept for `/_sim/sessions` and the console; older ones are forgotten. */
      keepCompleted: z.int().min(1).max(100_000).default(1_000),
    })
    .prefault({}),
  /** The generic API: the platform's calls to the customer's CRM, and the mock CRM at `/crm`. */
  crm: z
    .object({
      /** Run each session's generic-API flow. */
      enabled: z.boolean().default(true),
      /** Integration settings (the portal's Custom CRM → Generic API); default: the mock CRM at `<url>/crm`. */
      settings: CrmIntegrationSettingsSchema.optional(),
      mock: z
        .object({
          /** How the mock CRM answers: `generic` (its own REST API) or `espocrm` (the docs' reference). */
          dialect: z.enum(MOCK_CRM_DIALECTS).default('generic'),
          /** What the mock CRM demands of callers; the default settings send the matching credentials. */
          auth: MockCrmAuthSchema.default(DEFAULT_MOCK_CRM_AUTH),
          /** Keep the mock CRM's state in this JSON file (`startSimulator`; default: memory only). */
          persistFile: z.string().min(1).optional(),
          /** What the mock CRM keeps at most; past a limit the oldest go first (a tenth at a time). */
          limits: z
            .object({
              /** OAuth 2.0 access tokens (and as many refresh tokens). */
              tokens: z.int().min(1).default(10_000),
              /** Accounts, records and comments, each. */
              entities: z.int().min(1).default(50_000),
              /** Attachments (they hold the files' bytes). */
              attachments: z.int().min(1).default(1_000),
            })
            .prefault({}),
        })
        .prefault({}),
      retry: CrmRetrySchema.prefault({}),
      /**
       * The events that update the record besides the final update (seed 000, Update a record:
       * "optionally … save CSAT rating, call or chat finish events, selected queues"); default all.
       */
      updateRecordOn: z
        .array(z.enum(OPTIONAL_RECORD_UPDATE_EVENTS))
        .default([...OPTIONAL_RECORD_UPDATE_EVENTS]),
    })
    .prefault({}),
  /**
   * The Apps API at `/apps/api/v1` (reference §7): HTTP Basic with the company key (the portal's
   * subdomain) as user name and an API token (Settings > Developer Settings > API Credentials) as
   * password. The defaults are printed in the README so `pnpm start` works out of the box.
   */
  appsApi: z
    .object({
      enabled: z.boolean().default(true),
      companyKey: z.string().min(1).default(DEFAULT_APPS_API_COMPANY_KEY),
      apiToken: z.string().min(1).default(DEFAULT_APPS_API_TOKEN),
      /** Requests per second per customer (documented: 10); 0 turns the limit off. */
      rateLimitPerSecond: z.int().min(0).max(10_000).default(10),
    })
    .prefault({}),
})

export type SimulatorConfig = z.output<typeof SimulatorConfigSchema>
export type SimulatorConfigInput = z.input<typeof SimulatorConfigSchema>

/** Thrown for bad configuration; the CLI prints each issue and exits 2. */
export class ConfigError extends SimulatorError {
  readonly source: string

  constructor(source: string, issues: readonly CheckIssue[]) {
    super(
      'invalid_config',
      `invalid configuration (${source}):\n${issues.map((i) => `  - ${i.message}`).join('\n')}`,
      { issues },
    )
    this.source = source
  }
}

/** Validates a configuration object (strict: unknown keys are errors), applying the defaults. */
/** What `parseConfig` returned: `startSimulator` gets `loadConfig`'s result and need not check it again. */
const PARSED = new WeakSet<object>()

export function parseConfig(input: unknown, source = 'configuration'): SimulatorConfig {
  if (typeof input === 'object' && input !== null && PARSED.has(input)) {
    return input as SimulatorConfig
  }
  const result = checkPayload(SimulatorConfigSchema, input ?? {}, { mode: 'strict', jitless: true })
  if (!result.ok) throw new ConfigError(source, result.issues)
  PARSED.add(result.value)
  return result.value
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function merge(base: unknown, over: unknown): unknown {
  if (!isRecord(base) || !isRecord(over)) return over === undefined ? base : over
  const out: Record<string, unknown> = { ...base }
  for (const [key, value] of Object.entries(over)) out[key] = merge(out[key], value)
  return out
}

/** 1-based line and column of a character offset. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset)
  const lineStart = before.lastIndexOf('\n') + 1
  return { line: before.split('\n').length, column: offset - lineStart + 1 }
}

/**
 * A configuration file's text: JSON with comments and trailing commas (JSONC, as the README's
 * example is written). A syntax error names the file, line and column.
 */
let jsoncParser: typeof JsoncParser | undefined

/**
 * jsonc-parser, loaded when a configuration file is read or edited rather than at every start
 * (issue "Performance", start-up); it is CommonJS, so a synchronous `require` loads it.
 */
export function jsonc(): typeof JsoncParser {
  return (jsoncParser ??= createRequire(import.meta.url)('jsonc-parser') as typeof JsoncParser)
}

export function parseConfigText(text: string, file: string): unknown {
  const { parse: parseJsonc, printParseErrorCode } = jsonc()
  const errors: JsoncParser.ParseError[] = []
  const value: unknown = parseJsonc(text, errors, {
    allowTrailingComma: true,
    disallowComments: false,
    allowEmptyContent: false,
  })
  const first = errors[0]
  if (first === undefined) return value
  const { line, column } = lineAndColumn(text, first.offset)
  const found = text.slice(first.offset, first.offset + Math.max(first.length, 1)).trim()
  const what = printParseErrorCode(first.error)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
  const token = found.slice(0, 20)
  const received =
    token === '' ? 'the end of the file' : token.startsWith('"') ? token : `"${token}"`
  const message = `${file}:${line}:${column}: expected JSON (comments allowed), received ${received} (${what})`
  throw new ConfigError(file, [
    { path: '$', code: 'invalid_json', expected: 'JSON or JSONC', received, message },
  ])
}

/** The configuration file `loadConfig` reads (`--config`, else `CCAI_SIM_CONFIG`), resolved; or none. */
export function configFilePath(options: {
  file?: string | undefined
  cwd: string
}): string | undefined {
  const envFile = process.env['CCAI_SIM_CONFIG']
  const file = options.file ?? (envFile && envFile !== '' ? envFile : undefined)
  return file === undefined ? undefined : resolve(options.cwd, file)
}

/** Command-line flags, already parsed, as a partial configuration. */
export type ConfigFlags = Readonly<Record<string, unknown>>

/** Reads the configuration file (if any), applies flags and the environment, validates once. */
export async function loadConfig(options: {
  file?: string | undefined
  flags?: ConfigFlags
  cwd: string
}): Promise<SimulatorConfig> {
  const envFile = process.env['CCAI_SIM_CONFIG']
  const file = options.file ?? (envFile && envFile !== '' ? envFile : undefined)
  // Where the file name came from, so an unreadable file names the setting to fix.
  const field = options.file === undefined ? 'CCAI_SIM_CONFIG' : '--config'
  let fromFile: unknown = {}
  if (file !== undefined) {
    const path = resolve(options.cwd, file)
    let text: string
    try {
      text = await readFile(path, 'utf8')
    } catch (error) {
      const code = (error as { code?: unknown }).code
      const received =
        code === 'ENOENT'
          ? 'no such file'
          : code === 'EISDIR'
            ? 'a folder'
            : `an unreadable file (${String(code)})`
      throw new ConfigError(file, [
        {
          path: field,
          code: 'unreadable',
          expected: 'a readable JSON file',
          received,
          message: `${field}: expected a readable JSON file, received ${received} at ${path}`,
        },
      ])
    }
    fromFile = parseConfigText(text, file)
  }
  const envPort = process.env['PORT']
  // Number('abc') is NaN, which the schema would report as "received number NaN" under `port`.
  if (envPort && !/^\d+$/.test(envPort)) {
    const expected = 'a port number (0 picks a free one)'
    const received = JSON.stringify(envPort)
    throw new ConfigError('PORT', [
      {
        path: 'PORT',
        code: 'invalid_type',
        expected,
        received,
        message: `PORT: expected ${expected}, received ${received}`,
      },
    ])
  }
  const fromEnv = envPort && envPort !== '' ? { port: Number(envPort) } : {}
  const merged = merge(merge(fromFile, fromEnv), options.flags ?? {})
  return parseConfig(merged, file ?? 'flags')
}
