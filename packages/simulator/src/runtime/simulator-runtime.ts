import {
  actorOf,
  agentEntity,
  apiSessionScript,
  applyInput,
  isCrmSetupStep,
  createSessionProjector,
  initialSessionState,
  presenceInputsOf,
  projectSession,
  replaySession,
  SCENARIO_NAMES,
  scenarioScript,
  storyOf,
  type ApiCreateInput,
  type Emission,
  type ScenarioParams,
  type SessionInput,
  type SessionInputBody,
  type SessionScript,
  type SessionState as MachineState,
  type SessionStory,
  type SpeechRenderer,
  type StepOutputs,
  storageFileByteLength,
  type StorageFile,
  type TimedStep,
} from '@ccai-sim/fixtures'
import type { CrmIntegrationSettings } from '@ccai-sim/schemas'
import type { SimulatorConfig } from '../config.js'
import {
  CrmFlowPlanner,
  CrmFlowRun,
  CrmRateLimitGate,
  type CrmExchangeRecord,
  type CrmFlowReport,
  type CrmRetryPolicy,
} from '../crm/flow-engine.js'
import { jsonBodyText, uploadFileByteLength } from '../crm/request-builder.js'
import { substituteUrl } from '../crm/template.js'
import type { CrmExchange, CrmHttpRequest } from '../crm/types.js'
import { SimulatorError } from '../errors.js'
import type { VirtualClock } from '../clock/virtual-clock.js'
import { EmissionBus } from './bus.js'
import { Journal, type JournalInput } from './journal.js'
import { compareEmissions } from './compare-emissions.js'
import type { MailTransport, StorageSink } from './sinks.js'
import { LoadGenerator } from './load-generator.js'
import { AgentRoster, type RosterAgent } from './roster.js'
import type { ResumeState, SavedSession, SessionRecorder } from './resume.js'

export type SessionState = 'live' | 'ended' | 'complete'

/** A session the runner is playing: the machine's state, its story so far, what it published. */
export interface LiveSession {
  readonly id: number
  readonly scenario: string
  readonly seed: number
  /** The scenario's index for this seed (with scenario, seed, start and params it recreates the script). */
  readonly index: number
  readonly params: ScenarioParams
  readonly startedAt: number
  /** `manual`: the agent's part waits for a person or a client (control API, adapter page, peers). */
  readonly agent: 'scripted' | 'manual'
  readonly overrides: SessionOverrides
  /** The machine's state (see `@ccai-sim/fixtures`, "Sessions react"). */
  machine: MachineState
  /** The story so far: cast, what the CRM answered, every step. */
  story: SessionStory
  /** Every input the machine applied, in order: `replaySession` gives the same story from them. */
  readonly inputs: SessionInput[]
  /** Everything published so far, in order. */
  readonly emissions: Emission[]
  /**
   * Storage files written (or being written), without their content: the storage sinks hold the
   * bytes, and a kept completed session holding its recordings too made memory grow with
   * `sessions.keepCompleted` (about 300 KB a session in the soak).
   */
  readonly files: WrittenFile[]
  /** Emissions and files published; `total` adds those already due later. */
  delivered: number
  total: number
  state: SessionState
}

/** A storage file as a session lists it: where, when, what, and how many bytes. */
export interface WrittenFile {
  readonly path: string
  readonly at: number
  readonly contentType: string
  readonly contract?: string
  readonly bytes: number
}

/** What a session started by an API client fixes instead of drawing it (the Apps API). */
export interface SessionOverrides {
  /** The agent who handles it (an outbound call's caller). */
  readonly agentId?: number | undefined
  /** The customer's number (E.164). */
  readonly phone?: string | undefined
  /**
   * The API request that created the session (Apps API): it replaces the script's opening and is
   * the session's first input; its `ticketId` is the CRM record the generic-API flow uses.
   */
  readonly api?: ApiCreateInput | undefined
}

export interface StartSessionInput {
  readonly scenario: string
  readonly seed?: number | undefined
  readonly params?: ScenarioParams | undefined
  readonly agent?: 'scripted' | 'manual' | undefined
  readonly overrides?: SessionOverrides | undefined
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
  /** Speaks the recordings' words (`prepareSpeech`); without it, tones. */
  readonly speech?: SpeechRenderer | undefined
}

/** End users whose CRM account id the runtime remembers (a returning caller is found by ID). */
const KNOWN_ACCOUNTS_LIMIT = 10_000

type CrmExchangeEntry = Extract<JournalInput, { readonly type: 'crm-exchange' }>

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
  if (body.kind === 'json') return cut(jsonBodyText(body))
  return cut(
    body.fields
      .map((f) =>
        f.file === undefined
          ? `${f.name}=${f.value ?? ''}`
          : `${f.name}=@${f.file.filename} (${f.file.contentType}, ${String(uploadFileByteLength(f.file))} bytes)`,
      )
      .join('&'),
  )
}

/** Errors of fire-and-forget work (a sink write) go to the journal, never to an unhandled rejection. */
function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

/** Something a session will do at a later virtual time: an input, or a payload due then. */
type Due =
  | {
      readonly at: number
      readonly order: number
      readonly kind: 'input'
      readonly input: SessionInput
    }
  | {
      readonly at: number
      readonly order: number
      readonly kind: 'emission'
      readonly emission: Emission
    }
  | {
      readonly at: number
      readonly order: number
      readonly kind: 'file'
      readonly file: StorageFile
    }

