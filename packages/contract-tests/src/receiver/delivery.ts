import type { ClauseTools, Exchange } from '../core/types.js'

/*
 * One webhook delivery, sent exactly as the simulator's webhook dispatcher sends it
 * (`packages/simulator/src/delivery/webhook-dispatcher.ts`): a POST with the JSON body, the
 * receiver's configured headers, then the protocol headers, which win over configured ones
 * (`content-type`, `idempotency-key`, `x-ccai-contract`, `x-ccai-session-id`, `x-ccai-attempt`),
 * no redirects followed, and only a 2xx status counts as an acknowledgement.
 */

/** What a receiver suite is pointed at. */
export interface ReceiverSuiteContext {
  /** The receiver's URL: every delivery is POSTed here. */
  readonly url: string
  /** Default: the global `fetch`. */
  readonly fetch?: typeof fetch
  /** Sent with every delivery (an API key the receiver checks); the protocol headers win. */
  readonly headers?: Readonly<Record<string, string>>
  /** Seeds the generated sessions and payloads; default 1 (the simulator's default seed). */
  readonly seed?: number
  /** Per-delivery deadline for the acknowledgement; default 5000 ms (the simulator's default). */
  readonly timeoutMs?: number
}

/** One payload to deliver, with the identity the dispatcher's headers carry. */
export interface WebhookDelivery {
  /** What the report calls it: `ChatState "waiting" (web-chat-va-escalation, seed 1)`. */
  readonly label: string
  /** The catalog contract id, sent as `x-ccai-contract`. */
  readonly contract: string
  readonly sessionId: number
  /** `<sessionId>:<surface>:<ordinal>`, sent as `idempotency-key`. */
  readonly key: string
  readonly payload: unknown
  /** Sent as `x-ccai-attempt`; default 1. */
  readonly attempt?: number
}

export type DeliveryOutcome =
  | { readonly acknowledged: true; readonly status: number }
  | { readonly acknowledged: false; readonly status?: number; readonly error?: string }

/** The dispatcher's default per-attempt timeout. */
export const DEFAULT_RECEIVER_TIMEOUT_MS = 5_000
const MAX_REPORTED_BODY = 4_096

function truncate(text: string): string {
  return text.length <= MAX_REPORTED_BODY
    ? text
    : `${text.slice(0, MAX_REPORTED_BODY)}… (${text.length} characters)`
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  // undici says "fetch failed" and puts ECONNREFUSED and the like in the cause.
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : ''
  return `${error.message}${cause}`
}

/** The request headers of one delivery, in the dispatcher's order of precedence. */
export function deliveryHeaders(
  context: ReceiverSuiteContext,
  delivery: WebhookDelivery,
): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(context.headers ?? {}))
    headers[name.toLowerCase()] = value
  headers['content-type'] = 'application/json'
  headers['idempotency-key'] = delivery.key
  headers['x-ccai-contract'] = delivery.contract
  headers['x-ccai-session-id'] = String(delivery.sessionId)
  headers['x-ccai-attempt'] = String(delivery.attempt ?? 1)
  return headers
}

async function readBody(response: Response): Promise<string> {
  try {
    return truncate(await response.text())
  } catch (error) {
    return `<body could not be read: ${describeError(error)}>`
  }
}

/** POSTs one delivery, records the exchange on the clause, and says whether it was acknowledged. */
export async function deliver(
  context: ReceiverSuiteContext,
  tools: ClauseTools,
  delivery: WebhookDelivery,
): Promise<DeliveryOutcome> {
  const fetchFn = context.fetch ?? fetch
  const timeoutMs = context.timeoutMs ?? DEFAULT_RECEIVER_TIMEOUT_MS
  const headers = deliveryHeaders(context, delivery)
  const body = JSON.stringify(delivery.payload)
  const request: Exchange['request'] = { method: 'POST', url: context.url, headers, body }
  const started = performance.now()
  const signal = AbortSignal.timeout(timeoutMs)
  try {
    const response = await fetchFn(context.url, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
      signal,
    })
    const responseBody = await readBody(response)
    const responseHeaders: Record<string, string> = {}
    response.headers.forEach((value, name) => {
      responseHeaders[name] = value
    })
    tools.record({
      request,
      response: { status: response.status, headers: responseHeaders, body: responseBody },
      durationMs: performance.now() - started,
    })
    return response.status >= 200 && response.status < 300
      ? { acknowledged: true, status: response.status }
      : { acknowledged: false, status: response.status }
  } catch (error) {
    const message = signal.aborted ? `timeout after ${timeoutMs}ms` : describeError(error)
    tools.record({ request, error: message, durationMs: performance.now() - started })
    return { acknowledged: false, error: message }
  }
}

function describeOutcome(outcome: DeliveryOutcome): string {
  if (outcome.acknowledged) return `${outcome.status}`
  return outcome.status === undefined ? (outcome.error ?? 'no answer') : `${outcome.status}`
}

/**
 * Delivers every payload in order (a receiver sees a session's events in emission order, as from
 * the dispatcher) and fails the clause naming each one that was not acknowledged with a 2xx.
 */
export async function deliverAll(
  context: ReceiverSuiteContext,
  tools: ClauseTools,
  deliveries: readonly WebhookDelivery[],
): Promise<void> {
  const refused: string[] = []
  for (const delivery of deliveries) {
    const outcome = await deliver(context, tools, delivery)
    if (!outcome.acknowledged) refused.push(`${delivery.label}: ${describeOutcome(outcome)}`)
  }
  tools.check(refused.length === 0, {
    message: `${refused.length} of ${deliveries.length} deliveries were not acknowledged with a 2xx (first: ${refused[0] ?? ''})`,
    expected: `a 2xx acknowledgement within ${context.timeoutMs ?? DEFAULT_RECEIVER_TIMEOUT_MS}ms for each of the ${deliveries.length} deliveries`,
    actual: refused.join('\n'),
  })
}
