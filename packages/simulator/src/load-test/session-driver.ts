import { projectSession, type SessionStory } from '@ccai-sim/fixtures'
import type { CrmIntegrationSettings } from '@ccai-sim/schemas'
import { createCrmClient } from '../crm/crm-client.js'
import {
  CrmFlowRun,
  planCrmFlow,
  type CrmExchangeRecord,
  type CrmFlowClock,
  type CrmFlowReport,
  type CrmRetryPolicy,
} from '../crm/flow-engine.js'
import type { CrmEndpointName } from '../crm/types.js'
import { webhookHeaders } from '../delivery/webhook-dispatcher.js'

/*
 * One session of a load test, turned inside out: the project's own flow engine, CRM client and
 * request builder (or the webhook projections) decide every request, and a load engine (Artillery's
 * HTTP engine in the exported script) sends it. `next()` resolves with the session's next HTTP call,
 * or `undefined` when the session is over; the engine sends it and hands back `answer()` or `fail()`.
 *
 * Decisions where the documents are silent:
 * - Time: each session has a virtual clock of its own starting at its first step; between steps
 *   the driver sleeps `(virtual gap) / timeScale` real milliseconds (`max`: not at all), so with
 *   `timeScale` 1 a session's calls are spread as on the platform (the recording's upload ~15
 *   minutes after the end) and with `max` they follow each other at once.
 * - Retries follow the flow engine (400 on the documented schedule, 429 after `Retry-After`) on that
 *   clock; the rate-limit gate is the session's own (load generators share no state).
 * - A call with no answer at all (timeout, connection reset) ends the session: the load engine counts
 *   it as a failed virtual user, the platform would not retry it either ("other errors").
 */

/** One HTTP call for the load engine to send. */
export interface LoadCall {
  /** What the load engine's report groups it by: the endpoint (`create_record`), `oauth_token`, `webhook.qm`. */
  readonly name: string
  readonly method: string
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body?: Uint8Array
  /** The per-request timeout (the settings' API Request Timeout; the webhook timeout). */
  readonly timeoutMs: number
  /** The OAuth authorization request reads its `Location` header itself. */
  readonly followRedirects: boolean
}

/** What came back. */
export interface LoadAnswer {
  readonly status: number
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>
  readonly body: string
}

/** One session's calls, one at a time. */
export interface SessionDriver {
  readonly sessionId: number
  /** The next call; `undefined` when the session has nothing more to send. */
  next(): Promise<LoadCall | undefined>
  /** The answer to the call `next()` gave. */
  answer(answer: LoadAnswer): void
  /** The call `next()` gave got no answer: the session ends. */
  fail(error: Error): void
}

/** Virtual seconds per real second, or `max` (no waiting). */
export type TimeScale = number | 'max'

/** Real waiting; tests pass one that does not wait. */
export type Sleep = (ms: number) => Promise<void>

export const realSleep: Sleep = (ms) =>
  new Promise((resolve) => {
    setTimeout(resolve, Math.max(0, ms))
  })

/** A virtual clock that moves only when the driver steps it to its next timer. */
class SteppingClock implements CrmFlowClock {
  private time: number
  private timers: { at: number; seq: number; fn: () => void }[] = []
  private seq = 0

  constructor(start: number) {
    this.time = start
  }

  now(): number {
    return this.time
  }

  schedule(at: number, fn: () => void): void {
    this.timers.push({ at, seq: this.seq++, fn })
    this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq)
  }

  nextAt(): number | undefined {
    return this.timers[0]?.at
  }

  step(): void {
    const next = this.timers.shift()
    if (!next) return
    this.time = Math.max(this.time, next.at)
    next.fn()
  }
}

function realDelay(virtualMs: number, scale: TimeScale): number {
  return scale === 'max' ? 0 : virtualMs / scale
}

function headerText(value: string | readonly string[] | undefined): string | undefined {
  if (value === undefined) return undefined
  return typeof value === 'string' ? value : value.join(', ')
}

/** An answer as a fetch `Response` (what the CRM client reads). */
function toResponse(answer: LoadAnswer): Response {
  const headers = new Headers()
  for (const [name, value] of Object.entries(answer.headers)) {
    const text = headerText(value)
    if (text !== undefined) headers.set(name, text)
  }
  // A null-body status cannot carry a body in a Response.
  const empty = answer.status === 204 || answer.status === 205 || answer.status === 304
  return new Response(empty ? null : answer.body, { status: answer.status, headers })
}