/** The runner's own bookkeeping for a live session (not part of what the API shows). */
interface Driver {
  readonly session: LiveSession
  /**
   * The story so far as the runtime and the projector read it: its steps array grows in place with
   * each step (a new array per step made a session's steps cost their square, each copy surviving
   * into the old space while every other live session ran). `session.story` is a snapshot of it
   * with its own steps, made when read (see STORY); the view itself is handed out only once the
   * session is complete (`checkComplete`), after which a step copies its steps before adding.
   */
  view: SessionStory
  /** The snapshot `session.story` gave for `snapshotOf`, the view it was made of. */
  snapshot: SessionStory | undefined
  snapshotOf: SessionStory | undefined
  readonly project: (story: SessionStory, step: TimedStep) => StepOutputs
  /**
   * The script's inputs not run yet, from `scriptNext`, in time order: due items of their own,
   * ahead of every queued one of the same time (they were due first). Read in place, where a due
   * entry per scripted input (~30 a session, each alive until its time) was made at the start.
   */
  script: readonly SessionInput[]
  scriptNext: number
  /** Due items other than the script's, by time then order. */
  readonly due: Due[]
  order: number
  /** The virtual time the session's one clock timer is armed for (Infinity: none). */
  armedAt: number
  /**
   * The session's clock timer callback, made once: arming it again and again (once per due time)
   * allocated a closure per arming, each alive until its time came (promoted to the old space).
   */
  readonly wake: (at: number) => void
  readonly generation: number
  crm: { readonly run: CrmFlowRun; readonly planner: CrmFlowPlanner } | undefined
  /** Waiting for routing to offer it to an agent (manual sessions). */
  waiting: boolean
  /** File writes under way. */
  writing: number
  /** Inputs being applied now (above 0: an input applied now is nested in another's steps). */
  depth: number
  /** Due items run so far (a logged input records it: where it came among them). */
  consumed: number
  /** Set while a resumed session re-runs what it did before a restart (see resume.ts). */
  resume: ResumeState | undefined
}

/**
 * Something that follows the sessions and the agents' presence as they change (the agent-desktop
 * peers): told of each step after the machine applied it and of each presence change. Watchers
 * only observe; they drive sessions through `command` and the roster like any client.
 */
export interface RuntimeWatcher {
  step?(session: LiveSession, step: TimedStep): void
  presence?(agent: RosterAgent, command: string): void
  /** Whether a new chat session without an explicit `agent` should wait for a person (manual). */
  takesChats?(): boolean
  /** Whether routing may offer this session to this agent (false: the agent's desktop cannot take it). */
  mayOffer?(agentId: number, session: LiveSession): boolean
}

/** A command refused by the session machine: it does not fit the session now. */
export class CommandRefusedError extends SimulatorError {
  constructor(message: string) {
    super('invalid_command', message)
  }
}

/**
 * The session runner: starts scenarios (on demand or as continuous load) and drives each session's
 * machine on the virtual clock — its script, the agents' and API clients' commands, the CRM's
 * answers, the machine's timers — projecting each step onto every surface as it happens and
 * publishing to the bus, the storage sink and mail. A session holds one clock timer at a time (for
 * its next due input or payload), so the cost of an event does not grow with the live sessions.
 */
export class SimulatorRuntime {
  readonly config: SimulatorConfig
  readonly clock: VirtualClock
  readonly bus = new EmissionBus()
  readonly journal: Journal
  readonly storage: StorageSink
  readonly mail: MailTransport
  readonly roster: AgentRoster
  private readonly sessions = new Map<number, LiveSession>()
  private readonly drivers = new Map<number, Driver>()
  /** Manual sessions waiting for routing to offer them to an agent. */
  private readonly waiting = new Set<Driver>()
  private counter = 0
  private generation = 0
  private readonly inflight = new Set<Promise<unknown>>()
  private readonly load: LoadGenerator
  private readonly crm: RuntimeCrm | undefined
  private readonly speech: SpeechRenderer | undefined
  /** Ids of completed sessions, oldest first. */
  private completed: number[] = []
  /** One rate limit for the whole CRM: a 429 holds every session's requests (reference §8). */
  private crmGate = new CrmRateLimitGate()
  /** Account ids learned per end user (`UJET_ID`), so a later session can find its account by ID. */
  private readonly crmAccounts = new Map<number, string>()
  private readonly watchers = new Set<RuntimeWatcher>()
  /** The session-input log (resume.ts): starts, external inputs, what was published. */
  private recorder: SessionRecorder | undefined
  /** Resuming sessions: routing waits until every one is rebuilt. */
  private resuming = false

  constructor(deps: RuntimeDeps) {
    this.config = deps.config
    this.clock = deps.clock
    this.storage = deps.storage
    this.mail = deps.mail
    this.crm = deps.config.crm.enabled ? deps.crm : undefined
    this.speech = deps.speech
    this.journal = new Journal(deps.config.journal.limit)
    this.roster = new AgentRoster({
      seed: deps.config.seed,
      now: () => this.clock.now(),
      schedule: (at, fn) => {
        const generation = this.generation
        this.clock.schedule(at, () => {
          if (generation === this.generation) fn()
        })
      },
      publish: (emission) => {
        this.publishEmission(emission)
      },
      onChange: (agent, command) => {
        this.journal.add({
          at: this.clock.now(),
          type: 'agent',
          agentId: agent.entity.id,
          command,
          presence: agent.state.presence,
        })
        if (this.watchers.size > 0)
          for (const watcher of this.watchers) watcher.presence?.(agent, command)
        if (agent.state.presence === 'available') this.route()
      },
      idleLogoutMs: deps.config.agents.idleLogoutMinutes * 60_000,
    })
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
    const params = input.params ?? {}
    const overrides = input.overrides ?? {}
    let index = this.counter++
    let script = scenarioScript(input.scenario, { seed, index, refDate: now, params })
    while (this.sessions.has(script.cast.id)) {
      index = this.counter++
      script = scenarioScript(input.scenario, { seed, index, refDate: now, params })
    }
    const agent =
      input.agent ??
      (script.cast.kind === 'chat' &&
      this.watchers.size > 0 &&
      [...this.watchers].some((w) => w.takesChats?.() === true)
        ? 'manual'
        : 'scripted')
    const driver = this.open(
      { scenario: input.scenario, seed, index, params, agent, overrides, startedAt: now },
      sessionScript(script, agent, overrides),
    )
    const { session } = driver
    this.journal.add({
      at: now,
      type: 'session-started',
      sessionId: session.id,
      scenario: input.scenario,
      seed,
      index,
      params,
      agent,
      overrides: { ...overrides },
    })
    this.recorder?.started(session)
    this.pump(driver)
    return session
  }

