import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { DEFAULT_SCENARIO_MIX, SCENARIO_NAMES } from '@ccai-sim/fixtures'
import type { CrmIntegrationSettings } from '@ccai-sim/schemas'
import { parseConfig } from '../config.js'
import { DEFAULT_CRM_RETRY_POLICY, type CrmRetryPolicy } from '../crm/flow-engine.js'
import {
  artilleryFiles,
  type ExportedFile,
  type LoadThresholds,
} from '../load-test/artillery-script.js'
import { k6ScriptFiles } from '../load-test/k6-script.js'
import { parseLoadTestConfig, type LoadTestConfig } from '../load-test/load-config.js'
import type { TimeScale } from '../load-test/session-driver.js'
import { SimulatorError } from '../errors.js'
import { readSettings } from './crm-command.js'
import { EXIT, UsageError, writeFilesInto, type CliIo, type ExitCode } from './io.js'

/** `ccai-sim export` help (issue 17). */
export const EXPORT_USAGE = `Usage: ccai-sim export artillery|k6 --rate <n[/s|/min|/h]> (--settings <crm.json> | --receiver <url>) [options]

Writes a load test that replays the platform's traffic at scale: one virtual user per seeded session,
every request built by the simulator's own flow engine and request builder. With --settings, the
generic-API calls to your CRM (find/create account and record, comments, uploads, update, with the
documented retry rules); with --receiver, the sessions' QM and adapter webhooks.
  artillery                 ccai-crm-load.yml / ccai-webhooks-load.yml, ccai-sim-processor.mjs, package.json
  k6                        ccai-crm-load.k6.js / ccai-webhooks-load.k6.js (sessions planned at export)
  --settings <file>         the integration settings (checked strictly against crm.settings)
  --receiver <url>          the webhook receiver's URL
  --surfaces <list>         webhooks to send: qm,adapter (default both)
  --receiver-header <k=v>   a header for the receiver (repeatable), e.g. an API key
  --scenario-mix <mix>      default, or name=weight,… (scenarios: ${SCENARIO_NAMES.join(', ')}); default: the contact-centre mix
  --rate <n>                sessions per second; n/min and n/h also accepted (required)
  --duration <seconds>      how long sessions arrive (default 600)
  --runner-id <id>          tells runners apart: sessions and ids never collide across runner ids (default r1)
  --seed <n>                seed of the sessions (default 1)
  --time-scale <n|max>      virtual seconds per real second between a session's steps (default 1:
                            as on the platform; max: back to back)
  --p95 <ms> --p99 <ms>     response-time thresholds (default: half the request timeout, the timeout)
  --error-budget <share>    share of calls allowed to fail, 0 to 1 (default 0.01)
  --out <dir>               where to write (default: the current folder)
Exit codes: 0 written, 2 bad usage or settings.`

const SIMULATOR_VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string
  }
).version

const RATE_UNITS: Readonly<Record<string, number>> = {
  '': 1,
  '/s': 1,
  '/min': 1 / 60,
  '/h': 1 / 3600,
}

/** `2`, `0.5/s`, `120/min`, `3600/h` → sessions per second. */
export function parseRate(value: string | undefined): number {
  if (value === undefined)
    throw new UsageError(
      '--rate: expected sessions per second (e.g. 2, 120/min, 3600/h), got nothing',
    )
  const match = /^(\d+(?:\.\d+)?)(\/s|\/min|\/h)?$/.exec(value.trim())
  const unit = RATE_UNITS[match?.[2] ?? '']
  const amount = Number(match?.[1])
  if (!match || unit === undefined || !(amount > 0)) {
    throw new UsageError(
      `--rate: expected a positive number of sessions per second (2, 0.5/s, 120/min, 3600/h), received "${value}"`,
    )
  }
  return amount * unit
}

