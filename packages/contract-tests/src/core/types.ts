/**
 * The contract suites' model: a suite is a list of clauses, each with a stable id (`CRM-001`), a
 * one-line title, and a rationale citing the platform rule it checks. Running a suite gives a result
 * per clause with the exact exchanges (requests and responses) behind it.
 */

export type SuiteName = 'crm' | 'receiver' | 'storage' | 'page' | 'harmony-bridge'

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

/**
 * `blocked`: the clause could not arrange what it checks because another clause's behaviour failed
 * (one cause, reported once). `warning`: a warning-level clause did not hold (advice, never a failure).
 */
export type ClauseStatus = 'passed' | 'failed' | 'skipped' | 'blocked' | 'warning'

/** Something a suite created in the system it checked, listed so it can be found and removed. */
export interface CreatedObject {
  /** `account`, `record`, `comment`, `attachment`. */
  readonly kind: string
  /** The id the system gave it, when one was read. */
  readonly id?: string
  /** The clause that made it. */
  readonly clause: string
  /** How it was made: `POST http://crm/api/accounts`. */
  readonly via: string
  /** After `--cleanup`: `deleted`, or why it was left. */
  readonly cleanup?: string
}

export interface ClauseResult {
  readonly id: string
  readonly title: string
  readonly rationale: string
  readonly status: ClauseStatus
  readonly durationMs: number
  readonly skipReason?: string
  /** For `failed` and `blocked` clauses, and `warning` ones: what was expected and what came. */
  readonly failure?: ClauseFailureDetail
  /** For `blocked` clauses: the clause whose failure left nothing to check (`CRM-002`). */
  readonly blockedBy?: string
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
  readonly summary: SuiteSummary
  /** Every object the run created in the checked system (the CRM suite), and what cleanup did. */
  readonly created?: readonly CreatedObject[]
}

export interface SuiteSummary {
  readonly passed: number
  readonly failed: number
  readonly skipped: number
  readonly blocked: number
  readonly warnings: number
  readonly total: number
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
  /**
   * Stops the clause as blocked by clause `by` (whose behaviour it needed for its arrangement). The
   * runner reports it as failed instead when `by` did not fail in the same run.
   */
  block(by: string, failure: ClauseFailureDetail): never
}

export interface ClauseDefinition<TContext> {
  /** Stable across releases: `CRM-001`, `QM-004`, `STORAGE-002`. */
  readonly id: string
  readonly title: string
  /** Why: the platform rule, citing its document (`seed 000, Generic API: …`). */
  readonly rationale: string
  /** A reason to skip, decided before running (e.g. the settings do not configure uploads). */
  readonly skipIf?: (context: TContext) => string | undefined
  /** `warning`: the clause gives advice; when it does not hold its status is `warning`, not `failed`. */
  readonly severity?: 'error' | 'warning'
  readonly run: (context: TContext, tools: ClauseTools) => Promise<void>
}

export interface SuiteDefinition<TContext> {
  readonly name: SuiteName
  readonly clauses: readonly ClauseDefinition<TContext>[]
}
