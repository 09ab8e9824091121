import { mkdir, readFile, stat, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { checkContract, type CrmIntegrationSettings } from '@ccai-sim/schemas'
import { summarize } from '../core/runner.js'
import {
  createProgress,
  describeArgsError,
  nearestName,
  packageVersion,
} from '@ccai-sim/simulator/cli-support'
import type { ClauseResult, SuiteResult } from '../core/types.js'
import { formatConsole } from '../report/console-reporter.js'
import { formatJson } from '../report/json-reporter.js'
import { formatJunit } from '../report/junit-reporter.js'
import {
  EXIT,
  UsageError,
  type ContractCliIo,
  type CrmRunOptions,
  type ExitCode,
  type HarmonyBridgeRunOptions,
  type ReceiverRunOptions,
  type SuiteRunners,
} from './io.js'

const REPORTERS = ['console', 'junit', 'json'] as const
type ReporterName = (typeof REPORTERS)[number]

const COMMON_OPTIONS = `  --reporter <name>  console (default), junit or json
  --output <file>    also write the report to this file
  --no-color         plain console output
  -h, --help         show this help
Exit codes: 0 every clause passed (or was skipped), 1 a clause failed, 2 bad usage or configuration.`

const CRM_USAGE = `Usage: ccai-contract crm --settings <file> [--base-url <url>] [--seed <n>] [--only <ids>] [--cleanup] [options]

Drives a CRM exactly as the platform's generic API integration would and checks it clause by clause.
  --settings <file>  the integration settings as JSON (as configured in the portal's Developer
                     Settings); must pass the crm.settings contract
  --base-url <url>   the CRM's base URL, when it differs from the URLs in the settings
  --seed <n>         seed for the generated customer data (default: a new one each run, printed
                     in the report so that --seed can repeat it)
  --only <ids>       run only these clauses, comma-separated: CRM-001,CRM-004
  --cleanup          afterwards, DELETE the accounts and records the run created (at Find an
                     account by ID's and Update a record's URLs); the report lists every object
                     the run created and what happened to it
Customers are made up: 555-0100…0199 numbers and example.com addresses. CRM-014 is a warning:
it never fails the run.
${COMMON_OPTIONS}`

const RECEIVER_USAGE = `Usage: ccai-contract receiver --url <url> --kind qm|adapter [--header 'name: value']... [--seed <n>] [options]

Sends every documented variant of the QM events or adapter events to a webhook receiver and checks
that each is acknowledged with 2xx.
  --url <url>               the receiver's URL
  --kind qm|adapter         which events: QM events or agent adapter events
  --header 'name: value'    a header sent with every request (repeatable), e.g. authentication
  --seed <n>                seed for the generated sessions and payloads (default: the suite's)
${COMMON_OPTIONS}`

const STORAGE_USAGE = `Usage: ccai-contract storage <dir | sftp://user@host:port/path | gs://bucket/prefix> [options]

Checks a storage tree (the simulator's storage folder, a downloaded bucket, an SFTP server or a
Cloud Storage bucket, read as they are) for folder names, file names, metadata and transcript
validity, and cross-file consistency.
  --endpoint <url>          gs:// only: another Cloud Storage endpoint (an emulator, the simulator)
  --password <password>     sftp:// only: the password (or put it in the URL)
  --identity <key file>     sftp:// only: a private key file
  --host-key <SHA256:…>     sftp:// only: the server's pinned host key fingerprint
${COMMON_OPTIONS}`

const PAGE_USAGE = `Usage: ccai-contract page --url <page> --adapter-origin <origin> [--record-prefix <url>] [--seed <n>] [--timeout <ms>] [options]

Opens your CRM page in real Chromium (/usr/bin/chromium) with the simulator's agent adapter page
answering the adapter origin inside the browser (nothing reaches your tenant), drives call, chat,
VTA and record-pop events through the adapter iframe(s) your page loads, and checks the page
clause by clause: it loads the adapter from that origin, survives every event and documented
variant, ignores postMessage from other origins, and opens the record of a CRM_Record_Pop.
  --url <page>              the CRM page (http, https or file URL)
  --adapter-origin <origin> the origin your page loads /agent/?type=call|chat&from=custom from,
                            e.g. https://acme.uc1.ccaiplatform.com
  --record-prefix <url>     record pops name URLs under this prefix (default
                            <page origin>/ccai-contract/records/; answered in the browser)
  --seed <n>                seed for the generated sessions (default 1)
  --timeout <ms>            how long to wait for the page, a frame or a record (default 15000)
${COMMON_OPTIONS}`

const HARMONY_BRIDGE_USAGE = `Usage: ccai-contract harmony-bridge --host <host> --port <port> [--channel-group <target>] [--dial <number>] [--timeout <ms>] [--only <ids>] [options]

Plays the Harmony Integration Server's Processor Bridge against your CTI plug-in: connects to it
over TCP (4-byte big-endian length + UTF-8 JSON {header, body}), sends the channel group's, the
channels', a dialled call's and its conversation's init queries, dials, releases, and checks each
documented exchange clause by clause (framing, requestId pairing, init before events, FAILURE with
errorMessage for what it does not support, dial → interaction → release).
  --host <host>               where the plug-in listens
  --port <port>               its TCP port
  --channel-group <target>    the channel group destination's target (default group1)
  --dial <number>             what channel.request.dial dials (default 5550100)
  --timeout <ms>              how long to wait for a response or an event (default 5000)
  --only <ids>                run only these clauses, comma-separated: BRIDGE-001,BRIDGE-007
${COMMON_OPTIONS}`

/** The top-level help of `ccai-contract`. */
export const CONTRACT_CLI_USAGE = `Usage: ccai-contract <command> [options]

Certifies someone else's implementation against the CCAI Platform contracts.

Commands:
  crm        check a CRM's generic API (find, create, update, comment, upload, auth, timeouts)
  receiver   check a QM or adapter-event webhook receiver
  storage    check a storage tree (metadata, transcripts, recordings)
  page       check a CRM page that embeds the agent adapter, in real Chromium
  harmony-bridge  check a Harmony Processor Bridge CTI plug-in over TCP
  help [command]
  --version  print the version

Run \`ccai-contract <command> --help\` for a command's options.
${COMMON_OPTIONS.split('\n').at(-1) ?? ''}`

const COMMON_PARSE = {
  reporter: { type: 'string' },
  output: { type: 'string' },
  'no-color': { type: 'boolean', default: false },
} as const

interface Common {
  readonly reporter: ReporterName
  readonly output: string | undefined
  readonly noColor: boolean
}

function common(values: {
  reporter?: string | undefined
  output?: string | undefined
  'no-color'?: boolean | undefined
}): Common {
  const reporter = values.reporter ?? 'console'
  if (!(REPORTERS as readonly string[]).includes(reporter)) {
    throw new UsageError(
      `--reporter: expected one of ${REPORTERS.join(', ')}, received "${reporter}"`,
    )
  }
  if (values.output === '') throw new UsageError('--output: expected a file path')
  return {
    reporter: reporter as ReporterName,
    output: values.output,
    noColor: values['no-color'] ?? false,
  }
}

function httpUrl(flag: string, value: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new UsageError(`${flag}: expected an http(s) URL, received "${value}"`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${flag}: expected an http(s) URL, received "${value}"`)
  }
  return value
}

async function readSettings(path: string, cwd: string): Promise<CrmIntegrationSettings> {
  let text: string
  try {
    text = await readFile(resolve(cwd, path), 'utf8')
  } catch (error) {
    const reason =
      error instanceof Error && 'code' in error && error.code === 'ENOENT'
        ? 'no such file'
        : String(error)
    throw new UsageError(`--settings: cannot read ${path}: ${reason}`, { showUsage: false })
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new UsageError(
      `--settings: ${path} is not JSON: ${error instanceof Error ? error.message : String(error)}`,
      { showUsage: false },
    )
  }
  const check = checkContract('crm.settings', value, { mode: 'strict' })
  if (!check.ok) {
    const issues = check.issues.map((issue) => `  - ${issue.message}`).join('\n')
    throw new UsageError(
      `--settings: ${path} does not satisfy the crm.settings contract (${check.issues.length} issue${check.issues.length === 1 ? '' : 's'}):\n${issues}`,
      { showUsage: false },
    )
  }
  return value as CrmIntegrationSettings
}

function parseSeed(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  if (!/^\d{1,15}$/.test(value)) {
    throw new UsageError(`--seed: expected a non-negative integer, received "${value}"`)
  }
  return Number(value)
}

function parseOnly(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined
  const ids = value
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '')
  const bad = ids.find((id) => !/^[A-Z]+-\d{3,}$/.test(id))
  if (ids.length === 0 || bad !== undefined) {
    throw new UsageError(
      `--only: expected clause ids separated by commas (CRM-001,CRM-004), received "${value}"`,
    )
  }
  return ids
}

function parseHeaders(values: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const raw of values) {
    const match = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):\s*(.*)$/.exec(raw)
    if (!match?.[1] || match[2] === undefined) {
      throw new UsageError(`--header: expected 'name: value', received "${raw}"`)
    }
    headers[match[1]] = match[2].trim()
  }
  return headers
}

/** Keeps only the selected clauses (whether or not the runner honoured `only`) and re-counts. */
function selectClauses(result: SuiteResult, only: readonly string[] | undefined): SuiteResult {
  if (only === undefined) return result
  const missing = only.filter((id) => !result.clauses.some((clause) => clause.id === id))
  if (missing.length > 0) {
    throw new UsageError(`--only: no clause ${missing.join(', ')} in the ${result.suite} suite`, {
      showUsage: false,
    })
  }
  const clauses = result.clauses.filter((clause) => only.includes(clause.id))
  return { ...result, clauses, summary: summarize(clauses) }
}

async function loadRunners(io: ContractCliIo): Promise<SuiteRunners> {
  const injected = io.runners ?? {}
  if (
    injected.crm &&
    injected.receiver &&
    injected.storage &&
    injected.page &&
    injected.harmonyBridge
  ) {
    return {
      crm: injected.crm,
      receiver: injected.receiver,
      storage: injected.storage,
      page: injected.page,
      harmonyBridge: injected.harmonyBridge,
    }
  }
  const { DEFAULT_RUNNERS } = await import('./runners.js')
  return { ...DEFAULT_RUNNERS, ...injected }
}

async function runAndReport(
  io: ContractCliIo,
  options: Common,
  run: (onClause: (clause: ClauseResult) => void) => Promise<SuiteResult>,
): Promise<ExitCode> {
  // A suite talks to a live system for seconds to minutes: show how far it is (stderr, terminals).
  const progress = createProgress({
    enabled: io.stdoutIsTerminal ?? false,
    label: 'ccai-contract: clauses checked',
    write: io.stderr,
    intervalMs: 0,
  })
  let checked = 0
  const result = await run(() => {
    checked += 1
    progress.update(checked)
  }).finally(() => {
    progress.clear()
  })
  const report =
    options.reporter === 'junit'
      ? formatJunit([result])
      : options.reporter === 'json'
        ? formatJson([result])
        : formatConsole(result, { color: (io.color ?? false) && !options.noColor })
  io.stdout(report)
  if (options.output !== undefined) {
    const file = resolve(io.cwd, options.output)
    const plain = options.reporter === 'console' ? formatConsole(result) : report
    try {
      await mkdir(dirname(file), { recursive: true })
      await writeFile(file, plain)
    } catch (error) {
      throw new UsageError(
        `--output: cannot write ${options.output}: ${error instanceof Error ? error.message : String(error)}`,
        { showUsage: false },
      )
    }
  }
  return result.summary.failed > 0 ? EXIT.failed : EXIT.ok
}

async function runCrm(args: readonly string[], io: ContractCliIo): Promise<ExitCode> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      ...COMMON_PARSE,
      settings: { type: 'string' },
      'base-url': { type: 'string' },
      seed: { type: 'string' },
      only: { type: 'string' },
      cleanup: { type: 'boolean', default: false },
    },
  })
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0] ?? ''}"`)
  const options = common(values)
  if (values.settings === undefined) throw new UsageError('--settings <file> is required')
  const seed = parseSeed(values.seed)
  const only = parseOnly(values.only)
  const baseUrl =
    values['base-url'] === undefined ? undefined : httpUrl('--base-url', values['base-url'])
  const settings = await readSettings(values.settings, io.cwd)
  const runners = await loadRunners(io)
  const crmOptions: CrmRunOptions = {
    settings,
    ...(baseUrl === undefined ? {} : { baseUrl }),
    ...(seed === undefined ? {} : { seed }),
    ...(only === undefined ? {} : { only }),
    ...(values.cleanup ? { cleanup: true } : {}),
  }
  return runAndReport(io, options, async (onClause) =>
    selectClauses(await runners.crm({ ...crmOptions, onClause }), only),
  )
}

async function runReceiver(args: readonly string[], io: ContractCliIo): Promise<ExitCode> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      ...COMMON_PARSE,
      url: { type: 'string' },
      kind: { type: 'string' },
      header: { type: 'string', multiple: true },
      seed: { type: 'string' },
    },
  })
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0] ?? ''}"`)
  const options = common(values)
  if (values.url === undefined) throw new UsageError('--url <url> is required')
  const url = httpUrl('--url', values.url)
  const kind = values.kind
  if (kind !== 'qm' && kind !== 'adapter') {
    throw new UsageError(
      kind === undefined
        ? '--kind qm|adapter is required'
        : `--kind: expected qm or adapter, received "${kind}"`,
    )
  }
  const headers = parseHeaders(values.header ?? [])
  const seed = parseSeed(values.seed)
  const runners = await loadRunners(io)
  const receiverOptions: ReceiverRunOptions = {
    url,
    kind,
    headers,
    ...(seed === undefined ? {} : { seed }),
  }
  return runAndReport(io, options, (onClause) => runners.receiver({ ...receiverOptions, onClause }))
}

