import { createSeededRandom } from '@ccai-sim/fixtures'
import type { Context } from 'hono'
import { z } from 'zod'
import { CRM_ENDPOINTS } from '../types.js'

/*
 * Faults on demand (the item 3; reference §5.3, §5.4, §8): latency beyond the platform's
 * 1–10 s request timeout, error statuses (400 is the one the platform retries for a week, 429 is a
 * CRM rate limit to queue behind), a 2xx without the id (success with missing data, not retried),
 * malformed JSON and a connection reset ("no response").
 */

/**
 * The mock CRM's route names for faults: the eight endpoints of the settings (`CRM_ENDPOINTS`), plus
 * the routes no endpoint maps to. Both dialects use the same names (`POST /Note` is `comment`).
 */
export const MOCK_CRM_ROUTES = [
  ...CRM_ENDPOINTS,
  'find_record_by_id',
  'update_account',
  'download_attachment',
  'oauth_token',
] as const
export type MockCrmRouteName = (typeof MOCK_CRM_ROUTES)[number]

export const FAULT_KINDS = [
  'latency',
  'status',
  'missing-id',
  'malformed-json',
  'connection-reset',
] as const
export type FaultKind = (typeof FAULT_KINDS)[number]

const commonShape = {
  /** A route name, or `*` for every route. */
  route: z.union([z.enum(MOCK_CRM_ROUTES), z.literal('*')]),
  /** Chance per request, 0–1. Default 1 (every request). */
  probability: z.number().min(0).max(1).default(1),
  /** Seeds the rule's own random sequence, so a run is reproducible. Default 0. */
  seed: z.number().int().default(0),
  /** Fire at most this many times, then stay inert. Default: no limit. */
  times: z.number().int().positive().optional(),
}

/** One fault rule, as `POST /_sim/crm/faults` and `FaultController.set` take it. */
export const FaultRuleSchema = z.discriminatedUnion('kind', [
  z.object({
    ...commonShape,
    kind: z.literal('latency'),
    /** Delay before the normal answer. Default 11 000 ms, beyond the longest timeout (10 s). */
    latencyMs: z.number().int().min(0).default(11_000),
  }),
  z.object({
    ...commonShape,
    kind: z.literal('status'),
    /** The status answered instead of the real one (400, 401, 404, 429, 500, …). */
    status: z.number().int().min(400).max(599),
    /** `Retry-After` on a 429, in seconds. Default 30. */
    retryAfterSeconds: z.number().int().min(0).default(30),
  }),
  z.object({ ...commonShape, kind: z.literal('missing-id') }),
  z.object({ ...commonShape, kind: z.literal('malformed-json') }),
  z.object({ ...commonShape, kind: z.literal('connection-reset') }),
])
export type FaultRuleInput = z.input<typeof FaultRuleSchema>
export type FaultRule = z.output<typeof FaultRuleSchema>

/** A rule as it is listed: its id, how many requests it saw and how often it fired. */
export type FaultRuleState = FaultRule & {
  readonly id: string
  readonly seen: number
  readonly fired: number
}

interface LiveRule {
  readonly rule: FaultRule
  readonly id: string
  readonly random: () => number
  seen: number
  fired: number
}

/**
 * The faults of one mock CRM: rules per route (or `*`), each with a probability and a seed. Every
 * request to a route advances each matching rule's own sequence once; the first rule (in the order
 * set) that fires decides the fault. Latency waits through the injected `sleep` (real timers by
 * default: the platform's timeout is a real one).
 */
export class FaultController {
  private rules: LiveRule[] = []
  private nextId = 0
  private readonly sleeping = new Set<{ timer: NodeJS.Timeout; cancel: () => void }>()
  private closed = false
  readonly sleep: (ms: number) => Promise<void>

  constructor(options: { readonly sleep?: ((ms: number) => Promise<void>) | undefined } = {}) {
    this.sleep = options.sleep ?? ((ms) => this.realSleep(ms))
  }

  /**
   * Ends every latency sleep under way (their requests fail instead of answering late) and makes
   * later ones fail at once: a sleeping fault must not keep a stopping process alive.
   */
  close(): void {
    this.closed = true
    for (const sleep of this.sleeping) {
      clearTimeout(sleep.timer)
      sleep.cancel()
    }
    this.sleeping.clear()
  }

