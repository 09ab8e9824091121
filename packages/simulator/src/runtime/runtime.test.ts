import { DEFAULT_REF_DATE, SCENARIO_NAMES, type Emission } from '@ccai-sim/fixtures'
import { checkContract } from '@ccai-sim/schemas'
import { describe, expect, it } from 'vitest'
import { createSimulatorApp } from '../app.js'
import type { SimulatorConfigInput } from '../config.js'
import { SimulatorError } from '../errors.js'
import { VirtualClock } from '../clock/virtual-clock.js'
import { EmissionBus, matchesFilter } from './bus.js'
import { Journal } from './journal.js'
import { planned } from '../../test/support/planned.js'
import { LoadGenerator } from './load-generator.js'
import { MemoryMail, MemoryStorageSink } from './sinks.js'

const HOUR = 3_600_000
/** Sessions without CRM flows, mail or files: for tests about when sessions start, not what they do. */
const LIGHT = {
  crm: { enabled: false },
  email: { enabled: false },
  storage: { enabled: false },
} as const satisfies SimulatorConfigInput

function manualApp(config: SimulatorConfigInput = {}) {
  const storage = new MemoryStorageSink()
  const mail = new MemoryMail()
  const sim = createSimulatorApp({
    config: {
      ...config,
      clock: { mode: 'manual', ...config.clock },
      // These tests compare with offline stories: no CRM (crm-wiring.test.ts covers the flow).
      crm: { enabled: false, ...config.crm },
    },
    storage,
    mail,
    mailbox: mail,
  })
  return { ...sim, storage, mail }
}

function emission(over: Partial<Emission> = {}): Emission {
  return {
    at: 0,
    surface: 'adapter',
    contract: 'adapter.New_Call',
    sessionId: 1,
    agentId: 7,
    key: '1:adapter:0',
    payload: {},
    ...over,
  }
}

