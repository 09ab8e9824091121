import {
  generateStory,
  projectSession,
  SCENARIO_NAMES,
  type Emission,
  type ScenarioParams,
  type SessionProjection,
  type StorageFile,
} from '@ccai-sim/fixtures'
import type { CrmIntegrationSettings } from '@ccai-sim/schemas'
import type { SimulatorConfig } from '../config.js'
import {
  CrmFlowRun,
  CrmRateLimitGate,
  planCrmFlow,
  type CrmExchangeRecord,
  type CrmFlowReport,
  type CrmRetryPolicy,
} from '../crm/flow-engine.js'
import type { CrmExchange, CrmHttpRequest } from '../crm/types.js'
import { SimulatorError } from '../errors.js'
import type { VirtualClock } from '../clock/virtual-clock.js'
import { EmissionBus } from './bus.js'
import { Journal } from './journal.js'
import type { MailTransport, StorageSink } from './sinks.js'
import { LoadGenerator } from './load-generator.js'

export type SessionState = 'live' | 'ended' | 'complete'

/** A session the runner is playing: its story, its projection, and how far it has got. */
export interface LiveSession {
  readonly id: number
  readonly scenario: string
  readonly seed: number
  readonly startedAt: number
  readonly projection: SessionProjection
  /** Emissions and files already published. */
  delivered: number
  readonly total: number
  state: SessionState
}

export interface StartSessionInput {
  readonly scenario: string
  readonly seed?: number | undefined
  readonly params?: ScenarioParams | undefined
}

/** The platform's generic-API client towards the customer's CRM (reference §5), as the app wires it. */
export interface RuntimeCrm {
  /** The integration settings a new session's flow uses (read when the session starts). */
  settings(): CrmIntegrationSettings
  /** Sends one request with the settings' auth (the CRM client); never rejects. */
  send(request: CrmHttpRequest): Promise<CrmExchange>
  readonly retry: CrmRetryPolicy
  /** Empties the CRM the sessions write to, when the simulator owns it (the mock CRM). */
  reset?(): void
}

export interface RuntimeDeps {
  readonly config: SimulatorConfig
  readonly clock: VirtualClock
  readonly storage: StorageSink
  readonly mail: MailTransport
  /** Without it (or with `crm.enabled` false) sessions make no CRM calls. */
  readonly crm?: RuntimeCrm | undefined
}

/** End users whose CRM account id the runtime remembers (a returning caller is found by ID). */
const KNOWN_ACCOUNTS_LIMIT = 10_000

/** Bodies in `crm-exchange` journal entries are cut to this many characters. */
const JOURNAL_BODY_CHARS = 2_000

function cut(text: string): string {
  return text.length <= JOURNAL_BODY_CHARS
    ? text
    : `${text.slice(0, JOURNAL_BODY_CHARS)}…(+${String(text.length - JOURNAL_BODY_CHARS)} chars)`
}

function requestBodyText(request: CrmHttpRequest): string | undefined {
  const body = request.body
  if (body === undefined) return undefined
  if (body.kind === 'json') return cut(JSON.stringify(body.json))
  return cut(
    body.fields
      .map((f) =>
        f.file === undefined
          ? `${f.name}=${f.value ?? ''}`
          : `${f.name}=@${f.file.filename} (${f.file.contentType}, ${String(f.file.bytes.byteLength)} bytes)`,
      )
      .join('&'),
  )
}

/** Errors of fire-and-forget work (a sink write) go to the journal, never to an unhandled rejection. */
function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/**
 * The session runner: starts scenarios (on demand or as continuous load), schedules every projected
 * payload on the virtual clock, and publishes each at its time to the bus, the storage sink and mail.
 */
export class SimulatorRuntime {
  readonly config: SimulatorConfig
  readonly clock: VirtualClock
  readonly bus = new EmissionBus()
  readonly journal: Journal
  readonly storage: StorageSink
  readonly mail: MailTransport
  private readonly sessions = new Map<number, LiveSession>()
  private counter = 0
  private generation = 0
  private readonly inflight = new Set<Promise<unknown>>()
  private readonly load: LoadGenerator
  private readonly crm: RuntimeCrm | undefined
  private readonly crmRuns = new Map<number, CrmFlowRun>()
  /** Ids of completed sessions, oldest first. */
  private completed: number[] = []
  /** One rate limit for the whole CRM: a 429 holds every session's requests (reference §8). */
  private crmGate = new CrmRateLimitGate()
  /** Account ids learned per end user (`UJET_ID`), so a later session can find its account by ID. */
  private readonly crmAccounts = new Map<number, string>()