  /** Creates a session and its driver with its script due; nothing runs yet. */
  private open(
    start: Pick<
      LiveSession,
      'scenario' | 'seed' | 'index' | 'params' | 'agent' | 'overrides' | 'startedAt'
    >,
    script: SessionScript,
  ): Driver {
    const { agent } = start
    const machine = initialSessionState(script.cast, {
      agent,
      offerTimeoutMs: this.config.agents.offerTimeoutSeconds * 1000,
    })
    const story = storyOf(machine, [])
    // The fields in the order they always had, `story` an accessor among them (see STORY).
    const session = { id: script.cast.id, ...start, machine } as Mutable<LiveSession>
    Object.defineProperty(session, 'story', STORY)
    session.inputs = []
    session.emissions = []
    session.files = []
    session.delivered = 0
    session.total = 0
    session.state = 'live'
    const driver: Driver = {
      session,
      view: story,
      snapshot: undefined,
      snapshotOf: undefined,
      project: createSessionProjector(story, {
        email: this.config.email.outcome,
        storage: {
          maxRecordingSeconds: this.config.storage.maxRecordingSeconds,
          ...(this.speech ? { speech: this.speech } : {}),
        },
      }),
      script: inTimeOrder(script.inputs),
      scriptNext: 0,
      due: [],
      // The script's inputs hold the first orders (they were queued first).
      order: script.inputs.length,
      armedAt: Number.POSITIVE_INFINITY,
      wake: (at) => {
        // A timer armed for a time the session no longer waits for (armed again earlier since).
        if (driver.armedAt !== at) return
        driver.armedAt = Number.POSITIVE_INFINITY
        this.pump(driver)
      },
      generation: this.generation,
      crm: undefined,
      waiting: false,
      writing: 0,
      depth: 0,
      consumed: 0,
      resume: undefined,
    }
    Object.defineProperty(session, DRIVER, { value: driver })
    this.sessions.set(session.id, session)
    this.drivers.set(session.id, driver)
    return driver
  }

  // -------------------------------------------------------------------------------------------
  // Resuming after a restart (the log and the decisions are in resume.ts and session-log.ts)

  /** Records every session start, external input and publication from now on. */
  setRecorder(recorder: SessionRecorder | undefined): void {
    this.recorder = recorder
  }

  /**
   * Rebuilds sessions a previous process left live, oldest first: each re-runs its script and its
   * recorded inputs through the machine at their recorded positions, publishing only what the log
   * does not mark as published, then goes on with its script at the clock's time. Routing waits
   * until all are rebuilt. The clock must already be where the log left it (resume.ts's
   * `resumeSessions` moves it there first).
   */
  resumeSessions(saved: readonly SavedSession[]): LiveSession[] {
    this.resuming = true
    const resumed: LiveSession[] = []
    try {
      for (const entry of saved) {
        const { start } = entry
        const script = sessionScript(
          scenarioScript(start.scenario, {
            seed: start.seed,
            index: start.index,
            refDate: start.startedAt,
            params: start.params,
          }),
          start.agent,
          start.overrides,
        )
        if (this.sessions.has(script.cast.id)) continue
        const driver = this.open(start, script)
        this.counter = Math.max(this.counter, start.index + 1)
        driver.resume = {
          inputs: [...entry.inputs],
          skipEmissions: entry.emitted,
          written: new Set(entry.files),
          doneAt: entry.doneAt,
          crmSkipped: false,
        }
        const { session } = driver
        const pending = driver.resume.inputs
        // Each recorded input after as many due items as had run before it (exact on any clock).
        let refused: string | undefined
        for (
          let next = pending[0];
          next !== undefined && refused === undefined;
          next = pending[0]
        ) {
          const behind = next.nested ? session.inputs.length < next.n : driver.consumed < next.d
          if (behind && this.runNextDue(driver)) continue
          pending.shift()
          refused = this.apply(driver, next.input)
          if (refused !== undefined) this.dropResumed(driver, next.input, refused)
        }
        if (refused !== undefined) continue
        this.pump(driver)
        resumed.push(session)
      }
    } finally {
      this.resuming = false
    }
    this.route()
    return resumed
  }

  /**
   * A recorded input the machine refuses (a log of another version): the session is not resumed
   * (journaled as `input-refused`, and dropped from the log) rather than resumed differently.
   */
  private dropResumed(driver: Driver, input: SessionInput, reason: string): void {
    const { session } = driver
    this.journal.add({
      at: this.clock.now(),
      type: 'input-refused',
      sessionId: session.id,
      input,
      reason: `not resumed after the restart: its recorded input no longer fits (${reason})`,
    })
    this.sessions.delete(session.id)
    this.drivers.delete(session.id)
    this.recorder?.finished(session)
  }

  /** Runs a resuming session's next due item whatever its time; false when none is left. */
  private runNextDue(driver: Driver): boolean {
    return this.runDue(driver, Number.POSITIVE_INFINITY)
  }

