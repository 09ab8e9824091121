import {
  agentEntity,
  agentPresenceEvent,
  applyAgentInput,
  initialAgentState,
  isRoutable,
  qmAgentStateEvent,
  type AgentEntity,
  type AgentPresenceInput,
  type AgentState,
  type Emission,
  type TimedStep,
} from '@ccai-sim/fixtures'
import { SimulatorError } from '../errors.js'

/** A presence command from the control API, the adapter page or a peer. */
export type PresenceCommand = 'login' | 'logout' | 'available' | 'unavailable'

export interface RosterAgent {
  readonly entity: AgentEntity
  state: AgentState
  /** Taken over by a person or a client: never logged out for being idle. */
  manual: boolean
  ordinals: { adapter: number; qm: number }
  /** Bumped on every change, so an idle-logout timer can tell it is stale. */
  version: number
  /** Sessions routing may give the agent at once (a peer's max tasks); 1 unless a peer sets it. */
  capacity: number
}

export interface RosterDeps {
  readonly seed: number
  readonly now: () => number
  readonly schedule: (at: number, fn: () => void) => void
  /** Publishes a presence emission (adapter `Agent_Login`/`Agent_Logout`, QM `AgentState`). */
  readonly publish: (emission: Emission) => void
  readonly onChange: (agent: RosterAgent, command: string) => void
  /** A scripted agent with nothing to do for this long logs out (the end of their shift). */
  readonly idleLogoutMs: number
}

/**
 * The agents of the contact centre with their presence (the fixtures' agent machine, one per agent).
 * Presence emissions are not tied to a session: their `sessionId` is 0 and their key is
 * `agent-{id}:{surface}:{n}`. Scripted agents log in when routing first needs them and log out after
 * `idleLogoutMs` with nothing to do; agents taken over by a person stay until told.
 */
export class AgentRoster {
  private readonly agents = new Map<number, RosterAgent>()

  constructor(private readonly deps: RosterDeps) {}

  get(agentId: number): RosterAgent | undefined {
    return this.agents.get(agentId)
  }

  list(): RosterAgent[] {
    return [...this.agents.values()].sort((a, b) => a.entity.id - b.entity.id)
  }

  clear(): void {
    this.agents.clear()
  }

  /** Agents routing may offer a session to now, longest idle first. */
  routable(): RosterAgent[] {
    return [...this.agents.values()]
      .filter(
        (a) =>
          isRoutable(a.state) ||
          (a.state.presence === 'busy' && a.state.sessions.length < a.capacity),
      )
      .sort((a, b) => a.state.since - b.state.since || a.entity.id - b.entity.id)
  }

  private agent(agentId: number): RosterAgent {
    let agent = this.agents.get(agentId)
    if (!agent) {
      agent = {
        entity: agentEntity(this.deps.seed, agentId, 0),
        state: initialAgentState(agentId),
        manual: false,
        ordinals: { adapter: 0, qm: 0 },
        version: 0,
        capacity: 1,
      }
      this.agents.set(agentId, agent)
    }
    return agent
  }

  /** Applies a presence input; returns the refusal's message, if any. */
  private apply(agent: RosterAgent, input: AgentPresenceInput, label: string): string | undefined {
    const at = this.deps.now()
    const transition = applyAgentInput(agent.state, { ...input, at })
    if (transition.rejected) return transition.rejected.message
    const changed = transition.state.presence !== agent.state.presence
    agent.state = transition.state
    agent.version += 1
    for (const step of transition.steps) this.publishPresence(agent, step)
    if (changed || transition.steps.length > 0) this.deps.onChange(agent, label)
    return undefined
  }

  private publishPresence(agent: RosterAgent, step: TimedStep): void {
    if (step.kind !== 'agent_login' && step.kind !== 'agent_logout') return
    const key = `agent-${String(agent.entity.id)}`
    this.deps.publish({
      at: step.at,
      surface: 'adapter',
      contract: step.kind === 'agent_login' ? 'adapter.Agent_Login' : 'adapter.Agent_Logout',
      sessionId: 0,
      agentId: agent.entity.id,
      key: `${key}:adapter:${String(agent.ordinals.adapter++)}`,
      payload: agentPresenceEvent(agent.entity, step.kind),
    })
    this.deps.publish({
      at: step.at,
      surface: 'qm',
      contract: 'qm.AgentState',
      sessionId: 0,
      agentId: agent.entity.id,
      key: `${key}:qm:${String(agent.ordinals.qm++)}`,
      payload: qmAgentStateEvent(agent.entity, step.kind === 'agent_login' ? 'login' : 'logout'),
    })
  }

  /** A person's or client's command (control API, adapter page, peers): they own the agent now. */
  command(agentId: number, command: PresenceCommand, reason?: string): RosterAgent {
    const agent = this.agent(agentId)
    agent.manual = true
    const input: AgentPresenceInput =
      command === 'login'
        ? { type: 'login' }
        : command === 'logout'
          ? { type: 'logout' }
          : command === 'available'
            ? { type: 'set_available' }
            : { type: 'set_unavailable', reason }
    const refused = this.apply(agent, input, command)
    if (refused !== undefined) {
      throw new SimulatorError('invalid_command', refused)
    }
    return agent
  }

  /** How many sessions routing may give the agent at once (an agent desktop's max tasks). */
  setCapacity(agentId: number, capacity: number): void {
    this.agent(agentId).capacity = Math.max(1, Math.floor(capacity))
  }

  /** Routing needs a scripted agent: they log in and become available if they were not. */
  ensureLoggedIn(agentId: number): void {
    const agent = this.agent(agentId)
    if (agent.state.presence !== 'logged_out') return
    this.apply(agent, { type: 'login' }, 'login')
    this.apply(agent, { type: 'set_available' }, 'available')
  }

  /** A session step's meaning for its agents (taken, in wrap-up, released). */
  sessionInput(agentId: number, input: AgentPresenceInput): void {
    const agent = this.agent(agentId)
    this.apply(agent, input, input.type)
    if (input.type === 'session_released' && agent.state.sessions.length === 0 && !agent.manual) {
      const version = agent.version
      this.deps.schedule(this.deps.now() + this.deps.idleLogoutMs, () => {
        if (agent.version !== version || agent.manual || agent.state.sessions.length > 0) return
        if (agent.state.presence === 'logged_out') return
        this.apply(agent, { type: 'logout' }, 'logout')
      })
    }
  }

  /** A missed offer makes the agent unavailable until they choose otherwise. */
  missed(agentId: number): void {
    const agent = this.agent(agentId)
    if (agent.state.presence === 'logged_out') return
    this.apply(agent, { type: 'set_unavailable', reason: 'Missed offer' }, 'unavailable')
  }
}
