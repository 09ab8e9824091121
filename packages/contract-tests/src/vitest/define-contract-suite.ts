import { describe, it } from 'vitest'
import { runClause } from '../core/runner.js'
import type { ClauseResult, SuiteDefinition, SuiteResult } from '../core/types.js'
import { clauseLabel, formatFailureText } from '../report/failure-text.js'

/** A failed contract clause, as a Vitest failure: message, rule, expected, actual, exchanges. */
export class ContractClauseError extends Error {
  override readonly name = 'ContractClauseError'
  readonly clause: ClauseResult

  constructor(clause: ClauseResult) {
    super(`${clauseLabel(clause)}\n${formatFailureText(clause)}`)
    this.clause = clause
    // The stack would point into the helper, not at anything the reader can act on.
    this.stack = `${this.name}: ${this.message}`
  }
}

/** Where {@link defineContractSuite} gets its clauses. */
export type ContractSuiteSource<TContext = unknown> =
  | {
      /**
       * Runs the whole suite once, while Vitest collects the file; one `it` per clause then reports
       * its result. Start what the suite needs inside `run` or at the file's top level (collection
       * happens before `beforeAll`).
       */
      readonly run: () => Promise<SuiteResult>
    }
  | {
      /** A suite definition: each clause runs inside its own `it`, after the file's hooks. */
      readonly definition: SuiteDefinition<TContext>
      /** Built once, on first use (so `beforeAll` hooks have run). */
      readonly context: () => TContext | Promise<TContext>
      /** Only these clause ids. */
      readonly only?: readonly string[]
    }

/**
 * Throws {@link ContractClauseError} when the clause failed (or, run alone, was blocked: its
 * blocker is not there to carry the failure). Warnings pass.
 */
function assertClause(result: ClauseResult): void {
  if (result.status === 'failed' || result.status === 'blocked')
    throw new ContractClauseError(result)
}

function registerResult(result: SuiteResult): void {
  for (const clause of result.clauses) {
    if (clause.status === 'skipped') {
      it.skip(`${clauseLabel(clause)} (skipped: ${clause.skipReason ?? 'no reason given'})`, () => {
        // Never runs: the clause was skipped by the suite.
      })
    } else if (clause.status === 'blocked') {
      // One cause, one failure: the blocker's own test fails; this one names it.
      it.skip(`${clauseLabel(clause)} (blocked by ${clause.blockedBy ?? '?'})`, () => {
        // Never runs: the clause could not arrange what it checks.
      })
    } else {
      it(clauseLabel(clause), () => {
        assertClause(clause)
      })
    }
  }
}

function registerDefinition<TContext>(
  source: Extract<ContractSuiteSource<TContext>, { definition: unknown }>,
): void {
  let context: Promise<TContext> | undefined
  const clauses = source.definition.clauses.filter(
    (clause) => source.only === undefined || source.only.includes(clause.id),
  )
  for (const clause of clauses) {
    it(clauseLabel(clause), async (test) => {
      context ??= Promise.resolve(source.context())
      const result = await runClause(clause, await context)
      if (result.status === 'skipped') test.skip(result.skipReason)
      assertClause(result)
    })
  }
}

/**
 * Registers a contract suite in the calling Vitest file: a `describe(name)` with one `it` per
 * clause, titled `CRM-001 title`. A failed clause fails its `it` with what was expected, what came
 * and the exact exchanges; a skipped clause is `it.skip` with the reason in its title.
 *
 * @example
 * defineContractSuite('our CRM', { run: () => runCrmSuite({ settings }) })
 */
export function defineContractSuite<TContext>(
  name: string,
  source: ContractSuiteSource<TContext>,
): void {
  if ('run' in source) {
    describe(name, async () => {
      let result: SuiteResult
      try {
        result = await source.run()
      } catch (error) {
        it('runs the suite', () => {
          throw error
        })
        return
      }
      registerResult(result)
    })
  } else {
    describe(name, () => {
      registerDefinition(source)
    })
  }
}
