import type { CrmIntegrationSettings } from '@ccai-sim/schemas'
import type { ClauseResult, SuiteResult } from '../core/types.js'

/** Exit codes of `ccai-contract`: every clause passed, a clause failed, bad usage or configuration. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const
/** One of {@link EXIT}'s values. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT]

/** What the CLI hands the CRM suite. */
export interface CrmRunOptions {
  readonly settings: CrmIntegrationSettings
  readonly baseUrl?: string
  readonly seed?: number
  readonly only?: readonly string[]
  /** DELETE what the settings make deletable after the run (`--cleanup`). */
  readonly cleanup?: boolean
  /** Called after each clause (the CLI's progress line). */
  readonly onClause?: (result: ClauseResult) => void
}

/** What the CLI hands a receiver suite. */
export interface ReceiverRunOptions {
  readonly url: string
  readonly kind: 'qm' | 'adapter'
  readonly headers: Readonly<Record<string, string>>
  readonly seed?: number
  /** Called after each clause (the CLI's progress line). */
  readonly onClause?: (result: ClauseResult) => void
}

/** What the CLI hands the CRM page suite. */
export interface PageRunOptions {
  readonly url: string
  readonly adapterOrigin: string
  readonly recordPrefix?: string
  readonly seed?: number
  readonly timeoutMs?: number
}

/** What the CLI hands the storage suite. */
export interface StorageRunOptions {
  readonly dir: string
  /** Called after each clause (the CLI's progress line). */
  readonly onClause?: (result: ClauseResult) => void
}

/** What the CLI hands the Harmony Processor Bridge plug-in suite. */
export interface HarmonyBridgeRunOptions {
  readonly host: string
  readonly port: number
  readonly channelGroup?: string
  readonly dialDestination?: string
  readonly timeoutMs?: number
  readonly only?: readonly string[]
  /** Called after each clause (the CLI's progress line). */
  readonly onClause?: (result: ClauseResult) => void
}

/** The suites the CLI runs; tests may replace any of them. */
export interface SuiteRunners {
  readonly crm: (options: CrmRunOptions) => Promise<SuiteResult>
  readonly receiver: (options: ReceiverRunOptions) => Promise<SuiteResult>
  readonly storage: (options: StorageRunOptions) => Promise<SuiteResult>
  readonly page: (options: PageRunOptions) => Promise<SuiteResult>
  readonly harmonyBridge: (options: HarmonyBridgeRunOptions) => Promise<SuiteResult>
}

/** What `ccai-contract` may touch; tests pass their own. */
export interface ContractCliIo {
  /** Relative paths (`--settings`, `--output`, the storage folder) resolve against it. */
  readonly cwd: string
  readonly stdout: (text: string) => void
  readonly stderr: (text: string) => void
  /** ANSI colours in the console report; default `false`. */
  readonly color?: boolean
  /** Whether stdout is a terminal: suites then draw a progress line on stderr. Default false. */
  readonly stdoutIsTerminal?: boolean
  /** Replaces the real suites (tests). */
  readonly runners?: Partial<SuiteRunners>
}

/** Bad usage or configuration: the CLI prints it (with the command's usage) and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
  /** Whether to print the command's usage after the message (not for configuration errors). */
  readonly showUsage: boolean

  constructor(message: string, options: { readonly showUsage?: boolean } = {}) {
    super(message)
    this.showUsage = options.showUsage ?? true
  }
}
