/*
 * What went over a peer's connections (issue "Live peers", build item 3: the console shows who is
 * connected and each peer's traffic): totals by direction and the newest messages by name, so an
 * integrator sees what their toolbar or gadget sent and what came back. Names only, not payloads:
 * the peers' payloads can be read in the client's own logs, and a name per message keeps this
 * cheap enough to leave on.
 */

/** One message on a peer connection. */
export interface PeerMessage {
  /** Virtual time of the simulator's clock, ISO 8601. */
  readonly at: string
  /** `in`: from the client to the simulator; `out`: from the simulator to the client. */
  readonly direction: 'in' | 'out'
  /** Which connection: the transport and a number (`ws#1`, `tcp#2`, `socket.io#3`). */
  readonly client: string
  /** The request's command, the event's or response's name (`session.start success`). */
  readonly name: string
}

export interface PeerTrafficSnapshot {
  readonly messagesIn: number
  readonly messagesOut: number
  /** The newest messages, oldest first (at most `keep`). */
  readonly recent: PeerMessage[]
}

/** Counts a peer's messages and keeps the newest few. */
export class PeerTraffic {
  private messagesIn = 0
  private messagesOut = 0
  private readonly ring: PeerMessage[] = []
  private next = 0

  constructor(
    private readonly now: () => number,
    private readonly keep = 50,
  ) {}

  record(direction: 'in' | 'out', client: string, name: string): void {
    if (direction === 'in') this.messagesIn += 1
    else this.messagesOut += 1
    const message = { at: new Date(this.now()).toISOString(), direction, client, name }
    if (this.ring.length < this.keep) this.ring.push(message)
    else this.ring[this.next] = message
    this.next = (this.next + 1) % this.keep
  }

  snapshot(): PeerTrafficSnapshot {
    const recent =
      this.ring.length < this.keep
        ? [...this.ring]
        : [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)]
    return { messagesIn: this.messagesIn, messagesOut: this.messagesOut, recent }
  }
}