  /** A resuming session's recorded inputs that were applied inside another's steps, here. */
  private replayNested(driver: Driver): void {
    const pending = driver.resume?.inputs
    if (!pending) return
    for (let next = pending[0]; next !== undefined; next = pending[0]) {
      if (!next.nested || next.n !== driver.session.inputs.length) return
      pending.shift()
      this.apply(driver, next.input)
    }
  }

  /** Applies an input from outside the script (a client, routing, the CRM) and logs it. */
  private applyExternal(driver: Driver, input: SessionInput): string | undefined {
    const n = driver.session.inputs.length
    const d = driver.consumed
    const nested = driver.depth > 0
    const refused = this.apply(driver, input)
    if (refused === undefined) this.recorder?.input(driver.session, { n, d, nested, input })
    return refused
  }

  /** Follows steps and presence changes until the returned function is called. */
  watch(watcher: RuntimeWatcher): () => void {
    this.watchers.add(watcher)
    return () => {
      this.watchers.delete(watcher)
    }
  }

  getSession(id: number): LiveSession | undefined {
    return this.sessions.get(id)
  }

  listSessions(): LiveSession[] {
    return [...this.sessions.values()]
  }

  /** The session's generic-API flow report; undefined when the CRM flow is off for it. */
  crmReport(id: number): CrmFlowReport | undefined {
    const driver = this.drivers.get(id)
    if (!driver || !this.crm) return undefined
    if (driver.crm) return driver.crm.run.report()
    // Not set up yet: the flow starts at record setup (reference §5.2).
    return {
      sessionId: id,
      state: 'waiting',
      accountId: null,
      recordId: null,
      actions: [],
      steps: [],
      notes: [
        'the flow starts at record setup: a chat when it is created, a call when an agent connects (or at its end)',
      ],
    }
  }

  /**
   * Applies a command to a live session now (an agent's, a customer's, an API client's), as the
   * session machine decides; throws `CommandRefusedError` when it does not fit.
   */
  command(sessionId: number, body: SessionInputBody): LiveSession {
    const driver = this.drivers.get(sessionId)
    if (!driver)
      throw new SimulatorError('unknown_session', `no session with id ${String(sessionId)}`)
    const input = { ...body, at: this.clock.now() } as SessionInput
    const refused = this.applyExternal(driver, input)
    if (refused !== undefined) throw new CommandRefusedError(refused)
    this.pump(driver)
    return driver.session
  }

  /**
   * Re-runs a session from the inputs it was given (scripted, agents', API clients', the CRM's,
   * timers) through the machine and the projections, with no I/O, and compares the result with
   * what was published: the same inputs must give byte-identical steps and emissions.
   */
  replay(id: number): ReplayReport {
    const session = this.sessions.get(id)
    if (!session) throw new SimulatorError('unknown_session', `no session with id ${String(id)}`)
    const { story } = replayInputs(session, { email: this.config.email.outcome })
    const replayed = projectSession(story, { email: this.config.email.outcome })
    // Only what was due by now: a live session has not published its later payloads yet.
    const compared = compareEmissions(session.emissions, replayed.emissions)
    const steps = JSON.stringify(story.steps) === JSON.stringify(session.story.steps)
    return {
      sessionId: id,
      inputs: session.inputs.length,
      steps: story.steps.length,
      emissions: session.emissions.length,
      identical: steps && compared.identical,
      ...(compared.identical
        ? {}
        : { firstDifference: { published: compared.a, replayed: compared.b } }),
    }
  }

  /** Forgets every session and timer and empties the sinks; the clock keeps its time. */
  async reset(): Promise<void> {
    this.generation += 1
    this.recorder?.reset()
    this.clock.clearTimers()
    this.sessions.clear()
    for (const driver of this.drivers.values()) driver.crm?.run.cancel()
    this.drivers.clear()
    this.waiting.clear()
    this.roster.clear()
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

  /**
   * Manual clock: moves virtual time to `at` one due timer at a time, letting the work each one
   * starts (a CRM request and its answer, a file write) finish at that virtual time before the
   * clock moves on — so a session's CRM record is known at the step that asked for it, as on a
   * real clock, however far one call advances.
   */
  async advanceTo(at: number): Promise<number> {
    for (;;) {
      const next = this.clock.nextAt
      if (next === undefined || next > at) break
      this.clock.set(Math.max(next, this.clock.now()))
      // Most timers start no work (a step's payloads are published synchronously): nothing to
      // wait for, so no turn of promises per timer.
      if (this.inflight.size > 0) await this.settle()
    }
    this.clock.set(at)
    await this.settle()
    return at
  }

  /** `advanceTo(now + ms)`. */
  advance(ms: number): Promise<number> {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new SimulatorError(
        'invalid_request',
        `advance: expected a non-negative number of milliseconds, received ${String(ms)}`,
      )
    }
    return this.advanceTo(this.clock.now() + ms)
  }

  /** Waits for sink writes, mail sends and CRM requests already under way. */
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

  // -------------------------------------------------------------------------------------------
  // Driving a session

  /** Queues `item`, a new object of the caller's that becomes the due entry (given its `order`). */
  private enqueue(driver: Driver, item: DistributiveOmit<Due, 'order'>): void {
    // `order` added to the caller's new object (same keys in the same order for every item of a
    // kind: one hidden class each), not a copy of it: see Journal.add.
    const entry = item as { order?: number } & typeof item
    entry.order = driver.order++
    const { due } = driver
    // Mostly appended in time order: insert from the back.
    let i = due.length
    while (i > 0) {
      const prev = due[i - 1]
      if (prev === undefined || prev.at <= entry.at) break
      i -= 1
    }
    due.splice(i, 0, entry as Due)
    driver.session.total += entry.kind === 'input' ? 0 : 1
  }