  constructor(deps: RuntimeDeps) {
    this.config = deps.config
    this.clock = deps.clock
    this.storage = deps.storage
    this.mail = deps.mail
    this.crm = deps.config.crm.enabled ? deps.crm : undefined
    this.journal = new Journal(deps.config.journal.limit)
    this.load = new LoadGenerator({
      clock: deps.clock,
      seed: deps.config.seed,
      sessionsPerMinute: deps.config.load.sessionsPerMinute,
      mix: deps.config.load.mix,
      start: (scenario, seed) => this.startSession({ scenario, seed }),
    })
  }

  /** Starts continuous load when configured. */
  start(): void {
    this.load.start()
  }

  startSession(input: StartSessionInput): LiveSession {
    if (!SCENARIO_NAMES.includes(input.scenario)) {
      const expected = `one of ${SCENARIO_NAMES.join(', ')}`
      const received = `string ${JSON.stringify(input.scenario)}`
      const message = `scenario: expected ${expected}, received ${received}`
      throw new SimulatorError('unknown_scenario', message, {
        issues: [{ path: 'scenario', code: 'invalid_value', expected, received, message }],
      })
    }
    const seed = input.seed ?? this.config.seed
    const now = this.clock.now()
    let story = generateStory(input.scenario, {
      seed,
      index: this.counter++,
      refDate: now,
      params: input.params ?? {},
    })
    while (this.sessions.has(story.id)) {
      story = generateStory(input.scenario, {
        seed,
        index: this.counter++,
        refDate: now,
        params: input.params ?? {},
      })
    }
    const projection = projectSession(story, { email: this.config.email.outcome })
    const session: LiveSession = {
      id: story.id,
      scenario: input.scenario,
      seed,
      startedAt: now,
      projection,
      delivered: 0,
      total: projection.emissions.length + projection.files.length,
      state: 'live',
    }
    this.sessions.set(story.id, session)
    this.journal.add({
      at: now,
      type: 'session-started',
      sessionId: story.id,
      scenario: input.scenario,
      seed,
    })
    const generation = this.generation
    for (const emission of projection.emissions) {
      this.clock.schedule(emission.at, () => {
        if (generation === this.generation) this.emit(session, emission)
      })
    }
    if (this.config.storage.enabled) {
      for (const file of projection.files) {
        this.clock.schedule(file.at, () => {
          if (generation === this.generation) this.writeFile(session, file)
        })
      }
    } else {
      session.delivered += projection.files.length
    }
    if (this.crm) this.startCrmFlow(session, this.crm)
    const ended = story.steps.find((s) => s.kind === 'ended' || s.kind === 'abandoned')
    if (ended) {
      this.clock.schedule(ended.at, () => {
        if (generation === this.generation && session.state === 'live') session.state = 'ended'
      })
    }
    return session
  }

  getSession(id: number): LiveSession | undefined {
    return this.sessions.get(id)
  }

  listSessions(): LiveSession[] {
    return [...this.sessions.values()]
  }

  /** The session's generic-API flow report; undefined when the CRM flow is off for it. */
  crmReport(id: number): CrmFlowReport | undefined {
    return this.crmRuns.get(id)?.report()
  }

  /** Forgets every session and timer and empties the sinks; the clock keeps its time. */
  async reset(): Promise<void> {
    this.generation += 1
    this.clock.clearTimers()
    this.sessions.clear()
    for (const run of this.crmRuns.values()) run.cancel()
    this.crmRuns.clear()
    this.completed = []
    this.crmAccounts.clear()
    this.crmGate = new CrmRateLimitGate()
    // The mock CRM holds the sessions' accounts and records: a reset forgets them with the sessions.
    this.crm?.reset?.()
    // A reset replays: the same seed after a reset gives the same session ids again.
    this.counter = 0
    this.journal.clear()
    this.journal.add({ at: this.clock.now(), type: 'reset' })
    await this.storage.clear()
    this.load.restart()
  }

