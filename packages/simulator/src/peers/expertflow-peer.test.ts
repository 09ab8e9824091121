import { createRequire } from 'node:module'
import WebSocket from 'ws'
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
const WAIT_MS = 30_000

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
    // Added as a party, then handed the chat, then the former owner left: in that order.
    const order = (kind: string): number => kinds.indexOf(kind)
    expect(kinds.filter((k) => k === 'transfer_requested')).toHaveLength(1)
    expect(order('agent_joined:1002')).toBeLessThan(order('transfer_requested'))
    expect(order('transfer_requested')).toBeLessThan(order('agent_left:1001'))
    const messages = session.story.steps.filter((s) => s.kind === 'message')
    expect(messages.map((m) => m.from)).toEqual(['agent', 'end_user', 'agent', 'end_user'])
    for (const e of session.emissions) {
      expect(checkContract(e.contract, e.payload, { mode: 'strict' }).issues, e.key).toEqual([])
    }
    // Metadata: both agents took part, Alice left before Bob's agent ended the chat.
    const metadata = session.emissions.find((e) => e.surface === 'metadata')?.payload as {
      participants: { type: string; user_id: number | null; ended_at: string }[]
      transfers: unknown[]
      disconnected_by?: string
    }
    const agents = metadata.participants.filter((p) => p.type === 'agent')
    expect(agents.map((p) => p.user_id)).toEqual([1001, 1002])
    const [first, second] = agents
    expect(Date.parse(first?.ended_at ?? '')).toBeLessThan(Date.parse(second?.ended_at ?? ''))
    // … and the chat was transferred, warm, from Alice to Bob, who was already there (no wait).
    const transfer = session.story.steps.find((s) => s.kind === 'transfer_requested')
    expect(metadata.transfers).toEqual([
      expect.objectContaining({
        status: 'transferring',
        from_agent: expect.objectContaining({ id: 1001 }) as unknown,
        to_agent: expect.objectContaining({ id: 1002 }) as unknown,
        transfer_cold: false,
        created_at: new Date(transfer?.at ?? 0).toISOString(),
        connected_at: new Date(transfer?.at ?? 0).toISOString(),
        wait_duration: 0,
      }),
    ])
    // The adapter of the agent who transferred posts Transfer_Chat naming both agents.
    const transferChat = session.emissions.filter((e) => e.contract === 'adapter.Transfer_Chat')
    expect(transferChat.map((e) => e.payload)).toEqual([
      {
        type: 'Transfer_Chat',
        data: expect.objectContaining({
          chat_id: session.id,
          from_agent_id: 1001,
          to_agent_id: 1002,
        }) as unknown,
      },
    ])
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

