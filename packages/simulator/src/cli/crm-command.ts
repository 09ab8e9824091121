import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { generateStory, SCENARIO_NAMES } from '@ccai-sim/fixtures'
import { checkContract, type CrmIntegrationSettings } from '@ccai-sim/schemas'
import { createCrmClient } from '../crm/crm-client.js'
import {
  planCrmFlow,
  runCrmFlow,
  type CrmExchangeRecord,
  type CrmFlowReport,
} from '../crm/flow-engine.js'
import { describeCrmRequest, lostFilters, type LostFilter } from '../crm/request-builder.js'
import { DEFAULT_ID_LOCATION, type CrmResultLocations } from '../crm/response.js'
import type { CrmEndpointName, CrmExchange, CrmHttpRequest } from '../crm/types.js'
import { EXIT, UsageError, type CliIo, type ExitCode } from './io.js'

/** `ccai-sim crm-requests` help (the issue's item 5; seed 000, Generic API). */
export const CRM_REQUESTS_USAGE = `Usage: ccai-sim crm-requests --settings <file.json> [--scenario <name>] [--seed N]

A dry run: prints every request the platform would send to your CRM for one session, in order,
with your integration settings (a JSON file transcribing the portal's Developer Settings; see the
README). Nothing is sent. It assumes your CRM finds nothing, so accounts and records are created,
with ids 1001 (account), 2001 (record) and 3001 (attachment).
  --settings <file>  the integration settings (checked strictly against crm.settings)
  --scenario <name>  ${SCENARIO_NAMES.join(', ')} (default inbound-ivr-call)
  --seed <n>         the session's seed (default 1)
Exit codes: 0 printed, 2 bad usage or settings.`

/** `ccai-sim run` help (the issue's item 5; reference §5.2, §5.4). */
export const RUN_USAGE = `Usage: ccai-sim run <scenario> --settings <file.json> [--seed N] [--json]

Runs the platform's generic-API flow for one session against the CRM your settings point at
(find/create account, find/create record, comments, uploads, final update), with the documented
retry rules, and prints a report per step.
Exit codes: 0 every step succeeded (warnings allowed), 1 a step failed, 2 bad usage or settings.`

export async function readSettings(
  path: string | undefined,
  cwd: string,
): Promise<CrmIntegrationSettings> {
  if (path === undefined)
    throw new UsageError('--settings: expected the integration settings JSON file, got nothing')
  let text: string
  try {
    text = await readFile(resolve(cwd, path), 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new UsageError(`--settings: cannot read ${path}${code === undefined ? '' : ` (${code})`}`)
  }
  let value: unknown
  try {
    value = JSON.parse(text) as unknown
  } catch (error) {
    throw new UsageError(
      `--settings: ${path} is not valid JSON (${error instanceof Error ? error.message : String(error)})`,
    )
  }
  const result = checkContract('crm.settings', value, { mode: 'strict' })
  if (!result.ok) {
    throw new UsageError(
      `--settings: ${path} is not valid integration settings:\n${result.issues.map((i) => `  - ${i.message}`).join('\n')}`,
    )
  }
  return value as CrmIntegrationSettings
}

/** A find that went without a filter, as one warning line naming the setting that avoids it. */
function lostFilterLine(filter: LostFilter): string {
  return `WARN  ${filter.endpoint} went without its filter "${filter.key}" (${filter.value} was empty), so it may match another customer's ${filter.endpoint === 'find_record_by_query' ? 'record' : 'account'}: ${filter.advice}`
}

/** Every lost find filter of the flow's requests, in order, once per step and key. */
function lostFilterLines(
  settings: CrmIntegrationSettings,
  exchanges: readonly CrmExchangeRecord[],
): string[] {
  const lines = exchanges.flatMap((record) =>
    lostFilters(settings, record.exchange.request).map(lostFilterLine),
  )
  return [...new Set(lines)]
}

function seedFlag(value: string | undefined): number {
  if (value === undefined) return 1
  const n = Number(value)
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n))
    throw new UsageError(`--seed: expected a non-negative integer, received "${value}"`)
  return n
}