async function runStorage(args: readonly string[], io: ContractCliIo): Promise<ExitCode> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      ...COMMON_PARSE,
      endpoint: { type: 'string' },
      password: { type: 'string' },
      identity: { type: 'string' },
      'host-key': { type: 'string' },
    },
  })
  const options = common(values)
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? 'storage needs the folder to check'
        : `storage takes one folder, got ${positionals.length}`,
    )
  }
  const source = positionals[0] ?? ''
  // sftp:// and gs:// trees are copied first; their clients load only then.
  if (/^(sftp|gs):\/\//i.test(source)) {
    const { downloadTree, RemoteTreeError } = await import('../storage/remote-tree.js')
    let tree
    try {
      tree = await downloadTree(source, {
        endpoint: values.endpoint,
        password: values.password,
        identity: values.identity === undefined ? undefined : resolve(io.cwd, values.identity),
        hostKey: values['host-key'],
      })
    } catch (error) {
      if (error instanceof RemoteTreeError)
        throw new UsageError(error.message, { showUsage: false })
      throw error
    }
    try {
      const runners = await loadRunners(io)
      const dir = tree.dir
      return await runAndReport(io, options, () => runners.storage({ dir }))
    } finally {
      await tree.cleanup()
    }
  }
  const dir = resolve(io.cwd, source)
  const info = await stat(dir).catch(() => undefined)
  if (!info?.isDirectory()) {
    throw new UsageError(`${positionals[0] ?? ''}: no such folder`, { showUsage: false })
  }
  const runners = await loadRunners(io)
  return runAndReport(io, options, (onClause) => runners.storage({ dir, onClause }))
}

