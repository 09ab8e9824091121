import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createSimulatorApp, type SimulatorApp } from '../app.js'
import { SESSION_LOG_FILE, SessionLog } from './session-log.js'

const START = '2026-03-02T09:00:00.000Z'
const HOOK = 'http://receiver.test/hook'

let dir = ''
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ccai-sim-session-log-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

interface Received {
  readonly key: string
  readonly body: string
}

/** An app whose webhooks land in `received` (acknowledged at once). */
function simulator(received: Received[], runId: string, crm = false): SimulatorApp {
  return createSimulatorApp({
    runId,
    config: {
      seed: 11,
      clock: { mode: 'manual', start: START },
      email: { enabled: false },
      crm: { enabled: crm },
      webhooks: { adapter: [{ url: HOOK }], qm: [{ url: HOOK }] },
    },
    fetch: async (input, init) => {
      const request = new Request(input, init)
      received.push({
        key: request.headers.get('idempotency-key') ?? '',
        body: await request.text(),
      })
      return new Response(null, { status: 204 })
    },
  })
}

/** `route` is "METHOD /path". */
async function send(sim: SimulatorApp, route: string, body?: unknown) {
  const [method = 'GET', path = '/'] = route.split(' ')
  const response = await sim.app.request(path, {
    method,
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  })
  if (!response.ok) throw new Error(`${method} ${path}: ${String(response.status)}`)
  return (await response.json()) as Record<string, unknown>
}

/**
 * Lets the outboxes send what they accepted. Each attempt first waits for its delivery to be on disk
 * (the outbox's log), which on a busy machine takes any number of event-loop turns: each round
 * awaits the runtime's work and the session log's marks (which wait for the outboxes' logs on disk)
 * instead of a budget of turns. A delivery that never goes runs into the test's own timeout.
 */
async function drained(sim: SimulatorApp): Promise<void> {
  for (;;) {
    await sim.runtime.settle()
    // The session log marks what was published once the outboxes' logs have it on disk (their
    // writes are asynchronous): wait for those marks, however long the disk takes.
    await sim.sessionLogSettled()
    if (sim.deliveries().webhooks.pending === 0) return
    await new Promise((resolve) => setImmediate(resolve))
  }
}

/**
 * Two sessions; the chat's customer writes a message (a control-API input) once connected; the
 * run stops `crashAfterMs` later (or plays to the end).
 */
async function play(sim: SimulatorApp, crashAfterMs?: number): Promise<number[]> {
  const chat = await send(sim, 'POST /_sim/sessions', { scenario: 'web-chat-va-escalation' })
  const call = await send(sim, 'POST /_sim/sessions', { scenario: 'inbound-ivr-call' })
  const chatId = chat['id'] as number
  for (let i = 0; i < 200 && sim.runtime.getSession(chatId)?.machine.phase !== 'connected'; i++)
    await send(sim, 'POST /_sim/clock', { advanceMs: 5_000 })
  expect(sim.runtime.getSession(chatId)?.machine.phase).toBe('connected')
  await send(sim, `POST /_sim/sessions/${String(chatId)}/customer/message`, {
    text: 'Before you go: the parcel number is 4471.',
  })
  await send(sim, 'POST /_sim/clock', { advanceMs: crashAfterMs ?? 3 * 3_600_000 })
  await drained(sim)
  return [chatId, call['id'] as number]
}

