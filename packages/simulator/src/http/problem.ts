import type { CheckIssue, Problem } from '@ccai-sim/schemas'
import type { Context } from 'hono'
import {
  PROBLEM_TITLES,
  SIMULATOR_ERROR_CODES,
  SimulatorError,
  type SimulatorErrorCode,
} from '../errors.js'

/** What a problem names: a detail, and the issues found when a check failed. */
export type ProblemAbout =
  string | { readonly detail: string; readonly issues?: readonly CheckIssue[] | undefined }

/** The problem+json body for a code from the closed list, about the request path `instance`. */
export function problemBody(
  code: SimulatorErrorCode,
  about: ProblemAbout,
  instance: string,
): Problem {
  const { detail, issues } =
    typeof about === 'string' ? { detail: about, issues: undefined } : about
  return {
    type: code,
    title: PROBLEM_TITLES[code],
    status: SIMULATOR_ERROR_CODES[code],
    detail,
    instance,
    ...(issues && issues.length > 0 ? { issues: [...issues] } : {}),
  }
}

/** An `application/problem+json` response with a code from the closed list. */
export function problem(c: Context, code: SimulatorErrorCode, about: ProblemAbout): Response {
  const body = problemBody(code, about, new URL(c.req.url).pathname)
  return c.body(JSON.stringify(body), body.status as 400, {
    'content-type': 'application/problem+json',
  })
}

/** Maps any thrown error to problem+json; unknown errors are `internal` and keep their message. */
export function problemFromError(c: Context, error: unknown): Response {
  if (error instanceof SimulatorError)
    return problem(c, error.code, { detail: error.detail, issues: error.issues })
  const message = error instanceof Error ? error.message : String(error)
  return problem(c, 'internal', message)
}
