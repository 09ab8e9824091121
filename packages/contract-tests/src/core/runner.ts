import type {
  ClauseDefinition,
  ClauseFailureDetail,
  ClauseResult,
  ClauseTools,
  Exchange,
  ClauseStatus,
  SuiteDefinition,
  SuiteResult,
  SuiteSummary,
} from './types.js'

/** Thrown by `check`/`fail`; the runner turns it into a failed clause. */
export class ClauseFailure extends Error {
  override readonly name = 'ClauseFailure'
  readonly detail: ClauseFailureDetail

  constructor(detail: ClauseFailureDetail) {
    super(detail.message)
    this.detail = detail
  }
}

class ClauseSkip extends Error {
  override readonly name = 'ClauseSkip'
}

class ClauseBlocked extends Error {
  override readonly name = 'ClauseBlocked'
  readonly by: string
  readonly detail: ClauseFailureDetail

  constructor(by: string, detail: ClauseFailureDetail) {
    super(detail.message)
    this.by = by
    this.detail = detail
  }
}

export interface RunSuiteOptions {
  /** Only clauses whose id matches (exact ids or a RegExp). */
  readonly only?: readonly string[] | RegExp
  /** Real time for durations; default `performance.now`. */
  readonly now?: () => number
  readonly onClause?: (result: ClauseResult) => void
}

function selected(id: string, only: RunSuiteOptions['only']): boolean {
  if (only === undefined) return true
  return only instanceof RegExp ? only.test(id) : only.includes(id)
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error)
}

/** Runs one clause; every outcome, thrown or not, becomes a result. */
export async function runClause<TContext>(
  clause: ClauseDefinition<TContext>,
  context: TContext,
  now: () => number = () => performance.now(),
): Promise<ClauseResult> {
  const exchanges: Exchange[] = []
  const started = now()
  const base = { id: clause.id, title: clause.title, rationale: clause.rationale }
  const preSkip = clause.skipIf?.(context)
  if (preSkip !== undefined)
    return { ...base, status: 'skipped', durationMs: 0, skipReason: preSkip, exchanges }
  const tools: ClauseTools = {
    record(exchange) {
      exchanges.push(exchange)
    },
    check(condition, failure): asserts condition {
      if (!condition) throw new ClauseFailure(failure)
    },
    fail(failure): never {
      throw new ClauseFailure(failure)
    },
    skip(reason): never {
      throw new ClauseSkip(reason)
    },
    block(by, failure): never {
      throw new ClauseBlocked(by, failure)
    },
  }
  try {
    await clause.run(context, tools)
    return { ...base, status: 'passed', durationMs: now() - started, exchanges }
  } catch (error) {
    const durationMs = now() - started
    if (error instanceof ClauseSkip)
      return { ...base, status: 'skipped', durationMs, skipReason: error.message, exchanges }
    if (error instanceof ClauseBlocked)
      return {
        ...base,
        status: 'blocked',
        durationMs,
        blockedBy: error.by,
        failure: error.detail,
        exchanges,
      }
    const failure: ClauseFailureDetail =
      error instanceof ClauseFailure
        ? error.detail
        : {
            message: `the clause could not complete: ${describeError(error)}`,
            expected: 'the clause to run to its end',
            actual: describeError(error),
          }
    const status = clause.severity === 'warning' ? 'warning' : 'failed'
    return { ...base, status, durationMs, failure, exchanges }
  }
}

/**
 * A blocked clause stays blocked only when its blocker failed in the same run (else nobody would
 * report the cause): otherwise it is a failure in its own right.
 */
export function settleBlocked(clauses: readonly ClauseResult[]): ClauseResult[] {
  const failed = new Set(clauses.filter((c) => c.status === 'failed').map((c) => c.id))
  return clauses.map((clause) => {
    if (clause.status !== 'blocked' || failed.has(clause.blockedBy ?? '')) return clause
    const { blockedBy: _by, ...rest } = clause
    return { ...rest, status: 'failed' }
  })
}

/** The counts of a suite's results. */
export function summarize(clauses: readonly ClauseResult[]): SuiteSummary {
  const count = (status: ClauseStatus): number => clauses.filter((c) => c.status === status).length
  return {
    passed: count('passed'),
    failed: count('failed'),
    skipped: count('skipped'),
    blocked: count('blocked'),
    warnings: count('warning'),
    total: clauses.length,
  }
}

/** Runs a suite's clauses one after another (each arranges its own state) and summarises. */
export async function runSuite<TContext>(
  suite: SuiteDefinition<TContext>,
  context: TContext,
  options: RunSuiteOptions & { readonly target: string; readonly seed?: number },
): Promise<SuiteResult> {
  const now = options.now ?? (() => performance.now())
  const started = now()
  const startedAt = new Date(Date.now()).toISOString()
  const ran: ClauseResult[] = []
  for (const clause of suite.clauses) {
    if (!selected(clause.id, options.only)) continue
    const result = await runClause(clause, context, now)
    ran.push(result)
    options.onClause?.(result)
  }
  const clauses = settleBlocked(ran)
  return {
    suite: suite.name,
    target: options.target,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    startedAt,
    durationMs: now() - started,
    clauses,
    summary: summarize(clauses),
  }
}