function scenarioArg(value: string | undefined): string {
  const scenario = value ?? 'inbound-ivr-call'
  if (!SCENARIO_NAMES.includes(scenario)) {
    throw new UsageError(
      `scenario: expected one of ${SCENARIO_NAMES.join(', ')}, received "${scenario}"`,
    )
  }
  return scenario
}

/** Puts `value` at a dot path (`data.0.id`), creating objects and arrays on the way. */
function atPath(path: string, value: unknown): unknown {
  const keys = path.split('.').filter((k) => k !== '')
  let out: unknown = value
  for (const key of [...keys].reverse()) {
    if (/^\d+$/.test(key)) {
      const array: unknown[] = []
      array[Number(key)] = out
      out = array
    } else {
      out = { [key]: out }
    }
  }
  return out
}

const DRY_IDS: Partial<Record<CrmEndpointName, string>> = {
  create_account: '1001',
  create_record: '2001',
}

/** The answers of a CRM that finds nothing and creates everything: enough to walk the whole flow. */
export function dryRunSend(
  settings: CrmIntegrationSettings,
  ids: Partial<Record<CrmEndpointName, string>> = DRY_IDS,
): (request: CrmHttpRequest) => Promise<CrmExchange> {
  return (request) => {
    let json: unknown = {}
    const created = ids[request.endpoint]
    const config: CrmResultLocations | null | undefined = settings.endpoints[request.endpoint]
    if (created !== undefined) {
      const location = [
        config?.response_data_location,
        config?.custom_id_location ?? DEFAULT_ID_LOCATION,
      ]
        .filter((p): p is string => typeof p === 'string' && p !== '')
        .join('.')
      json = atPath(location, created)
    } else if (request.endpoint === 'upload_file') {
      const attachment = settings.endpoints.upload_file?.attachment_type
      if (attachment?.type === 'id') json = atPath(attachment.attachment_id_location, '3001')
      if (attachment?.type === 'attachment_url')
        json = atPath(attachment.attachment_url_location, 'https://crm.example.com/files/3001')
    }
    const status =
      request.endpoint.startsWith('create') || request.endpoint === 'upload_file' ? 201 : 200
    const bodyText = JSON.stringify(json)
    return Promise.resolve({
      request,
      sentHeaders: request.headers,
      response: {
        status,
        headers: { 'content-type': 'application/json' },
        bodyText,
        json,
        durationMs: 0,
      },
    })
  }
}

/**
 * `ccai-sim crm-requests`: plans one session's generic-API flow (`planCrmFlow`) and walks it against
 * a CRM that finds nothing and creates ids 1001/2001/3001, printing each request (`describeCrmRequest`)
 * in the documented order (seed 000, Generic API; reference §5.2). Nothing is sent.
 */
export async function runCrmRequests(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      settings: { type: 'string' },
      scenario: { type: 'string' },
      seed: { type: 'string' },
    },
  })
  if (positionals.length > 0)
    throw new UsageError(
      `crm-requests takes no positional arguments, got "${positionals.join(' ')}"`,
    )
  const scenario = scenarioArg(values.scenario)
  const seed = seedFlag(values.seed)
  const settings = await readSettings(values.settings, io.cwd)
  const story = generateStory(scenario, { seed })
  const plan = planCrmFlow({ settings, story })
  const exchanges: CrmExchangeRecord[] = []
  await runCrmFlow(plan, {
    send: dryRunSend(settings),
    onExchange: (record) => exchanges.push(record),
  })
  io.stdout(
    `# ${story.scenario} (seed ${story.seed}): session ${story.id}, ${exchanges.length} requests\n`,
  )
  for (const note of plan.notes) io.stdout(`# note: ${note}\n`)
  for (const line of lostFilterLines(settings, exchanges)) io.stdout(`# ${line}\n`)
  exchanges.forEach((record, i) => {
    const lost = lostFilters(settings, record.exchange.request).map(
      (f) => `\n# ${lostFilterLine(f)}`,
    )
    io.stdout(
      `\n# ${i + 1}. ${record.step} at ${new Date(record.at).toISOString()}${lost.join('')}\n${describeCrmRequest(record.exchange.request)}\n`,
    )
  })
  return EXIT.ok
}

