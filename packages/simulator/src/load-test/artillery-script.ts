import type { CrmIntegrationSettings } from '@ccai-sim/schemas'
import type { LoadTestConfig } from './load-config.js'
import { CALL_READY_VAR } from './artillery-processor.js'

/*
 * The files of an exported Artillery load test (`ccai-sim export artillery`): one script per load
 * (the CRM's generic API, the webhook receiver), the processor module they share, and a package.json
 * naming what the processor imports (Artillery's cloud runners install from it).
 *
 * Decisions where the documents are silent:
 * - Arrivals are `arrivalCount` sessions spread evenly over the duration (`rate × duration`), so a
 *   run's session count is known in advance and fractional rates (`0.2/s`) work.
 * - Thresholds (Artillery's `ensure`): p99 under the settings' API Request Timeout (a slower answer
 *   is a timeout on the platform), p95 under half of it, and an error budget on `ccai.calls_failed` (names that are no prefix of one another: `ensure` substitutes them textually)
 *   (1 % by default); each can be set.
 * - The scripts' timeout is the settings' request timeout (webhooks: the simulator's delivery
 *   timeout): Artillery ends a session whose call gets no answer in time.
 */

export const PROCESSOR_FILE = 'ccai-sim-processor.mjs'
export const CRM_SCRIPT_FILE = 'ccai-crm-load.yml'
export const WEBHOOK_SCRIPT_FILE = 'ccai-webhooks-load.yml'

/** One file of an export, relative to the output folder. */
export interface ExportedFile {
  readonly path: string
  readonly content: string
}

export interface LoadThresholds {
  /** `http.response_time.p95` must stay under this (ms). */
  readonly p95Ms: number
  readonly p99Ms: number
  /** The share of calls allowed to fail (0–1). */
  readonly errorBudget: number
}

export interface ArtilleryExportOptions {
  readonly config: LoadTestConfig
  /** Sessions per second (may be fractional). */
  readonly rate: number
  readonly durationSeconds: number
  /** Per load; default from the timeouts (see the decisions above). */
  readonly thresholds?: Partial<LoadThresholds>
  /** The version of `@ccai-sim/simulator` the package.json asks for. */
  readonly simulatorVersion: string
  /** The command line that made it, for the files' headers. */
  readonly command: string
}

/** Default thresholds for a timeout: p99 under it, p95 under half of it, 1 % errors. */
export function defaultThresholds(timeoutMs: number): LoadThresholds {
  return { p95Ms: Math.round(timeoutMs / 2), p99Ms: timeoutMs, errorBudget: 0.01 }
}

/** A small YAML writer: block mappings and sequences, every scalar JSON-quoted (valid YAML 1.2). */
export function toYaml(value: unknown, indent = ''): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]'
    return value
      .map((item) => {
        const text = toYaml(item, `${indent}  `)
        return isBlock(item) ? `${indent}- ${text.trimStart()}` : `${indent}- ${text}`
      })
      .join('\n')
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined)
    if (entries.length === 0) return '{}'
    return entries
      .map(([key, item]) => {
        const name = /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key) ? key : JSON.stringify(key)
        return isBlock(item)
          ? `${indent}${name}:\n${toYaml(item, `${indent}  `)}`
          : `${indent}${name}: ${toYaml(item, `${indent}  `)}`
      })
      .join('\n')
  }
  return JSON.stringify(value ?? null)
}

function isBlock(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0
  return value !== null && typeof value === 'object' && Object.keys(value).length > 0
}

/** The origin of the CRM (Artillery wants a target; every call carries its full URL anyway). */
function crmOrigin(settings: CrmIntegrationSettings): string {
  const first = Object.values(settings.endpoints).find((e) => e != null)
  if (!first) return 'http://localhost'
  try {
    return new URL(first.url.replaceAll(/\{[^}]*\}/g, 'x')).origin
  } catch {
    return 'http://localhost'
  }
}

function scenario(name: string, start: string): Record<string, unknown> {
  return {
    name,
    beforeRequest: ['ccaiPrepareCall'],
    afterResponse: ['ccaiReadAnswer'],
    onError: ['ccaiOnError'],
    flow: [
      { function: start },
      {
        loop: [
          // The URL is replaced by `ccaiPrepareCall`; Artillery insists on one.
          { post: { url: '/', ifTrue: CALL_READY_VAR } },
          { function: 'ccaiAwaitCall' },
        ],
        whileTrue: 'ccaiMoreCalls',
      },
    ],
  }
}