/** `inbound-ivr-call=3,outbound-call=1` → weights; names are checked. */
export function parseMix(value: string | undefined): Record<string, number> {
  if (value === undefined || value === 'default') return { ...DEFAULT_SCENARIO_MIX }
  const mix: Record<string, number> = {}
  for (const part of value.split(',')) {
    const [name = '', weightText = '1'] = part.trim().split('=')
    const weight = Number(weightText)
    if (!SCENARIO_NAMES.includes(name)) {
      throw new UsageError(
        `--scenario-mix: expected default, or scenario names (${SCENARIO_NAMES.join(', ')}) with optional =weight, received "${name}"`,
      )
    }
    if (!Number.isFinite(weight) || weight < 0) {
      throw new UsageError(
        `--scenario-mix: expected a non-negative weight for ${name}, received "${weightText}"`,
      )
    }
    mix[name] = weight
  }
  if (!Object.values(mix).some((w) => w > 0))
    throw new UsageError(
      `--scenario-mix: expected at least one positive weight, received "${value}"`,
    )
  return mix
}

function positiveNumber(flag: string, value: string | undefined, what: string): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0)
    throw new UsageError(`${flag}: expected ${what}, received "${value}"`)
  return n
}

function timeScaleFlag(value: string | undefined): TimeScale {
  if (value === undefined) return 1
  if (value === 'max') return 'max'
  return positiveNumber('--time-scale', value, 'a positive number or max') ?? 1
}

function seedFlag(value: string | undefined): number {
  if (value === undefined) return 1
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value)))
    throw new UsageError(`--seed: expected a non-negative integer, received "${value}"`)
  return Number(value)
}

function headersFlag(values: readonly string[] | undefined): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const text of values ?? []) {
    const at = text.indexOf('=')
    if (at <= 0) throw new UsageError(`--receiver-header: expected name=value, received "${text}"`)
    headers[text.slice(0, at).trim()] = text.slice(at + 1)
  }
  return headers
}

function surfacesFlag(value: string | undefined): ('qm' | 'adapter')[] {
  if (value === undefined) return ['qm', 'adapter']
  const list = value.split(',').map((s) => s.trim())
  const surfaces: ('qm' | 'adapter')[] = []
  for (const s of list) {
    if (s !== 'qm' && s !== 'adapter')
      throw new UsageError(`--surfaces: expected qm and/or adapter, received "${s}"`)
    if (!surfaces.includes(s)) surfaces.push(s)
  }
  return surfaces
}

function receiverFlag(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  try {
    const url = new URL(value)
    if (url.protocol === 'http:' || url.protocol === 'https:') return value
  } catch {
    // reported below
  }
  throw new UsageError(`--receiver: expected an http(s) URL, received "${value}"`)
}

/**
 * The retry policy of a load test: the documented one, except that nothing waits past the run
 * (the 400 schedule and the 429 back-fill give up after `duration × timeScale` virtual time; with
 * `max` pacing after the documented week), so every session ends.
 */
export function loadTestRetryPolicy(durationSeconds: number, timeScale: TimeScale): CrmRetryPolicy {
  const documented = DEFAULT_CRM_RETRY_POLICY
  const cap = timeScale === 'max' ? documented.giveUpAfterMs : durationSeconds * 1000 * timeScale
  return {
    ...documented,
    statuses: [...documented.statuses],
    giveUpAfterMs: Math.min(documented.giveUpAfterMs, cap),
    rateLimited: { ...documented.rateLimited, giveUpAfterMs: cap },
  }
}

/**
 * `ccai-sim export artillery|k6`: writes a load test of the CRM's generic API (`--settings`) and/or
 * a webhook receiver (`--receiver`) to `--out` and prints the files and how to run them.
 */