async function runPage(args: readonly string[], io: ContractCliIo): Promise<ExitCode> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      ...COMMON_PARSE,
      url: { type: 'string' },
      'adapter-origin': { type: 'string' },
      'record-prefix': { type: 'string' },
      seed: { type: 'string' },
      timeout: { type: 'string' },
    },
  })
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0] ?? ''}"`)
  const options = common(values)
  if (values.url === undefined) throw new UsageError('--url <page> is required')
  let pageUrl: URL
  try {
    pageUrl = new URL(values.url)
  } catch {
    throw new UsageError(`--url: expected an http(s) or file URL, received "${values.url}"`)
  }
  if (!['http:', 'https:', 'file:'].includes(pageUrl.protocol))
    throw new UsageError(`--url: expected an http(s) or file URL, received "${values.url}"`)
  const origin = values['adapter-origin']
  if (origin === undefined)
    throw new UsageError(
      '--adapter-origin <origin> is required: the origin your page loads the adapter iframe from',
    )
  httpUrl('--adapter-origin', origin)
  const recordPrefix =
    values['record-prefix'] === undefined
      ? undefined
      : httpUrl('--record-prefix', values['record-prefix'])
  const timeout = values.timeout
  if (timeout !== undefined && !/^[1-9]\d{2,6}$/.test(timeout))
    throw new UsageError(`--timeout: expected milliseconds (100–9999999), received "${timeout}"`)
  const seed = parseSeed(values.seed)
  const runners = await loadRunners(io)
  return runAndReport(io, options, () =>
    runners.page({
      url: pageUrl.href,
      adapterOrigin: origin,
      ...(recordPrefix === undefined ? {} : { recordPrefix }),
      ...(seed === undefined ? {} : { seed }),
      ...(timeout === undefined ? {} : { timeoutMs: Number(timeout) }),
    }),
  )
}