describe('a transfer through the Expertflow peer, as the platform records it', () => {
  it('a web chat handed from one agent to another shows in QM (ChatState) and metadata as a warm transfer, both agents taking part', async () => {
    const sim = await simulator()
    const { runtime } = sim.simulator
    const alice = await Gadget.connect(sim, '1001')
    const bob = await Gadget.connect(sim, '1002')
    for (const gadget of [alice, bob]) {
      await gadget.login()
      await gadget.ready()
    }
    // A web chat (QM exports web and mobile SDK chats, not SMS).
    const session = runtime.startSession({ scenario: 'chat-transfer', seed: 5 })
    const conversationId = String(session.id)
    await untilOffered(sim, session)
    expect(session.machine.offeredTo).toBe(1001)
    alice.send('joinConversation', { conversationId })
    await alice.state('ACTIVE')
    alice.send('addParticipant', { participant: { agentId: '1002' }, conversationId })
    await bob.state('ACTIVE')
    alice.send('transferChat', { participantId: '1002', conversationId })
    await bob.next('RoleUpdated', (p) => p['participantId'] === '1002')
    alice.send('leaveConversation', { conversationId, notify: true })
    await alice.state('READY')
    bob.send('endConversation', { conversationId })
    await bob.state('WORK_READY')
    bob.send('wrapUp', { conversationId, wrapup: 'Resolved' })
    await step(sim, session, (s) => s.kind === 'wrapup_finished')
    await runtime.advance(HOUR)
    expect(session.state).toBe('complete')

    // QM: offered to Alice ("chat accepted"), Alice connected, Bob connected, Alice left (the
    // transfer payload), the chat ended with Bob.
    const chatStates = session.emissions
      .filter((e) => e.contract === 'qm.ChatState')
      .map((e) => (e.payload as { item: { state: string; initiator: string } }).item)
    const agentChanges = chatStates
      .filter((i) => i.initiator.startsWith('agent_'))
      .map((i) => `${i.state}:${i.initiator}`)
    expect(agentChanges).toEqual([
      'connected:agent_1001',
      'connected:agent_1001',
      'connected:agent_1002',
      'participantDisconnect:agent_1001',
      'disconnected:agent_1002',
    ])
    const last = session.emissions.findLast((e) => e.contract === 'qm.ChatState')?.payload as {
      item: { participants: { dn: string; type: string }[] }
    }
    expect(last.item.participants.filter((p) => p.type === 'agent').map((p) => p.dn)).toEqual([
      'agent_1001',
      'agent_1002',
    ])
    // Metadata: one warm transfer from Alice to Bob; both agents are participants.
    const metadata = session.emissions.find((e) => e.contract === 'metadata.chat')?.payload as {
      participants: { type: string; user_id: number | null }[]
      transfers: { from_agent: { id: number }; to_agent: { id: number }; transfer_cold: boolean }[]
    }
    expect(
      metadata.transfers.map((t) => [t.from_agent.id, t.to_agent.id, t.transfer_cold]),
    ).toEqual([[1001, 1002, false]])
    expect(metadata.participants.filter((p) => p.type === 'agent').map((p) => p.user_id)).toEqual([
      1001, 1002,
    ])
    // The transcript says so too, and every emission is strict-valid.
    expect(JSON.stringify(session.emissions.find((e) => e.surface === 'transcript'))).toMatch(
      /transferred the chat to/,
    )
    for (const e of session.emissions) {
      expect(checkContract(e.contract, e.payload, { mode: 'strict' }).issues, e.key).toEqual([])
    }
    expect(runtime.replay(session.id).identical).toBe(true)
  }, 60_000)
})