  /** Runs what is due now, then keeps one clock timer for the session's next due item. */
  private pump(driver: Driver): void {
    if (driver.generation !== this.generation) return
    const now = this.clock.now()
    while (this.runDue(driver, now));
    this.checkComplete(driver)
    const at = nextDueAt(driver)
    if (at === undefined || at >= driver.armedAt) return
    driver.armedAt = at
    this.clock.schedule(at, driver.wake)
  }

  /**
   * Runs the session's next due item (its script's next input or a queued item, whichever is
   * earlier; the script's on a tie) when it is due by `now`; false when none is.
   */
  private runDue(driver: Driver, now: number): boolean {
    const scripted = driver.script[driver.scriptNext]
    const queued = driver.due[0]
    if (scripted !== undefined && (queued === undefined || scripted.at <= queued.at)) {
      if (scripted.at > now) return false
      driver.scriptNext += 1
      // Its inputs are in the session's inputs from here on: the array is not kept for them.
      if (driver.scriptNext === driver.script.length) driver.script = NO_INPUTS
      driver.consumed += 1
      this.runInput(driver, scripted)
      return true
    }
    if (queued === undefined || queued.at > now) return false
    driver.due.shift()
    driver.consumed += 1
    this.run(driver, queued)
    return true
  }

  /** A scripted input or a machine's timer, due now. */
  private runInput(driver: Driver, scripted: SessionInput): void {
    // Scripted inputs that no longer fit (a manual session's agent) are dropped, not errors.
    // The scripted input itself (inputs are never changed), copied only to move it to 0.
    const input = scripted.at >= 0 ? scripted : { ...scripted, at: 0 }
    const refused = this.apply(driver, input)
    if (refused !== undefined && actorOf(scripted) === 'agent') {
      this.journal.add({
        at: scripted.at,
        type: 'input-refused',
        sessionId: driver.session.id,
        input: scripted,
        reason: refused,
      })
    }
  }

  private run(driver: Driver, item: Due): void {
    switch (item.kind) {
      case 'input':
        this.runInput(driver, item.input)
        return
      case 'emission':
        this.emit(driver, item.emission)
        return
      case 'file':
        this.writeFile(driver, item.file)
        return
    }
  }

  /** Applies one input to the session machine; returns the refusal, if any. */
  private apply(driver: Driver, input: SessionInput): string | undefined {
    const { session } = driver
    const before = session.machine
    const transition = applyInput(before, input)
    if (transition.rejected) return transition.rejected.message
    session.machine = transition.state
    session.inputs.push(input)
    this.journal.add({ at: input.at, type: 'input', sessionId: session.id, input })
    for (const timer of transition.timers)
      this.enqueue(driver, { kind: 'input', at: timer.at, input: timer })
    if (transition.steps.length > 0 || before.ticket !== transition.state.ticket) {
      // The view's steps grow in place (see Driver.view), its fields anew; but not those of a
      // view that became its snapshot (`checkComplete`, a story set): they were given out.
      const { view } = driver
      const steps = (driver.snapshot === view ? view.steps.slice() : view.steps) as TimedStep[]
      for (const step of transition.steps) steps.push(step)
      driver.view = storyOf(transition.state, steps)
    }
    // An input applied while these steps play out is nested in this one (resume.ts).
    driver.depth += 1
    try {
      for (const step of transition.steps) {
        this.onStep(driver, step, before)
        if (driver.resume?.inputs.length) {
          // Peers have no clients yet; an input one applied inside this step was recorded.
          this.replayNested(driver)
          continue
        }
        // Guarded: iterating even an empty set allocates (one iterator per step).
        if (this.watchers.size > 0)
          for (const watcher of this.watchers) watcher.step?.(session, step)
      }
    } finally {
      driver.depth -= 1
    }
    return undefined
  }

  private onStep(driver: Driver, step: TimedStep, before: MachineState): void {
    const { session } = driver
    // The story as this step left it (inputs nested in the presence changes below may add steps).
    const story = driver.view
    const length = story.steps.length
    // Presence first: an agent is logged in before the platform offers them anything.
    let freed = false
    for (const { agentId, input } of presenceInputsOf(step, session.id, before.connected)) {
      if (input.type === 'session_taken') this.roster.ensureLoggedIn(agentId)
      this.roster.sessionInput(agentId, input)
      // An agent who takes several sessions at once has room again without becoming available.
      const agent = this.roster.get(agentId)
      if (input.type === 'session_released' && agent && agent.capacity > 1) freed = true
    }
    if ((step.kind === 'abandoned' || step.kind === 'ended') && before.offeredTo !== null) {
      this.roster.sessionInput(before.offeredTo, {
        type: 'session_released',
        sessionId: session.id,
      })
    }
    if (step.kind === 'offer_missed') this.roster.missed(step.agentId)

    const out = driver.project(story, step)
    for (const emission of out.emissions)
      this.enqueue(driver, { kind: 'emission', at: emission.at, emission })
    for (const file of out.files) {
      if (this.config.storage.enabled) this.enqueue(driver, { kind: 'file', at: file.at, file })
      else if (driver.crm)
        driver.crm.run.append(driver.crm.planner.onFile(snapshotOf(driver, story, length), file))
    }

    this.crmStep(driver, step)
    if (step.kind === 'files_ready' && driver.crm) {
      // The update follows the uploads of the files written now (queued above, sent as written).
      const { run, planner } = driver.crm
      const later = out.files.some((f) => f.at > step.at)
      if (!later && (!this.config.storage.enabled || out.files.length === 0)) {
        run.append(planner.finish(snapshotOf(driver, story, length)))
        run.close()
      }
    }
    if ((step.kind === 'queued' || step.kind === 'offer_missed') && session.agent === 'manual') {
      driver.waiting = true
      this.waiting.add(driver)
      this.route()
    }
    if (step.kind === 'ended' || step.kind === 'abandoned') {
      if (session.state === 'live') session.state = 'ended'
    }
    if (freed) this.route()
  }

