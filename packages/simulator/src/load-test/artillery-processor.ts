import {
  loadTestStory,
  parseLoadTestConfig,
  runnerKey,
  type LoadTestConfig,
} from './load-config.js'
import {
  CrmSessionDriver,
  WebhookSessionDriver,
  type LoadAnswer,
  type LoadCall,
  type SessionDriver,
  type Sleep,
} from './session-driver.js'

/*
 * The hooks of an exported Artillery script (`ccai-sim export artillery`): each virtual user runs one
 * session (`CrmSessionDriver` or `WebhookSessionDriver`), and Artillery's HTTP engine sends each call
 * the driver gives, so Artillery's timeouts, response-time histograms, per-endpoint metrics
 * (`metrics-by-endpoint`, keyed by the request's name: the endpoint) and `ensure` thresholds apply.
 *
 * The script's flow (see `artilleryScript`): `ccaiStartCrmSession` (or `…WebhookSession`) creates
 * the driver and waits for the first call; then a loop sends the call (`ccaiPrepareCall` fills in
 * Artillery's request, `ccaiReadAnswer` hands the answer back, `ccaiOnError` a failure) and waits for
 * the next (`ccaiAwaitCall`), while `ccaiMoreCalls` says there is one.
 *
 * Counters it adds to Artillery's report (the error budget is checked on them):
 * - `ccai.sessions.started`, `ccai.sessions.completed`;
 * - `ccai.calls_sent`: every call sent; `ccai.calls_failed`: no answer, or an answer other than 2xx
 *   except a find endpoint's 404 (a documented "not found"); 429s count (the CRM could not keep up);
 * - `ccai.crm.steps.<outcome>`: each session's flow steps by outcome at its end.
 */

/** Artillery's virtual-user context (only what the hooks use). */
export interface ArtilleryContext {
  vars: Record<string, unknown>
}

/** Artillery's event emitter for custom metrics. */
export interface ArtilleryEvents {
  emit(kind: 'counter' | 'histogram', name: string, value: number): unknown
}

/** The request Artillery is about to send (`beforeRequest`), as got options. */
export interface ArtilleryRequest {
  [option: string]: unknown
}

/** The response Artillery got (`afterResponse`). */
export interface ArtilleryResponse {
  readonly statusCode: number
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
  readonly body?: unknown
}

export interface ArtilleryProcessorEnvironment {
  /** Overrides the exported runner id (`CCAI_SIM_RUNNER_ID`). */
  readonly runnerId?: string | undefined
  /** Artillery's cloud worker id (`WORKER_ID`, set on Lambda). */
  readonly cloudWorker?: string | undefined
  /** Artillery's local worker thread (`LOCAL_WORKER_ID`). */
  readonly localWorker?: string | undefined
  /** Tests: no real waiting. */
  readonly sleep?: Sleep
}

/** The variable the script's `ifTrue` reads: 1 while a call waits to be sent. */
export const CALL_READY_VAR = 'ccaiCallReady'

interface SessionState {
  readonly driver: SessionDriver
  readonly kind: 'crm' | 'webhooks'
  call: LoadCall | undefined
}

function isNotFound(call: LoadCall, status: number): boolean {
  return status === 404 && call.name.startsWith('find_')
}

function bodyText(body: unknown): string {
  if (typeof body === 'string') return body
  if (body instanceof Uint8Array) return new TextDecoder().decode(body)
  return body === undefined || body === null ? '' : JSON.stringify(body)
}

/**
 * The processor's functions for a load-test configuration (checked here: a bad one fails at load
 * with every problem named). The exported processor module calls it once per Artillery worker.
 *
 * @example
 * export const { ccaiStartCrmSession, ccaiAwaitCall, … } = createArtilleryProcessor(config, { runnerId: process.env.CCAI_SIM_RUNNER_ID })
 */