describe('the Expertflow peer refuses what does not fit, as the reference documents', () => {
  it('commands in the wrong state change nothing; with ?simulatorErrors=true each is answered by a simulatorError naming the reason', async () => {
    const sim = await simulator()
    const alice = await Gadget.connect(sim, '1001')
    alice.send('amq-send', {
      head: 'AgentState',
      AgentId: '1001',
      State: 'READY',
      Mrd: 'chat',
      ReasonCode: -1,
    })
    expect(await alice.error()).toMatchObject({
      event: 'amq-send',
      code: 'invalid_command',
      message: expect.stringMatching(/log in first/) as unknown,
    })
    // A payload that breaks the contract names the field.
    alice.socket.emit('login', { agentId: '1001', password: 'x' })
    expect(await alice.error()).toMatchObject({
      event: 'login',
      code: 'invalid_request',
      message: expect.stringMatching(/mrd/) as unknown,
    })
    await alice.login()
    await alice.ready()
    alice.send('amq-send', {
      head: 'AgentState',
      AgentId: '1001',
      State: 'LOGOUT',
      Mrd: 'chat',
      ReasonCode: -1,
    })
    expect((await alice.error()).message).toBe(
      'AgentState: LOGOUT is not allowed in READY (only from NOT_READY)',
    )
    alice.send('joinConversation', { conversationId: '424242' })
    expect((await alice.error()).message).toMatch(/no chat with conversationId 424242/)
    alice.send('endConversation', { conversationId: '424242' })
    expect((await alice.error()).message).toMatch(/no conversation 424242/)
    expect(sim.simulator.runtime.roster.get(1001)?.state.presence).toBe('available')

    // A chat offered to Alice cannot be joined by Bob, ended by a participant, or lose its customer.
    const bob = await Gadget.connect(sim, '1002')
    await bob.login()
    const session = sim.simulator.runtime.startSession({ scenario: 'sms-chat-dismissed', seed: 5 })
    const conversationId = String(session.id)
    await untilOffered(sim, session)
    await alice.next('amq-msg', (p) => p['head'] === 'TaskAssigned')
    bob.send('joinConversation', { conversationId })
    expect((await bob.error()).message).toBe(
      `joinConversation: conversation ${conversationId} is not assigned to agent 1002`,
    )
    alice.send('joinConversation', { conversationId })
    await alice.next('conversationInfo')
    alice.send('addParticipant', { participant: { agentId: '1002' }, conversationId })
    expect((await alice.error()).message).toBe(
      'addParticipant: only READY agents can be added; agent 1002 is NOT_READY',
    )
    await bob.ready()
    alice.send('addParticipant', { participant: { agentId: '1002' }, conversationId })
    await bob.next('conversationInfo')
    bob.send('endConversation', { conversationId })
    expect((await bob.error()).message).toMatch(/only the owner \(1001\) may do this/)
    alice.send('removeParticipant', {
      participantId: `customer-${String(session.story.endUser.id)}`,
      conversationId,
    })
    expect((await alice.error()).message).toBe('removeParticipant: the customer cannot be removed')
    // The seed's own example sends notify as the string "true": tolerated, then refused for the owner.
    alice.socket.emit('leaveConversation', { conversationId, notify: 'true' })
    expect((await alice.error()).message).toMatch(/the owner cannot leave/)
    alice.send('transferChat', { participantId: '1003', conversationId })
    expect((await alice.error()).message).toMatch(/already in the conversation/)
    // The owner may remove a participant: Bob is out, and back to READY.
    alice.send('removeParticipant', { participantId: '1002', conversationId })
    await bob.next('messageArrived', (p) => p['activityType'] === 'participantRemoved')
    await bob.state('READY')
    expect(session.machine.connected).toEqual([1001])
  }, 60_000)

  it('without the opt-in, a refused command is silent: the next answer is the next valid command’s', async () => {
    const sim = await simulator()
    const alice = await Gadget.connect(sim, '1001', false)
    await alice.login()
    await alice.ready()
    const state = (State: string) => ({
      head: 'AgentState',
      AgentId: '1001',
      State,
      Mrd: 'chat',
      ReasonCode: State === 'NOT_READY' ? 12 : -1,
    })
    alice.send('amq-send', state('LOGOUT'))
    alice.send('amq-send', state('NOT_READY'))
    const next = await alice.next('amq-msg')
    expect(next).toEqual({
      head: 'AgentInfo',
      AgentId: '1001',
      State: 'NOT_READY',
      Mrd: 'chat',
      ReasonCode: 12,
    })
    expect(alice.received.some((f) => f.event === SIMULATOR_ERROR_EVENT)).toBe(false)
    alice.send('amq-send', state('LOGOUT'))
    await alice.state('LOGOUT')
    expect(sim.simulator.runtime.roster.get(1001)?.state.presence).toBe('logged_out')
  })

  it('RONA: an offer not joined in time puts the agent in NOT_READY and the chat back in its queue', async () => {
    const sim = await simulator()
    const alice = await Gadget.connect(sim, '1001')
    await alice.login()
    await alice.ready()
    const session = sim.simulator.runtime.startSession({ scenario: 'sms-chat-dismissed', seed: 6 })
    await untilOffered(sim, session)
    await alice.state('RESERVED')
    await sim.simulator.runtime.advance(
      sim.simulator.runtime.config.agents.offerTimeoutSeconds * 1000,
    )
    await alice.state('NOT_READY')
    expect(session.machine.phase).toBe('routing')
    expect(session.story.steps.map((s) => s.kind)).toContain('offer_missed')
    // READY again: the waiting chat is offered again.
    await alice.ready()
    await alice.next('amq-msg', (p) => p['head'] === 'TaskAssigned')
    expect(session.machine.offeredTo).toBe(1001)
  })

  it('calls are never offered to the peer’s agents (a chat desktop)', async () => {
    const sim = await simulator()
    const alice = await Gadget.connect(sim, '1001')
    await alice.login()
    await alice.ready()
    const call = sim.simulator.runtime.startSession({
      scenario: 'inbound-ivr-call',
      seed: 2,
      agent: 'manual',
    })
    await sim.simulator.runtime.advance(10 * MINUTE)
    expect(call.machine.phase).toBe('routing')
    expect(call.story.steps.map((s) => s.kind)).not.toContain('assigned')
  })
})

