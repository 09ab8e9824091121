import { expect } from 'vitest'
import type { ClauseStatus, SuiteResult } from '../core/types.js'

/** The ids of the clauses with `status`, in the suite's order. */
export function idsWith(result: SuiteResult, status: ClauseStatus): string[] {
  return result.clauses.filter((c) => c.status === status).map((c) => c.id)
}

/** The failed clauses, as `id → message | actual`: an assertion on it shows why. */
export function failures(result: SuiteResult): Record<string, string> {
  return Object.fromEntries(
    result.clauses.flatMap((c) =>
      c.status === 'failed' && c.failure
        ? [[c.id, `${c.failure.message} | ${c.failure.actual}`]]
        : [],
    ),
  )
}

/**
 * A one-fault target's result: exactly `expectedFailure` failed (saying what it saw), exactly
 * `expectedBlocked` were blocked by it, and every other clause of `allIds` passed.
 */
export function expectOnlyFailure(
  result: SuiteResult,
  broken: { readonly expectedFailure: string; readonly expectedBlocked?: readonly string[] },
  allIds: readonly string[],
): void {
  expect(Object.keys(failures(result))).toEqual([broken.expectedFailure])
  expect(idsWith(result, 'blocked')).toEqual(broken.expectedBlocked ?? [])
  const other = new Set([broken.expectedFailure, ...(broken.expectedBlocked ?? [])])
  expect(idsWith(result, 'passed')).toEqual(allIds.filter((id) => !other.has(id)))
  const clause = result.clauses.find((c) => c.id === broken.expectedFailure)
  expect(clause?.failure?.actual).not.toBe('')
}
