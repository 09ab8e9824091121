import type { IncomingMessage, Server as HttpServer } from 'node:http'
import type { Duplex } from 'node:stream'
import { hashSeed, type TimedStep } from '@ccai-sim/fixtures'
import {
  checkContract,
  type ExpertflowActivityMessage as ActivityMessage,
  type ExpertflowActivityType as ActivityType,
  type ExpertflowAgentState as AgentState,
  type ExpertflowChatMessage as ChatMessage,
  type ExpertflowConversationInfoPayload as ConversationInfoPayload,
  type ExpertflowMessage as Message,
  type ExpertflowParticipant as Participant,
  type ExpertflowTaskAssignedParam as TaskAssignedParam,
} from '@ccai-sim/schemas'
import { Server, type Socket } from 'socket.io'
import type { SimulatorConfig } from '../config.js'
import { SimulatorError } from '../errors.js'
import { EXPERTFLOW_PATH } from './expertflow-path.js'
import { AwayAfterGrace } from './away.js'
import { PeerTraffic, type PeerTrafficSnapshot } from './traffic.js'
import type { LiveSession, SimulatorRuntime } from '../runtime/simulator-runtime.js'

export { EXPERTFLOW_PATH }

/*
 * The Expertflow Hybrid Chat agent API (seed 003; reference §2 and §4.2) as a peer of the session
 * machine: an agent gadget connects over socket.io, logs in, goes READY, and the simulator's chat
 * sessions that reach a human agent are offered to it (`TaskAssigned`). Every command becomes a
 * roster presence command or a session command (`runtime.command`), and every session step the
 * machine produces becomes the Expertflow events of the agents in that conversation, so the
 * CCAI-side surfaces (adapter, metadata, transcript, QM) follow what the gadget did.
 *
 * Rules where the documents are silent (README "Expertflow peer", known gaps):
 * - The conversation id is the simulator's session id, as a string.
 * - A numeric agent id is the roster agent with that id; any other id maps to a stable id in
 *   800000–899999 (hashed from the text), so routing, QM and metadata name the same agent.
 * - Passwords are not checked; the MRD is echoed back.
 * - The login result `messageArrived` is a `greetings` activity with an empty conversation id.
 * - `transferChat` moves the Owner role and is the platform's warm transfer to an agent already
 *   connected (the target joined with `addParticipant` as a conference party; the former owner
 *   then leaves with `leaveConversation`): metadata records the transfer leg, the adapter posts
 *   Transfer_Chat.
 * - Commands that do not fit are ignored, as the documents show no error events; a socket that
 *   connects with `?simulatorErrors=true` also gets a `simulatorError` event naming the reason.
 * - When a logged-in agent's last socket goes and none comes back within
 *   `disconnectGraceSeconds` (virtual time), the agent is away: READY turns NOT_READY (reason
 *   "Disconnected"), offers not joined go back to their queue, and routing offers it nothing
 *   more; chats already joined stay with it, and it turns NOT_READY when the last is done. A
 *   socket that binds again (`amq-sub` or `login`) is told the agent's state.
 */

/** The simulator-only event that reports a refused command (opt-in, see above). */
export const SIMULATOR_ERROR_EVENT = 'simulatorError'

export interface SimulatorErrorEvent {
  readonly event: string
  readonly code: 'invalid_request' | 'invalid_command'
  readonly message: string
}

type PeerConfig = SimulatorConfig['peers']['expertflow']

interface PeerAgent {
  readonly agentId: string
  readonly rosterId: number
  readonly supervisor: boolean
  mrd: string
  reasonCode: number
  loggedIn: boolean
  /** The state last announced (AgentInfo, teamInfo). */
  announced: AgentState | undefined
}

interface PeerConversation {
  readonly sessionId: number
  owner: string | undefined
  /** Expertflow ids of the agents and supervisors in the conversation now. */
  readonly participants: Set<string>
  readonly monitors: Set<string>
  handRaise: boolean
  /** How the next `agent_joined` of an agent came about (its activity type). */
  readonly joining: Map<number, ActivityType>
  /** How the next `agent_left` of an agent came about, and whether to announce it. */
  readonly leaving: Map<number, ActivityType | null>
}

/** The bound agent of a socket (after `amq-sub` or `login`). */
interface SocketData {
  agentId?: string
}

const NUMERIC_ID = /^[1-9]\d{0,8}$/
const HASHED_BASE = 800_000
const HASHED_RANGE = 100_000
const CHAT_SERVER: Participant = { id: 'chat-server', name: 'Chat Server' }

/**
 * Engine.IO ends upgrades it does not own unless told otherwise, and the simulator's own
 * WebSocket routes end every upgrade they do not own: the peer's path goes to Engine.IO only, the
 * rest to the listeners that were there before.
 */