describe('the Expertflow peer and supervisors', () => {
  it('a supervisor monitors silently, answers a raised hand and barges in; the agents see participantJoined', async () => {
    const sim = await simulator({ expertflow: { supervisors: ['sup-1'] } })
    const alice = await Gadget.connect(sim, '1001')
    const sup = await Gadget.connect(sim, 'sup-1')
    await alice.login()
    await alice.ready()
    await sup.login()
    const session = sim.simulator.runtime.startSession({ scenario: 'sms-chat-dismissed', seed: 7 })
    const conversationId = String(session.id)
    await untilOffered(sim, session)
    // Supervisors are not routed chats.
    expect(session.machine.offeredTo).toBe(1001)
    alice.send('joinConversation', { conversationId })
    await alice.next('conversationInfo')

    alice.send('silentMonitor', { conversationId })
    expect((await alice.error()).message).toMatch(/not a supervisor/)
    sup.send('silentMonitor', { conversationId })
    expect(await sup.next('conversationInfo')).toMatchObject({ handRaise: false })
    alice.say(conversationId, 'One moment please.')
    // The monitor sees the conversation, and cannot post in it.
    await sup.next('messageArrived', (p) => p['text'] === 'One moment please.')
    sup.say(conversationId, 'I should not be heard')
    expect((await sup.error()).message).toMatch(/not in conversation/)

    alice.send('raiseHand', { conversationId, participantId: 'sup-1' })
    const request = await sup.next('amq-msg', (p) => p['head'] === 'TaskAssigned')
    expect(request['param']).toMatchObject({ conversationId })
    sup.send('bargeIn', { conversationId })
    await alice.next('messageArrived', (p) => p['activityType'] === 'participantJoined')
    expect(await sup.next('conversationInfo')).toMatchObject({
      handRaise: true,
      role: 'Participant',
    })
    sup.say(conversationId, 'Supervisor here.')
    await alice.next('messageArrived', (p) => p['text'] === 'Supervisor here.')
    expect(session.machine.connected).toEqual([1001, sim.expertflow?.rosterIdOf('sup-1')])
  })
})

describe('the Expertflow peer and socket.io v2 gadgets', () => {
  interface V2Socket {
    on(event: string, listener: (payload: unknown) => void): void
    emit(event: string, payload: unknown): void
    close(): void
  }
  const ioV2 = createRequire(import.meta.url)('socket.io-client-v2') as (
    url: string,
    options: Record<string, unknown>,
  ) => V2Socket

  it.each([['websocket'], ['polling']])(
    'a socket.io 2 client (Engine.IO 3, %s) logs in and receives TaskAssigned',
    async (transport) => {
      const sim = await simulator()
      const socket = ioV2(sim.url, {
        path: EXPERTFLOW_PATH,
        transports: [transport],
        forceNew: true,
      })
      cleanups.push(() => {
        socket.close()
      })
      const frames: Frame[] = []
      const waiters: (() => void)[] = []
      for (const event of ['amq-msg', 'messageArrived', 'teamInfo']) {
        socket.on(event, (payload) => {
          expectStrict({ event, payload })
          frames.push({ event, payload })
          for (const wake of waiters.splice(0)) wake()
        })
      }
      const until = async (match: (f: Frame) => boolean): Promise<Frame> => {
        for (;;) {
          const found = frames.find(match)
          if (found) return found
          await new Promise<void>((resolve) => waiters.push(resolve))
        }
      }
      const info = (state: string) => (f: Frame) =>
        f.event === 'amq-msg' && (f.payload as { State?: string }).State === state
      await new Promise<void>((resolve) => {
        socket.on('connect', () => {
          resolve()
        })
      })
      socket.emit('amq-sub', { AgentId: 'legacy' })
      socket.emit('amq-send', { head: 'Login', AgentId: 'legacy', Password: 'x', Mrd: 'chat' })
      await until(info('NOT_READY'))
      socket.emit('amq-send', {
        head: 'AgentState',
        AgentId: 'legacy',
        State: 'READY',
        Mrd: 'chat',
        ReasonCode: -1,
      })
      await until(info('READY'))
      const session = sim.simulator.runtime.startSession({
        scenario: 'sms-chat-dismissed',
        seed: 9,
      })
      await untilOffered(sim, session)
      const task = await until(
        (f) => f.event === 'amq-msg' && (f.payload as { head: string }).head === 'TaskAssigned',
      )
      expect(task.payload).toMatchObject({ param: { conversationId: String(session.id) } })
      expect(session.machine.offeredTo).toBe(sim.expertflow?.rosterIdOf('legacy'))
    },
  )
})