interface PendingCall {
  readonly call: LoadCall
  readonly resolve: (response: Response) => void
  readonly reject: (error: Error) => void
}

export interface CrmSessionDriverOptions {
  readonly settings: CrmIntegrationSettings
  readonly story: SessionStory
  readonly retry: CrmRetryPolicy
  readonly timeScale: TimeScale
  readonly sleep?: Sleep
  /** Every attempt, as the flow engine journals it. */
  readonly onExchange?: (record: CrmExchangeRecord) => void
}

/**
 * A session's generic-API flow (`planCrmFlow`, `CrmFlowRun`, `createCrmClient`) whose HTTP calls a
 * load engine sends: auth headers, OAuth tokens, multipart bodies and the documented retry rules
 * are the simulator's own.
 *
 * @example
 * const driver = new CrmSessionDriver({ settings, story, retry: DEFAULT_CRM_RETRY_POLICY, timeScale: 'max' })
 * for (let call = await driver.next(); call; call = await driver.next()) driver.answer(await send(call))
 */
export class CrmSessionDriver implements SessionDriver {
  readonly sessionId: number
  private readonly run: CrmFlowRun
  private readonly clock: SteppingClock
  private readonly scale: TimeScale
  private readonly sleep: Sleep
  private readonly settings: CrmIntegrationSettings
  private endpoint: CrmEndpointName | undefined
  private pending: PendingCall | undefined
  private arrived: (() => void) | undefined
  private over = false

  constructor(options: CrmSessionDriverOptions) {
    this.sessionId = options.story.id
    this.settings = options.settings
    this.scale = options.timeScale
    this.sleep = options.sleep ?? realSleep
    const plan = planCrmFlow({ settings: options.settings, story: options.story })
    this.clock = new SteppingClock(plan.actions[0]?.at ?? 0)
    const client = createCrmClient({
      settings: options.settings,
      fetch: (input, init) => this.fetch(input, init),
      now: () => this.clock.now(),
    })
    this.run = new CrmFlowRun(plan, {
      send: (request) => {
        this.endpoint = request.endpoint
        return client.send(request)
      },
      clock: this.clock,
      retry: options.retry,
      onExchange: options.onExchange,
    })
    this.run.start()
  }

  /** The session's virtual time (epoch ms). */
  now(): number {
    return this.clock.now()
  }

  /** Where the flow stands (the engine's report). */
  report(): CrmFlowReport {
    return this.run.report()
  }

  async next(): Promise<LoadCall | undefined> {
    for (;;) {
      if (this.pending) return this.pending.call
      if (this.over || this.run.done) return undefined
      const called = new Promise<void>((resolve) => {
        this.arrived = resolve
      })
      await Promise.race([called, this.run.whenQuiet()])
      this.arrived = undefined
      if (this.pending || this.run.done) continue
      // Quiet: the flow waits for its clock (the next action, a retry, a rate-limit back-fill).
      const at = this.clock.nextAt()
      if (at === undefined) return undefined
      const delay = realDelay(at - this.clock.now(), this.scale)
      if (delay > 0) await this.sleep(delay)
      this.clock.step()
    }
  }

  answer(answer: LoadAnswer): void {
    const pending = this.take()
    pending.resolve(toResponse(answer))
  }

  fail(error: Error): void {
    this.over = true
    const pending = this.take()
    this.run.cancel()
    pending.reject(error)
  }

  private take(): PendingCall {
    const pending = this.pending
    if (!pending) throw new Error('no call is waiting for an answer: call next() first')
    this.pending = undefined
    return pending
  }

  private nameOf(url: string): string {
    const auth = this.settings.authentication
    if (auth.method === 'oauth2') {
      if (url === auth.token_url) return 'oauth_token'
      if (url.startsWith(auth.authorization_url)) return 'oauth_authorize'
    }
    return this.endpoint ?? 'crm'
  }

  /** The CRM client's fetch: the request becomes the pending call; the load engine's answer resolves it. */
  private async fetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    // The Request serialises bodies as fetch would (a FormData gets its multipart boundary).
    const request = new Request(input, init)
    const bytes = new Uint8Array(await request.arrayBuffer())
    const headers: Record<string, string> = {}
    request.headers.forEach((value, name) => {
      headers[name] = value
    })
    const url = request.url
    const call: LoadCall = {
      name: this.nameOf(url),
      method: request.method,
      url,
      headers,
      ...(bytes.byteLength > 0 ? { body: bytes } : {}),
      timeoutMs: this.settings.request_timeout * 1000,
      followRedirects: init?.redirect !== 'manual',
    }
    return new Promise<Response>((resolve, reject) => {
      this.pending = { call, resolve, reject }
      this.arrived?.()
    })
  }
}

