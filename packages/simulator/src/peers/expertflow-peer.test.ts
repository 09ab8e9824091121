import type { TimedStep } from '@ccai-sim/fixtures'
import { checkContract } from '@ccai-sim/schemas'
import { io, type Socket } from 'socket.io-client'
import { afterEach, describe, expect, it } from 'vitest'
import type { SimulatorConfigInput } from '../config.js'
import type { LiveSession } from '../runtime/simulator-runtime.js'
import { startSimulator, type RunningSimulator } from '../server.js'
import { EXPERTFLOW_PATH, SIMULATOR_ERROR_EVENT } from './expertflow-peer.js'

/*
 * Real socket.io clients (current and v2, as old agent gadgets ship) against the simulator's
 * Expertflow peer, on a manual clock: every frame either way is checked strictly against the
 * catalog's Expertflow contracts, and every wait is for an event, never for time.
 */

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const WAIT_MS = 5_000

interface Frame {
  readonly event: string
  readonly payload: unknown
}

const cleanups: (() => Promise<void> | void)[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function simulator(config: SimulatorConfigInput['peers'] = {}): Promise<RunningSimulator> {
  const sim = await startSimulator({
    config: {
      port: 0,
      clock: { mode: 'manual', start: '2026-01-15T14:00:00.000Z' },
      storage: { enabled: false },
      email: { enabled: false },
      crm: { enabled: false },
      peers: { expertflow: { enabled: true, ...config?.expertflow } },
    },
  })
  cleanups.push(() => sim.close())
  return sim
}

/** Asserts a frame is strict-valid against its catalog contract. */
function expectStrict(frame: Frame): void {
  const result = checkContract(`expertflow.${frame.event}`, frame, { mode: 'strict' })
  expect(result.issues, `${frame.event} ${JSON.stringify(frame.payload)}`).toEqual([])
}

/**
 * An agent gadget: records every event in arrival order; `next` returns the first matching event
 * after the previous match, so consecutive `next` calls also check the order.
 */
class Gadget {
  readonly received: Frame[] = []
  private cursor = 0
  private wake: (() => void) | undefined

  constructor(
    readonly agentId: string,
    readonly socket: Socket,
  ) {
    socket.onAny((event: string, payload: unknown) => {
      const frame = { event, payload }
      if (event !== SIMULATOR_ERROR_EVENT) expectStrict(frame)
      this.received.push(frame)
      this.wake?.()
    })
  }

  static async connect(sim: RunningSimulator, agentId: string, errors = true): Promise<Gadget> {
    const socket = io(sim.url, {
      path: EXPERTFLOW_PATH,
      transports: ['websocket'],
      query: errors ? { simulatorErrors: 'true' } : {},
      forceNew: true,
    })
    cleanups.push(() => {
      socket.close()
    })
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve)
      socket.once('connect_error', reject)
    })
    return new Gadget(agentId, socket)
  }

  send(event: string, payload: unknown): void {
    expectStrict({ event, payload })
    this.socket.emit(event, payload)
  }

  async next<T = Record<string, unknown>>(
    event: string,
    match: (payload: T) => boolean = () => true,
  ): Promise<T> {
    const deadline = Date.now() + WAIT_MS
    for (;;) {
      for (let i = this.cursor; i < this.received.length; i += 1) {
        const frame = this.received[i]
        if (frame?.event === event && match(frame.payload as T)) {
          this.cursor = i + 1
          return frame.payload as T
        }
      }
      if (Date.now() > deadline) {
        throw new Error(
          `${this.agentId}: no ${event} after #${String(this.cursor)}; received ${JSON.stringify(this.received.slice(this.cursor))}`,
        )
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, WAIT_MS)
        this.wake = () => {
          clearTimeout(timer)
          resolve()
        }
      })
    }
  }

  state(state: string): Promise<Record<string, unknown>> {
    return this.next('amq-msg', (p) => p['head'] === 'AgentInfo' && p['State'] === state)
  }

  async login(mrd = 'chat'): Promise<void> {
    this.send('amq-sub', { AgentId: this.agentId })
    this.send('login', { agentId: this.agentId, password: 'secret', mrd })
    await this.next('messageArrived', (p) => p['activityType'] === 'greetings')
    await this.state('NOT_READY')
  }

  async ready(): Promise<void> {
    this.send('amq-send', {
      head: 'AgentState',
      AgentId: this.agentId,
      State: 'READY',
      Mrd: 'chat',
      ReasonCode: -1,
    })
    await this.state('READY')
  }

  say(conversationId: string, text: string): void {
    this.send('sendMessage', {
      conversationId,
      type: 'ChatMessage',
      timestamp: '2026-01-15T14:00:00.000Z',
      channel: 'web',
      from: { id: this.agentId },
      to: [],
      text,
      attachments: [],
    })
  }

  error(): Promise<{ event: string; code: string; message: string }> {
    return this.next(SIMULATOR_ERROR_EVENT)
  }
}

