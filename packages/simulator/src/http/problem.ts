import type { CheckIssue, Problem } from '@ccai-sim/schemas'
import type { Context } from 'hono'
import {
  PROBLEM_TITLES,
  SIMULATOR_ERROR_CODES,
  SimulatorError,
  type SimulatorErrorCode,
} from '../errors.js'

/** An `application/problem+json` response with a code from the closed list. */
export function problem(
  c: Context,
  code: SimulatorErrorCode,
  about: string | { readonly detail: string; readonly issues?: readonly CheckIssue[] },
): Response {
  const { detail, issues } =
    typeof about === 'string' ? { detail: about, issues: undefined } : about
  const status = SIMULATOR_ERROR_CODES[code]
  const body: Problem = {
    type: code,
    title: PROBLEM_TITLES[code],
    status,
    detail,
    instance: new URL(c.req.url).pathname,
    ...(issues && issues.length > 0 ? { issues: [...issues] } : {}),
  }
  return c.body(JSON.stringify(body), status as 400, { 'content-type': 'application/problem+json' })
}

/** Maps any thrown error to problem+json; unknown errors are `internal` and keep their message. */
export function problemFromError(c: Context, error: unknown): Response {
  if (error instanceof SimulatorError)
    return problem(c, error.code, { detail: error.detail, issues: error.issues })
  const message = error instanceof Error ? error.message : String(error)
  return problem(c, 'internal', message)
}