describe('SimulatorRuntime playing one session on a manual clock', () => {
  it('publishes every emission in time order and writes every file, live → ended → complete', async () => {
    const { runtime, storage, mail } = manualApp()
    const published: Emission[] = []
    runtime.bus.subscribe({}, (e) => {
      // Agent presence (the roster's, session 0) is not part of any one session.
      if (e.sessionId !== 0) published.push(e)
    })

    const session = runtime.startSession({ scenario: 'web-chat-va-escalation', seed: 2 })
    const projection = planned(session)
    expect(session.state).toBe('live')
    expect(runtime.getSession(session.id)).toBe(session)
    expect(runtime.listSessions()).toEqual([session])

    const ended = projection.story.steps.find((s) => s.kind === 'ended')
    expect(ended).toBeDefined()
    await runtime.advanceTo(ended?.at ?? 0)
    await runtime.settle()
    expect(session.state).toBe('ended')
    expect(published.length).toBeGreaterThan(0)
    expect(published.length).toBeLessThan(projection.emissions.length)

    await runtime.advance(2 * HOUR)
    await runtime.settle()
    expect(session.state).toBe('complete')
    expect(session.delivered).toBe(session.total)

    // Every emission, once, in the projection's (time) order, each strictly valid.
    expect(published.map((e) => e.key)).toEqual(projection.emissions.map((e) => e.key))
    for (let i = 1; i < published.length; i += 1) {
      expect(published[i]?.at).toBeGreaterThanOrEqual(published[i - 1]?.at ?? 0)
    }
    for (const e of published) {
      expect(checkContract(e.contract, e.payload, { mode: 'strict' }).issues, e.key).toEqual([])
    }

    // Every file, byte for byte.
    const stored = await storage.list()
    expect(stored.map((f) => f.path)).toEqual(projection.files.map((f) => f.path).sort())
    for (const file of projection.files) {
      const expected =
        typeof file.content === 'string' ? new TextEncoder().encode(file.content) : file.content
      expect(await storage.read(file.path)).toEqual(expected)
    }

    // The finished chat sent its outcome email.
    const messages = await mail.list()
    expect(messages).toHaveLength(1)
    expect(messages[0]?.headers['X-CCAI-Session-Id']).toBe(String(session.id))
  })

  it('journals the start, every emission, every file and the mail, in order', async () => {
    const { runtime } = manualApp()
    const session = runtime.startSession({ scenario: 'inbound-ivr-call', seed: 5 })
    await runtime.advance(2 * HOUR)
    await runtime.settle()
    const { entries, dropped, next } = runtime.journal.read({ limit: 10_000 })
    expect(dropped).toBe(0)
    expect(entries[0]).toMatchObject({
      type: 'session-started',
      sessionId: session.id,
      scenario: 'inbound-ivr-call',
      seed: 5,
    })
    expect(
      entries.flatMap((e) => (e.type === 'emitted' && e.sessionId !== 0 ? [e.key] : [])),
    ).toEqual(planned(session).emissions.map((e) => e.key))
    const written = entries.flatMap((e) => (e.type === 'file-written' ? [e.path] : []))
    expect(written.sort()).toEqual(
      planned(session)
        .files.map((f) => f.path)
        .sort(),
    )
    expect(entries.filter((e) => e.type === 'mail-sent')).toHaveLength(
      planned(session).email ? 1 : 0,
    )
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1))
    expect(next).toBe(entries.at(-1)?.seq)
  })

  it('publishes nothing before its time', async () => {
    const { runtime } = manualApp()
    const published: Emission[] = []
    runtime.bus.subscribe({}, (e) => {
      // Agent presence (the roster's, session 0) is not part of any one session.
      if (e.sessionId !== 0) published.push(e)
    })
    const session = runtime.startSession({ scenario: 'inbound-ivr-call' })
    const first = planned(session).emissions[0]?.at ?? 0
    await runtime.advanceTo(first - 1)
    await runtime.settle()
    expect(published).toEqual([])
    await runtime.advanceTo(first)
    expect(published.length).toBeGreaterThan(0)
    expect(published.every((e) => e.at === first)).toBe(true)
  })

  it('writes no files and still completes when storage is off', async () => {
    const { runtime, storage } = manualApp({ storage: { enabled: false } })
    const session = runtime.startSession({ scenario: 'outbound-call' })
    await runtime.advance(2 * HOUR)
    await runtime.settle()
    expect(await storage.list()).toEqual([])
    expect(session.state).toBe('complete')
  })

  it('sends no mail when email is off, yet publishes the email emission', async () => {
    const { runtime, mail } = manualApp({ email: { enabled: false } })
    const published: Emission[] = []
    runtime.bus.subscribe({ surfaces: ['email'] }, (e) => published.push(e))
    const session = runtime.startSession({ scenario: 'web-chat-va-escalation' })
    await runtime.advance(2 * HOUR)
    await runtime.settle()
    expect(published).toHaveLength(1)
    expect(await mail.list()).toEqual([])
    expect(session.state).toBe('complete')
  })

  it('journals a failed file write instead of rejecting', async () => {
    const storage = new MemoryStorageSink()
    storage.write = () => Promise.reject(new Error('disk full'))
    const { runtime } = createSimulatorApp({ config: { clock: { mode: 'manual' } }, storage })
    const session = runtime.startSession({ scenario: 'inbound-ivr-call' })
    await runtime.advance(2 * HOUR)
    await runtime.settle()
    const failed = runtime.journal.read({ type: 'file-failed' }).entries
    expect(failed).toHaveLength(planned(session).files.length)
    expect(failed[0]).toMatchObject({ sessionId: session.id, error: 'disk full' })
  })

  it('refuses an unknown scenario with unknown_scenario naming the field', () => {
    const { runtime } = manualApp()
    let error: unknown
    try {
      runtime.startSession({ scenario: 'no-such-scenario' })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(SimulatorError)
    expect((error as SimulatorError).code).toBe('unknown_scenario')
    expect((error as SimulatorError).issues[0]).toMatchObject({
      path: 'scenario',
      received: 'string "no-such-scenario"',
    })
    expect(runtime.listSessions()).toEqual([])
  })

  it('replays the same scenario and seed as the same session in a fresh simulator', () => {
    const a = manualApp().runtime.startSession({ scenario: 'chat-cobrowse', seed: 11 })
    const b = manualApp().runtime.startSession({ scenario: 'chat-cobrowse', seed: 11 })
    expect(b.id).toBe(a.id)
    expect(planned(b).emissions).toEqual(planned(a).emissions)
  })

  it('gives a second start of the same scenario and seed its own session', () => {
    const { runtime } = manualApp()
    const a = runtime.startSession({ scenario: 'chat-cobrowse', seed: 11 })
    const b = runtime.startSession({ scenario: 'chat-cobrowse', seed: 11 })
    expect(b.id).not.toBe(a.id)
    expect(runtime.listSessions()).toHaveLength(2)
  })

  it('gives out stories that never change: a later step makes a new story, the earlier one keeps its steps', async () => {
    const { runtime } = manualApp()
    const session = runtime.startSession({ scenario: 'inbound-ivr-call', seed: 4 })
    await runtime.advance(5_000)
    const early = session.story
    const earlySteps = early.steps.map((s) => s.kind)
    expect(earlySteps.length).toBeGreaterThan(0)
    // Read again with nothing new: the same story.
    expect(session.story).toBe(early)
    await runtime.advance(3 * 3600_000)
    expect(session.state).toBe('complete')
    expect(session.story).not.toBe(early)
    expect(session.story.steps.length).toBeGreaterThan(earlySteps.length)
    expect(early.steps.map((s) => s.kind)).toEqual(earlySteps)
    expect(session.story.steps.slice(0, earlySteps.length)).toEqual(early.steps)
    // Still a field of the session like any other: listed, serialised, writable.
    expect(Object.keys(session)).toContain('story')
    expect((JSON.parse(JSON.stringify(session)) as typeof session).story).toEqual(session.story)
    session.story = early
    expect(session.story).toBe(early)
  })
})