  /** Waits for sink writes and mail sends already under way. */
  async settle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight])
  }

  /** Stops the load and the clock and waits for work under way; the host closes the mail transport. */
  async close(): Promise<void> {
    this.load.stop()
    this.clock.stop()
    await this.settle()
  }

  /** How many resets this runtime has seen: a new run of the same seed (the run id uses it). */
  get resets(): number {
    return this.generation
  }

  /** Makes `settle` wait for `work` too (the host's outboxes report their attempts here). */
  track(work: Promise<unknown>): void {
    this.inflight.add(work)
    void work.finally(() => this.inflight.delete(work))
  }

  /**
   * Plans the session's generic-API flow and lets it run at the story's times on the virtual
   * clock (account and record setup, comments on events, uploads, the final update; reference §5.2).
   */
  private startCrmFlow(session: LiveSession, crm: RuntimeCrm): void {
    const { story, files } = session.projection
    const generation = this.generation
    const endUser = story.endUser.id
    const plan = planCrmFlow({
      settings: crm.settings(),
      story,
      files,
      knownAccountId: this.crmAccounts.get(endUser),
    })
    const run = new CrmFlowRun(plan, {
      send: (request) => crm.send(request),
      clock: this.clock,
      retry: crm.retry,
      gate: this.crmGate,
      onExchange: (record) => {
        if (generation === this.generation) this.journalCrmExchange(record)
      },
      onBusy: (quiet) => {
        this.track(quiet)
      },
      onAccount: (accountId) => {
        if (generation !== this.generation) return
        // Bounded: every new end user adds one, for as long as the load runs (oldest out first).
        this.crmAccounts.delete(endUser)
        this.crmAccounts.set(endUser, accountId)
        if (this.crmAccounts.size > KNOWN_ACCOUNTS_LIMIT) {
          const oldest = this.crmAccounts.keys().next()
          if (oldest.done !== true) this.crmAccounts.delete(oldest.value)
        }
      },
    })
    this.crmRuns.set(session.id, run)
    run.start()
  }

  private journalCrmExchange(record: CrmExchangeRecord): void {
    const { exchange } = record
    const { request, response } = exchange
    const requestBody = requestBodyText(request)
    this.journal.add({
      at: record.at,
      type: 'crm-exchange',
      sessionId: record.sessionId,
      step: record.step,
      endpoint: request.endpoint,
      attempt: record.attempt,
      method: request.method,
      url: request.url,
      ...(response ? { status: response.status, durationMs: response.durationMs } : {}),
      ...(exchange.error === undefined ? {} : { error: exchange.error }),
      outcome: record.outcome,
      requestHeaders: exchange.sentHeaders,
      ...(requestBody === undefined ? {} : { requestBody }),
      ...(response ? { responseBody: cut(response.bodyText) } : {}),
    })
  }

  private progress(session: LiveSession): void {
    session.delivered += 1
    if (session.delivered >= session.total && session.state !== 'complete') {
      session.state = 'complete'
      this.completed.push(session.id)
      this.forgetOldSessions()
    }
  }

  /**
   * Continuous load runs for hours: keep only the newest completed sessions (story, projection,
   * CRM flow), so memory stays flat. Live sessions, and sessions whose CRM flow is still retrying or
   * queued, are never dropped.
   */
  private forgetOldSessions(): void {
    let excess = this.completed.length - this.config.sessions.keepCompleted
    if (excess <= 0) return
    const kept: number[] = []
    for (const id of this.completed) {
      const run = this.crmRuns.get(id)
      if (excess > 0 && (!run || run.report().state === 'done')) {
        this.sessions.delete(id)
        this.crmRuns.delete(id)
        excess -= 1
      } else {
        kept.push(id)
      }
    }
    this.completed = kept
  }

  private emit(session: LiveSession, emission: Emission): void {
    this.journal.add({
      at: emission.at,
      type: 'emitted',
      sessionId: emission.sessionId,
      surface: emission.surface,
      contract: emission.contract,
      key: emission.key,
      payload: emission.payload,
    })
    // Outcome mail is sent by the host's mail outbox, a bus subscriber (retried, journaled ahead).
    this.bus.publish(emission)
    this.progress(session)
  }

  private writeFile(session: LiveSession, file: StorageFile): void {
    this.track(
      this.storage.write(file).then(
        () => {
          const bytes =
            typeof file.content === 'string'
              ? Buffer.byteLength(file.content)
              : file.content.byteLength
          this.journal.add({
            at: file.at,
            type: 'file-written',
            sessionId: session.id,
            path: file.path,
            bytes,
          })
          this.progress(session)
        },
        (error: unknown) => {
          this.journal.add({
            at: file.at,
            type: 'file-failed',
            sessionId: session.id,
            path: file.path,
            error: describe(error),
          })
        },
      ),
    )
  }
}
