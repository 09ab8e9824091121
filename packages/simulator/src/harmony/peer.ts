import {
  checkPayload,
  HarmonyPrepareSessionRequestSchema,
  HarmonyRequestSchema,
  type HarmonyAddressBooksData,
  type HarmonyAgentStatus,
  type HarmonyLogoutReason,
  type HarmonyReasonCode,
  type HarmonyRequest,
  type HarmonySimulatorErrorCode,
} from '@ccai-sim/schemas'
import type { z } from 'zod'
import { SimulatorError } from '../errors.js'
import type { SimulatorRuntime } from '../runtime/simulator-runtime.js'
import { AwayAfterGrace } from '../peers/away.js'
import { PeerTraffic } from '../peers/traffic.js'

/*
 * The OpenMethods Harmony Session Resource, server side (seed 001; reference §1.6 and §4.1), as an
 * input source and a surface of the reactive runtime — not a second simulator:
 * - `channel.activate` / `deactivate` / `ready` / `notready` are the roster's login / logout /
 *   available / unavailable for the session's agent (a manual agent);
 * - calls routing offers to that agent ring on the agent's channel (an ALERTING interaction), and
 *   answer / hold / retrieve / release / consult transfer / conference are the agent commands of
 *   the session machine (`agent.accept`, `agent.hold`, …), so QM, metadata and the CRM flow follow;
 * - what the Harmony client sees is reconciled from the runtime's state after every command and
 *   every journaled change (`reconcile`), so a change made elsewhere (the control API, a missed offer, the
 *   customer hanging up) reaches the client too.
 * - when the connection holding an agent's session resource closes (a WebSocket or TCP close,
 *   an HTTP `endSession`) and no prepareSession binds the agent again within
 *   `disconnectGraceSeconds` (virtual time), the agent is away (the shared rule of
 *   `peers/away.ts`): READY turns NOT_READY (reason "Disconnected"), a ringing call goes back to
 *   its queue as a missed offer, routing offers it nothing more; a call already answered stays.
 * Transports (WebSocket, HTTP polling, `~!OM` TCP) only move JSON in and out of a `HarmonyLink`.
 */

/** Every message the peer sends a client (responses and object events), as plain JSON. */
export type HarmonyOutgoing = Readonly<Record<string, unknown>>

/** One client connection, whatever the transport: the peer calls `send` for each message. */
export interface HarmonyLinkSink {
  send(message: HarmonyOutgoing): void
  /** The transport, naming the connection in the peer's traffic (`ws`, `http`, `tcp`). */
  readonly transport?: string
}

export interface HarmonyPeerOptions {
  /** When set, `prepareSession` refuses any other password. Default: any non-empty password. */
  readonly password?: string | undefined
  /**
   * Virtual seconds an agent's session resource may be without a connection before the agent is
   * away (see above); 0: at once. Default 10.
   */
  readonly disconnectGraceSeconds?: number
}

type ChannelState = 'INACTIVE' | 'ACTIVE'
type BaseStatus = 'ready' | 'not_ready' | 'after_call_work'
type InteractionState = 'ALERTING' | 'STARTED'
type ConversationState = 'ALERTING' | 'CONNECTED' | 'HELD'

interface Conversation {
  readonly id: string
  readonly role: 'primary' | 'consult'
  state: ConversationState
  /** The consulted agent (consult conversations). */
  readonly agentId?: number
}

interface Interaction {
  readonly id: string
  /** The runtime session it shows. */
  readonly sessionId: number
  readonly type: 'Telephony' | 'Chat'
  state: InteractionState
  primary: Conversation
  consult: Conversation | undefined
  recording: 'started' | 'stopped'
}

interface ChannelView {
  state: ChannelState
  status: HarmonyAgentStatus['status']
  reasonCode: string
  reasonName: string
}

interface ResourceSession {
  readonly id: string
  readonly agentId: number
  link: HarmonyLink | undefined
  started: boolean
  /** The last channel info sent (undefined before `session.start`). */
  sent: ChannelView | undefined
  /** The base status the client chose (`ready`, `not_ready` + reason, `after_call_work`). */
  reason: { code: string; name: string }
  readonly interactions: Map<number, Interaction>
}

/** Not-ready reasons the simulated platform offers (`session.externalnotreadyreasons.updated`). */
export const HARMONY_NOT_READY_REASONS: readonly HarmonyReasonCode[] = [
  ['1', 'BREAK', 'Break', 'Short break'],
  ['2', 'LUNCH', 'Lunch', 'Lunch break'],
  ['3', 'MEETING', 'Meeting', 'Team meeting'],
  ['4', 'TRAINING', 'Training', 'Training session'],
].map(([id, code, name, description]) => ({
  reasonCodeId: id ?? '',
  reasonCodeCode: code ?? '',
  selectable: true,
  extensions: [],
  labels: [{ language: 'en', country: 'US', name: name ?? '', description: description ?? '' }],
}))

/** Logout reasons (`session.externallogoutreasons.updated`); the simulator never requires one. */
export const HARMONY_LOGOUT_REASONS: readonly HarmonyLogoutReason[] = [
  ['1', 'END_OF_SHIFT', 'End of shift'],
  ['2', 'SYSTEM_ISSUE', 'System issue'],
].map(([id, code, name]) => ({
  logoutReasonId: id ?? '',
  logoutReasonCode: code ?? '',
  extensions: [],
  labels: [{ language: 'en', country: 'US', name: name ?? '', description: name ?? '' }],
}))