function script(options: {
  readonly target: string
  readonly timeoutMs: number
  readonly thresholds: LoadThresholds
  readonly rate: number
  readonly durationSeconds: number
  readonly scenario: Record<string, unknown>
}): unknown {
  const { thresholds } = options
  return {
    config: {
      target: options.target,
      phases: [
        {
          name: 'sessions',
          duration: options.durationSeconds,
          arrivalCount: Math.max(1, Math.round(options.rate * options.durationSeconds)),
        },
      ],
      processor: `./${PROCESSOR_FILE}`,
      http: { timeout: options.timeoutMs / 1000 },
      plugins: { 'metrics-by-endpoint': { useOnlyRequestNames: true }, ensure: {} },
      ensure: {
        thresholds: [
          { 'http.response_time.p95': thresholds.p95Ms },
          { 'http.response_time.p99': thresholds.p99Ms },
        ],
        conditions: [
          {
            expression: `ccai.calls_failed <= ${String(thresholds.errorBudget)} * ccai.calls_sent`,
          },
        ],
      },
    },
    scenarios: [options.scenario],
  }
}

function header(command: string, lines: readonly string[]): string {
  return [`# Generated by ${command}`, ...lines.map((l) => `# ${l}`), ''].join('\n')
}

/** The processor module: the configuration inline, the hooks from `@ccai-sim/simulator/load-test`. */
export function processorModule(config: LoadTestConfig, command: string): string {
  return `// Generated by ${command}
// Artillery loads this module in each of its workers. It needs @ccai-sim/simulator (and through it
// @ccai-sim/fixtures and @ccai-sim/schemas) resolvable from this folder: \`npm install\` here (see
// package.json). Every request is built by the simulator's own flow engine and request builder.
import { createArtilleryProcessor } from '@ccai-sim/simulator/load-test'

const config = ${JSON.stringify(config, null, 2)}

export const {
  ccaiStartCrmSession,
  ccaiStartWebhookSession,
  ccaiAwaitCall,
  ccaiMoreCalls,
  ccaiPrepareCall,
  ccaiReadAnswer,
  ccaiOnError,
} = createArtilleryProcessor(config, {
  // Ids never collide across runners: give each runner its own id, e.g. CCAI_SIM_RUNNER_ID=eu-1.
  runnerId: process.env.CCAI_SIM_RUNNER_ID,
  // Artillery's cloud worker id and local worker thread, so parallel workers differ too.
  cloudWorker: process.env.WORKER_ID,
  localWorker: process.env.LOCAL_WORKER_ID,
})
`
}

/**
 * The files of an Artillery export: `ccai-crm-load.yml` (with CRM settings),
 * `ccai-webhooks-load.yml` (with a receiver), `ccai-sim-processor.mjs`, `package.json`.
 */
export function artilleryFiles(options: ArtilleryExportOptions): ExportedFile[] {
  const { config } = options
  const files: ExportedFile[] = []
  const arrivals = Math.max(1, Math.round(options.rate * options.durationSeconds))
  const about = [
    `${String(arrivals)} sessions over ${String(options.durationSeconds)} s (${String(options.rate)}/s), pace ${String(config.timeScale)}, runner ${config.runnerId}, seed ${String(config.seed)}.`,
    'Run: npx artillery run <this file>   (see README "Load-test your CRM")',
  ]
  if (config.crm) {
    const timeoutMs = config.crm.settings.request_timeout * 1000
    const thresholds = { ...defaultThresholds(timeoutMs), ...options.thresholds }
    files.push({
      path: CRM_SCRIPT_FILE,
      content: `${header(options.command, [
        'The platform generic-API calls to your CRM, one virtual user per session.',
        ...about,
      ])}${toYaml(
        script({
          target: crmOrigin(config.crm.settings),
          timeoutMs,
          thresholds,
          rate: options.rate,
          durationSeconds: options.durationSeconds,
          scenario: scenario('crm-generic-api', 'ccaiStartCrmSession'),
        }),
      )}\n`,
    })
  }
  if (config.webhooks) {
    const timeoutMs = config.webhooks.timeoutMs
    const thresholds = { ...defaultThresholds(timeoutMs), ...options.thresholds }
    files.push({
      path: WEBHOOK_SCRIPT_FILE,
      content: `${header(options.command, [
        `The platform ${config.webhooks.surfaces.join(' and ')} webhooks to your receiver, one virtual user per session.`,
        ...about,
      ])}${toYaml(
        script({
          target: new URL(config.webhooks.url).origin,
          timeoutMs,
          thresholds,
          rate: options.rate,
          durationSeconds: options.durationSeconds,
          scenario: scenario('webhooks', 'ccaiStartWebhookSession'),
        }),
      )}\n`,
    })
  }
  files.push({ path: PROCESSOR_FILE, content: processorModule(config, options.command) })
  files.push({
    path: 'package.json',
    content: `${JSON.stringify(
      {
        name: 'ccai-sim-load-test',
        private: true,
        type: 'module',
        description: `Generated by ${options.command}`,
        dependencies: { '@ccai-sim/simulator': options.simulatorVersion },
        devDependencies: { artillery: '^2.0.0' },
      },
      null,
      2,
    )}\n`,
  })
  return files
}