/** Resolves once the session has a step the predicate accepts (a command sent over the socket arrived). */
function step(
  sim: RunningSimulator,
  session: LiveSession,
  match: (step: TimedStep) => boolean,
): Promise<TimedStep> {
  const seen = session.story.steps.find(match)
  if (seen) return Promise.resolve(seen)
  return new Promise((resolve) => {
    const stop = sim.simulator.runtime.watch({
      step: (s, timed) => {
        if (s.id !== session.id || !match(timed)) return
        stop()
        resolve(timed)
      },
    })
  })
}

/** Advances the manual clock a second at a time until the session rings for an agent. */
async function untilOffered(sim: RunningSimulator, session: LiveSession): Promise<void> {
  for (let i = 0; i < 600 && session.machine.offeredTo === null; i += 1) {
    await sim.simulator.runtime.advance(1000)
  }
  expect(session.machine.offeredTo).not.toBeNull()
}

describe('the Expertflow Hybrid Chat peer', () => {
  it('an agent logs in, goes READY, takes a simulated chat, talks with the customer, hands it to a second agent, who ends and wraps up; the CCAI surfaces agree', async () => {
    const sim = await simulator()
    const { runtime } = sim.simulator
    const alice = await Gadget.connect(sim, '1001')
    const bob = await Gadget.connect(sim, '1002')
    await alice.login()
    await alice.ready()
    await bob.login()
    await bob.ready()
    await alice.next('teamInfo', (p) => JSON.stringify(p['agents']).includes('"id":"1002","name"'))

    // A chat started with no agent choice goes to the peer's agents (manual, the machine's customer).
    const session = runtime.startSession({ scenario: 'sms-chat-dismissed', seed: 3 })
    expect(session.agent).toBe('manual')
    const conversationId = String(session.id)
    await untilOffered(sim, session)
    expect(session.machine.offeredTo).toBe(1001)
    await alice.state('RESERVED')
    const task = await alice.next('amq-msg', (p) => p['head'] === 'TaskAssigned')
    expect(task['param']).toMatchObject({
      conversationId,
      chatId: conversationId,
      type: 'Customer',
      name: session.story.endUser.name,
      phone: session.story.endUser.phone,
    })

    alice.send('joinConversation', { conversationId })
    const info = await alice.next('conversationInfo')
    expect(info).toMatchObject({ role: 'Owner', handRaise: false })
    expect((info['participant'] as { type: string }[]).map((p) => p.type)).toEqual([
      'Customer',
      'Agent',
    ])
    await alice.state('ACTIVE')

    alice.say(conversationId, 'Hello, how can I help?')
    await step(sim, session, (s) => s.kind === 'message' && s.from === 'agent')
    await runtime.advance(MINUTE)
    const reply = await alice.next('messageArrived', (p) => p['type'] === 'ChatMessage')
    expect(reply).toMatchObject({ conversationId, from: { type: 'Customer' } })

    alice.send('addParticipant', { participant: { agentId: '1002' }, conversationId })
    await alice.next('messageArrived', (p) => p['activityType'] === 'participantAdded')
    expect(await bob.next('conversationInfo')).toMatchObject({ role: 'Participant' })
    await bob.state('ACTIVE')

    alice.send('transferChat', { participantId: '1002', conversationId })
    for (const gadget of [alice, bob]) {
      expect(await gadget.next('RoleUpdated')).toEqual({
        participantId: '1002',
        role: 'Owner',
        conversationId,
      })
      expect(await gadget.next('RoleUpdated')).toEqual({
        participantId: '1001',
        role: 'Participant',
        conversationId,
      })
    }

    alice.send('leaveConversation', { conversationId, notify: true })
    await bob.next('messageArrived', (p) => p['activityType'] === 'participantLeft')
    await alice.state('READY')

    bob.say(conversationId, 'I have taken over your chat.')
    await step(sim, session, (s) => s.kind === 'message' && s.agentId === 1002)
    await runtime.advance(MINUTE)
    // Bob's own line is not echoed back to him; the customer's answer is.
    const answer = await bob.next('messageArrived', (p) => p['type'] === 'ChatMessage')
    expect(answer).toMatchObject({ from: { type: 'Customer' } })
    // Alice saw her conversation up to her own leaving, and nothing after.
    expect(
      alice.received.flatMap((f) => {
        const p = f.payload as { type?: string; activityType?: string }
        return f.event === 'messageArrived' ? [p.activityType ?? p.type] : []
      }),
    ).toEqual(['greetings', 'ChatMessage', 'participantAdded', 'participantLeft'])

    bob.send('endConversation', { conversationId })
    await bob.next('messageArrived', (p) => p['activityType'] === 'endOfConversation')
    expect(await bob.next('endConversation')).toEqual({ conversationId })
    await bob.state('WORK_READY')
    bob.send('wrapUp', { conversationId, wrapup: 'Resolved' })
    await bob.state('READY')
    await step(sim, session, (s) => s.kind === 'wrapup_finished')
    await runtime.advance(HOUR)
    expect(session.state).toBe('complete')
    // What the machine recorded is what the gadgets did.
    const kinds = session.story.steps.map((s) =>
      'agentId' in s ? `${s.kind}:${String(s.agentId)}` : s.kind,
    )
    expect(kinds).toEqual(
      expect.arrayContaining([
        'assigned:1001',
        'connected:1001',
        'agent_joined:1002',
        'agent_left:1001',
        'wrapup_finished:1002',
      ]),
    )
    const messages = session.story.steps.filter((s) => s.kind === 'message')
    expect(messages.map((m) => m.from)).toEqual(['agent', 'end_user', 'agent', 'end_user'])
    for (const e of session.emissions) {
      expect(checkContract(e.contract, e.payload, { mode: 'strict' }).issues, e.key).toEqual([])
    }
    // Metadata: both agents took part, Alice left before Bob's agent ended the chat.
    const metadata = session.emissions.find((e) => e.surface === 'metadata')?.payload as {
      participants: { type: string; user_id: number | null; ended_at: string }[]
      disconnected_by?: string
    }
    const agents = metadata.participants.filter((p) => p.type === 'agent')
    expect(agents.map((p) => p.user_id)).toEqual([1001, 1002])
    const [first, second] = agents
    expect(Date.parse(first?.ended_at ?? '')).toBeLessThan(Date.parse(second?.ended_at ?? ''))
    // The transcript carries the agents' lines as typed in the gadgets.
    const transcript = JSON.stringify(session.emissions.find((e) => e.surface === 'transcript'))
    expect(transcript).toContain('Hello, how can I help?')
    expect(transcript).toContain('I have taken over your chat.')
    // QM: both peer agents logged in (the presence QM pages list).
    const qm = runtime.journal
      .read({ type: 'emitted', limit: 10_000 })
      .entries.flatMap((e) =>
        e.type === 'emitted' && e.contract === 'qm.AgentState' ? [e.payload] : [],
      )
    expect(JSON.stringify(qm)).toContain('1001')
    expect(JSON.stringify(qm)).toContain('1002')
    expect(runtime.replay(session.id).identical).toBe(true)
  }, 60_000)
})