const GROUP_ID = 'mediabar'
const AFTER_CALL_WORK = 'acw'
/** The disposition a released call's wrap-up ends with when the client names none. */
const DEFAULT_DISPOSITION = 'Completed (Harmony)'

class HarmonyFailure extends Error {
  constructor(
    readonly code: HarmonySimulatorErrorCode,
    message: string,
  ) {
    super(message)
  }
}

const fail = (code: HarmonySimulatorErrorCode, message: string): never => {
  throw new HarmonyFailure(code, message)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A client connection: binds at most one session resource (`prepareSession`). */
export class HarmonyLink {
  session: ResourceSession | undefined
  closed = false

  constructor(
    private readonly peer: HarmonyPeer,
    private readonly sink: HarmonyLinkSink,
    /** The connection's name in the peer's traffic (`ws#1`). */
    readonly label: string,
  ) {}

  /** One message from the client (already parsed from JSON). */
  receive(message: unknown): void {
    if (this.closed) return
    this.peer.traffic.record('in', this.label, incomingName(message))
    this.peer.receive(this, message)
  }

  send(message: HarmonyOutgoing): void {
    if (this.closed) return
    this.peer.traffic.record('out', this.label, outgoingName(message))
    this.sink.send(message)
  }

  /**
   * The transport went away: the session resource stays (the agent may bind it again with
   * prepareSession and override); without that, the agent is away after the grace period.
   */
  close(): void {
    if (this.closed) return
    this.closed = true
    const session = this.session
    this.session = undefined
    if (session?.link === this) {
      session.link = undefined
      this.peer.unbound(session)
    }
  }
}

/** The session resources of every Harmony client, and their bond with the runtime. */
/** A client message's name in the traffic: its command, as sent. */
function incomingName(message: unknown): string {
  const command = isRecord(message) ? message['command'] : undefined
  return typeof command === 'string' ? command.trim() : '(not a request)'
}

/** An event's name, or a response's command and result (`session.start success`). */
function outgoingName(message: HarmonyOutgoing): string {
  const name = message['messageType'] === 'objectEvent' ? message['name'] : undefined
  if (typeof name === 'string') return name
  const command = message['command']
  const result = message['result']
  return [command, result].filter((part) => typeof part === 'string').join(' ') || '(message)'
}

export class HarmonyPeer {
  /** What went over the clients' connections, for the console (`GET /_sim/peers`). */
  readonly traffic: PeerTraffic
  private readonly sessions = new Map<string, ResourceSession>()
  private counter = 0
  private links = 0
  private reconcilePending = false
  /** Subscribed to the journal while session resources exist (an unused peer costs nothing). */
  private unsubscribe: (() => void) | undefined
  /** Follows presence and routing while session resources exist (the disconnect rule). */
  private unwatch: (() => void) | undefined
  /** Agents whose session resource lost its connection (the disconnect rule). */
  private readonly away: AwayAfterGrace

  constructor(
    private readonly runtime: SimulatorRuntime,
    private readonly options: HarmonyPeerOptions = {},
  ) {
    this.traffic = new PeerTraffic(() => runtime.clock.now())
    this.away = new AwayAfterGrace(runtime, options.disconnectGraceSeconds ?? 10)
  }

  connect(sink: HarmonyLinkSink): HarmonyLink {
    this.links += 1
    return new HarmonyLink(this, sink, `${sink.transport ?? 'link'}#${String(this.links)}`)
  }

  /** Live session resources, for the console and tests. */
  list(): { id: string; agentId: number; started: boolean; bound: boolean }[] {
    return [...this.sessions.values()].map((s) => ({
      id: s.id,
      agentId: s.agentId,
      started: s.started,
      bound: s.link !== undefined,
    }))
  }

  close(): void {
    this.unsubscribe?.()
    this.unsubscribe = undefined
    this.unwatch?.()
    this.unwatch = undefined
  }

  private watch(): void {
    // Any journaled change (an input such as an offer or a hang-up, a presence change, an
    // emission) may concern a client: re-read the runtime once per tick, outside its own loop.
    // Not the bus: a missed offer, for one, publishes nothing.
    this.unsubscribe ??= this.runtime.journal.subscribe(() => {
      this.scheduleReconcile()
    })
    this.unwatch ??= this.runtime.watch({
      // An away agent whose last call is done is not READY: nobody is there (before routing,
      // which runs after the watchers, offers it anything).
      presence: (agent) => {
        if (this.holds(agent.entity.id)) this.away.keepAway(agent)
      },
      mayOffer: (agentId) => !(this.holds(agentId) && this.away.isAway(agentId)),
    })
  }

  /** Whether a session resource (bound or not) stands for the roster agent. */
  private holds(agentId: number): boolean {
    for (const session of this.sessions.values()) if (session.agentId === agentId) return true
    return false
  }

  /** `session` lost its connection: without a new one within the grace, the agent is away. */
  unbound(session: ResourceSession): void {
    this.away.gone(
      session.agentId,
      () => this.sessions.get(session.id) === session && session.link === undefined,
    )
  }

  private forget(session: ResourceSession): void {
    this.sessions.delete(session.id)
    // Logged out or replaced: a grace timer of the old resource is stale.
    this.away.back(session.agentId)
    if (this.sessions.size === 0) this.close()
  }

  // -------------------------------------------------------------------------------------------
  // Requests

  receive(link: HarmonyLink, message: unknown): void {
    if (isRecord(message) && message['command'] === 'prepareSession') {
      this.prepareSession(link, message)
      return
    }
    const parsed = HarmonyRequestSchema.safeParse(message)
    if (!parsed.success) {
      link.send(malformed(message, refusal(HarmonyRequestSchema, message)))
      return
    }
    // Leniency (reference §1.4): the documents show commands with a leading space.
    const request: HarmonyRequest = { ...parsed.data, command: parsed.data.command.trim() }
    try {
      const session = link.session
      if (!session) {
        return fail(
          'INVALID_TARGET',
          `${request.command}: this connection has no session resource; send prepareSession first`,
        )
      }
      const sessionId = request.target.split('.')[0]
      if (sessionId !== session.id) {
        return fail(
          'INVALID_TARGET',
          `target: expected a path starting with this connection's session "${session.id}", received "${request.target}"`,
        )
      }
      if (!session.started && request.command !== 'session.start') {
        return fail(
          'SESSION_NOT_STARTED',
          `${request.command}: send session.start first; every other request before it fails`,
        )
      }
      // What the runtime did since the last reconcile (routing offered a call during the previous
      // command of the same batch: one TCP read, one HTTP poll) reaches the client before this
      // command's answer, and the command's preconditions (an ongoing interaction) see it.
      if (this.reconcilePending) this.reconcileSession(session)
      this.dispatch(session, link, request)
    } catch (error) {
      link.send(failureOf(request, error))
    }
  }

  private prepareSession(link: HarmonyLink, message: Record<string, unknown>): void {
    const refuse = (code: string, text: string): void => {
      link.send({
        command: 'prepareSession',
        result: 'failure',
        failure: { code, message: text },
        original: message,
      })
    }
    const parsed = HarmonyPrepareSessionRequestSchema.safeParse(message)
    if (!parsed.success) {
      refuse(
        'INVALID_REQUEST',
        `prepareSession: ${refusal(HarmonyPrepareSessionRequestSchema, message)}`,
      )
      return
    }
    const { agent, override } = parsed.data.data
    if (!/^[1-9]\d{0,8}$/.test(agent.id)) {
      refuse(
        'UNKNOWN_AGENT',
        `data.agent.id: expected the simulator's numeric agent id (e.g. "17"), received ${JSON.stringify(agent.id)}`,
      )
      return
    }
    const expected = this.options.password
    if (agent.password === '' || (expected !== undefined && agent.password !== expected)) {
      refuse('INVALID_CREDENTIALS', `agent ${agent.id}: the password was refused`)
      return
    }
    if (link.session) {
      refuse(
        'ALREADY_BOUND',
        `this connection already holds session ${link.session.id}; log out (session.request.logout) or open another connection`,
      )
      return
    }
    const agentId = Number(agent.id)
    const existing = [...this.sessions.values()].find((s) => s.agentId === agentId)
    if (existing) {
      if (!override) {
        link.send({
          command: 'prepareSession',
          result: 'confirm',
          message: `A session for agent ${agent.id} already exists (${existing.id}). Send prepareSession again with override true to replace it.`,
          original: parsed.data,
        })
        return
      }
      // override: the old resource is destroyed; its client hears it (the agent's presence stays).
      this.forget(existing)
      existing.link?.send(event(existing.id, 'session.disposed', { reason: 'override' }))
      if (existing.link) existing.link.session = undefined
    }
    this.counter += 1
    const session: ResourceSession = {
      id: `hs${String(this.counter)}-${agent.id}`,
      agentId,
      link,
      started: false,
      sent: undefined,
      reason: { code: '', name: '' },
      interactions: new Map(),
    }
    this.sessions.set(session.id, session)
    this.watch()
    link.session = session
    link.send({ command: 'prepareSession', result: 'success', data: { id: session.id } })
  }

  private dispatch(session: ResourceSession, link: HarmonyLink, request: HarmonyRequest): void {
    const { command } = request
    switch (command) {
      case 'session.start':
        if (session.started) fail('UNSUPPORTED', 'session.start: the session has already started')
        session.started = true
        link.send({ command, target: request.target, result: 'success' })
        this.announceTree(session)
        return
      case 'session.request.externalnotreadyreasons':
        link.send(success(request))
        link.send(
          event(session.id, 'session.externalnotreadyreasons.updated', {
            reasonCodes: HARMONY_NOT_READY_REASONS,
          }),
        )
        return
      case 'session.request.externallogoutreasons':
        link.send(success(request))
        link.send(
          event(session.id, 'session.externallogoutreasons.updated', {
            logoutReasons: HARMONY_LOGOUT_REASONS,
          }),
        )
        return
      case 'session.request.incontact.addressbook': {
        const books = this.addressBooks(session)
        link.send({ command, target: request.target, result: 'success', data: books })
        link.send(event(session.id, 'session.incontact.addressbook.updated', books))
        return
      }
      case 'session.request.logout':
        this.logout(session, link, request)
        return
      case 'channel.activate':
      case 'channel.deactivate':
      case 'channel.ready':
      case 'channel.notready':
        this.channelTarget(session, request.target)
        this.channelCommand(link, request)
        return
      case 'channelgroup.request.activate':
      case 'channelgroup.request.activateall':
      case 'channelgroup.request.deactivateall': {
        // The use cases' names for the same operations (reference §1.5.3): our group holds one
        // channel, so "all" is that channel; the target may be the group or the channel.
        if (request.target !== `${session.id}.${GROUP_ID}`)
          this.channelTarget(session, request.target)
        const verb = command === 'channelgroup.request.deactivateall' ? 'deactivate' : 'activate'
        this.channelCommand(link, request, verb)
        return
      }
      case 'interaction.accept':
      case 'interaction.reject':
      case 'interaction.consult':
      case 'interaction.consulttransfer':
      case 'interaction.consultconference':
      case 'interaction.request.recording.start':
      case 'interaction.request.recording.stop':
      case 'interaction.request.recording.resume':
      case 'interaction.request.recording.pause':
        this.interactionCommand(link, request, this.interactionTarget(session, request.target))
        return
      case 'conversation.answer':
      case 'conversation.hold':
      case 'conversation.retrieve':
      case 'conversation.release':
        this.conversationCommand(session, link, request)
        return
      default:
        fail(
          'UNSUPPORTED',
          `${command}: not modelled by the simulator (session.addchannel, session.addchannelgroup and channel.dial are documented but not simulated)`,
        )
    }
  }

  // -------------------------------------------------------------------------------------------
  // The object tree

  private channelId(session: ResourceSession): string {
    return `tel-${String(session.agentId)}`
  }

  private channelPath(session: ResourceSession): string {
    return `${session.id}.${GROUP_ID}.${this.channelId(session)}`
  }

  /** The channel, by its grouped path or (leniently) its standalone one. */
  private channelTarget(session: ResourceSession, target: string): void {
    const standalone = `${session.id}.${this.channelId(session)}`
    if (target !== this.channelPath(session) && target !== standalone) {
      fail(
        'INVALID_TARGET',
        `target: no channel "${target}"; this session's channel is ${this.channelPath(session)}`,
      )
    }
  }

  private interactionPath(session: ResourceSession, interaction: Interaction): string {
    return `${this.channelPath(session)}.${interaction.id}`
  }

  private interactionTarget(session: ResourceSession, target: string): Interaction {
    for (const interaction of session.interactions.values()) {
      const path = this.interactionPath(session, interaction)
      if (
        target === path ||
        target === `${session.id}.${this.channelId(session)}.${interaction.id}`
      )
        return interaction
    }
    const known = [...session.interactions.values()].map((i) => this.interactionPath(session, i))
    return fail(
      'INVALID_TARGET',
      `target: no interaction "${target}" (interactions now: ${known.length === 0 ? 'none' : known.join(', ')})`,
    )
  }

  private announceTree(session: ResourceSession): void {
    const link = session.link
    if (!link) return
    const group = `${session.id}.${GROUP_ID}`
    link.send(
      event(group, 'channelgroup.created', { channelgroup: { id: GROUP_ID, name: 'MediaBar' } }),
    )
    link.send(
      event(group, 'channel.created', {
        channel: {
          id: this.channelId(session),
          name: String(session.agentId),
          type: 'TELEPHONY',
          modelType: 'TELEPHONY',
        },
      }),
    )
    // Channels are created INACTIVE; infochanged then tells the real state (the agent may already
    // be logged in through the control API or an earlier session resource), busy included when a
    // call already rings or is up: its interaction is announced once the channel is initialised,
    // and the session initialises once, not with a status correction inside its initialisation.
    const me = session.agentId
    const calls = this.runtime.roster.get(me)?.state.sessions ?? []
    this.syncChannel(
      session,
      true,
      calls.some((id) => this.standing(me, id) !== undefined),
    )
    link.send(event(this.channelPath(session), 'channel.initialized', {}))
    this.reconcileSession(session)
    link.send(event(session.id, 'session.initialized', {}))
  }

  // -------------------------------------------------------------------------------------------
  // Channels: the roster's presence for the session's agent

  private presence(session: ResourceSession): string {
    return this.runtime.roster.get(session.agentId)?.state.presence ?? 'logged_out'
  }

  private roster(
    session: ResourceSession,
    command: 'login' | 'logout' | 'available' | 'unavailable',
    reason?: string,
  ): void {
    try {
      this.runtime.roster.command(session.agentId, command, reason)
    } catch (error) {
      if (error instanceof SimulatorError) fail('CTI_ERROR', error.detail)
      throw error
    }
  }

  private channelCommand(
    link: HarmonyLink,
    request: HarmonyRequest,
    verb: string = request.command.slice('channel.'.length),
  ): void {
    const session = link.session
    if (!session) return
    const active = this.presence(session) !== 'logged_out'
    const data = request.data ?? {}
    let echo: Record<string, unknown> = { ...data }
    switch (verb) {
      case 'activate': {
        if (active)
          fail('CHANNEL_ALREADY_ACTIVE', `${request.command}: the channel is already ACTIVE`)
        const options = data['channeloptions'] ?? data['channelOptions']
        echo = isRecord(options) ? { channeloptions: options } : {}
        if (request.command !== 'channel.activate') echo = { ...data }
        this.roster(session, 'login')
        session.reason = { code: '', name: 'Logged in' }
        break
      }
      case 'deactivate': {
        if (!active)
          fail('CHANNEL_ALREADY_INACTIVE', `${request.command}: the channel is already INACTIVE`)
        if (session.interactions.size > 0)
          fail('ONGOING_INTERACTION', `${request.command}: the channel has an ongoing interaction`)
        const options = data['channelOptions'] ?? data['channeloptions']
        echo = isRecord(options) ? { channelOptions: options } : {}
        if (request.command !== 'channel.deactivate') echo = { ...data }
        // Deactivate All makes Ready channels Not Ready first (reference §1.6).
        if (this.presence(session) === 'available') this.roster(session, 'unavailable', 'Logout')
        this.roster(session, 'logout')
        break
      }
      case 'ready':
        if (!active)
          fail('CHANNEL_NOT_ACTIVE', 'channel.ready: the channel is not ACTIVE; activate it first')
        echo = {}
        session.reason = { code: '', name: '' }
        this.roster(session, 'available')
        break
      case 'notready': {
        if (!active)
          fail(
            'CHANNEL_NOT_ACTIVE',
            'channel.notready: the channel is not ACTIVE; activate it first',
          )
        const code = data['reasoncode']
        if (typeof code !== 'string' || code === '') {
          return fail(
            'REASON_REQUIRED',
            `data.reasoncode: expected "acw" or a reason code of session.externalnotreadyreasons.updated, received ${JSON.stringify(code)}`,
          )
        }
        const known = HARMONY_NOT_READY_REASONS.find(
          (r) => r.reasonCodeId === code || r.reasonCodeCode === code,
        )
        if (code !== AFTER_CALL_WORK && !known) {
          fail(
            'CTI_ERROR',
            `data.reasoncode: expected "acw" or one of ${HARMONY_NOT_READY_REASONS.map((r) => r.reasonCodeId).join(', ')}, received ${JSON.stringify(code)}`,
          )
        }
        const name = code === AFTER_CALL_WORK ? 'After call work' : (known?.labels[0]?.name ?? code)
        session.reason = { code, name }
        this.roster(session, 'unavailable', name)
        echo = {
          reasoncode: code,
          ...(typeof data['reasondesc'] === 'string' ? { reasondesc: data['reasondesc'] } : {}),
        }
        break
      }
    }
    link.send({ command: request.command, target: request.target, result: 'success', data: echo })
    this.syncChannel(session)
  }

  /** The channel's state and agent status as the roster and the interactions say; sends changes. */
  private channelView(session: ResourceSession, busy = session.interactions.size > 0): ChannelView {
    const agent = this.runtime.roster.get(session.agentId)
    const presence = agent?.state.presence ?? 'logged_out'
    if (presence === 'logged_out') {
      return { state: 'INACTIVE', status: 'not_ready', reasonCode: '', reasonName: '' }
    }
    let base: BaseStatus
    let { code, name } = session.reason
    if (presence === 'available' || presence === 'busy' || presence === 'wrap_up') {
      // busy / wrap_up come from a session: the base status is the one before it.
      base = presence === 'available' || session.reason.code === '' ? 'ready' : 'not_ready'
      if (session.reason.code === AFTER_CALL_WORK) base = 'after_call_work'
      if (presence === 'available') ({ code, name } = { code: '', name: '' })
    } else {
      const reason = agent?.state.reason ?? ''
      if (reason !== name) {
        // Unavailable for a reason the client did not choose (a missed offer, the control API).
        ;({ code, name } = { code: '', name: reason })
      }
      base = code === AFTER_CALL_WORK ? 'after_call_work' : 'not_ready'
    }
    const status = (busy ? `busy_${base}` : base) as HarmonyAgentStatus['status']
    return { state: 'ACTIVE', status, reasonCode: code, reasonName: name }
  }

  /** `busy`: whether the agent has a call up, when the client's interactions do not tell yet. */
  private syncChannel(session: ResourceSession, force = false, busy?: boolean): void {
    const link = session.link
    if (!link || !session.started) return
    const view = this.channelView(session, busy)
    const sent = session.sent
    if (
      !force &&
      sent?.state === view.state &&
      sent.status === view.status &&
      sent.reasonCode === view.reasonCode &&
      sent.reasonName === view.reasonName
    )
      return
    session.sent = view
    const path = this.channelPath(session)
    const agentStatus = {
      status: view.status,
      lastReasonCode: view.reasonCode,
      lastReasonName: view.reasonName,
    }
    link.send(event(path, 'channel.infochanged', { state: view.state, agentStatus }))
    if (!force) link.send(event(path, 'state.updated', { state: view.state, agentStatus }))
  }

  private logout(session: ResourceSession, link: HarmonyLink, request: HarmonyRequest): void {
    // The Logout use case's server rules, in order (reference §1.6).
    if (session.interactions.size > 0)
      fail('ONGOING_INTERACTION', 'session.request.logout: finish the ongoing interaction first')
    link.send(success(request))
    if (this.presence(session) === 'available') {
      this.roster(session, 'unavailable', 'Logout')
      session.reason = { code: '', name: 'Logout' }
      this.syncChannel(session)
    }
    if (this.presence(session) !== 'logged_out') {
      this.roster(session, 'logout')
      this.syncChannel(session)
    }
    link.send(event(this.channelPath(session), 'channel.disposed', {}))
    link.send(event(`${session.id}.${GROUP_ID}`, 'channelgroup.disposed', {}))
    link.send(event(session.id, 'session.disposed', {}))
    this.forget(session)
    link.session = undefined
  }

  private addressBooks(session: ResourceSession): HarmonyAddressBooksData {
    const agents = this.runtime.roster
      .list()
      .filter((a) => a.entity.id !== session.agentId)
      .map((a) => ({
        name: a.entity.name,
        type: 'agent' as const,
        destinations: [{ label: 'Agent', value: String(a.entity.id) }],
        properties: { state: a.state.presence },
      }))
    return {
      addressbooks: [
        {
          name: 'Contact centre',
          groups: [{ name: 'Agents', groups: [], entries: agents }],
          entries: [
            {
              name: 'Supervisor desk',
              type: 'external',
              destinations: [{ label: 'Work', value: '+15555550100' }],
              properties: {},
            },
          ],
        },
      ],
    }
  }

  // -------------------------------------------------------------------------------------------
  // Interactions: the runtime's sessions offered to / held by the agent

  private command(
    session: ResourceSession,
    interaction: Interaction,
    input: { readonly type: string } & Record<string, unknown>,
  ): void {
    try {
      this.runtime.command(interaction.sessionId, {
        ...input,
        agentId: session.agentId,
      } as Parameters<SimulatorRuntime['command']>[1])
    } catch (error) {
      if (error instanceof SimulatorError) fail('CTI_ERROR', error.detail)
      throw error
    }
  }

  private interactionCommand(
    link: HarmonyLink,
    request: HarmonyRequest,
    interaction: Interaction,
  ): void {
    const session = link.session
    if (!session) return
    const path = this.interactionPath(session, interaction)
    const needStarted = (): void => {
      if (interaction.state !== 'STARTED')
        fail(
          'CTI_ERROR',
          `${request.command}: the interaction is ${interaction.state}, not STARTED`,
        )
    }
    switch (request.command) {
      case 'interaction.accept':
        this.command(session, interaction, { type: 'agent.accept' })
        link.send(success(request))
        break
      case 'interaction.reject':
        this.command(session, interaction, { type: 'agent.decline' })
        link.send(success(request))
        break
      case 'interaction.consult': {
        needStarted()
        if (interaction.consult)
          fail('CTI_ERROR', 'interaction.consult: a consult call is already up')
        const destination = request.data?.['destination']
        if (typeof destination !== 'string' || !/^[1-9]\d{0,8}$/.test(destination)) {
          fail(
            'CTI_ERROR',
            `data.destination: expected an agent id of the address book (digits), received ${JSON.stringify(destination)}`,
          )
        }
        const to = Number(destination)
        if (to === session.agentId) fail('CTI_ERROR', 'data.destination: cannot consult yourself')
        // The original party waits on hold while the agent talks to the consulted colleague, who
        // answers at once (the simulator plays them); the customer's session sees the hold.
        if (!this.runtime.getSession(interaction.sessionId)?.machine.onHold)
          this.command(session, interaction, { type: 'agent.hold' })
        link.send(success(request))
        interaction.primary.state = 'HELD'
        link.send(event(`${path}.${interaction.primary.id}`, 'state.updated', { state: 'HELD' }))
        const consult: Conversation = {
          id: `conn-${String(interaction.sessionId)}-2`,
          role: 'consult',
          state: 'CONNECTED',
          agentId: to,
        }
        interaction.consult = consult
        link.send(
          event(`${path}.${consult.id}`, 'conversation.created', {
            role: 'consult',
            state: 'CONNECTED',
            destination,
          }),
        )
        link.send(event(path, 'interaction.focuschanged', { focus: consult.id }))
        break
      }
      case 'interaction.consulttransfer': {
        const consult = interaction.consult
        if (!consult?.agentId)
          return fail(
            'NO_CONSULT_CALL',
            'interaction.consulttransfer: there is no connected consult call',
          )
        // The machine's warm transfer: the consulted agent joins, this agent leaves.
        if (this.runtime.getSession(interaction.sessionId)?.machine.onHold)
          this.command(session, interaction, { type: 'agent.resume' })
        const queueId = this.runtime.getSession(interaction.sessionId)?.machine.cast.queue.id ?? 0
        this.command(session, interaction, {
          type: 'agent.transfer',
          toAgentId: consult.agentId,
          toQueueId: queueId,
          warm: true,
        })
        this.runtime.command(interaction.sessionId, {
          type: 'agent.join',
          agentId: consult.agentId,
        })
        this.command(session, interaction, { type: 'agent.leave' })
        link.send(success(request))
        // The documented order (reference §1.5.4).
        session.interactions.delete(interaction.sessionId)
        const primary = `${path}.${interaction.primary.id}`
        link.send(event(primary, 'state.updated', { state: 'DISCONNECTED' }))
        link.send(event(primary, 'conversation.disposed', {}))
        link.send(event(path, 'interaction.focuschanged', { focus: consult.id }))
        link.send(event(`${path}.${consult.id}`, 'state.updated', { state: 'DISCONNECTED' }))
        link.send(event(`${path}.${consult.id}`, 'conversation.disposed', {}))
        link.send(event(path, 'interaction.ended', { reason: 'transferred' }))
        this.syncChannel(session)
        break
      }
      case 'interaction.consultconference': {
        const consult = interaction.consult
        if (!consult?.agentId)
          return fail(
            'NO_CONSULT_CALL',
            'interaction.consultconference: there is no connected consult call',
          )
        if (this.runtime.getSession(interaction.sessionId)?.machine.onHold)
          this.command(session, interaction, { type: 'agent.resume' })
        this.command(session, interaction, {
          type: 'agent.add_party',
          toAgentId: consult.agentId,
        })
        link.send(success(request))
        interaction.consult = undefined
        interaction.primary.state = 'CONNECTED'
        link.send(event(`${path}.${consult.id}`, 'conversation.disposed', {}))
        link.send(
          event(`${path}.${interaction.primary.id}`, 'state.updated', {
            state: 'CONNECTED',
            conference: true,
          }),
        )
        link.send(event(path, 'interaction.focuschanged', { focus: interaction.primary.id }))
        break
      }
      case 'interaction.request.recording.pause':
        // Platforms without pause answer "unsupported" (reference §1.5.4); the simulated one is such.
        return fail(
          'UNSUPPORTED',
          'interaction.request.recording.pause: this platform cannot pause recording',
        )
      default: {
        needStarted()
        // start/resume/stop: stop succeeds even when already stopped (reference §1.5.4).
        interaction.recording = request.command.endsWith('.stop') ? 'stopped' : 'started'
        link.send(success(request))
        link.send(
          event(path, 'state.updated', {
            state: interaction.state,
            recording: interaction.recording,
          }),
        )
      }
    }
    this.reconcileSession(session)
  }

  private conversationCommand(
    session: ResourceSession,
    link: HarmonyLink,
    request: HarmonyRequest,
  ): void {
    const dot = request.target.lastIndexOf('.')
    const interaction = this.interactionTarget(session, request.target.slice(0, dot))
    const id = request.target.slice(dot + 1)
    const conversation = [interaction.primary, interaction.consult].find((c) => c?.id === id)
    if (!conversation) {
      return fail(
        'INVALID_TARGET',
        `target: no conversation "${id}" on ${this.interactionPath(session, interaction)} (conversations: ${[interaction.primary, interaction.consult].flatMap((c) => (c ? [c.id] : [])).join(', ')})`,
      )
    }
    const path = `${this.interactionPath(session, interaction)}.${conversation.id}`
    if (conversation.role === 'consult') {
      // The consult leg lives only here: releasing it returns to the held caller.
      if (request.command !== 'conversation.release')
        fail(
          'UNSUPPORTED',
          `${request.command}: only release is modelled on a consult conversation`,
        )
      link.send(success(request))
      interaction.consult = undefined
      link.send(event(path, 'state.updated', { state: 'DISCONNECTED' }))
      link.send(event(path, 'conversation.disposed', {}))
      link.send(
        event(this.interactionPath(session, interaction), 'interaction.focuschanged', {
          focus: interaction.primary.id,
        }),
      )
      return
    }
    switch (request.command) {
      case 'conversation.answer':
        this.command(session, interaction, { type: 'agent.accept' })
        break
      case 'conversation.hold':
        this.command(session, interaction, { type: 'agent.hold' })
        break
      case 'conversation.retrieve':
        if (interaction.consult)
          fail('CTI_ERROR', 'conversation.retrieve: release the consult call first')
        this.command(session, interaction, { type: 'agent.resume' })
        break
      case 'conversation.release': {
        this.command(session, interaction, { type: 'agent.end' })
        // Harmony has no wrap-up step on the interaction (after-call work is a channel status the
        // client sets with notready "acw"): the session machine's wrap-up ends at once.
        const disposition = request.data?.['disposition']
        this.finishWrapUp(
          session,
          interaction.sessionId,
          typeof disposition === 'string' ? disposition : DEFAULT_DISPOSITION,
        )
        break
      }
    }
    link.send(success(request))
    this.reconcileSession(session)
  }

  private finishWrapUp(session: ResourceSession, sessionId: number, disposition: string): void {
    const live = this.runtime.getSession(sessionId)
    if (!live?.machine.wrappingUp.includes(session.agentId)) return
    this.runtime.command(sessionId, {
      type: 'agent.finish_wrapup',
      agentId: session.agentId,
      disposition,
    })
  }

  // -------------------------------------------------------------------------------------------
  // Reconciling with the runtime

  private scheduleReconcile(): void {
    if (this.reconcilePending || this.sessions.size === 0) return
    this.reconcilePending = true
    queueMicrotask(() => {
      this.reconcilePending = false
      for (const session of this.sessions.values()) this.reconcileSession(session)
    })
  }

  /** Brings the client's interactions and channel in line with the runtime; sends the changes. */
  private reconcileSession(session: ResourceSession): void {
    const link = session.link
    if (!session.started) return
    if (!link) {
      // Nobody to tell, but Harmony's wrap-up still ends with the call (a client gone for good
      // would otherwise leave the agent in wrap-up forever, away or not).
      for (const sessionId of this.runtime.roster.get(session.agentId)?.state.sessions ?? []) {
        if (this.standing(session.agentId, sessionId) === undefined)
          this.finishWrapUp(session, sessionId, DEFAULT_DISPOSITION)
      }
      return
    }
    const me = session.agentId
    const held = new Set(this.runtime.roster.get(me)?.state.sessions ?? [])
    for (const id of session.interactions.keys()) held.add(id)
    const ids = [...held].sort((a, b) => a - b)
    // Endings first: every event of an interaction that went reaches the client before anything
    // about another one. Routing offers the next call as soon as the agent is free again, and
    // that call may be older (a lower id) than the one just released.
    const staying: number[] = []
    for (const sessionId of ids) {
      if (this.standing(me, sessionId) !== undefined) staying.push(sessionId)
      else this.endGone(session, link, sessionId)
    }
    for (const sessionId of staying) {
      const standing = this.standing(me, sessionId)
      const machine = this.runtime.getSession(sessionId)?.machine
      if (standing === undefined || machine === undefined) {
        this.endGone(session, link, sessionId)
        continue
      }
      const known = session.interactions.get(sessionId)
      const alerting = standing === 'alerting'
      const want: ConversationState = alerting ? 'ALERTING' : machine.onHold ? 'HELD' : 'CONNECTED'
      if (!known) {
        const interaction: Interaction = {
          id: `call-${String(sessionId)}`,
          sessionId,
          type: machine.cast.kind === 'chat' ? 'Chat' : 'Telephony',
          state: alerting ? 'ALERTING' : 'STARTED',
          primary: { id: `conn-${String(sessionId)}-1`, role: 'primary', state: want },
          consult: undefined,
          recording: 'started',
        }
        session.interactions.set(sessionId, interaction)
        const path = this.interactionPath(session, interaction)
        link.send(
          event(path, 'interaction.created', {
            state: interaction.state,
            type: interaction.type,
            ani: machine.cast.endUser.phone ?? '',
            queue: machine.cast.queue.path,
            ccaiSessionId: sessionId,
          }),
        )
        link.send(
          event(`${path}.${interaction.primary.id}`, 'conversation.created', {
            role: 'primary',
            state: want,
          }),
        )
        continue
      }
      const path = this.interactionPath(session, known)
      if (known.primary.state !== want && !(known.consult && want === 'HELD')) {
        known.primary.state = want
        link.send(event(`${path}.${known.primary.id}`, 'state.updated', { state: want }))
      }
      const state: InteractionState = alerting ? 'ALERTING' : 'STARTED'
      if (known.state !== state) {
        known.state = state
        link.send(event(path, 'state.updated', { state }))
      }
    }
    this.syncChannel(session)
  }

  /** Whether the runtime session rings for (`alerting`) or is up with (`connected`) the agent. */
  private standing(agentId: number, sessionId: number): 'alerting' | 'connected' | undefined {
    const machine = this.runtime.getSession(sessionId)?.machine
    if (machine === undefined) return undefined
    if (machine.connected.includes(agentId)) return 'connected'
    if (machine.endedAt === null && machine.offeredTo === agentId) return 'alerting'
    return undefined
  }

  /** A session that no longer rings for or holds the agent: its interaction ends on the client. */
  private endGone(session: ResourceSession, link: HarmonyLink, sessionId: number): void {
    const known = session.interactions.get(sessionId)
    if (known) this.endInteraction(session, link, known)
    // Ended by someone else (the customer hung up): Harmony has no wrap-up step, end it too.
    if (this.runtime.getSession(sessionId)?.machine.wrappingUp.includes(session.agentId))
      this.finishWrapUp(session, sessionId, DEFAULT_DISPOSITION)
  }

  private endInteraction(
    session: ResourceSession,
    link: HarmonyLink,
    interaction: Interaction,
  ): void {
    session.interactions.delete(interaction.sessionId)
    const path = this.interactionPath(session, interaction)
    for (const conversation of [interaction.primary, interaction.consult]) {
      if (!conversation) continue
      link.send(event(`${path}.${conversation.id}`, 'state.updated', { state: 'DISCONNECTED' }))
      link.send(event(`${path}.${conversation.id}`, 'conversation.disposed', {}))
    }
    link.send(event(path, 'state.updated', { state: 'ENDED' }))
    link.send(event(path, 'interaction.ended', {}))
  }
}

// ---------------------------------------------------------------------------------------------
// Messages

function event(
  target: string,
  name: string,
  data: Readonly<Record<string, unknown>>,
): HarmonyOutgoing {
  return { messageType: 'objectEvent', target, name, data }
}

/** Success, echoing the request's data (reference §1.4). */
function success(request: HarmonyRequest): HarmonyOutgoing {
  return {
    command: request.command,
    target: request.target,
    result: 'success',
    data: request.data ?? {},
  }
}

function originalOf(request: HarmonyRequest): Record<string, unknown> {
  return {
    command: request.command,
    target: request.target,
    ...(request.data === undefined ? {} : { data: request.data }),
    ...(request.context === undefined ? {} : { context: request.context }),
  }
}

function failureOf(request: HarmonyRequest, error: unknown): HarmonyOutgoing {
  const known = error instanceof HarmonyFailure || error instanceof SimulatorError
  return {
    command: request.command,
    target: request.target,
    result: 'failure',
    failure: {
      code: error instanceof HarmonyFailure ? error.code : 'CTI_ERROR',
      message:
        error instanceof SimulatorError
          ? error.detail
          : error instanceof Error
            ? error.message
            : String(error),
      ...(known || !(error instanceof Error) || error.stack === undefined
        ? {}
        : { context: error.stack }),
    },
    original: originalOf(request),
  }
}

/**
 * Why `schema` refused `message`, worded like every other refusal ("field: expected …, received …").
 * Strict checking words it; an unknown key the schema itself would have let through is left out.
 */
function refusal(schema: z.ZodType, message: unknown): string {
  const { issues } = checkPayload(schema, message, { mode: 'strict' })
  const relevant = issues.filter((i) => i.code !== 'unrecognized_keys')
  const reason = (relevant.length > 0 ? relevant : issues).map((i) => i.message).join('; ')
  return reason === '' ? '$: expected a JSON object { command, target, data? }' : reason
}

/** A request that is not one: the failure names the field; `original` keeps what could be kept. */
function malformed(message: unknown, reason: string): HarmonyOutgoing {
  const record = isRecord(message) ? message : {}
  const command =
    typeof record['command'] === 'string' && record['command'] !== ''
      ? record['command']
      : 'unknown'
  const target =
    typeof record['target'] === 'string' && /^[^.\s]+(\.[^.\s]+)*$/.test(record['target'])
      ? record['target']
      : 'unknown'
  return {
    command,
    target,
    result: 'failure',
    failure: {
      code: 'INVALID_REQUEST',
      message: reason,
    },
    original: { command, target },
  }
}