describe('the Expertflow peer beside the simulator’s own routes', () => {
  it('leaves /ws upgrades and HTTP routes to the simulator', async () => {
    const sim = await simulator()
    const ws = new WebSocket(`${sim.url.replace('http', 'ws')}/ws`)
    cleanups.push(() => {
      ws.close()
    })
    await new Promise<void>((resolve, reject) => {
      ws.once('open', resolve)
      ws.once('error', reject)
    })
    const health = await fetch(`${sim.url}/_sim/sessions`)
    expect(health.status).toBe(200)
    const gadget = await Gadget.connect(sim, '1001')
    expect(gadget.socket.connected).toBe(true)
    expect(sim.expertflow?.connections).toBe(1)
  })

  it('is not served unless peers.expertflow.enabled', async () => {
    const sim = await startSimulator({
      config: {
        port: 0,
        clock: { mode: 'manual' },
        storage: { enabled: false },
        email: { enabled: false },
      },
    })
    cleanups.push(() => sim.close())
    expect(sim.expertflow).toBeUndefined()
    const polling = await fetch(`${sim.url}${EXPERTFLOW_PATH}/?EIO=4&transport=polling`)
    expect(polling.status).toBe(404)
  })
})

describe('the Expertflow peer and max tasks', () => {
  it('an agent takes chats up to maxTasks: ACTIVE below it, BUSY at it, ACTIVE again when one is wrapped up', async () => {
    const sim = await simulator({ expertflow: { maxTasks: 2 } })
    const { runtime } = sim.simulator
    const alice = await Gadget.connect(sim, '1001')
    await alice.login()
    await alice.ready()
    const first = runtime.startSession({ scenario: 'sms-chat-dismissed', seed: 11 })
    await untilOffered(sim, first)
    alice.send('joinConversation', { conversationId: String(first.id) })
    await alice.state('ACTIVE')
    const second = runtime.startSession({ scenario: 'sms-chat-dismissed', seed: 12 })
    await untilOffered(sim, second)
    expect(second.machine.offeredTo).toBe(1001)
    await alice.next('amq-msg', (p) => p['head'] === 'TaskAssigned')
    alice.send('joinConversation', { conversationId: String(second.id) })
    await alice.state('BUSY')
    // At the maximum: a third chat waits in its queue.
    const third = runtime.startSession({ scenario: 'sms-chat-dismissed', seed: 13 })
    await runtime.advance(5 * MINUTE)
    expect(third.machine.offeredTo).toBeNull()
    alice.send('endConversation', { conversationId: String(first.id) })
    // The seed's other wrapUp reading (`conversation: {conversationId}`) is tolerated.
    alice.socket.emit('wrapUp', {
      conversation: { conversationId: String(first.id) },
      wrapup: 'Done',
    })
    await alice.state('ACTIVE')
    // Room again: the waiting chat is offered at once.
    await alice.next('amq-msg', (p) => p['head'] === 'TaskAssigned')
    expect(third.machine.offeredTo).toBe(1001)
  })
})

describe('the Expertflow peer and the agent state table', () => {
  it('an agent freed by its wrap-up while a chat waits goes WORK_READY, READY, then RESERVED with the offer', async () => {
    const sim = await simulator({ expertflow: { maxTasks: 1 } })
    const { runtime } = sim.simulator
    const alice = await Gadget.connect(sim, '1001')
    await alice.login()
    await alice.ready()
    const first = runtime.startSession({ scenario: 'sms-chat-dismissed', seed: 11 })
    await untilOffered(sim, first)
    alice.send('joinConversation', { conversationId: String(first.id) })
    await alice.state('BUSY')
    const waiting = runtime.startSession({ scenario: 'sms-chat-dismissed', seed: 12 })
    await runtime.advance(5 * MINUTE)
    expect(waiting.machine.offeredTo).toBeNull()
    alice.send('endConversation', { conversationId: String(first.id) })
    await alice.state('WORK_READY')
    const mark = alice.received.length
    alice.send('wrapUp', { conversationId: String(first.id), wrapup: 'Done' })
    await alice.next('amq-msg', (p) => p['head'] === 'TaskAssigned')
    // Reference §2.5: WORK_READY → READY → RESERVED; teamInfo tells the team the same steps.
    const after = alice.received.slice(mark).map((f) => {
      const p = f.payload as { head?: string; State?: string; agents?: { state?: string }[] }
      if (f.event === 'amq-msg') return [p.head, p.State].filter(Boolean).join(' ')
      if (f.event === 'teamInfo') return `teamInfo ${String(p.agents?.[0]?.state)}`
      return f.event
    })
    expect(after).toEqual([
      'AgentInfo READY',
      'teamInfo READY',
      'AgentInfo RESERVED',
      'teamInfo RESERVED',
      'TaskAssigned',
    ])
    expect(waiting.machine.offeredTo).toBe(1001)
  })
})