  /**
   * Offers waiting manual sessions to available agents, longest-waiting session to longest-idle
   * agent (the roster's order).
   */
  private route(): void {
    // A resuming session's offers are recorded inputs: replayed where they happened, not drawn.
    if (this.resuming) return
    // The waiting drivers in the order of the sessions' starts (the drivers' own order), each
    // visited once, seeing changes made on the way as a pass over every driver would: only the
    // waiting are looked at, so an agent becoming available costs nothing per live session.
    let last = -1
    for (;;) {
      let driver: Driver | undefined
      for (const d of this.waiting) {
        const index = d.session.index
        if (index > last && (driver === undefined || index < driver.session.index)) driver = d
      }
      if (driver === undefined) return
      last = driver.session.index
      const { machine } = driver.session
      if (machine.phase !== 'routing' || machine.endedAt !== null) {
        this.stopWaiting(driver)
        continue
      }
      const session = driver.session
      const available = this.roster.routable()
      // Nobody to offer to: no later session can be offered either.
      if (available.length === 0) return
      const routable = available.filter((a) =>
        [...this.watchers].every((w) => w.mayOffer?.(a.entity.id, session) !== false),
      )
      // An agent who has not missed or declined it yet first; when every one has, the first of
      // them again rather than nobody (the session would wait for an agent who may never come).
      const agent = routable.find((a) => !machine.missed.includes(a.entity.id)) ?? routable[0]
      // None for this one (a call and a chats-only desktop): it keeps waiting, and the sessions
      // behind it are still offered.
      if (!agent) continue
      this.stopWaiting(driver)
      this.applyExternal(driver, {
        type: 'platform.offer',
        agentId: agent.entity.id,
        at: this.clock.now(),
      })
      this.pump(driver)
    }
  }

  private stopWaiting(driver: Driver): void {
    driver.waiting = false
    this.waiting.delete(driver)
  }

  // -------------------------------------------------------------------------------------------
  // The generic API (reference §5): planned as the session happens, answers fed back as inputs

  private crmStep(driver: Driver, step: TimedStep): void {
    const { resume } = driver
    if (resume && (step.at <= resume.doneAt || resume.crmSkipped)) {
      // Done before the restart: never sent again. A flow set up then is not resumed (resume.ts).
      if (isSetup(driver, step)) {
        resume.crmSkipped = this.crm !== undefined
        this.replayNested(driver)
      }
      return
    }
    if (!this.crm) {
      if (isSetup(driver, step))
        this.answerNoRecord(driver, 'the CRM integration is off (crm.enabled: false)')
      return
    }
    if (!driver.crm && isSetup(driver, step)) driver.crm = this.startCrmFlow(driver, this.crm)
    // The view, not a snapshot: the planner reads the story only while it plans (its drafts keep
    // the variables it computed, not the story), so no steps copy per step.
    if (driver.crm) driver.crm.run.append(driver.crm.planner.onStep(driver.view, step))
  }