describe('the journal', () => {
  it('stays within journal.limit, counting what it dropped', async () => {
    const { runtime } = manualApp({ journal: { limit: 100 } })
    for (let i = 0; i < 10; i += 1)
      runtime.startSession({ scenario: SCENARIO_NAMES[i % SCENARIO_NAMES.length] ?? '', seed: i })
    await runtime.advance(3 * HOUR)
    await runtime.settle()
    const all = runtime.journal.read({ limit: 1_000_000 })
    expect(all.entries).toHaveLength(100)
    const total = all.dropped + all.entries.length
    expect(all.dropped).toBeGreaterThan(0)
    // Sequence numbers keep counting: the newest is the total ever added, the oldest kept follows the dropped.
    expect(all.entries[0]?.seq).toBe(all.dropped + 1)
    expect(all.entries.at(-1)?.seq).toBe(total)
  })

  it('pages with since and limit, and filters by type', () => {
    const journal = new Journal(100)
    for (let i = 0; i < 10; i += 1) journal.add({ at: i, type: 'reset' })
    journal.add({ at: 10, type: 'session-started', sessionId: 1, scenario: 'x', seed: 1 })
    const first = journal.read({ limit: 4 })
    expect(first.entries.map((e) => e.seq)).toEqual([1, 2, 3, 4])
    expect(first.next).toBe(4)
    const second = journal.read({ since: first.next, limit: 4 })
    expect(second.entries.map((e) => e.seq)).toEqual([5, 6, 7, 8])
    const rest = journal.read({ since: 8 })
    expect(rest.entries.map((e) => e.seq)).toEqual([9, 10, 11])
    const empty = journal.read({ since: 11 })
    expect(empty).toEqual({ entries: [], dropped: 0, next: 11 })
    expect(journal.read({ type: 'session-started' }).entries.map((e) => e.seq)).toEqual([11])
  })

  it('never reuses a sequence number after clear', () => {
    const journal = new Journal(100)
    journal.add({ at: 0, type: 'reset' })
    journal.clear()
    expect(journal.add({ at: 0, type: 'reset' }).seq).toBe(2)
  })
})

describe('the emission bus', () => {
  it('delivers to matching subscribers until they unsubscribe', () => {
    const bus = new EmissionBus()
    const all: string[] = []
    const qm: string[] = []
    const stopAll = bus.subscribe({}, (e) => all.push(e.key))
    bus.subscribe({ surfaces: ['qm'] }, (e) => qm.push(e.key))
    expect(bus.size).toBe(2)
    bus.publish(emission({ key: 'a' }))
    bus.publish(emission({ key: 'b', surface: 'qm' }))
    stopAll()
    bus.publish(emission({ key: 'c', surface: 'qm' }))
    expect(all).toEqual(['a', 'b'])
    expect(qm).toEqual(['b', 'c'])
    expect(bus.size).toBe(1)
  })

  it('filters by surface, session and agent (emissions without an agent reach every agent)', () => {
    expect(matchesFilter(emission(), {})).toBe(true)
    expect(matchesFilter(emission(), { surfaces: [] })).toBe(true)
    expect(matchesFilter(emission(), { surfaces: ['qm', 'vta'] })).toBe(false)
    expect(matchesFilter(emission(), { sessionId: 1 })).toBe(true)
    expect(matchesFilter(emission(), { sessionId: 2 })).toBe(false)
    expect(matchesFilter(emission(), { agentId: 7 })).toBe(true)
    expect(matchesFilter(emission(), { agentId: 8 })).toBe(false)
    const { agentId: _agent, ...withoutAgent } = emission()
    expect(matchesFilter(withoutAgent, { agentId: 8 })).toBe(true)
  })
})

