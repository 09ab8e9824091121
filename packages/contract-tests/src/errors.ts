/** The codes of {@link ContractTestsError}. */
export const CONTRACT_TESTS_ERROR_CODES = ['invalid_options'] as const
/** One of {@link CONTRACT_TESTS_ERROR_CODES}. */
export type ContractTestsErrorCode = (typeof CONTRACT_TESTS_ERROR_CODES)[number]

/**
 * The package's error: a suite cannot start because its options are wrong (settings that do not pass
 * their contract, a seed that is not an integer). Clause failures are results, never thrown.
 */
export class ContractTestsError extends Error {
  override readonly name = 'ContractTestsError'
  readonly code: ContractTestsErrorCode

  constructor(code: ContractTestsErrorCode, message: string) {
    super(`[contract-tests] ${message}`)
    this.code = code
  }
}