async function runHarmonyBridge(args: readonly string[], io: ContractCliIo): Promise<ExitCode> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      ...COMMON_PARSE,
      host: { type: 'string' },
      port: { type: 'string' },
      'channel-group': { type: 'string' },
      dial: { type: 'string' },
      timeout: { type: 'string' },
      only: { type: 'string' },
    },
  })
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0] ?? ''}"`)
  const options = common(values)
  if (values.host === undefined || values.host.trim() === '')
    throw new UsageError('--host <host> is required: where the CTI plug-in listens')
  if (values.port === undefined) throw new UsageError('--port <port> is required')
  if (!/^\d{1,5}$/.test(values.port) || Number(values.port) < 1 || Number(values.port) > 65_535)
    throw new UsageError(`--port: expected a TCP port 1–65535, received "${values.port}"`)
  const group = values['channel-group']
  if (group !== undefined && (group === '' || group.includes('.')))
    throw new UsageError(`--channel-group: expected a target without dots, received "${group}"`)
  if (values.dial === '') throw new UsageError('--dial: expected a number to dial')
  const timeout = values.timeout
  if (timeout !== undefined && !/^[1-9]\d{2,6}$/.test(timeout))
    throw new UsageError(`--timeout: expected milliseconds (100–9999999), received "${timeout}"`)
  const only = parseOnly(values.only)
  const runners = await loadRunners(io)
  const bridgeOptions: HarmonyBridgeRunOptions = {
    host: values.host,
    port: Number(values.port),
    ...(group === undefined ? {} : { channelGroup: group }),
    ...(values.dial === undefined ? {} : { dialDestination: values.dial }),
    ...(timeout === undefined ? {} : { timeoutMs: Number(timeout) }),
    ...(only === undefined ? {} : { only }),
  }
  return runAndReport(io, options, async (onClause) =>
    selectClauses(await runners.harmonyBridge({ ...bridgeOptions, onClause }), only),
  )
}