  private realSleep(ms: number): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the mock CRM is closing'))
    return new Promise<void>((resolve, reject) => {
      const entry = {
        timer: setTimeout(() => {
          this.sleeping.delete(entry)
          resolve()
        }, ms),
        cancel: () => {
          reject(new Error('the mock CRM is closing'))
        },
      }
      this.sleeping.add(entry)
    })
  }

  /** Adds a rule (validated; defaults filled) and returns it with its id. */
  set(input: FaultRuleInput): FaultRuleState {
    const rule = FaultRuleSchema.parse(input)
    this.nextId += 1
    const live: LiveRule = {
      rule,
      id: `fault-${this.nextId}`,
      random: createSeededRandom(rule.seed),
      seen: 0,
      fired: 0,
    }
    this.rules.push(live)
    return this.stateOf(live)
  }

  /** Removes one rule; false when there is none with that id. */
  remove(id: string): boolean {
    const before = this.rules.length
    this.rules = this.rules.filter((r) => r.id !== id)
    return this.rules.length !== before
  }

  /** Removes every rule. */
  clear(): void {
    this.rules = []
  }

  /** Whether any rule is set (the fast paths hand every request to Hono while one is). */
  get active(): boolean {
    return this.rules.length > 0
  }

  list(): FaultRuleState[] {
    return this.rules.map((r) => this.stateOf(r))
  }

  /** Draws the fault (if any) for one request to `route`. */
  decide(route: MockCrmRouteName): FaultRule | undefined {
    let chosen: FaultRule | undefined
    for (const live of this.rules) {
      if (live.rule.route !== '*' && live.rule.route !== route) continue
      if (live.rule.times !== undefined && live.fired >= live.rule.times) continue
      live.seen += 1
      const fires = live.random() < live.rule.probability
      if (fires && !chosen) {
        live.fired += 1
        chosen = live.rule
      }
    }
    return chosen
  }

  private stateOf(live: LiveRule): FaultRuleState {
    return { ...live.rule, id: live.id, seen: live.seen, fired: live.fired }
  }
}

const FAULT_HEADER = 'x-mock-crm-fault'

/** Deletes every `id` key, at any depth: "a 2xx without the id" wherever the settings look. */
function withoutIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutIds)
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [key, inner] of Object.entries(value)) if (key !== 'id') out[key] = withoutIds(inner)
    return out
  }
  return value
}

function copyHeaders(response: Response, kind: FaultKind): Headers {
  const headers = new Headers(response.headers)
  headers.delete('content-length')
  headers.set(FAULT_HEADER, kind)
  return headers
}

const STATUS_TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
}

interface NodeBindings {
  readonly incoming?: { readonly socket?: { destroy?: () => void } }
}

/**
 * Runs a route's handler under the fault drawn for it:
 * - `latency`: waits `latencyMs`, then answers normally (the handler runs after the wait);
 * - `status`: answers the status with a problem+json body (and `Retry-After` on 429) and does
 *   NOT run the handler (nothing is written);
 * - `missing-id`: runs the handler, then drops every `id` key from a 2xx JSON answer;
 * - `malformed-json`: runs the handler (the write happens), then answers the first half of its JSON;
 * - `connection-reset`: does not run the handler; over HTTP on Node (`@hono/node-server`) destroys
 *   the socket (`c.env.incoming.socket.destroy()`), so the caller sees ECONNRESET. In-process (no
 *   socket: `app.request`, MSW) it answers `Response.error()`, the Fetch standard's network error
 *   (`type: 'error'`, status 0), which MSW turns into a failed fetch.
 * Every answer a fault shaped carries `x-mock-crm-fault: <kind>`.
 */
export function runWithFault(input: FaultInput): Response | Promise<Response> {
  const fault = input.faults?.decide(input.route)
  // No fault (the usual case): the handler's answer as it comes, without a promise around it.
  if (!fault || !input.faults) return input.handle()
  return withFault(input, fault, input.faults)
}

interface FaultInput {
  readonly c: Context
  readonly route: MockCrmRouteName
  readonly faults: FaultController | undefined
  readonly handle: () => Response | Promise<Response>
}

async function withFault(
  input: FaultInput,
  fault: FaultRule,
  faults: FaultController,
): Promise<Response> {
  const { c, route, handle } = input
  switch (fault.kind) {
    case 'latency': {
      await faults.sleep(fault.latencyMs)
      const response = await handle()
      const headers = copyHeaders(response, 'latency')
      return new Response(response.body, { status: response.status, headers })
    }
    case 'status': {
      const title = STATUS_TITLES[fault.status] ?? 'Error'
      const headers: Record<string, string> = {
        'content-type': 'application/problem+json',
        [FAULT_HEADER]: 'status',
      }
      if (fault.status === 429) headers['retry-after'] = String(fault.retryAfterSeconds)
      if (fault.status === 401) headers['www-authenticate'] = 'Bearer realm="mock-crm"'
      const body = {
        type: 'mock-crm-fault',
        title,
        status: fault.status,
        detail: `fault injected on ${route}: status ${fault.status}`,
        instance: new URL(c.req.url).pathname,
      }
      return new Response(JSON.stringify(body), { status: fault.status, headers })
    }
    case 'missing-id': {
      const response = await handle()
      const type = response.headers.get('content-type') ?? ''
      if (response.status < 200 || response.status > 299 || !type.includes('json')) return response
      const json = (await response.json()) as unknown
      return new Response(JSON.stringify(withoutIds(json)), {
        status: response.status,
        headers: copyHeaders(response, 'missing-id'),
      })
    }
    case 'malformed-json': {
      const response = await handle()
      const text = await response.text()
      const cut = text.length > 1 ? text.slice(0, Math.ceil(text.length / 2)) : '{"'
      const headers = copyHeaders(response, 'malformed-json')
      headers.set('content-type', 'application/json')
      return new Response(cut, { status: response.status, headers })
    }
    case 'connection-reset': {
      const socket = (c.env as NodeBindings | undefined)?.incoming?.socket
      if (socket?.destroy) {
        socket.destroy()
        // Nothing reaches the caller; @hono/node-server writes into a destroyed socket quietly.
        return new Response(null, { status: 502, headers: { [FAULT_HEADER]: 'connection-reset' } })
      }
      return Response.error()
    }
  }
}
