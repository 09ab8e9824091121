import type { CheckIssue } from '@ccai-sim/schemas'

/**
 * The closed list of error codes of the simulator. Over HTTP each is a problem+json `type` with a
 * fixed status; in the library each is the `code` of a `SimulatorError`.
 */
export const SIMULATOR_ERROR_CODES = {
  invalid_request: 422,
  invalid_config: 500,
  not_found: 404,
  unknown_scenario: 422,
  unknown_session: 404,
  method_not_allowed: 405,
  conflict: 409,
  /** An agent or customer command that does not fit the session or the agent now. */
  invalid_command: 409,
  clock_not_manual: 409,
  unauthorized: 401,
  upgrade_required: 426,
  payload_too_large: 413,
  body_too_deep: 422,
  /** Not HTTP the server can parse (an unknown method token, a malformed header): no route saw it. */
  bad_request: 400,
  internal: 500,
} as const satisfies Record<string, number>

export type SimulatorErrorCode = keyof typeof SIMULATOR_ERROR_CODES

export class SimulatorError extends Error {
  override readonly name = 'SimulatorError'
  readonly code: SimulatorErrorCode
  readonly issues: readonly CheckIssue[]

  constructor(
    code: SimulatorErrorCode,
    message: string,
    options?: { cause?: unknown; issues?: readonly CheckIssue[] },
  ) {
    super(
      `[simulator] ${message}`,
      options?.cause === undefined ? undefined : { cause: options.cause },
    )
    this.code = code
    this.issues = options?.issues ?? []
  }

  /** The message without the library prefix, for problem+json `detail`. */
  get detail(): string {
    return this.message.replace(/^\[simulator\] /, '')
  }
}

export const PROBLEM_TITLES: Record<SimulatorErrorCode, string> = {
  invalid_request: 'The request does not match its schema',
  invalid_config: 'The simulator configuration is invalid',
  not_found: 'Not found',
  unknown_scenario: 'No such scenario',
  unknown_session: 'No such session',
  method_not_allowed: 'Method not allowed',
  conflict: 'Conflict',
  invalid_command: 'The command does not fit the session or agent now',
  clock_not_manual: 'The clock is not in manual mode',
  unauthorized: 'Unauthorized',
  upgrade_required: 'Upgrade required',
  payload_too_large: 'The request body is too large',
  body_too_deep: 'The request body is nested too deep',
  bad_request: 'The request is not HTTP the server can parse',
  internal: 'Internal error',
}