  private startCrmFlow(driver: Driver, crm: RuntimeCrm): Driver['crm'] {
    const { session } = driver
    const generation = this.generation
    const endUser = driver.view.endUser.id
    const settings = crm.settings()
    const planner = new CrmFlowPlanner(settings, {
      updateRecordOn: this.config.crm.updateRecordOn,
    })
    const plan = {
      sessionId: session.id,
      settings,
      capabilities: planner.capabilities,
      knownAccountId: this.crmAccounts.get(endUser),
      knownRecordId: session.overrides.api?.ticketId ?? undefined,
      actions: [],
      notes: planner.notes,
    }
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
      onRecord: (outcome) => {
        if (generation !== this.generation) return
        if (outcome.recordId === undefined) {
          this.answerNoRecord(driver, outcome.reason)
          return
        }
        const variables = { RECORD_ID: outcome.recordId, ACCOUNT_ID: outcome.accountId ?? '' }
        const template = settings.record_lookup_url
        const url =
          template === undefined || template === null || template === ''
            ? null
            : substituteUrl(template, variables)
        this.feed(driver, {
          type: 'crm.record',
          ticket: { id: outcome.recordId, url, account_id: outcome.accountId ?? '' },
        })
      },
    })
    run.keepOpen()
    if (!planner.setsUpRecord) {
      this.answerNoRecord(driver, planner.notes[0] ?? 'the settings set up no record')
    }
    return { run, planner }
  }

  private answerNoRecord(driver: Driver, reason: string): void {
    this.feed(driver, { type: 'crm.none', reason })
  }

  /** An input from outside the script (the CRM's answer) at the current time. */
  private feed(driver: Driver, body: SessionInputBody): void {
    if (driver.generation !== this.generation) return
    if (driver.resume?.inputs.length) {
      // The answer given before the restart is recorded: it is replayed, not asked again.
      this.replayNested(driver)
      return
    }
    this.applyExternal(driver, { ...body, at: this.clock.now() })
    this.pump(driver)
  }

  private journalCrmExchange(record: CrmExchangeRecord): void {
    const { exchange } = record
    const { request, response } = exchange
    const requestBody = requestBodyText(request)
    // Field by field in the entry's order, optional ones only when known (the same entry as a
    // literal of conditional spreads, which V8 copies generically: a few per CRM request).
    const entry: { -readonly [K in keyof CrmExchangeEntry]: CrmExchangeEntry[K] } = {
      at: record.at,
      type: 'crm-exchange',
      sessionId: record.sessionId,
      step: record.step,
      endpoint: request.endpoint,
      attempt: record.attempt,
      method: request.method,
      url: request.url,
    } as CrmExchangeEntry
    if (response) {
      entry.status = response.status
      entry.durationMs = response.durationMs
    }
    if (exchange.error !== undefined) entry.error = exchange.error
    entry.outcome = record.outcome
    if (record.retry !== undefined) entry.retry = record.retry
    if (record.nextAttemptAt !== undefined) entry.nextAttemptInMs = record.nextAttemptAt - record.at
    entry.requestHeaders = exchange.sentHeaders
    if (requestBody !== undefined) entry.requestBody = requestBody
    if (response) entry.responseBody = cut(response.bodyText)
    this.journal.add(entry)
  }

  // -------------------------------------------------------------------------------------------
  // Publishing

  private checkComplete(driver: Driver): void {
    const { session } = driver
    if (session.state === 'complete') return
    if (session.machine.phase !== 'done' || driver.writing > 0) return
    if (driver.due.length > 0 || driver.scriptNext < driver.script.length) return
    session.state = 'complete'
    driver.resume = undefined
    // A kept completed session holds one steps array: the view is given out as its own snapshot
    // from here on (a step after this copies the steps before adding to them, see `apply`), and
    // a snapshot read on the way is let go.
    driver.snapshot = driver.view
    driver.snapshotOf = driver.view
    this.recorder?.finished(session)
    this.completed.push(session.id)
    this.forgetOldSessions()
  }

  /**
   * Continuous load runs for hours: keep only the newest completed sessions (story, emissions, CRM
   * flow), so memory stays flat. Live sessions, and sessions whose CRM flow is still retrying or
   * queued, are never dropped.
   */
  private forgetOldSessions(): void {
    let excess = this.completed.length - this.config.sessions.keepCompleted
    if (excess <= 0) return
    const kept: number[] = []
    let i = 0
    // Oldest first, and only as far as needed: one completion drops one session, not a pass over
    // every kept one.
    for (; i < this.completed.length && excess > 0; i++) {
      const id = this.completed[i] as number
      const run = this.drivers.get(id)?.crm?.run
      // `done`, not `report().state`: the report copies every action and step of the flow.
      if (!run || run.done) {
        this.sessions.delete(id)
        const driver = this.drivers.get(id)
        if (driver) this.waiting.delete(driver)
        this.drivers.delete(id)
        excess -= 1
      } else {
        kept.push(id)
      }
    }
    if (kept.length === 0) {
      // The usual case: one completion drops the oldest. `shift` moves the array's start (V8
      // trims it in place) where a new array of every kept id was made per completion.
      for (let k = 0; k < i; k++) this.completed.shift()
    } else {
      this.completed = [...kept, ...this.completed.slice(i)]
    }
  }

  private publishEmission(emission: Emission): void {
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
  }

  private emit(driver: Driver, emission: Emission): void {
    const { session } = driver
    session.emissions.push(emission)
    session.delivered += 1
    const { resume } = driver
    if (resume && resume.skipEmissions > 0) {
      // Published before the restart (the outboxes hold it, or delivered it): same key, not again.
      resume.skipEmissions -= 1
      return
    }
    this.publishEmission(emission)
    this.recorder?.emitted(session)
  }

  private writeFile(driver: Driver, file: StorageFile): void {
    const { session } = driver
    // Without reading the content: a recording's bytes are made only for a sink that needs them.
    const bytes = storageFileByteLength(file)
    // Both shapes written out (a literal of a conditional spread is copied generically).
    session.files.push(
      file.contract === undefined
        ? { path: file.path, at: file.at, contentType: file.contentType, bytes }
        : {
            path: file.path,
            at: file.at,
            contentType: file.contentType,
            contract: file.contract,
            bytes,
          },
    )
    if (driver.resume?.written.delete(file.path) === true) {
      // Written before the restart.
      session.delivered += 1
      this.afterFile(driver, file)
      return
    }
    driver.writing += 1
    const generation = driver.generation
    this.track(
      this.storage.write(file).then(
        () => {
          driver.writing -= 1
          if (generation !== this.generation) return
          this.journal.add({
            at: file.at,
            type: 'file-written',
            sessionId: session.id,
            path: file.path,
            bytes,
          })
          session.delivered += 1
          this.recorder?.fileWritten(session, file.path)
          this.afterFile(driver, file)
        },
        (error: unknown) => {
          driver.writing -= 1
          if (generation !== this.generation) return
          this.journal.add({
            at: file.at,
            type: 'file-failed',
            sessionId: session.id,
            path: file.path,
            error: describe(error),
          })
          this.afterFile(driver, file)
        },
      ),
    )
  }

  /** A written file is uploaded to the CRM when configured; the last one lets the update go. */
  private afterFile(driver: Driver, file: StorageFile): void {
    const crm = driver.crm
    const story = driver.view
    if (crm) {
      crm.run.append(crm.planner.onFile(story, file))
      const filesDone =
        driver.session.machine.filesReady &&
        driver.writing === 0 &&
        !driver.due.some((d) => d.kind === 'file')
      if (filesDone) {
        crm.run.append(crm.planner.finish(story))
        crm.run.close()
      }
    }
    this.checkComplete(driver)
  }
}

/** What `replay` found. */
export interface ReplayReport {
  readonly sessionId: number
  readonly inputs: number
  readonly steps: number
  readonly emissions: number
  readonly identical: boolean
  readonly firstDifference?: { readonly published: string | null; readonly replayed: string | null }
}