/** A webhook delivery's retry schedule (the simulator's `webhooks.retry`). */
export interface WebhookRetrySchedule {
  readonly initialDelayMs: number
  readonly maxDelayMs: number
  readonly giveUpAfterMs: number
}

export interface WebhookSessionDriverOptions {
  readonly story: SessionStory
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  /** `adapter` carries the adapter and VTA emissions, `qm` the QM events (as the dispatcher routes them). */
  readonly surfaces: readonly ('qm' | 'adapter')[]
  readonly retry: WebhookRetrySchedule
  readonly timeoutMs: number
  readonly timeScale: TimeScale
  readonly sleep?: Sleep
}

/** What happened to a session's webhook deliveries. */
export interface WebhookSessionStats {
  delivered: number
  retried: number
  gaveUp: number
}

/**
 * A session's QM and adapter emissions (`projectSession`) delivered to one receiver as the webhook
 * dispatcher delivers them: POSTed as JSON in emission order with the same headers
 * (`webhookHeaders`: idempotency key, contract, session id), any non-2xx retried with doubling
 * backoff until `giveUpAfterMs` after the first attempt, on the session's clock.
 */
export class WebhookSessionDriver implements SessionDriver {
  readonly sessionId: number
  readonly stats: WebhookSessionStats = { delivered: 0, retried: 0, gaveUp: 0 }
  private readonly options: WebhookSessionDriverOptions
  private readonly sleep: Sleep
  private readonly emissions: ReturnType<typeof projectSession>['emissions']
  private index = 0
  private now: number
  private attempt: { firstAt: number; delay: number } | undefined
  private retryAt: number | undefined
  private waiting: LoadCall | undefined
  private over = false

  constructor(options: WebhookSessionDriverOptions) {
    this.options = options
    this.sessionId = options.story.id
    this.sleep = options.sleep ?? realSleep
    const surfaces = new Set<string>(options.surfaces)
    const routed = (surface: string): string => (surface === 'vta' ? 'adapter' : surface)
    this.emissions = projectSession(options.story).emissions.filter((e) =>
      surfaces.has(routed(e.surface)),
    )
    this.now = this.emissions[0]?.at ?? 0
  }

  async next(): Promise<LoadCall | undefined> {
    if (this.waiting) return this.waiting
    const emission = this.emissions[this.index]
    if (this.over || !emission) return undefined
    const dueAt = Math.max(emission.at, this.now, this.retryAt ?? 0)
    const delay = realDelay(dueAt - this.now, this.options.timeScale)
    if (delay > 0) await this.sleep(delay)
    this.now = dueAt
    const surface = emission.surface === 'vta' ? 'adapter' : emission.surface
    this.waiting = {
      name: `webhook.${surface}`,
      method: 'POST',
      url: this.options.url,
      headers: webhookHeaders(emission, this.options.headers),
      body: new TextEncoder().encode(JSON.stringify(emission.payload)),
      timeoutMs: this.options.timeoutMs,
      followRedirects: false,
    }
    return this.waiting
  }

  answer(answer: LoadAnswer): void {
    if (!this.waiting) throw new Error('no call is waiting for an answer: call next() first')
    this.waiting = undefined
    if (answer.status >= 200 && answer.status < 300) {
      this.stats.delivered += 1
      this.advance()
      return
    }
    const { retry } = this.options
    const attempt = this.attempt ?? { firstAt: this.now, delay: retry.initialDelayMs }
    if (this.now + attempt.delay - attempt.firstAt > retry.giveUpAfterMs) {
      this.stats.gaveUp += 1
      this.advance()
      return
    }
    this.stats.retried += 1
    // The same emission is due again then: `next()` waits for it at the session's pace.
    this.retryAt = this.now + attempt.delay
    this.attempt = {
      firstAt: attempt.firstAt,
      delay: Math.min(attempt.delay * 2, retry.maxDelayMs),
    }
  }

  fail(_error: Error): void {
    this.waiting = undefined
    this.over = true
  }

  private advance(): void {
    this.attempt = undefined
    this.retryAt = undefined
    this.index += 1
  }
}
