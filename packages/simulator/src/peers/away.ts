import type { RosterAgent } from '../runtime/roster.js'
import type { SimulatorRuntime } from '../runtime/simulator-runtime.js'

/** The roster's not-ready reason for an agent whose desktop went away. */
export const DISCONNECTED = 'Disconnected'

/*
 * The agent-desktop peers' disconnect rule (README "Expertflow peer" and "The Harmony peer", known
 * gaps): when an agent's last connection goes and none comes back within the grace period
 * (virtual seconds), the agent is away: READY turns NOT_READY (reason "Disconnected"), offers not
 * taken go back to their queue as missed offers, and routing offers it nothing more; work already
 * taken stays, and the agent turns NOT_READY when the last is done. A connection that binds again
 * ends it. The peers say what a connection is and when the agent counts as theirs.
 */
export class AwayAfterGrace {
  /** Bumped whenever a connection binds to the agent, so a pending grace timer knows it is stale. */
  private readonly binds = new Map<number, number>()
  private readonly away = new Set<number>()

  constructor(
    private readonly runtime: SimulatorRuntime,
    private readonly graceSeconds: number,
  ) {}

  /** Whether the roster agent's desktop is gone: nobody would take an offer. */
  isAway(rosterId: number): boolean {
    return this.away.has(rosterId)
  }

  /** A connection bound to the agent (or the peer let it go): any pending grace timer is stale. */
  back(rosterId: number): void {
    this.binds.set(rosterId, (this.binds.get(rosterId) ?? 0) + 1)
    // Back, but not READY again by itself: the agent chooses (it may not even be at the desk).
    this.away.delete(rosterId)
  }

  /**
   * The agent's last connection went: after the grace period the agent is away, unless a
   * connection bound in between or `still()` (asked then) says the peer no longer holds it.
   */
  gone(rosterId: number, still: () => boolean): void {
    if (this.away.has(rosterId)) return
    const binds = this.binds.get(rosterId) ?? 0
    const expire = (): void => {
      if ((this.binds.get(rosterId) ?? 0) !== binds || this.away.has(rosterId) || !still()) return
      this.goAway(rosterId)
    }
    const grace = this.graceSeconds * 1000
    if (grace === 0) expire()
    else this.runtime.clock.schedule(this.runtime.clock.now() + grace, expire)
  }

  /**
   * For the peer's presence watcher: an away agent that turned available (its last work done) is
   * made NOT_READY again, before routing offers it anything. True when it did so.
   */
  keepAway(agent: RosterAgent): boolean {
    if (!this.away.has(agent.entity.id) || agent.state.presence !== 'available') return false
    this.runtime.roster.command(agent.entity.id, 'unavailable', DISCONNECTED)
    return true
  }

  /** The desktop is gone for good: nothing is offered to the agent until a connection binds. */
  private goAway(rosterId: number): void {
    const roster = this.runtime.roster.get(rosterId)
    if (!roster || roster.state.presence === 'logged_out') return
    this.away.add(rosterId)
    // Offers not taken go back to their queue now, as a RONA would later.
    let declined = false
    for (const sessionId of roster.state.sessions) {
      const machine = this.runtime.getSession(sessionId)?.machine
      if (machine?.offeredTo !== rosterId || machine.connected.includes(rosterId)) continue
      this.runtime.command(sessionId, { type: 'agent.decline', agentId: rosterId })
      declined = true
    }
    const presence = this.runtime.roster.get(rosterId)?.state.presence
    if (presence === 'available' || declined)
      this.runtime.roster.command(rosterId, 'unavailable', DISCONNECTED)
  }
}
