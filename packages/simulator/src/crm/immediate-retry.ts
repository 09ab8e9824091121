import type { CrmExchange } from './types.js'

/*
 * The error-handling page's first retry rule: "When an endpoint returns a non-success response
 * (non-2xx) or does not respond, the platform may retry the request: once, immediately, for some
 * statuses; …" (https://docs.cloud.google.com/contact-center/ccai-platform/docs/custom-crm-generic-api-error-handling,
 * "Error handling: overview"; reference §5.4). The stored page is cut off after that sentence, so
 * which statuses are "some" is ours to decide (README, "Known gaps in the platform docs"):
 *
 * - Immediately retried once: no response (a timeout, a reset or refused connection) and the
 *   statuses of a CRM or a gateway that failed for the moment (408, 500, 502, 503, 504). Statuses that
 *   say the request itself is wrong (400, 401, 403, 404, 409, 422 …) are not: the same request a few
 *   milliseconds later gets the same answer. 400 keeps its documented schedule (seed 000).
 * - "Immediately" is the same virtual instant; the retry is journaled as attempt 2 of the step.
 * - A step gets at most one immediate retry; if that one fails too, the scheduled rule (`statuses`)
 *   or the rate-limit rule (429) applies to its answer, else the step fails.
 * - An OAuth token request that failed (`oauth: …`) is not "no response" from the endpoint (it
 *   was never called): not retried at once; the client already refreshes and retries a 401 once.
 */

/** The immediate single retry, as settings (`crm.retry.immediate`). */
export interface CrmImmediateRetry {
  /** Statuses retried once at once. 429 is never among them (it waits: `rateLimited`). */
  readonly statuses: readonly number[]
  /** Whether a request that got no response (timeout, connection failure) is retried once at once. */
  readonly noResponse: boolean
}

/** The default: no response, 408 and the transient 5xx statuses (the page names none; see above). */
export const DEFAULT_CRM_IMMEDIATE_RETRY: CrmImmediateRetry = {
  statuses: [408, 500, 502, 503, 504],
  noResponse: true,
}

/** Whether an exchange got no answer from the endpoint (not an OAuth failure before it). */
export function gotNoResponse(exchange: CrmExchange): boolean {
  return exchange.response === undefined && !(exchange.error ?? '').startsWith('oauth:')
}

/**
 * Whether a failed exchange is retried at once under `rule` (the caller makes sure it happens once
 * per step, and handles 2xx, 429 and a find's 404 before asking).
 *
 * @example
 * retriesAtOnce(DEFAULT_CRM_IMMEDIATE_RETRY, { request, sentHeaders: {}, error: 'connection reset' }) // true
 */
export function retriesAtOnce(rule: CrmImmediateRetry, exchange: CrmExchange): boolean {
  const status = exchange.response?.status
  if (status === undefined) return rule.noResponse && gotNoResponse(exchange)
  return status !== 429 && rule.statuses.includes(status)
}