function reserveUpgrades(server: HttpServer, path: string): void {
  const others = server.listeners('upgrade') as ((
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
  ) => void)[]
  server.removeAllListeners('upgrade')
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if ((req.url ?? '/').startsWith(`${path}/`)) return
    for (const listener of others) listener.call(server, req, socket, head)
  })
}

/**
 * The event name of an outgoing socket.io packet as Engine.IO sends it: `2["name",…]` (an EVENT,
 * maybe with a namespace and an ack id before the array). Room broadcasts bypass socket.io's own
 * outgoing listeners, so the traffic reads what each client's connection really writes.
 */
function outgoingEvent(data: unknown): string | undefined {
  if (typeof data !== 'string' || !data.startsWith('2')) return undefined
  const array = data.indexOf('[')
  if (array < 0) return undefined
  try {
    const decoded: unknown = JSON.parse(data.slice(array))
    return Array.isArray(decoded) && typeof decoded[0] === 'string' ? decoded[0] : undefined
  } catch {
    return undefined
  }
}

export class ExpertflowPeer {
  readonly io: Server
  /** What went over the gadgets' connections, for the console (`GET /_sim/peers`). */
  readonly traffic: PeerTraffic
  private clientsSeen = 0
  private readonly agents = new Map<string, PeerAgent>()
  private readonly byRosterId = new Map<number, PeerAgent>()
  private readonly conversations = new Map<number, PeerConversation>()
  private readonly unwatch: () => void
  /** Set by `close`: the sockets it disconnects are not agents going away. */
  private closing = false
  /** Agents whose last socket went (the disconnect rule, README known gaps). */
  private readonly away: AwayAfterGrace

  constructor(
    private readonly runtime: SimulatorRuntime,
    private readonly config: PeerConfig,
    server: HttpServer,
  ) {
    reserveUpgrades(server, EXPERTFLOW_PATH)
    this.away = new AwayAfterGrace(runtime, config.disconnectGraceSeconds)
    this.io = new Server(server, {
      path: EXPERTFLOW_PATH,
      // Agent gadgets of the Hybrid Chat era speak socket.io 2 (Engine.IO 3).
      allowEIO3: true,
      serveClient: false,
      destroyUpgrade: false,
      cors: { origin: true, credentials: true },
    })
    this.traffic = new PeerTraffic(() => runtime.clock.now())
    this.io.on('connection', (socket) => {
      this.clientsSeen += 1
      const label = `socket.io#${String(this.clientsSeen)}`
      socket.onAny((event: string) => {
        this.traffic.record('in', label, event)
      })
      socket.conn.on('packetCreate', (packet: { type: string; data?: unknown }) => {
        const name = packet.type === 'message' ? outgoingEvent(packet.data) : undefined
        if (name !== undefined) this.traffic.record('out', label, name)
      })
      this.connected(socket)
    })
    this.unwatch = runtime.watch({
      step: (session, step) => {
        this.onStep(session, step)
      },
      presence: (agent, command) => {
        const peer = this.byRosterId.get(agent.entity.id)
        // An away agent whose last chat is done is not READY: nobody is there (before routing,
        // which runs after the watchers, offers it anything).
        if (peer?.loggedIn && this.away.keepAway(agent)) return
        // Session-driven changes are announced by the step that caused them, after its events.
        if (peer && !command.startsWith('session_')) this.refresh()
      },
      takesChats: () => [...this.agents.values()].some((a) => a.loggedIn && !a.supervisor),
      mayOffer: (agentId, session) => {
        const agent = this.byRosterId.get(agentId)
        // Away: an ACTIVE agent below its max tasks is routable, but nobody would join.
        if (agent?.loggedIn && this.away.isAway(agentId)) return false
        // The agent API is a chat desktop: its agents are never offered calls.
        return session.story.kind === 'chat' || !agent?.loggedIn
      },
    })
  }

  /** Connected sockets, for the console and the tests. */
  get connections(): number {
    return this.io.of('/').sockets.size
  }

  /** Disconnects every client and stops following the runtime; the HTTP server stays up. */
  /** The agents connected now and the conversations each is in, for the console (`GET /_sim/peers`). */
  list(): {
    clients: number
    traffic: PeerTrafficSnapshot
    agents: {
      agentId: string
      rosterId: number
      supervisor: boolean
      loggedIn: boolean
      conversations: number[]
    }[]
  } {
    const agents = [...this.agents.values()].map((a) => ({
      agentId: a.agentId,
      rosterId: a.rosterId,
      supervisor: a.supervisor,
      loggedIn: a.loggedIn,
      conversations: [...this.conversations.values()]
        .filter((c) => c.participants.has(a.agentId) || c.monitors.has(a.agentId))
        .map((c) => c.sessionId),
    }))
    return { clients: this.io.engine.clientsCount, traffic: this.traffic.snapshot(), agents }
  }