describe('the Expertflow peer in GET /_sim/peers', () => {
  it('lists the connected gadgets and their agents, logged in or not', async () => {
    const sim = await simulator()
    type Message = { direction: 'in' | 'out'; client: string; name: string }
    type Peers = {
      expertflow: {
        clients: number
        traffic: { messagesIn: number; messagesOut: number; recent: Message[] }
        agents: { agentId: string; loggedIn: boolean }[]
      } | null
    }
    const read = async (): Promise<Peers> =>
      (await (await fetch(`${sim.url}/_sim/peers`)).json()) as Peers
    expect((await read()).expertflow).toEqual({
      clients: 0,
      traffic: { messagesIn: 0, messagesOut: 0, recent: [] },
      agents: [],
    })
    const alice = await Gadget.connect(sim, '1001')
    await alice.login()
    const peers = await read()
    expect(peers.expertflow?.clients).toBe(1)
    // The gadget's commands in the order sent, and what it was sent back (room broadcasts too).
    const traffic = peers.expertflow?.traffic
    const sent = traffic?.recent.filter((m) => m.direction === 'in').map((m) => m.name)
    expect(sent).toEqual(['amq-sub', 'login'])
    expect(traffic?.messagesIn).toBe(2)
    const received = traffic?.recent.filter((m) => m.direction === 'out').map((m) => m.name)
    expect(received).toContain('messageArrived')
    expect(received).toContain('amq-msg')
    expect(traffic?.messagesOut).toBe(received?.length)
    expect(new Set(traffic?.recent.map((m) => m.client))).toEqual(new Set(['socket.io#1']))
    expect(peers.expertflow?.agents).toEqual([
      {
        agentId: '1001',
        rosterId: expect.any(Number) as unknown,
        supervisor: false,
        loggedIn: true,
        conversations: [],
      },
    ])
  })

  it('is null when the Expertflow peer is off', async () => {
    const sim = await startSimulator({
      config: {
        port: 0,
        clock: { mode: 'manual' },
        storage: { enabled: false },
        email: { enabled: false },
      },
    })
    cleanups.push(() => sim.close())
    const peers = (await (await fetch(`${sim.url}/_sim/peers`)).json()) as Record<string, unknown>
    expect(peers).toEqual({
      harmony: { sessions: [], traffic: { messagesIn: 0, messagesOut: 0, recent: [] } },
      expertflow: null,
    })
  })
})

/** Disconnects a gadget's socket and resolves once the server has seen it go. */
async function drop(sim: RunningSimulator, gadget: Gadget): Promise<void> {
  const server = sim.expertflow?.io.of('/').sockets.get(gadget.socket.id ?? '')
  expect(server).toBeDefined()
  const gone = new Promise<void>((resolve) => {
    server?.once('disconnect', () => {
      resolve()
    })
  })
  gadget.socket.disconnect()
  await gone
}