/** The session machine re-run from a live session's recorded inputs (no presence: the roster's). */
export function replayInputs(
  session: Pick<
    LiveSession,
    'scenario' | 'seed' | 'index' | 'startedAt' | 'params' | 'agent' | 'overrides' | 'inputs'
  >,
  _options: unknown = {},
): { readonly story: SessionStory } {
  const script = sessionScript(
    scenarioScript(session.scenario, {
      seed: session.seed,
      index: session.index,
      refDate: session.startedAt,
      params: session.params,
    }),
    session.agent,
    session.overrides,
  )
  const run = replaySession(script.cast, session.inputs, { agent: session.agent, presence: false })
  return { story: run.story }
}

const NO_INPUTS: readonly SessionInput[] = []

/** `inputs` stably sorted by time: the order queuing them one by one gave (most are already). */
function inTimeOrder(inputs: readonly SessionInput[]): readonly SessionInput[] {
  for (let i = 1; i < inputs.length; i += 1) {
    if ((inputs[i - 1] as SessionInput).at > (inputs[i] as SessionInput).at)
      return [...inputs].sort((a, b) => a.at - b.at)
  }
  return inputs
}

/** When the session's next due item is due (undefined: nothing is). */
function nextDueAt(driver: Driver): number | undefined {
  const scripted = driver.script[driver.scriptNext]
  const queued = driver.due[0]
  if (scripted === undefined) return queued?.at
  return queued === undefined || scripted.at <= queued.at ? scripted.at : queued.at
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/** A session's driver, on the session itself (not enumerable: no reader of the session sees it). */
const DRIVER = Symbol('driver')

/**
 * `LiveSession.story`: a snapshot of the driver's view, so a story given out never changes (its
 * steps array is its own), made once per change of the view and only when someone reads it.
 * Writable as the field it was: a story set becomes the view and its own snapshot (a later step
 * copies its steps rather than add to them). One getter and setter for every session: an accessor
 * of the session's own (a closure per session) made each session a slow dictionary object (~0.8 KB
 * more per live session); a shared pair keeps the sessions' fast shape.
 */
const STORY: PropertyDescriptor = {
  get(this: { [DRIVER]: Driver }): SessionStory {
    const driver = this[DRIVER]
    return snapshotOf(driver, driver.view, driver.view.steps.length)
  },
  set(this: { [DRIVER]: Driver }, story: SessionStory): void {
    const driver = this[DRIVER]
    driver.view = story
    driver.snapshot = story
    driver.snapshotOf = story
  },
  enumerable: true,
  configurable: true,
}

/**
 * `view` as a story to give out, as it was when its steps numbered `length`: its own steps array,
 * so it never changes. The driver keeps the last one made for its current view.
 */
function snapshotOf(driver: Driver, view: SessionStory, length: number): SessionStory {
  const { snapshot } = driver
  if (driver.snapshotOf === view && snapshot?.steps.length === length) return snapshot
  const story: SessionStory = { ...view, steps: view.steps.slice(0, length) }
  driver.snapshot = story
  driver.snapshotOf = view
  return story
}

/** Whether a step is the session's CRM setup (reference §5.2; shared with offline stories). */
function isSetup(driver: Driver, step: TimedStep): boolean {
  const story = driver.view
  const { kind } = story
  // Only a call's connect or end asks whether it connected before: the scan over the steps so far
  // (for every step, it made a session's steps cost their square) runs for those alone.
  if (
    kind === 'call' &&
    step.kind !== 'connected' &&
    step.kind !== 'abandoned' &&
    step.kind !== 'ended'
  )
    return false
  const connectedBefore =
    kind === 'call' &&
    story.steps.some((s) => s.kind === 'connected' && s !== step && s.seq < step.seq)
  return isCrmSetupStep(kind, step, connectedBefore)
}

/**
 * The script a session runs: a manual session keeps only what happens before an agent is involved
 * (the customer arriving, the IVR, the virtual agent, the queue) — routing, the person and the
 * machine's customer do the rest; an outbound or campaign call keeps its dial and the customer's
 * answer. Overrides put the API client's agent and number in place of the drawn ones.
 */
export function sessionScript(
  script: SessionScript,
  agent: 'scripted' | 'manual',
  overrides: SessionOverrides,
): SessionScript {
  let { cast, inputs } = script
  const drawn = cast.agents[0]
  if (overrides.agentId !== undefined && drawn !== undefined && overrides.agentId !== drawn.id) {
    const to = overrides.agentId
    const entity = agentEntity(cast.seed, to, drawn.participant_id)
    cast = { ...cast, agents: [entity, ...cast.agents.slice(1).filter((a) => a.id !== to)] }
    inputs = inputs.map((input) =>
      'agentId' in input && input.agentId === drawn.id ? { ...input, agentId: to } : input,
    )
  }
  if (overrides.phone !== undefined) {
    cast = { ...cast, endUser: { ...cast.endUser, phone: overrides.phone } }
  }
  if (overrides.api !== undefined)
    ({ cast, inputs } = apiSessionScript({ cast, inputs }, overrides.api))
  if (agent === 'manual') {
    const dialled = cast.channel === 'outbound' || cast.channel === 'campaign'
    const cut = dialled
      ? inputs.findIndex((i) => i.type === 'customer.answer' || i.type === 'agent.accept') + 1
      : inputs.findIndex((i) => i.type === 'platform.offer')
    const kept = cut <= 0 ? inputs : inputs.slice(0, cut)
    inputs = kept.filter((i) => actorOf(i) !== 'agent')
  }
  return { cast, inputs }
}