  async close(): Promise<void> {
    this.closing = true
    this.unwatch()
    this.io.disconnectSockets(true)
    this.io.engine.close()
    return Promise.resolve()
  }

  /** The roster id an Expertflow agent id stands for (see the rules above). */
  rosterIdOf(agentId: string): number {
    const known = this.agents.get(agentId)
    if (known) return known.rosterId
    if (NUMERIC_ID.test(agentId)) return Number(agentId)
    let id = HASHED_BASE + (hashSeed('expertflow-agent', agentId) % HASHED_RANGE)
    while (this.byRosterId.has(id)) id = HASHED_BASE + ((id - HASHED_BASE + 1) % HASHED_RANGE)
    return id
  }

  /** An agent's Agent API state, from the roster and the sessions it holds (reference §2.5). */
  stateOf(agentId: string): AgentState {
    const agent = this.agents.get(agentId)
    if (!agent?.loggedIn) return 'LOGOUT'
    const roster = this.runtime.roster.get(agent.rosterId)
    if (!roster) return 'LOGOUT'
    switch (roster.state.presence) {
      case 'logged_out':
        return 'LOGOUT'
      case 'unavailable':
        return 'NOT_READY'
      case 'available':
        return 'READY'
      case 'wrap_up':
        return 'WORK_READY'
      case 'busy': {
        const open = roster.state.sessions.filter((id) => !roster.state.wrapUps.includes(id))
        const accepted = open.filter((id) =>
          this.runtime.getSession(id)?.machine.connected.includes(agent.rosterId),
        )
        if (accepted.length === 0) return 'RESERVED'
        return accepted.length >= this.config.maxTasks ? 'BUSY' : 'ACTIVE'
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // Client → server

  private connected(socket: Socket): void {
    const errors = socket.handshake.query['simulatorErrors'] === 'true'
    const on = (event: string, handler: (payload: unknown) => void): void => {
      socket.on(event, (payload: unknown) => {
        try {
          const checked = checkContract(
            `expertflow.${event}`,
            { event, payload },
            { mode: 'tolerant' },
          )
          if (!checked.ok) {
            throw new SimulatorError(
              'invalid_request',
              `${event}: ${checked.issues.map((i) => i.message.replace(/^payload\.?/, '')).join('; ')}`,
            )
          }
          handler(payload)
        } catch (error) {
          if (!errors) return
          const reason: SimulatorErrorEvent =
            error instanceof SimulatorError
              ? {
                  event,
                  code: error.code === 'invalid_request' ? 'invalid_request' : 'invalid_command',
                  message: error.message.replace(/^\[simulator\] /, ''),
                }
              : { event, code: 'invalid_command', message: String(error) }
          socket.emit(SIMULATOR_ERROR_EVENT, reason)
        }
      })
    }
    const data = socket.data as SocketData
    const bound = (event: string): PeerAgent => {
      const agent = data.agentId === undefined ? undefined : this.agents.get(data.agentId)
      if (!agent?.loggedIn) {
        throw refused(`${event}: log in first (login or amq-send head Login)`)
      }
      return agent
    }

    socket.on('disconnect', () => {
      if (data.agentId !== undefined) this.socketGone(data.agentId)
    })
    on('amq-sub', (payload) => {
      const { AgentId } = payload as { AgentId: string }
      data.agentId = AgentId
      void socket.join(agentRoom(AgentId))
      // A gadget subscribing again (a reload, a reconnect): it is told where the agent stands.
      const agent = this.agents.get(AgentId)
      if (agent?.loggedIn) {
        this.bound(agent)
        this.agentInfo(agent, this.stateOf(AgentId), socket)
      }
    })
    on('login', (payload) => {
      const p = payload as { agentId: string; mrd: string }
      this.login(socket, p.agentId, p.mrd)
    })
    on('amq-send', (payload) => {
      const p = payload as { head: string } & Record<string, unknown>
      switch (p.head) {
        case 'Login':
          this.login(socket, String(p['AgentId']), String(p['Mrd']))
          return
        case 'Connect':
          // The Communication Server's pre-login (Finesse/XMPP): nothing to do here.
          return
        case 'AgentState': {
          const agent = bound('AgentState')
          if (p['AgentId'] !== agent.agentId) {
            throw refused(
              `AgentState: AgentId ${JSON.stringify(p['AgentId'])} is not the agent of this socket (${agent.agentId})`,
            )
          }
          this.changeState(agent, {
            state: p['State'] as string,
            reasonCode: Number(p['ReasonCode']),
            mrd: String(p['Mrd']),
          })
          return
        }
      }
    })
    on('getConversationInfo', () => {
      const agent = bound('getConversationInfo')
      for (const conversation of this.conversations.values()) {
        if (conversation.participants.has(agent.agentId)) this.sendInfo(agent, conversation)
      }
    })
    on('joinConversation', (payload) => {
      this.join(bound('joinConversation'), conversationIdOf(payload))
    })
    on('sendMessage', (payload) => {
      const agent = bound('sendMessage')
      const { conversationId, text } = payload as ChatMessage
      const conversation = this.participantOf(agent, conversationId, 'sendMessage')
      this.command(conversation, { type: 'agent.message', agentId: agent.rosterId, text })
    })
    on('addParticipant', (payload) => {
      const agent = bound('addParticipant')
      const p = payload as { participant: Participant; conversationId: string }
      const conversation = this.participantOf(agent, p.conversationId, 'addParticipant')
      const targetId = p.participant.agentId ?? p.participant.id
      if (targetId === undefined || targetId === null) {
        throw new SimulatorError(
          'invalid_request',
          'addParticipant: participant: expected an object with agentId or id, received neither',
        )
      }
      const target = this.agents.get(targetId)
      const state = this.stateOf(targetId)
      if (!target || state !== 'READY') {
        throw refused(
          `addParticipant: only READY agents can be added; agent ${targetId} is ${state}`,
        )
      }
      conversation.joining.set(target.rosterId, 'participantAdded')
      this.command(conversation, {
        type: 'agent.add_party',
        agentId: agent.rosterId,
        toAgentId: target.rosterId,
      })
    })
    on('removeParticipant', (payload) => {
      const agent = bound('removeParticipant')
      const p = payload as { participantId: string; conversationId: string }
      const conversation = this.ownerOf(agent, p.conversationId, 'removeParticipant')
      const session = this.session(conversation)
      if (p.participantId === customerIdOf(session)) {
        throw refused('removeParticipant: the customer cannot be removed')
      }
      if (p.participantId === agent.agentId) {
        throw refused('removeParticipant: the owner cannot remove itself; end the conversation')
      }
      const target = this.agents.get(p.participantId)
      if (!target || !conversation.participants.has(target.agentId)) {
        throw refused(
          `removeParticipant: ${p.participantId} is not a participant of conversation ${p.conversationId}`,
        )
      }
      conversation.leaving.set(target.rosterId, 'participantRemoved')
      this.command(conversation, { type: 'agent.leave', agentId: target.rosterId })
    })
    on('transferChat', (payload) => {
      const agent = bound('transferChat')
      const p = payload as { participantId: string; conversationId: string }
      const conversation = this.ownerOf(agent, p.conversationId, 'transferChat')
      const target = this.agents.get(p.participantId)
      if (
        !target ||
        target.agentId === agent.agentId ||
        !conversation.participants.has(target.agentId)
      ) {
        throw refused(
          `transferChat: the target must be another agent already in the conversation (addParticipant first); ${p.participantId} is not`,
        )
      }
      // The platform records a warm transfer to an agent already connected (the participant
      // added first): the transfer leg in metadata, Transfer_Chat, the transcript's line.
      this.command(conversation, {
        type: 'agent.transfer',
        agentId: agent.rosterId,
        toAgentId: target.rosterId,
        toQueueId: this.session(conversation).story.queue.id,
        warm: true,
      })
      conversation.owner = target.agentId
      const room = conversationRoom(conversation.sessionId)
      this.io.to(room).emit('RoleUpdated', {
        participantId: target.agentId,
        role: 'Owner',
        conversationId: p.conversationId,
      })
      this.io.to(room).emit('RoleUpdated', {
        participantId: agent.agentId,
        role: 'Participant',
        conversationId: p.conversationId,
      })
    })
    on('leaveConversation', (payload) => {
      const agent = bound('leaveConversation')
      const p = payload as { conversationId: string; notify?: boolean | string | null }
      const conversation = this.participantOf(agent, p.conversationId, 'leaveConversation')
      if (conversation.owner === agent.agentId) {
        throw refused(
          'leaveConversation: the owner cannot leave; transferChat to another participant or endConversation',
        )
      }
      const notify = p.notify !== false && p.notify !== 'false'
      conversation.leaving.set(agent.rosterId, notify ? 'participantLeft' : null)
      this.command(conversation, { type: 'agent.leave', agentId: agent.rosterId })
    })
    on('endConversation', (payload) => {
      const agent = bound('endConversation')
      const conversation = this.ownerOf(agent, conversationIdOf(payload), 'endConversation')
      this.command(conversation, { type: 'agent.end', agentId: agent.rosterId })
    })
    on('wrapUp', (payload) => {
      const agent = bound('wrapUp')
      const p = payload as {
        conversationId?: string | null
        conversation?: { conversationId: string } | null
        wrapup: string
      }
      const id = p.conversationId ?? p.conversation?.conversationId
      if (id === undefined || id === null) {
        throw new SimulatorError(
          'invalid_request',
          'wrapUp: conversationId: expected a string (or conversation.conversationId), received nothing',
        )
      }
      const conversation = this.conversationOf(id, 'wrapUp')
      this.command(conversation, {
        type: 'agent.finish_wrapup',
        agentId: agent.rosterId,
        disposition: p.wrapup,
      })
      this.io.in(agentRoom(agent.agentId)).socketsLeave(conversationRoom(conversation.sessionId))
    })
    on('silentMonitor', (payload) => {
      const agent = this.supervisorOf(bound('silentMonitor'), 'silentMonitor')
      const conversation = this.conversationOf(conversationIdOf(payload), 'silentMonitor')
      if (this.session(conversation).machine.endedAt !== null) {
        throw refused('silentMonitor: the conversation has ended')
      }
      conversation.monitors.add(agent.agentId)
      this.io.in(agentRoom(agent.agentId)).socketsJoin(conversationRoom(conversation.sessionId))
      this.sendInfo(agent, conversation)
    })
    on('bargeIn', (payload) => {
      const agent = this.supervisorOf(bound('bargeIn'), 'bargeIn')
      const conversation = this.conversationOf(conversationIdOf(payload), 'bargeIn')
      this.supervisorJoins(agent, conversation, 'bargeIn')
    })
    on('raiseHand', (payload) => {
      const agent = bound('raiseHand')
      const p = payload as { conversationId: string; participantId: string }
      const conversation = this.participantOf(agent, p.conversationId, 'raiseHand')
      const supervisor = this.agents.get(p.participantId)
      if (!supervisor?.supervisor || !supervisor.loggedIn) {
        throw refused(`raiseHand: ${p.participantId} is not a logged-in supervisor`)
      }
      conversation.handRaise = true
      const session = this.session(conversation)
      this.io.to(agentRoom(supervisor.agentId)).emit('amq-msg', {
        head: 'TaskAssigned',
        param: taskParamOf(session),
      })
    })
  }

  private login(socket: Socket, agentId: string, mrd: string): void {
    const data = socket.data as SocketData
    data.agentId = agentId
    void socket.join(agentRoom(agentId))
    let agent = this.agents.get(agentId)
    if (agent?.loggedIn) {
      // A gadget reconnecting: the agent is still logged in; tell the new socket where it stands.
      this.bound(agent)
      this.agentInfo(agent, this.stateOf(agentId), socket)
      return
    }
    const rosterId = this.rosterIdOf(agentId)
    const roster = this.runtime.roster.get(rosterId)
    if (roster && roster.state.presence !== 'logged_out') {
      throw refused(
        `login: agent ${agentId} (roster agent ${String(rosterId)}) is already logged in elsewhere`,
      )
    }
    agent ??= {
      agentId,
      rosterId,
      supervisor: this.config.supervisors.includes(agentId),
      mrd,
      reasonCode: -1,
      loggedIn: false,
      announced: undefined,
    }
    agent.mrd = mrd
    this.bound(agent)
    this.agents.set(agentId, agent)
    this.byRosterId.set(rosterId, agent)
    this.runtime.roster.command(rosterId, 'login', 'Logged in')
    this.runtime.roster.setCapacity(rosterId, agent.supervisor ? 1 : this.config.maxTasks)
    agent.loggedIn = true
    const activity: ActivityMessage = {
      conversationId: '',
      type: 'ActivityMessage',
      from: CHAT_SERVER,
      to: [{ id: agentId, type: agent.supervisor ? 'Supervisor' : 'Agent' }],
      activityType: 'greetings',
      info: { event: 'login', mrd },
    }
    this.io.to(agentRoom(agentId)).emit('messageArrived', activity)
    this.refresh()
  }

  // -------------------------------------------------------------------------------------------
  // Sockets coming and going

  /** A socket bound to the agent: any pending grace timer is stale, and the agent is back. */
  private bound(agent: PeerAgent): void {
    this.away.back(agent.rosterId)
  }

  /** A socket bound to `agentId` disconnected; with none left, the grace period starts. */
  private socketGone(agentId: string): void {
    const agent = this.agents.get(agentId)
    if (this.closing || !agent?.loggedIn) return
    // socket.io has already taken the socket out of its rooms.
    if ((this.io.of('/').adapter.rooms.get(agentRoom(agentId))?.size ?? 0) > 0) return
    this.away.gone(agent.rosterId, () => agent.loggedIn)
  }

  private changeState(
    agent: PeerAgent,
    request: { readonly state: string; readonly reasonCode: number; readonly mrd: string },
  ): void {
    const { state: requested, reasonCode, mrd } = request
    const state = this.stateOf(agent.agentId)
    const refuse = (allowed: string): never => {
      throw refused(`AgentState: ${requested} is not allowed in ${state} (only from ${allowed})`)
    }
    agent.mrd = mrd
    switch (requested) {
      case 'READY':
        if (state !== 'NOT_READY' && state !== 'READY') refuse('NOT_READY')
        agent.reasonCode = -1
        if (state === 'NOT_READY') this.runtime.roster.command(agent.rosterId, 'available')
        else this.agentInfo(agent, state)
        return
      case 'NOT_READY':
        if (state !== 'READY' && state !== 'NOT_READY')
          refuse('READY, or NOT_READY with another reason')
        agent.reasonCode = reasonCode
        if (state === 'READY') {
          this.runtime.roster.command(
            agent.rosterId,
            'unavailable',
            `ReasonCode ${String(reasonCode)}`,
          )
        } else {
          this.agentInfo(agent, state)
        }
        return
      case 'LOGOUT':
        if (state !== 'NOT_READY') refuse('NOT_READY')
        this.runtime.roster.command(agent.rosterId, 'logout')
        this.refresh()
        agent.loggedIn = false
        return
    }
  }

  private join(agent: PeerAgent, conversationId: string): void {
    const sessionId = Number(conversationId)
    const session = Number.isSafeInteger(sessionId) ? this.runtime.getSession(sessionId) : undefined
    if (!session || session.story.kind !== 'chat') {
      throw refused(`joinConversation: no chat with conversationId ${conversationId}`)
    }
    const conversation = this.conversation(session)
    if (conversation.participants.has(agent.agentId)) {
      this.io.in(agentRoom(agent.agentId)).socketsJoin(conversationRoom(sessionId))
      this.sendInfo(agent, conversation)
      return
    }
    if (session.machine.offeredTo === agent.rosterId) {
      this.command(conversation, { type: 'agent.accept', agentId: agent.rosterId })
      return
    }
    if (agent.supervisor && conversation.handRaise) {
      this.supervisorJoins(agent, conversation, 'joinConversation')
      return
    }
    throw refused(
      `joinConversation: conversation ${conversationId} is not assigned to agent ${agent.agentId}`,
    )
  }

  private supervisorJoins(agent: PeerAgent, conversation: PeerConversation, event: string): void {
    const owner = conversation.owner === undefined ? undefined : this.agents.get(conversation.owner)
    if (!owner) throw refused(`${event}: the conversation has no agent to join`)
    conversation.joining.set(agent.rosterId, 'participantJoined')
    conversation.monitors.delete(agent.agentId)
    this.command(conversation, {
      type: 'agent.add_party',
      agentId: owner.rosterId,
      toAgentId: agent.rosterId,
    })
  }

  // -------------------------------------------------------------------------------------------
  // Session steps → server events

  private onStep(session: LiveSession, step: TimedStep): void {
    if (session.story.kind !== 'chat') return
    const conversationId = String(session.id)
    const room = conversationRoom(session.id)
    // Only the steps an agent desktop shows; the rest (IVR, VA, files, …) stay CCAI-side.
    // eslint-disable-next-line @typescript-eslint/switch-exhaustiveness-check
    switch (step.kind) {
      case 'assigned': {
        const agent = this.byRosterId.get(step.agentId)
        if (!agent) return
        this.conversation(session)
        // Routing offers a waiting chat the moment a wrap-up frees the agent, before the wrap-up's
        // own step reaches the peer: WORK_READY was announced, the READY between was not, and the
        // state table has no WORK_READY → RESERVED (reference §2.5).
        if (agent.announced !== 'READY' && this.stateOf(agent.agentId) === 'RESERVED') {
          agent.announced = 'READY'
          this.agentInfo(agent, 'READY')
          this.teamInfo()
        }
        this.refresh()
        this.io.to(agentRoom(agent.agentId)).emit('amq-msg', {
          head: 'TaskAssigned',
          param: taskParamOf(session),
        })
        return
      }
      case 'connected':
      case 'agent_joined': {
        const agent = this.byRosterId.get(step.agentId)
        if (!agent) return
        const conversation = this.conversation(session)
        conversation.owner ??= agent.agentId
        conversation.participants.add(agent.agentId)
        const activity = conversation.joining.get(step.agentId) ?? 'participantJoined'
        conversation.joining.delete(step.agentId)
        this.io
          .to(room)
          .emit(
            'messageArrived',
            this.activity(session, participantOf(agent, conversation), activity),
          )
        this.io.in(agentRoom(agent.agentId)).socketsJoin(room)
        this.sendInfo(agent, conversation)
        this.refresh()
        return
      }
      case 'agent_left': {
        const agent = this.byRosterId.get(step.agentId)
        const conversation = this.conversations.get(session.id)
        if (!agent || !conversation) return
        const activity = conversation.leaving.get(step.agentId)
        conversation.leaving.delete(step.agentId)
        if (activity !== null) {
          this.io
            .to(room)
            .emit(
              'messageArrived',
              this.activity(
                session,
                participantOf(agent, conversation),
                activity ?? 'participantLeft',
              ),
            )
        }
        conversation.participants.delete(agent.agentId)
        this.io.in(agentRoom(agent.agentId)).socketsLeave(room)
        this.refresh()
        return
      }
      case 'message': {
        const conversation = this.conversations.get(session.id)
        if (!conversation) return
        const from = step.from === 'agent' ? this.byRosterId.get(step.agentId ?? 0) : undefined
        const message = this.chatMessage(session, step)
        const target = from ? this.io.to(room).except(agentRoom(from.agentId)) : this.io.to(room)
        target.emit('messageArrived', message)
        return
      }
      case 'ended': {
        const conversation = this.conversations.get(session.id)
        if (!conversation) return
        this.io
          .to(room)
          .emit(
            'messageArrived',
            this.activity(
              session,
              step.by === 'end_user' ? customerOf(session) : this.ownerParticipant(conversation),
              'endOfConversation',
            ),
          )
        this.io.to(room).emit('endConversation', { conversationId })
        // Monitors have nothing to wrap up.
        for (const id of conversation.monitors) this.io.in(agentRoom(id)).socketsLeave(room)
        conversation.monitors.clear()
        conversation.participants.clear()
        this.refresh()
        return
      }
      case 'offer_missed':
      case 'wrapup_finished':
        this.refresh()
        if (session.machine.endedAt !== null && session.machine.wrappingUp.length === 0)
          this.conversations.delete(session.id)
        return
      default:
        return
    }
  }

  /** Announces every logged-in agent whose state changed: AgentInfo to it, teamInfo to the team. */
  private refresh(): void {
    let changed = false
    for (const agent of this.agents.values()) {
      if (!agent.loggedIn) continue
      const state = this.stateOf(agent.agentId)
      if (state === agent.announced) continue
      agent.announced = state
      changed = true
      this.agentInfo(agent, state)
    }
    if (changed) this.teamInfo()
  }

  private agentInfo(agent: PeerAgent, state: AgentState, socket?: Socket): void {
    const info = {
      head: 'AgentInfo',
      AgentId: agent.agentId,
      State: state,
      Mrd: agent.mrd,
      ReasonCode: state === 'NOT_READY' ? agent.reasonCode : -1,
    }
    if (socket) socket.emit('amq-msg', info)
    else this.io.to(agentRoom(agent.agentId)).emit('amq-msg', info)
  }

  private teamInfo(): void {
    const member = (a: PeerAgent): Participant => ({
      id: a.agentId,
      name: this.runtime.roster.get(a.rosterId)?.entity.name ?? a.agentId,
      // What each agent was last told (the same as its state now, but for a state in between).
      state: a.loggedIn ? (a.announced ?? this.stateOf(a.agentId)) : 'LOGOUT',
    })
    const all = [...this.agents.values()]
    const payload = {
      teamId: this.config.team.id,
      teamName: this.config.team.name,
      agents: all.filter((a) => !a.supervisor).map(member),
      supervisors: all.filter((a) => a.supervisor).map(member),
    }
    for (const agent of all) {
      if (agent.loggedIn) this.io.to(agentRoom(agent.agentId)).emit('teamInfo', payload)
    }
  }

  private sendInfo(agent: PeerAgent, conversation: PeerConversation): void {
    const session = this.session(conversation)
    const participants = this.participants(conversation)
    const messages = session.story.steps.flatMap((step) =>
      step.kind === 'message' ? [this.chatMessage(session, step)] : [],
    )
    const payload: ConversationInfoPayload = {
      conversation: { id: String(session.id), participants, messages },
      messages,
      participant: participants,
      role: conversation.owner === agent.agentId ? 'Owner' : 'Participant',
      handRaise: conversation.handRaise,
    }
    this.io.to(agentRoom(agent.agentId)).emit('conversationInfo', payload)
  }

  // -------------------------------------------------------------------------------------------
  // Helpers

  private command(
    conversation: PeerConversation,
    body: Parameters<SimulatorRuntime['command']>[1],
  ): void {
    try {
      this.runtime.command(conversation.sessionId, body)
    } catch (error) {
      if ('agentId' in body) {
        conversation.joining.delete(body.agentId)
        if (body.type === 'agent.add_party') conversation.joining.delete(body.toAgentId)
        conversation.leaving.delete(body.agentId)
      }
      throw error
    }
  }

  private conversation(session: LiveSession): PeerConversation {
    let conversation = this.conversations.get(session.id)
    if (!conversation) {
      conversation = {
        sessionId: session.id,
        owner: undefined,
        participants: new Set(),
        monitors: new Set(),
        handRaise: false,
        joining: new Map(),
        leaving: new Map(),
      }
      this.conversations.set(session.id, conversation)
    }
    return conversation
  }

  private session(conversation: PeerConversation): LiveSession {
    const session = this.runtime.getSession(conversation.sessionId)
    if (!session) {
      throw refused(`conversation ${String(conversation.sessionId)} is no longer known`)
    }
    return session
  }

  private conversationOf(conversationId: string, event: string): PeerConversation {
    const conversation = this.conversations.get(Number(conversationId))
    if (!conversation) throw refused(`${event}: no conversation ${conversationId} on this peer`)
    return conversation
  }

  private participantOf(agent: PeerAgent, conversationId: string, event: string): PeerConversation {
    const conversation = this.conversationOf(conversationId, event)
    if (!conversation.participants.has(agent.agentId)) {
      throw refused(
        `${event}: agent ${agent.agentId} is not in conversation ${conversationId} (joinConversation first)`,
      )
    }
    return conversation
  }

  private ownerOf(agent: PeerAgent, conversationId: string, event: string): PeerConversation {
    const conversation = this.participantOf(agent, conversationId, event)
    if (conversation.owner !== agent.agentId) {
      throw refused(
        `${event}: only the owner (${conversation.owner ?? 'none'}) may do this; agent ${agent.agentId} is a participant`,
      )
    }
    return conversation
  }

  private supervisorOf(agent: PeerAgent, event: string): PeerAgent {
    if (!agent.supervisor) {
      throw refused(
        `${event}: agent ${agent.agentId} is not a supervisor (peers.expertflow.supervisors)`,
      )
    }
    return agent
  }

  private participants(conversation: PeerConversation): Participant[] {
    const session = this.session(conversation)
    const agents = session.machine.connected.map((rosterId) => {
      const agent = this.byRosterId.get(rosterId)
      if (agent) return participantOf(agent, conversation)
      const entity = session.story.agents.find((a) => a.id === rosterId)
      return {
        id: String(rosterId),
        name: entity?.name ?? String(rosterId),
        type: 'Agent',
        role: 'Participant',
      } satisfies Participant
    })
    return [customerOf(session), ...agents]
  }

  private ownerParticipant(conversation: PeerConversation): Participant {
    const owner = conversation.owner === undefined ? undefined : this.agents.get(conversation.owner)
    return owner ? participantOf(owner, conversation) : CHAT_SERVER
  }

  private activity(session: LiveSession, from: Participant, type: ActivityType): ActivityMessage {
    return {
      conversationId: String(session.id),
      type: 'ActivityMessage',
      from,
      to: [],
      activityType: type,
    }
  }

  private chatMessage(
    session: LiveSession,
    step: Extract<TimedStep, { kind: 'message' }>,
  ): Message {
    const agent = step.from === 'agent' ? this.byRosterId.get(step.agentId ?? 0) : undefined
    const from: Participant =
      step.from === 'end_user'
        ? customerOf(session)
        : step.from === 'virtual_agent'
          ? {
              id: `bot-${String(session.story.virtualAgent?.id ?? 0)}`,
              name: session.story.virtualAgent?.name ?? 'Virtual agent',
              type: 'Bot',
            }
          : agent
            ? { id: agent.agentId, name: this.nameOf(agent), type: 'Agent' }
            : { id: String(step.agentId ?? 0), type: 'Agent' }
    return {
      conversationId: String(session.id),
      type: 'ChatMessage',
      timestamp: new Date(step.at).toISOString(),
      channel: channelOf(session),
      from,
      to: [],
      text: step.text,
      attachments: [],
    }
  }

  private nameOf(agent: PeerAgent): string {
    return this.runtime.roster.get(agent.rosterId)?.entity.name ?? agent.agentId
  }
}

function refused(message: string): SimulatorError {
  return new SimulatorError('invalid_command', message)
}

function agentRoom(agentId: string): string {
  return `agent:${agentId}`
}

function conversationRoom(sessionId: number): string {
  return `conversation:${String(sessionId)}`
}

function conversationIdOf(payload: unknown): string {
  return (payload as { conversationId: string }).conversationId
}

function customerIdOf(session: LiveSession): string {
  return `customer-${String(session.story.endUser.id)}`
}

function channelOf(session: LiveSession): string {
  return session.story.channel === 'sms' ? 'sms' : 'web'
}

function customerOf(session: LiveSession): Participant {
  const user = session.story.endUser
  return { id: customerIdOf(session), name: user.name, type: 'Customer' }
}

function taskParamOf(session: LiveSession): TaskAssignedParam {
  const user = session.story.endUser
  return {
    id: customerIdOf(session),
    name: user.name,
    displayName: user.name,
    type: 'Customer',
    email: user.email,
    phone: user.phone,
    channel: channelOf(session),
    chatId: String(session.id),
    conversationId: String(session.id),
  }
}

function participantOf(agent: PeerAgent, conversation: PeerConversation): Participant {
  return {
    id: agent.agentId,
    type: agent.supervisor ? 'Supervisor' : 'Agent',
    role: conversation.owner === agent.agentId ? 'Owner' : 'Participant',
  }
}