describe('reset', () => {
  it('forgets sessions, timers and files, and publishes nothing of the old sessions afterwards', async () => {
    const { runtime, storage } = manualApp()
    const published: Emission[] = []
    runtime.bus.subscribe({}, (e) => {
      // Agent presence (the roster's, session 0) is not part of any one session.
      if (e.sessionId !== 0) published.push(e)
    })
    const done = runtime.startSession({ scenario: 'inbound-ivr-call' })
    await runtime.advance(2 * HOUR)
    await runtime.settle()
    expect((await storage.list()).length).toBe(planned(done).files.length)
    runtime.startSession({ scenario: 'chat-cobrowse' })
    const before = runtime.clock.now()

    await runtime.reset()
    expect(runtime.listSessions()).toEqual([])
    expect(runtime.getSession(done.id)).toBeUndefined()
    expect(await storage.list()).toEqual([])
    expect(runtime.clock.pending).toBe(0)
    expect(runtime.clock.now()).toBe(before)
    const journal = runtime.journal.read()
    expect(journal.entries.map((e) => e.type)).toEqual(['reset'])

    const count = published.length
    await runtime.advance(2 * HOUR)
    await runtime.settle()
    expect(published).toHaveLength(count)

    // And it keeps working.
    const fresh = runtime.startSession({ scenario: 'outbound-call' })
    await runtime.advance(2 * HOUR)
    await runtime.settle()
    expect(fresh.state).toBe('complete')
  })
})

describe('continuous load', () => {
  /** The load generator alone on a manual clock: the session starts it asks for, nothing played. */
  function startsOver(
    minutes: number,
    options: { seed: number; perMinute: number; mix?: Record<string, number> },
  ) {
    const clock = new VirtualClock({ mode: 'manual', start: 0 })
    const starts: string[] = []
    const load = new LoadGenerator({
      clock,
      seed: options.seed,
      sessionsPerMinute: options.perMinute,
      mix: options.mix,
      start: (scenario, seed) => starts.push(`${String(clock.now())}:${scenario}:${String(seed)}`),
    })
    load.start()
    clock.advance(minutes * 60_000)
    load.stop()
    return starts
  }

  it('creates about sessionsPerMinute sessions per virtual minute, the same for the same seed', () => {
    const first = startsOver(30, { seed: 7, perMinute: 10 })
    // 300 expected; a Poisson count stays well within ±20% (about 3.5 standard deviations).
    expect(first.length).toBeGreaterThan(240)
    expect(first.length).toBeLessThan(360)
    expect(startsOver(30, { seed: 7, perMinute: 10 })).toEqual(first)
    expect(startsOver(30, { seed: 8, perMinute: 10 })).not.toEqual(first)
    // The default mix draws several scenarios.
    expect(new Set(first.map((s) => s.split(':')[1])).size).toBeGreaterThan(5)
  })

  it('offers every arrival at its own due time when the callbacks run late, as a busy event loop makes them', () => {
    // A clock whose timers fire only when the test says, each 700 ms after it was due (a real-time
    // clock on a loaded machine): the arrivals must still be the ones a punctual clock gives.
    const timers: { at: number; fn: (at: number) => void }[] = []
    let now = 0
    const clock = {
      now: () => now,
      schedule: (at: number, fn: (at: number) => void) => void timers.push({ at, fn }),
    }
    const load = new LoadGenerator({
      clock,
      seed: 7,
      sessionsPerMinute: 60,
      mix: undefined,
      start: () => undefined,
    })
    load.start()
    const scheduledAt: number[] = []
    while (scheduledAt.length < 200) {
      const timer = timers.shift()
      if (!timer) break
      scheduledAt.push(timer.at)
      now = timer.at + 700
      timer.fn(timer.at)
    }
    load.stop()
    const punctual = startsOver(10, { seed: 7, perMinute: 60 }).map((s) => Number(s.split(':')[0]))
    expect(scheduledAt.slice(0, 100)).toEqual(punctual.slice(0, 100))
    // 200 arrivals at 60 a minute span about 200 s of virtual time, not 200 × 0.7 s more.
    expect(scheduledAt.at(-1)).toBeLessThan(320_000)
  })

  it('draws only the scenarios of a configured mix', () => {
    const starts = startsOver(5, {
      seed: 1,
      perMinute: 60,
      mix: { 'outbound-call': 1, 'chat-cobrowse': 0 },
    })
    expect(starts.length).toBeGreaterThan(0)
    expect(new Set(starts.map((s) => s.split(':')[1]))).toEqual(new Set(['outbound-call']))
  })

  it('the runtime starts the sessions its load generator asks for, at their virtual times', async () => {
    const sim = manualApp({ seed: 7, load: { sessionsPerMinute: 10 }, ...LIGHT })
    const { runtime } = sim
    sim.start()
    await runtime.advance(3 * 60_000)
    const started = runtime.journal.read({ type: 'session-started', limit: 100_000 }).entries
    await sim.close()
    const start = Date.parse(DEFAULT_REF_DATE)
    const expected = startsOver(3, { seed: 7, perMinute: 10 }).map((s) => s.split(':'))
    expect(
      started.map((e) => (e.type === 'session-started' ? [e.at - start, e.scenario] : [])),
    ).toEqual(expected.map(([at, scenario]) => [Number(at), scenario]))
  })

  it('starts nothing until start() and nothing after close()', async () => {
    const sim = manualApp({ load: { sessionsPerMinute: 60 }, ...LIGHT })
    const { runtime } = sim
    await runtime.advance(5 * 60_000)
    expect(runtime.listSessions()).toEqual([])
    sim.start()
    await runtime.advance(60_000)
    const count = runtime.listSessions().length
    expect(count).toBeGreaterThan(0)
    await sim.close()
    expect(runtime.clock.pending).toBe(0)
    await runtime.advance(10 * 60_000)
    expect(runtime.listSessions()).toHaveLength(count)
  })

  it('keeps going after a reset', async () => {
    const sim = manualApp({ load: { sessionsPerMinute: 60 }, ...LIGHT })
    const { runtime } = sim
    sim.start()
    await runtime.advance(60_000)
    await runtime.reset()
    expect(runtime.listSessions()).toEqual([])
    await runtime.advance(60_000)
    expect(runtime.listSessions().length).toBeGreaterThan(0)
  })
})