function reportLines(report: CrmFlowReport): string[] {
  const mark: Record<string, string> = {
    succeeded: 'ok  ',
    warning: 'WARN',
    failed: 'FAIL',
    skipped: 'skip',
    pending: '....',
    retrying: 'RTRY',
    queued: 'QUED',
  }
  const lines = report.steps.map((step) => {
    const bits = [
      step.status !== undefined ? `HTTP ${step.status}` : undefined,
      step.found !== undefined ? (step.found ? 'found' : 'not found') : undefined,
      step.id !== undefined ? `id ${step.id}` : undefined,
      step.attempts > 1 ? `${step.attempts} attempts` : undefined,
      step.link,
      // A failure with nothing more to say than its status (`HTTP 500`) is not repeated.
      step.error === `HTTP ${String(step.status)}` ? undefined : step.error,
      step.detail,
    ].filter((b): b is string => b !== undefined && b !== '')
    const what = step.comment
      ? `${step.step} (${step.comment})`
      : step.file
        ? `${step.step} (${step.file})`
        : step.update
          ? `${step.step} (${step.update})`
          : step.step
    return `${mark[step.outcome] ?? step.outcome}  ${what}${bits.length > 0 ? `  ${bits.join(', ')}` : ''}`
  })
  return [...report.notes.map((n) => `note: ${n}`), ...lines]
}

/**
 * `ccai-sim run <scenario>`: runs one session's flow (`runCrmFlow`) against the CRM the settings
 * point at with a real `createCrmClient`, printing a line per step (or the report as JSON) and
 * `N passed, N failed`; exit 1 when a step failed (reference §5.2–§5.4).
 */
export async function runRun(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      settings: { type: 'string' },
      seed: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  })
  if (positionals.length !== 1)
    throw new UsageError(`run needs one scenario: ${SCENARIO_NAMES.join(', ')}`)
  const scenario = scenarioArg(positionals[0])
  const seed = seedFlag(values.seed)
  const settings = await readSettings(values.settings, io.cwd)
  const story = generateStory(scenario, { seed })
  // The CLI is a host: real time for timeouts and OAuth token expiry.
  const client = createCrmClient({
    settings,
    fetch: (input, init) => fetch(input, init),
    now: () => Date.now(),
  })
  const exchanges: CrmExchangeRecord[] = []
  const report = await runCrmFlow(planCrmFlow({ settings, story }), {
    send: (request) => client.send(request),
    onExchange: (record) => exchanges.push(record),
  })
  const warnings = lostFilterLines(settings, exchanges)
  if (values.json) {
    io.stdout(`${JSON.stringify(report, null, 2)}\n`)
    // stdout stays one JSON document: the safety advice goes to stderr.
    for (const line of warnings) io.stderr(`${line}\n`)
  } else {
    io.stdout(
      `${story.scenario} (seed ${story.seed}), session ${story.id}: account ${report.accountId ?? '-'}, record ${report.recordId ?? '-'}\n`,
    )
    for (const line of reportLines(report)) io.stdout(`${line}\n`)
    for (const line of warnings) io.stdout(`${line}\n`)
  }
  const failed = report.steps.filter((s) => s.outcome === 'failed').length
  const ok = report.steps.filter((s) => s.outcome === 'succeeded' || s.outcome === 'warning').length
  // With --json, stdout is the report alone (one JSON document); the summary goes to stderr.
  const summary = `${String(ok)} passed, ${String(failed)} failed\n`
  if (values.json) io.stderr(summary)
  else io.stdout(summary)
  return failed > 0 ? EXIT.failed : EXIT.ok
}
