import {
  CATALOG,
  checkContract,
  checkPayload,
  getContract,
  ProblemSchema,
  type CheckResult,
  type Problem,
} from '@ccai-sim/schemas'
import { describe, expect, expectTypeOf, it } from 'vitest'

describe('@ccai-sim/schemas from another package', () => {
  it('exposes schemas, inferred types and the catalog through the package entry', () => {
    const problem: Problem = { type: 'not_found', title: 'Not found', status: 404 }
    const result: CheckResult = checkPayload(ProblemSchema, problem, { mode: 'strict' })
    expect(result.ok).toBe(true)
    expectTypeOf(ProblemSchema.parse(problem)).toEqualTypeOf<Problem>()
    expect(CATALOG.length).toBeGreaterThan(0)
    expect(
      checkContract(getContract('common.problem'), { ...problem, status: 'x' }).issues[0]?.path,
    ).toBe('status')
  })
})