export async function runExport(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      settings: { type: 'string' },
      receiver: { type: 'string' },
      surfaces: { type: 'string' },
      'receiver-header': { type: 'string', multiple: true },
      'scenario-mix': { type: 'string' },
      rate: { type: 'string' },
      duration: { type: 'string' },
      'runner-id': { type: 'string' },
      seed: { type: 'string' },
      'time-scale': { type: 'string' },
      p95: { type: 'string' },
      p99: { type: 'string' },
      'error-budget': { type: 'string' },
      out: { type: 'string' },
    },
  })
  const [tool, ...rest] = positionals
  if (tool !== 'artillery' && tool !== 'k6')
    throw new UsageError(`expected artillery or k6, received "${tool ?? ''}"`)
  if (rest.length > 0) throw new UsageError(`unexpected arguments "${rest.join(' ')}"`)
  const receiver = receiverFlag(values.receiver)
  if (values.settings === undefined && receiver === undefined)
    throw new UsageError(
      'expected --settings <crm.json> (load your CRM) and/or --receiver <url> (load your webhook receiver), got neither',
    )
  const rate = parseRate(values.rate)
  const durationSeconds =
    positiveNumber('--duration', values.duration, 'a positive number of seconds') ?? 600
  const runnerId = values['runner-id'] ?? 'r1'
  if (runnerId.trim() === '')
    throw new UsageError('--runner-id: expected a non-empty id, received ""')
  const timeScale = timeScaleFlag(values['time-scale'])
  const budget = values['error-budget'] === undefined ? undefined : Number(values['error-budget'])
  if (budget !== undefined && (!Number.isFinite(budget) || budget < 0 || budget > 1))
    throw new UsageError(
      `--error-budget: expected a share from 0 to 1, received "${values['error-budget'] ?? ''}"`,
    )
  const p95 = positiveNumber('--p95', values.p95, 'milliseconds')
  const p99 = positiveNumber('--p99', values.p99, 'milliseconds')
  const thresholds: Partial<LoadThresholds> = {
    ...(p95 === undefined ? {} : { p95Ms: p95 }),
    ...(p99 === undefined ? {} : { p99Ms: p99 }),
    ...(budget === undefined ? {} : { errorBudget: budget }),
  }
  const settings: CrmIntegrationSettings | undefined =
    values.settings === undefined ? undefined : await readSettings(values.settings, io.cwd)
  const webhookRetry = parseConfig({}).webhooks.retry
  const config: LoadTestConfig = parseLoadTestConfig({
    version: 1,
    seed: seedFlag(values.seed),
    runnerId,
    mix: parseMix(values['scenario-mix']),
    timeScale,
    ...(settings === undefined
      ? {}
      : { crm: { settings, retry: loadTestRetryPolicy(durationSeconds, timeScale) } }),
    ...(receiver === undefined
      ? {}
      : {
          webhooks: {
            url: receiver,
            headers: headersFlag(values['receiver-header']),
            surfaces: surfacesFlag(values.surfaces),
            retry: {
              initialDelayMs: webhookRetry.initialDelayMs,
              maxDelayMs: webhookRetry.maxDelayMs,
              giveUpAfterMs: webhookRetry.giveUpAfterMs,
            },
            timeoutMs: webhookRetry.timeoutMs,
          },
        }),
  })
  const command = `ccai-sim export ${args.join(' ')}`
  const options = {
    config,
    rate,
    durationSeconds,
    thresholds,
    simulatorVersion: SIMULATOR_VERSION,
    command,
  }
  let files: ExportedFile[]
  try {
    files = tool === 'artillery' ? artilleryFiles(options) : await k6ScriptFiles(options)
  } catch (error) {
    // Settings the chosen tool cannot replay (k6 and OAuth 2.0) are bad usage, not a crash.
    if (error instanceof SimulatorError) throw new UsageError(error.message)
    throw error
  }
  const out = resolve(io.cwd, values.out ?? '.')
  await writeFilesInto({ flag: '--out', given: values.out ?? '.', dir: out }, files)
  io.stdout(`Wrote ${files.map((f) => join(out, f.path)).join(', ')}\n`)
  const scripts = files.filter((f) => f.path.endsWith('.yml') || f.path.endsWith('.k6.js'))
  if (tool === 'artillery') {
    io.stdout(
      `Run it: cd ${out} && npm install && ${scripts.map((s) => `npx artillery run ${s.path}`).join(' ; ')}\n`,
    )
  } else {
    io.stdout(`Run it: ${scripts.map((s) => `k6 run ${join(out, s.path)}`).join(' ; ')}\n`)
  }
  return EXIT.ok
}
