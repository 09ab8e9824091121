import { randomUUID } from 'node:crypto'
import { connect, type Socket } from 'node:net'
import type { HarmonyBridgeMessageType } from '@ccai-sim/schemas'
import type { Exchange } from '../core/types.js'
import { BridgeFrameDecoder, BridgeFramingError, encodeBridgeFrame } from './framing.js'

/*
 * The suite's side of one Processor Bridge connection: it plays HIS's bridge, sends queries and
 * requests, and keeps every message the plug-in sent, in order, with the destinations whose init
 * query had been answered when it came (reference §1.5.6: events only after the init response).
 */

/** A bridge message as it came off the wire (its shape is for the clauses to judge). */
export interface BridgeMessage {
  readonly header: {
    readonly type?: unknown
    readonly name?: unknown
    readonly target?: unknown
    readonly requestId?: unknown
    readonly result?: unknown
    readonly errorMessage?: unknown
  }
  readonly body?: unknown
}

/** One message from the plug-in, and which destinations had answered their init query by then. */
export interface Received {
  readonly value: unknown
  readonly message: BridgeMessage | undefined
  readonly answeredBefore: ReadonlySet<string>
  readonly at: number
}

export interface Sent {
  readonly type: HarmonyBridgeMessageType
  readonly name: string
  readonly target: string
  readonly requestId: string
  readonly body: unknown
  /** How many messages had come before it was sent (its answer comes after). */
  readonly index: number
}

function asMessage(value: unknown): BridgeMessage | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
  const header = (value as Record<string, unknown>)['header']
  if (typeof header !== 'object' || header === null || Array.isArray(header)) return undefined
  return value as BridgeMessage
}

export class BridgeConnection {
  readonly received: Received[] = []
  readonly sent: Sent[] = []
  /** The first frame the suite could not read; the connection reads nothing after it. */
  framingError: string | undefined
  closed = false
  private readonly answered = new Set<string>()
  private readonly waiters = new Set<() => void>()
  private readonly decoder = new BridgeFrameDecoder()

  private constructor(
    private readonly socket: Socket,
    readonly address: string,
    readonly timeoutMs: number,
  ) {
    socket.on('data', (chunk: Buffer) => {
      if (this.framingError !== undefined) return
      let values: unknown[]
      try {
        values = this.decoder.push(chunk)
      } catch (error) {
        this.framingError =
          error instanceof BridgeFramingError ? error.message : `unreadable frame: ${String(error)}`
        values = []
      }
      for (const value of values) {
        const message = asMessage(value)
        this.received.push({
          value,
          message,
          answeredBefore: new Set(this.answered),
          at: performance.now(),
        })
        if (message?.header.type === 'cti.response' && typeof message.header.target === 'string')
          this.answeredInit(message)
      }
      this.wake()
    })
    socket.on('close', () => {
      this.closed = true
      this.wake()
    })
    socket.on('error', () => {
      this.closed = true
      this.wake()
    })
  }

