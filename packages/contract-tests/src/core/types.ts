/**
 * The contract suites' model: a suite is a list of clauses, each with a stable id (`CRM-001`), a
 * one-line title, and a rationale citing the platform rule it checks. Running a suite gives a result
 * per clause with the exact exchanges (requests and responses) behind it.
 */

export type SuiteName = 'crm' | 'receiver' | 'storage'

/** One HTTP exchange (or one file read) as the report shows it. */
export interface Exchange {
  readonly request: {
    readonly method: string
    readonly url: string
    readonly headers: Readonly<Record<string, string>>
    /** Text bodies as sent; binary bodies summarised (`<multipart: 2 parts, 1.2 KB>`). */
    readonly body?: string
  }
  readonly response?: {
    readonly status: number
    readonly headers: Readonly<Record<string, string>>
    /** Truncated to a few KB for the report. */
    readonly body: string
  }
  /** `timeout after 5000ms`, `connection refused`, … when nothing came back. */
  readonly error?: string
  readonly durationMs: number
}

export interface ClauseFailureDetail {
  readonly message: string
  readonly expected: string
  readonly actual: string
}

export interface ClauseResult {
  readonly id: string
  readonly title: string
  readonly rationale: string
  readonly status: 'passed' | 'failed' | 'skipped'
  readonly durationMs: number
  readonly skipReason?: string
  readonly failure?: ClauseFailureDetail
  readonly exchanges: readonly Exchange[]
}

export interface SuiteResult {
  readonly suite: SuiteName
  /** What was checked: a URL, a folder. */
  readonly target: string
  /** The seed of the generated data, when the suite generates any: rerun with it to reproduce. */
  readonly seed?: number
  readonly startedAt: string
  readonly durationMs: number
  readonly clauses: readonly ClauseResult[]
  readonly summary: {
    readonly passed: number
    readonly failed: number
    readonly skipped: number
    readonly total: number
  }
}

/** What a clause gets to work with: record exchanges, fail with expected/actual, skip with a reason. */
export interface ClauseTools {
  /** Adds an exchange to this clause's report (suites' HTTP helpers call it for every request). */
  record(exchange: Exchange): void
  /** Fails the clause unless `condition` holds. */
  check(condition: boolean, failure: ClauseFailureDetail): asserts condition
  /** Fails the clause now. */
  fail(failure: ClauseFailureDetail): never
  /** Skips the clause now (an area the target does not configure). */
  skip(reason: string): never
}

export interface ClauseDefinition<TContext> {
  /** Stable across releases: `CRM-001`, `QM-004`, `STORAGE-002`. */
  readonly id: string
  readonly title: string
  /** Why: the platform rule, citing its document (`seed 000, Generic API: …`). */
  readonly rationale: string
  /** A reason to skip, decided before running (e.g. the settings do not configure uploads). */
  readonly skipIf?: (context: TContext) => string | undefined
  readonly run: (context: TContext, tools: ClauseTools) => Promise<void>
}

export interface SuiteDefinition<TContext> {
  readonly name: SuiteName
  readonly clauses: readonly ClauseDefinition<TContext>[]
}