describe('many sessions at once', () => {
  it('plays 200 concurrent sessions to completion, every emission published once', async () => {
    const { runtime, storage } = manualApp({ journal: { limit: 1_000_000 } })
    let published = 0
    runtime.bus.subscribe({}, (e) => {
      if (e.sessionId !== 0) published += 1
    })
    const sessions = Array.from({ length: 200 }, (_, i) =>
      runtime.startSession({
        scenario: SCENARIO_NAMES[i % SCENARIO_NAMES.length] ?? '',
        seed: i + 1,
      }),
    )
    expect(new Set(sessions.map((s) => s.id)).size).toBe(200)
    await runtime.advance(3 * HOUR)
    await runtime.settle()
    expect(sessions.every((s) => s.state === 'complete')).toBe(true)
    expect(published).toBe(sessions.reduce((sum, s) => sum + planned(s).emissions.length, 0))
    expect((await storage.list()).length).toBe(
      sessions.reduce((sum, s) => sum + planned(s).files.length, 0),
    )
    expect(runtime.clock.pending).toBe(0)
  }, 60_000)
})

describe('long runs', () => {
  it('keeps only the newest completed sessions, so continuous load does not grow memory without end', async () => {
    const { runtime } = createSimulatorApp({
      config: {
        clock: { mode: 'manual' },
        email: { enabled: false },
        sessions: { keepCompleted: 5 },
      },
    })
    const batch = async (count: number) => {
      const started = Array.from({ length: count }, () =>
        runtime.startSession({ scenario: 'outbound-call' }),
      )
      await runtime.advance(3 * 3_600_000)
      await runtime.settle()
      return started
    }
    const first = await batch(8)
    // A session whose CRM flow was still running when it completed is kept until a later completion.
    const second = await batch(3)
    const live = runtime.startSession({ scenario: 'outbound-call' })
    const kept = runtime.listSessions().map((s) => s.id)
    expect(kept).toHaveLength(6)
    expect(kept).toContain(live.id)
    expect(kept).toEqual(expect.arrayContaining(second.map((s) => s.id)))
    const forgotten = first.filter((s) => !kept.includes(s.id))
    expect(forgotten).toHaveLength(6)
    for (const session of forgotten) {
      expect(runtime.getSession(session.id)).toBeUndefined()
      expect(runtime.crmReport(session.id)).toBeUndefined()
    }
  })
})