  /** Connects to the plug-in; rejects with the reason when nothing listens. */
  static open(host: string, port: number, timeoutMs: number): Promise<BridgeConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port })
      const timer = setTimeout(() => {
        socket.destroy()
        reject(
          new Error(
            `connecting to ${host}:${String(port)} timed out after ${String(timeoutMs)} ms`,
          ),
        )
      }, timeoutMs)
      socket.once('connect', () => {
        clearTimeout(timer)
        socket.removeAllListeners('error')
        resolve(new BridgeConnection(socket, `tcp://${host}:${String(port)}`, timeoutMs))
      })
      socket.once('error', (error) => {
        clearTimeout(timer)
        reject(new Error(`cannot connect to ${host}:${String(port)}: ${error.message}`))
      })
    })
  }

  private answeredInit(message: BridgeMessage): void {
    const sent = this.sent.find((s) => s.requestId === message.header.requestId)
    if (sent?.name.endsWith('.query.init')) this.answered.add(sent.target)
  }

  /** Sends a query or request and returns what was sent. */
  send(message: {
    readonly type: 'cti.query' | 'cti.request'
    readonly name: string
    readonly target: string
    readonly body?: unknown
  }): Sent {
    const { type, name, target } = message
    const body = message.body ?? {}
    const sent: Sent = {
      type,
      name,
      target,
      requestId: randomUUID(),
      body,
      index: this.received.length,
    }
    this.sent.push(sent)
    this.socket.write(
      encodeBridgeFrame({ header: { type, name, target, requestId: sent.requestId }, body }),
    )
    return sent
  }

  /** The first message from `from` on that matches, or undefined after `timeoutMs` (or a close). */
  async waitFor(
    predicate: (received: Received) => boolean,
    options: { readonly from?: number; readonly timeoutMs?: number } = {},
  ): Promise<Received | undefined> {
    const from = options.from ?? 0
    const deadline = options.timeoutMs ?? this.timeoutMs
    const find = (): Received | undefined => this.received.slice(from).find(predicate)
    const found = find()
    if (found || this.closed || this.framingError !== undefined) return found
    return new Promise((resolve) => {
      const check = (): void => {
        const hit = find()
        if (hit || this.closed || this.framingError !== undefined) {
          clearTimeout(timer)
          this.waiters.delete(check)
          resolve(hit)
        }
      }
      const timer = setTimeout(() => {
        this.waiters.delete(check)
        resolve(undefined)
      }, deadline)
      this.waiters.add(check)
    })
  }

  /** Waits `ms` for whatever the plug-in sends meanwhile (events it raises on its own). */
  async quiet(ms: number): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, ms))
  }

  /**
   * The response carrying the request id of `sent`, or undefined after the timeout, or as soon as
   * a response names the query (`name`, `target`) under another request id ({@link misfiled}).
   */
  async responseTo(sent: Sent): Promise<Received | undefined> {
    const isResponse = (r: Received): boolean =>
      r.message?.header.type === 'cti.response' &&
      r.message.header.name === sent.name &&
      r.message.header.target === sent.target
    const hit = await this.waitFor(
      (r) =>
        (r.message?.header.type === 'cti.response' &&
          r.message.header.requestId === sent.requestId) ||
        isResponse(r),
      { from: sent.index },
    )
    return hit?.message?.header.requestId === sent.requestId ? hit : undefined
  }

  /** Responses that name the query (`name`, `target`) but carry another request id. */
  misfiled(sent: Sent): Received[] {
    return this.received.filter(
      (r) =>
        r.message?.header.type === 'cti.response' &&
        r.message.header.requestId !== sent.requestId &&
        r.message.header.name === sent.name &&
        r.message.header.target === sent.target,
    )
  }

  /** The exchange a report shows for `sent` and what came back for it (or why nothing did). */
  exchange(sent: Sent, response: Received | undefined, started: number): Exchange {
    const request = {
      method: sent.type,
      url: `${this.address} ${sent.name} → ${sent.target}`,
      headers: { requestId: sent.requestId },
      body: JSON.stringify({
        header: {
          type: sent.type,
          name: sent.name,
          target: sent.target,
          requestId: sent.requestId,
        },
        body: sent.body,
      }),
    }
    const durationMs = performance.now() - started
    if (!response) {
      return {
        request,
        error:
          this.framingError !== undefined
            ? `framing error: ${this.framingError}`
            : this.closed
              ? 'the plug-in closed the connection'
              : `no response with this requestId within ${String(this.timeoutMs)} ms`,
        durationMs,
      }
    }
    return { request, response: responseOf(response), durationMs }
  }

  /** A message the plug-in sent on its own (an event), as a report line. */
  unsolicited(received: Received): Exchange {
    return {
      request: { method: 'RECEIVED', url: `${this.address} (from the plug-in)`, headers: {} },
      response: responseOf(received),
      durationMs: 0,
    }
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter()
  }

  close(): void {
    this.socket.destroy()
  }
}

/** A bridge message as an exchange's response: TCP has no status, so it is 0; header fields as headers. */
function responseOf(received: Received): NonNullable<Exchange['response']> {
  const header = received.message?.header ?? {}
  const headers: Record<string, string> = {}
  for (const [key, value] of Object.entries(header)) {
    if (value !== undefined && value !== null)
      headers[key] = typeof value === 'string' ? value : JSON.stringify(value)
  }
  return { status: 0, headers, body: JSON.stringify(received.value).slice(0, 4000) }
}