const COMMANDS: Record<
  string,
  {
    readonly usage: string
    readonly run: (args: readonly string[], io: ContractCliIo) => Promise<ExitCode>
  }
> = {
  crm: { usage: CRM_USAGE, run: runCrm },
  receiver: { usage: RECEIVER_USAGE, run: runReceiver },
  storage: { usage: STORAGE_USAGE, run: runStorage },
  page: { usage: PAGE_USAGE, run: runPage },
  'harmony-bridge': { usage: HARMONY_BRIDGE_USAGE, run: runHarmonyBridge },
}

/**
 * Runs `ccai-contract` with `argv` (without `node` and the script) and returns its exit code: 0 every
 * clause passed or was skipped, 1 a clause failed, 2 bad usage or configuration. Never exits the
 * process; the report goes to `io.stdout`, diagnostics to `io.stderr`.
 *
 * @example
 * const code = await runContractCli(['storage', './bucket', '--reporter', 'json'], io)
 */
export async function runContractCli(
  argv: readonly string[],
  io: ContractCliIo,
): Promise<ExitCode> {
  const [name, ...rest] = argv
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    const topic = rest[0] === undefined ? undefined : COMMANDS[rest[0]]
    const text = `${topic ? topic.usage : CONTRACT_CLI_USAGE}\n`
    if (name === undefined) io.stderr(text)
    else io.stdout(text)
    return name === undefined ? EXIT.usage : EXIT.ok
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    io.stdout(`ccai-contract ${packageVersion(import.meta.url)}\n`)
    return EXIT.ok
  }
  const command = COMMANDS[name]
  if (!command) {
    const near = nearestName(name, Object.keys(COMMANDS))
    const hint = near === undefined ? '' : `; did you mean "${near}"?`
    io.stderr(`ccai-contract: unknown command "${name}"${hint}\n\n${CONTRACT_CLI_USAGE}\n`)
    return EXIT.usage
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`${command.usage}\n`)
    return EXIT.ok
  }
  try {
    return await command.run(rest, io)
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(
        `ccai-contract ${name}: ${error.message}\n${error.showUsage ? `\n${command.usage}\n` : ''}`,
      )
      return EXIT.usage
    }
    const flagError = describeArgsError(error, command.usage, rest)
    if (flagError !== undefined) {
      io.stderr(`ccai-contract ${name}: ${flagError}\n\n${command.usage}\n`)
      return EXIT.usage
    }
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
    io.stderr(`ccai-contract ${name}: the suite could not run: ${detail}\n`)
    return EXIT.usage
  }
}