describe('the Expertflow peer when a gadget goes away', () => {
  it('an agent whose last socket drops turns NOT_READY after the grace period and is offered nothing; a reconnect that subscribes again is told NOT_READY', async () => {
    const sim = await simulator()
    const { runtime } = sim.simulator
    const grace = runtime.config.peers.expertflow.disconnectGraceSeconds * 1000
    const alice = await Gadget.connect(sim, '1001')
    await alice.login()
    await alice.ready()
    await drop(sim, alice)
    // A reload gets the grace period (virtual time): still READY just before it ends.
    await runtime.advance(grace - 1000)
    expect(runtime.roster.get(1001)?.state.presence).toBe('available')
    await runtime.advance(1000)
    expect(runtime.roster.get(1001)?.state).toMatchObject({
      presence: 'unavailable',
      reason: 'Disconnected',
    })
    expect(sim.expertflow?.stateOf('1001')).toBe('NOT_READY')
    const chat = runtime.startSession({ scenario: 'sms-chat-dismissed', seed: 6 })
    await runtime.advance(5 * MINUTE)
    expect(chat.machine.phase).toBe('routing')
    expect(chat.machine.offeredTo).toBeNull()

    // Back: amq-sub alone tells the new socket the state; READY again takes the waiting chat.
    const again = await Gadget.connect(sim, '1001')
    again.send('amq-sub', { AgentId: '1001' })
    expect(await again.next('amq-msg')).toEqual({
      head: 'AgentInfo',
      AgentId: '1001',
      State: 'NOT_READY',
      Mrd: 'chat',
      ReasonCode: -1,
    })
    await again.ready()
    await again.next('amq-msg', (p) => p['head'] === 'TaskAssigned')
    expect(chat.machine.offeredTo).toBe(1001)
  })

  it('an agent with two sockets that loses one stays READY and is offered chats on the other', async () => {
    const sim = await simulator()
    const { runtime } = sim.simulator
    const alice = await Gadget.connect(sim, '1001')
    await alice.login()
    await alice.ready()
    const tab = await Gadget.connect(sim, '1001')
    tab.send('amq-sub', { AgentId: '1001' })
    await tab.state('READY')
    await drop(sim, alice)
    await runtime.advance(10 * MINUTE)
    expect(runtime.roster.get(1001)?.state.presence).toBe('available')
    const chat = runtime.startSession({ scenario: 'sms-chat-dismissed', seed: 6 })
    await untilOffered(sim, chat)
    expect(chat.machine.offeredTo).toBe(1001)
    await tab.next('amq-msg', (p) => p['head'] === 'TaskAssigned')
  })

  it('a socket back within the grace period keeps the agent READY', async () => {
    const sim = await simulator()
    const { runtime } = sim.simulator
    const alice = await Gadget.connect(sim, '1001')
    await alice.login()
    await alice.ready()
    await drop(sim, alice)
    const reloaded = await Gadget.connect(sim, '1001')
    reloaded.send('amq-sub', { AgentId: '1001' })
    await reloaded.state('READY')
    await runtime.advance(10 * MINUTE)
    expect(runtime.roster.get(1001)?.state.presence).toBe('available')
  })

  it('at once with a grace of 0: an offer not joined goes back to its queue, a joined chat stays, and the agent turns NOT_READY when it is done', async () => {
    const sim = await simulator({ expertflow: { maxTasks: 2, disconnectGraceSeconds: 0 } })
    const { runtime } = sim.simulator
    const alice = await Gadget.connect(sim, '1001')
    await alice.login()
    await alice.ready()
    const joined = runtime.startSession({ scenario: 'sms-chat-dismissed', seed: 11 })
    await untilOffered(sim, joined)
    alice.send('joinConversation', { conversationId: String(joined.id) })
    await alice.state('ACTIVE')
    const offered = runtime.startSession({ scenario: 'sms-chat-dismissed', seed: 12 })
    await untilOffered(sim, offered)
    await alice.next('amq-msg', (p) => p['head'] === 'TaskAssigned')
    await drop(sim, alice)
    // The offer is withdrawn now (not 30 s later), recorded as a missed offer; the chat waits.
    expect(offered.machine.offeredTo).toBeNull()
    expect(offered.story.steps.map((s) => s.kind)).toContain('offer_missed')
    expect(joined.machine.connected).toEqual([1001])
    // ACTIVE below max tasks, yet nothing more is offered to an agent nobody is behind.
    await runtime.advance(5 * MINUTE)
    expect(offered.machine.offeredTo).toBeNull()
    runtime.command(joined.id, { type: 'agent.end', agentId: 1001 })
    runtime.command(joined.id, { type: 'agent.finish_wrapup', agentId: 1001, disposition: 'x' })
    expect(runtime.roster.get(1001)?.state).toMatchObject({
      presence: 'unavailable',
      reason: 'Disconnected',
    })
    expect(offered.machine.offeredTo).toBeNull()
  })
})
