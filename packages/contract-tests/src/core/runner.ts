import type {
  ClauseDefinition,
  ClauseFailureDetail,
  ClauseResult,
  ClauseTools,
  Exchange,
  SuiteDefinition,
  SuiteResult,
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
  }
  try {
    await clause.run(context, tools)
    return { ...base, status: 'passed', durationMs: now() - started, exchanges }
  } catch (error) {
    const durationMs = now() - started
    if (error instanceof ClauseSkip)
      return { ...base, status: 'skipped', durationMs, skipReason: error.message, exchanges }
    const failure: ClauseFailureDetail =
      error instanceof ClauseFailure
        ? error.detail
        : {
            message: `the clause could not complete: ${describeError(error)}`,
            expected: 'the clause to run to its end',
            actual: describeError(error),
          }
    return { ...base, status: 'failed', durationMs, failure, exchanges }
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
  const clauses: ClauseResult[] = []
  for (const clause of suite.clauses) {
    if (!selected(clause.id, options.only)) continue
    const result = await runClause(clause, context, now)
    clauses.push(result)
    options.onClause?.(result)
  }
  const count = (status: ClauseResult['status']): number =>
    clauses.filter((c) => c.status === status).length
  return {
    suite: suite.name,
    target: options.target,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    startedAt,
    durationMs: now() - started,
    clauses,
    summary: {
      passed: count('passed'),
      failed: count('failed'),
      skipped: count('skipped'),
      total: clauses.length,
    },
  }
}