describe('session-input log: live sessions resume after a crash', () => {
  it.each([
    ['without', false],
    ['with', true],
  ])(
    'a resumed session publishes the rest of what an uninterrupted run publishes, under the same keys, and nothing twice (%s the CRM flow)',
    async (_, crm) => {
      const reference: Received[] = []
      const whole = simulator(reference, 'run1', crm)
      const ids = await play(whole)
      await whole.close()

      const before: Received[] = []
      const first = simulator(before, 'run1', crm)
      await first.openState(dir)
      first.start()
      await play(first, 20_000)
      const live = ids.map((id) => first.runtime.getSession(id)?.state)
      expect(live).toContain('live')
      expect(before.length).toBeGreaterThan(0)
      // A crash: the first app is abandoned as it is, its logs as they are on disk.

      const after: Received[] = []
      const second = simulator(after, 'run2', crm)
      await second.openState(dir)
      second.start()
      expect(second.runId()).toBe('run2')
      // Virtual time resumes where the log left it (the configured start is long past), not later.
      expect(second.runtime.clock.now()).toBeGreaterThan(Date.parse(START) + 60_000)
      expect(second.runtime.clock.now()).toBeLessThanOrEqual(first.runtime.clock.now())
      const resumed = ids.map((id) => second.runtime.getSession(id))
      expect(resumed.every((s) => s !== undefined)).toBe(true)
      if (crm) {
        // The CRM's answer is replayed from the log; the CRM is not asked again.
        expect(resumed[0]?.inputs.some((i) => i.type === 'crm.record')).toBe(true)
        expect(resumed[0]?.story.ticket?.id).toBe(
          first.runtime.getSession(ids[0] ?? 0)?.story.ticket?.id,
        )
      }
      // The customer's message is replayed from the log: the story has it.
      expect(JSON.stringify(resumed[0]?.story.steps)).toContain('parcel number is 4471')
      await send(second, 'POST /_sim/clock', { advanceMs: 3 * 3_600_000 })
      await drained(second)
      expect(ids.map((id) => second.runtime.getSession(id)?.state)).toEqual([
        'complete',
        'complete',
      ])
      const exchanges = second.runtime.journal.read({ type: 'crm-exchange', limit: 10_000 }).entries
      expect(exchanges.filter((e) => 'sessionId' in e && ids.includes(e.sessionId))).toEqual([])

      // Nothing sent twice; together, exactly what the uninterrupted run sent, key for key, body for body.
      const sentBefore = new Set(before.map((r) => r.key))
      expect(after.filter((r) => sentBefore.has(r.key))).toEqual([])
      expect(after.length).toBeGreaterThan(0)
      // Presence (`agent-…` keys) is the roster's, not a session's: the new run logs agents in anew.
      const sessions = (list: Received[]) =>
        list.filter((r) => !r.key.includes(':agent-')).sort((a, b) => a.key.localeCompare(b.key))
      expect(sessions([...before, ...after])).toEqual(sessions(reference))
      // A resumed session keeps its run id; the replay of its inputs gives the same story.
      expect(sessions(after).every((r) => r.key.startsWith('run1:'))).toBe(true)
      expect(
        after.filter((r) => r.key.includes(':agent-')).every((r) => r.key.startsWith('run2:')),
      ).toBe(true)
      for (const id of ids) expect(second.runtime.replay(id).identical).toBe(true)

      // Finished and handed to the outboxes: the log no longer holds them, and closing removes it.
      await second.close()
      await expect(readFile(join(dir, SESSION_LOG_FILE), 'utf8')).rejects.toMatchObject({
        code: 'ENOENT',
      })
    },
    60_000,
  )

  it('a fresh run of the same seed, and a session started after the resume, get keys of their own run', async () => {
    const before: Received[] = []
    const first = simulator(before, 'run1')
    await first.openState(dir)
    first.start()
    await play(first, 20_000)

    const after: Received[] = []
    const second = simulator(after, 'run2')
    await second.openState(dir)
    second.start()
    const fresh = await send(second, 'POST /_sim/sessions', { scenario: 'inbound-ivr-call' })
    await send(second, 'POST /_sim/clock', { advanceMs: 3 * 3_600_000 })
    await drained(second)
    const freshKeys = after.filter((r) => r.key.includes(`:${String(fresh['id'])}:`))
    expect(freshKeys.length).toBeGreaterThan(0)
    expect(freshKeys.every((r) => r.key.startsWith('run2:'))).toBe(true)
    await second.close()

    // The same seed from scratch (no log to resume): the same emission keys under a new run id.
    const again: Received[] = []
    const third = simulator(again, 'run3')
    await play(third)
    await third.close()
    const resumedKeys = new Set([...before, ...after].map((r) => r.key))
    expect(again.length).toBeGreaterThan(0)
    expect(again.filter((r) => resumedKeys.has(r.key))).toEqual([])
    const emissionKey = (key: string) => key.slice(key.indexOf(':') + 1)
    const resumedEmissionKeys = new Set(
      [...before, ...after].filter((r) => r.key.startsWith('run1:')).map((r) => emissionKey(r.key)),
    )
    expect(
      again
        .map((r) => emissionKey(r.key))
        .filter((key) => !key.startsWith('agent-'))
        .sort(),
    ).toEqual([...resumedEmissionKeys].filter((key) => !key.startsWith('agent-')).sort())
  }, 60_000)

  it("a manual session resumes with its routing offer and the agent's commands, and takes new ones after the restart", async () => {
    const agentId = 7
    /** Until the crash: login, offer, accept, a message; after: end and wrap-up (control API). */
    const before = async (sim: SimulatorApp): Promise<number> => {
      await send(sim, `POST /_sim/agents/${String(agentId)}/login`)
      await send(sim, `POST /_sim/agents/${String(agentId)}/available`)
      const started = await send(sim, 'POST /_sim/sessions', {
        scenario: 'sms-chat-dismissed',
        agent: 'manual',
      })
      const id = started['id'] as number
      for (let i = 0; i < 300 && sim.runtime.getSession(id)?.machine.offeredTo === null; i++)
        await send(sim, 'POST /_sim/clock', { advanceMs: 1_000 })
      expect(sim.runtime.getSession(id)?.machine.offeredTo).toBe(agentId)
      await send(sim, `POST /_sim/sessions/${String(id)}/accept`, { agentId })
      await send(sim, `POST /_sim/sessions/${String(id)}/message`, { agentId, text: 'Hello!' })
      await send(sim, 'POST /_sim/clock', { advanceMs: 60_000 })
      await drained(sim)
      return id
    }
    const after = async (sim: SimulatorApp, id: number): Promise<void> => {
      await send(sim, `POST /_sim/sessions/${String(id)}/end`, { agentId })
      await send(sim, `POST /_sim/sessions/${String(id)}/finish_wrapup`, {
        agentId,
        disposition: 'Resolved',
      })
      await send(sim, 'POST /_sim/clock', { advanceMs: 3_600_000 })
      await drained(sim)
    }
    const reference: Received[] = []
    const whole = simulator(reference, 'run1')
    await after(whole, await before(whole))
    await whole.close()

    const sentBefore: Received[] = []
    const first = simulator(sentBefore, 'run1')
    await first.openState(dir)
    first.start()
    const id = await before(first)
    expect(first.runtime.getSession(id)?.machine.phase).toBe('connected')

    const sentAfter: Received[] = []
    const second = simulator(sentAfter, 'run2')
    await second.openState(dir)
    second.start()
    const resumed = second.runtime.getSession(id)
    expect(resumed?.machine.phase).toBe('connected')
    expect(resumed?.inputs.filter((i) => i.type === 'platform.offer')).toHaveLength(1)
    await after(second, id)
    expect(second.runtime.getSession(id)?.state).toBe('complete')
    expect(second.runtime.replay(id).identical).toBe(true)
    await second.close()

    const sessions = (list: Received[]) =>
      list.filter((r) => !r.key.includes(':agent-')).sort((a, b) => a.key.localeCompare(b.key))
    expect(sessions([...sentBefore, ...sentAfter])).toEqual(sessions(reference))
  }, 60_000)

  it('a recorded input the machine refuses on the rebuild drops that session from the resume, journaled with the reason', async () => {
    const received: Received[] = []
    const first = simulator(received, 'run1')
    await first.openState(dir)
    first.start()
    const started = await send(first, 'POST /_sim/sessions', { scenario: 'inbound-ivr-call' })
    const id = started['id'] as number
    // A log of another version: an agent's acceptance before anything was offered to anyone.
    const log = join(dir, SESSION_LOG_FILE)
    const accept = { type: 'agent.accept', agentId: 999, at: Date.parse(START) }
    await writeFile(
      log,
      `${await readFile(log, 'utf8')}${JSON.stringify({ t: 'input', id, n: 0, d: 0, nested: false, input: accept })}\n`,
    )

    const second = simulator(received, 'run2')
    await second.openState(dir)
    second.start()
    expect(second.runtime.getSession(id)).toBeUndefined()
    const refused = second.runtime.journal.read({ type: 'input-refused', limit: 10 }).entries
    expect(refused).toMatchObject([{ sessionId: id, input: accept }])
    expect(JSON.stringify(refused)).toContain('not resumed after the restart')
    await second.close()
    await expect(readFile(log, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('drops a torn last line and refuses a bad line, naming the file and the line', async () => {
    const path = join(dir, SESSION_LOG_FILE)
    const options = {
      path,
      now: () => 0,
      runId: () => 'r',
      barrier: () => Promise.resolve(),
    }
    const start = {
      t: 'start',
      id: 5,
      scenario: 'inbound-ivr-call',
      seed: 1,
      index: 0,
      params: {},
      agent: 'scripted',
      overrides: {},
      startedAt: 1_000,
      run: 'r0',
    }
    await writeFile(path, `${JSON.stringify(start)}\n{"t":"input","id":5,"n":`)
    const { log, saved } = SessionLog.open(options)
    expect(saved).toMatchObject([{ id: 5, start: { run: 'r0' }, inputs: [], emitted: 0 }])
    log.close()
    expect(await readFile(path, 'utf8')).toBe(`${JSON.stringify(start)}\n`)

    await writeFile(
      path,
      `${JSON.stringify(start)}\n{"t":"input","id":5,"n":"two","nested":false,"input":{}}\n{}\n`,
    )
    expect(() => SessionLog.open(options)).toThrow(
      new RegExp(
        `${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: not a record of this log \\(n: `,
      ),
    )
  })
})