export function createArtilleryProcessor(
  rawConfig: unknown,
  environment: ArtilleryProcessorEnvironment = {},
) {
  const config: LoadTestConfig = parseLoadTestConfig(rawConfig)
  const key = runnerKey({
    runnerId:
      environment.runnerId === undefined || environment.runnerId === ''
        ? config.runnerId
        : environment.runnerId,
    cloudWorker: environment.cloudWorker,
    localWorker: environment.localWorker,
  })
  const sessions = new WeakMap<ArtilleryContext, SessionState>()
  let count = 0

  function stateOf(context: ArtilleryContext): SessionState {
    const state = sessions.get(context)
    if (!state)
      throw new Error(
        'ccai-sim: no session for this virtual user (the flow must start with ccaiStart…Session)',
      )
    return state
  }

  async function awaitCall(context: ArtilleryContext, events: ArtilleryEvents): Promise<void> {
    const state = stateOf(context)
    state.call = await state.driver.next()
    context.vars[CALL_READY_VAR] = state.call === undefined ? 0 : 1
    if (state.call === undefined) finish(state, events)
  }

  function finish(state: SessionState, events: ArtilleryEvents): void {
    events.emit('counter', 'ccai.sessions.completed', 1)
    if (state.driver instanceof CrmSessionDriver) {
      for (const step of state.driver.report().steps) {
        events.emit('counter', `ccai.crm.steps.${step.outcome}`, 1)
      }
    }
  }

  function begin(
    context: ArtilleryContext,
    events: ArtilleryEvents,
    kind: 'crm' | 'webhooks',
  ): SessionState {
    const story = loadTestStory(config, key, count)
    count += 1
    let driver: SessionDriver
    if (kind === 'crm') {
      const crm = config.crm
      if (!crm)
        throw new Error('ccai-sim: this script was exported without CRM settings (--settings)')
      driver = new CrmSessionDriver({
        settings: crm.settings,
        story,
        retry: crm.retry,
        timeScale: config.timeScale,
        ...(environment.sleep ? { sleep: environment.sleep } : {}),
      })
    } else {
      const hooks = config.webhooks
      if (!hooks)
        throw new Error(
          'ccai-sim: this script was exported without a webhook receiver (--receiver)',
        )
      driver = new WebhookSessionDriver({
        story,
        url: hooks.url,
        headers: hooks.headers,
        surfaces: hooks.surfaces,
        retry: hooks.retry,
        timeoutMs: hooks.timeoutMs,
        timeScale: config.timeScale,
        ...(environment.sleep ? { sleep: environment.sleep } : {}),
      })
    }
    const state: SessionState = { driver, kind, call: undefined }
    sessions.set(context, state)
    context.vars['ccaiSessionId'] = driver.sessionId
    events.emit('counter', 'ccai.sessions.started', 1)
    // Present in every report, so the error-budget condition always has both terms.
    events.emit('counter', 'ccai.calls_sent', 0)
    events.emit('counter', 'ccai.calls_failed', 0)
    return state
  }

  return {
    /** Flow step: a new CRM session; waits for its first call. */
    async ccaiStartCrmSession(context: ArtilleryContext, events: ArtilleryEvents): Promise<void> {
      begin(context, events, 'crm')
      await awaitCall(context, events)
    },

    /** Flow step: a new webhook session (QM and adapter events); waits for its first delivery. */
    async ccaiStartWebhookSession(
      context: ArtilleryContext,
      events: ArtilleryEvents,
    ): Promise<void> {
      begin(context, events, 'webhooks')
      await awaitCall(context, events)
    },

    /** Flow step: waits (at the session's pace) for the next call. */
    async ccaiAwaitCall(context: ArtilleryContext, events: ArtilleryEvents): Promise<void> {
      await awaitCall(context, events)
    },

    /** The loop's `whileTrue`: a call is waiting. */
    ccaiMoreCalls(context: ArtilleryContext, next: (more: boolean) => void): void {
      next(context.vars[CALL_READY_VAR] === 1)
    },

    /** `beforeRequest`: Artillery's request becomes the driver's call. */
    async ccaiPrepareCall(request: ArtilleryRequest, context: ArtilleryContext): Promise<void> {
      const call = stateOf(context).call
      if (!call)
        throw new Error('ccai-sim: a request step ran without a call (check the ifTrue on it)')
      delete request['json']
      delete request['form']
      request['name'] = call.name
      request['method'] = call.method
      request['url'] = call.url
      request['headers'] = { ...call.headers }
      if (call.body === undefined) delete request['body']
      else
        request['body'] = Buffer.from(call.body.buffer, call.body.byteOffset, call.body.byteLength)
      // The timeout stays the script's `http.timeout` (the call's own, written at export): Artillery
      // hands it to this hook in milliseconds up to 2.0.21 (the newest npm installs on Node 20) and
      // in seconds in later versions, so a value set here would be read in the wrong unit by one.
      request['followRedirect'] = call.followRedirects
      await Promise.resolve()
    },

    /** `afterResponse`: the answer goes back to the driver. */
    // eslint-disable-next-line max-params -- Artillery's hook signature
    async ccaiReadAnswer(
      _request: ArtilleryRequest,
      response: ArtilleryResponse,
      context: ArtilleryContext,
      events: ArtilleryEvents,
    ): Promise<void> {
      const state = stateOf(context)
      const call = state.call
      if (!call) return
      const status = response.statusCode
      events.emit('counter', 'ccai.calls_sent', 1)
      const ok = (status >= 200 && status < 300) || isNotFound(call, status)
      if (!ok) events.emit('counter', 'ccai.calls_failed', 1)
      const answer: LoadAnswer = {
        status,
        headers: response.headers,
        body: bodyText(response.body),
      }
      state.call = undefined
      state.driver.answer(answer)
      await Promise.resolve()
    },

    /** `onError`: no answer (timeout, connection refused or reset); Artillery ends the session. */
    // eslint-disable-next-line max-params -- Artillery's hook signature
    ccaiOnError(
      error: Error,
      _request: ArtilleryRequest,
      context: ArtilleryContext,
      events: ArtilleryEvents,
      done: (error?: Error) => void,
    ): void {
      const state = sessions.get(context)
      if (state?.call) {
        events.emit('counter', 'ccai.calls_sent', 1)
        events.emit('counter', 'ccai.calls_failed', 1)
        state.call = undefined
        state.driver.fail(error)
      }
      done()
    },
  }
}

export type ArtilleryProcessor = ReturnType<typeof createArtilleryProcessor>
