import { createServer, type Server, type Socket } from 'node:net'
import { BridgeFrameDecoder, encodeBridgeFrame } from './framing.js'

/*
 * A reference CTI plug-in for the Harmony Processor Bridge (reference §1.5.6, §1.6): a TCP server
 * HIS's bridge connects to, with one channel group of a telephony and a chat channel. It answers
 * every init query (only then raising events on that destination), dials out on the telephony
 * channel, and releases the call. `ccai-contract harmony-bridge` passes against it; each fault
 * in {@link ReferencePluginFault} breaks exactly one documented behaviour (the broken plug-ins).
 *
 * Where the documents are silent it does what the suite expects (README "Certify a Harmony
 * Processor Bridge plug-in"): targets are dot paths (`group.end-point.interaction.conversation`);
 * a new interaction is announced by a `channel.event.interaction.created` event on its channel
 * whose body names it (`interaction-id`); state changes are `*.event.state.updated` events; the
 * conversation features are requests named `conversation.request.<verb>`.
 */

/** One deliberate fault (none in the reference plug-in). */
export type ReferencePluginFault =
  /** Writes the length prefix little-endian. */
  | 'little-endian-length'
  /** Answers with a request id of its own instead of the query's. */
  | 'fresh-request-id'
  /** Lists its channels with `endpoint` instead of `end-point`. */
  | 'endpoint-key'
  /** Refuses `channel.query.init` for its chat channel. */
  | 'chat-init-fails'
  /** Raises its channels' state events as soon as the bridge connects. */
  | 'events-before-init'
  /** Answers SUCCESS to requests it does not know. */
  | 'accepts-unknown-requests'
  /** Accepts a dial but announces no interaction. */
  | 'dial-without-interaction'
  /** Reports a dialled interaction as `CONNECTED`, a state the bridge does not have. */
  | 'undocumented-state'
  /** Refuses `conversation.query.init`. */
  | 'unknown-conversations'
  /** Still reports the call STARTED with its primary conversation after the release. */
  | 'release-keeps-conversation'

export interface ReferencePluginOptions {
  readonly host?: string
  /** 0 (default) picks a free port. */
  readonly port?: number
  readonly fault?: ReferencePluginFault
  /** The channel group's channels; default {@link REFERENCE_PLUGIN_CHANNELS}. */
  readonly channels?: readonly PluginChannel[]
}

/** A channel the plug-in serves, as `channelgroup.query.init` lists it. */
export interface PluginChannel {
  readonly 'end-point': string
  readonly type: string
}

export interface ReferencePlugin {
  readonly host: string
  readonly port: number
  close(): Promise<void>
}

/** The plug-in's channels: the `channelgroup.query.init` answer. */
export const REFERENCE_PLUGIN_CHANNELS: readonly PluginChannel[] = [
  { 'end-point': '5001', type: 'TELEPHONY' },
  { 'end-point': 'chat-5001', type: 'CHAT' },
]

interface Interaction {
  readonly id: string
  readonly channel: string
  state: 'DIALING' | 'STARTED' | 'ENDED'
  readonly destination: string
  readonly conversation: string
  released: boolean
}

interface Incoming {
  readonly header: {
    readonly type: string
    readonly name: string
    readonly target: string
    readonly requestId?: string
  }
  readonly body?: unknown
}

function isIncoming(value: unknown): value is Incoming {
  if (typeof value !== 'object' || value === null) return false
  const header = (value as { header?: unknown }).header
  if (typeof header !== 'object' || header === null) return false
  const h = header as Record<string, unknown>
  return (
    typeof h['type'] === 'string' &&
    typeof h['name'] === 'string' &&
    typeof h['target'] === 'string'
  )
}

/** One bridge connection's CTI state. */
class PluginSession {
  private readonly decoder = new BridgeFrameDecoder()
  private readonly initialised = new Set<string>()
  private readonly interactions = new Map<string, Interaction>()
  private group: string | undefined
  private counter = 0

  constructor(
    private readonly socket: Socket,
    private readonly fault: ReferencePluginFault | undefined,
    private readonly channels: readonly PluginChannel[],
  ) {
    socket.on('data', (chunk: Buffer) => {
      let values: unknown[]
      try {
        values = this.decoder.push(chunk)
      } catch {
        socket.destroy()
        return
      }
      for (const value of values) if (isIncoming(value)) this.handle(value)
    })
    socket.on('error', () => socket.destroy())
    if (fault === 'events-before-init') {
      for (const channel of channels)
        this.event('channel.event.state.updated', `group1.${channel['end-point']}`, {
          state: 'INACTIVE',
        })
    }
  }

  private write(message: unknown): void {
    if (this.socket.destroyed) return
    const frame = encodeBridgeFrame(message)
    if (this.fault === 'little-endian-length') frame.writeUInt32LE(frame.length - 4, 0)
    this.socket.write(frame)
  }

  private event(name: string, target: string, body: unknown): void {
    this.write({ header: { type: 'cti.event', name, target }, body })
  }

  private respond(
    request: Incoming,
    outcome:
      | { readonly ok: true; readonly body?: unknown }
      | { readonly ok: false; readonly error: string },
  ): void {
    const requestId =
      this.fault === 'fresh-request-id'
        ? `${String(this.counter++).padStart(8, '0')}-0000-4000-8000-000000000000`
        : request.header.requestId
    this.write({
      header: {
        type: 'cti.response',
        name: request.header.name,
        target: request.header.target,
        ...(requestId === undefined ? {} : { requestId }),
        result: outcome.ok ? 'SUCCESS' : 'FAILURE',
        ...(outcome.ok ? {} : { errorMessage: outcome.error }),
      },
      body: outcome.ok ? (outcome.body ?? {}) : {},
    })
  }

  private channelOf(target: string): PluginChannel | undefined {
    if (this.group === undefined) return undefined
    return this.channels.find((c) => `${this.group ?? ''}.${c['end-point']}` === target)
  }

  private interactionBody(interaction: Interaction): Record<string, unknown> {
    const keeps = interaction.released && this.fault === 'release-keeps-conversation'
    const state = keeps ? 'STARTED' : interaction.state
    return {
      'interaction-state':
        this.fault === 'undocumented-state' && state === 'DIALING' ? 'CONNECTED' : state,
      'interaction-data': { destination: interaction.destination, direction: 'outbound' },
      conversations:
        interaction.released && !keeps ? {} : { primary: { id: interaction.conversation } },
    }
  }

  private handle(request: Incoming): void {
    const { type, name, target } = request.header
    if (type !== 'cti.query' && type !== 'cti.request') return
    const refuse = (error: string): void => {
      this.respond(request, { ok: false, error })
    }
    if (name === 'channelgroup.query.init') {
      this.group = target
      const channels =
        this.fault === 'endpoint-key'
          ? this.channels.map((c) => ({ endpoint: c['end-point'], type: c.type }))
          : this.channels
      this.respond(request, { ok: true, body: { channels } })
      this.initialised.add(target)
      return
    }
    if (name === 'channel.query.init') {
      const channel = this.channelOf(target)
      if (!channel) {
        refuse(`no channel ${target} in this channel group`)
        return
      }
      if (this.fault === 'chat-init-fails' && channel.type === 'CHAT') {
        refuse('the chat channel is not available')
        return
      }
      this.respond(request, { ok: true, body: { state: 'INACTIVE', type: channel.type } })
      if (!this.initialised.has(target)) {
        this.initialised.add(target)
        this.event('channel.event.state.updated', target, { state: 'INACTIVE' })
      }
      return
    }
    if (name === 'channel.request.dial') {
      const channel = this.channelOf(target)
      if (!channel || !this.initialised.has(target)) {
        refuse(`no initialised channel ${target}`)
        return
      }
      if (channel.type !== 'TELEPHONY') {
        refuse(`${target} is not a telephony channel`)
        return
      }
      const destination = (request.body as { destination?: unknown } | undefined)?.destination
      if (typeof destination !== 'string' || destination === '') {
        refuse('dial: body.destination: expected the number to dial')
        return
      }
      this.counter += 1
      const id = `call${String(this.counter)}`
      this.interactions.set(`${target}.${id}`, {
        id,
        channel: target,
        state: 'DIALING',
        destination,
        conversation: `leg${String(this.counter)}`,
        released: false,
      })
      this.respond(request, { ok: true })
      if (this.fault !== 'dial-without-interaction')
        this.event('channel.event.interaction.created', target, { 'interaction-id': id })
      return
    }
    if (name === 'interaction.query.init') {
      const interaction = this.interactions.get(target)
      if (!interaction) {
        refuse(`no interaction ${target}`)
        return
      }
      this.respond(request, { ok: true, body: this.interactionBody(interaction) })
      this.initialised.add(target)
      return
    }
    if (name === 'conversation.query.init' || name.startsWith('conversation.request.')) {
      const at = target.lastIndexOf('.')
      const interaction = this.interactions.get(target.slice(0, at))
      if (
        !interaction ||
        interaction.released ||
        interaction.conversation !== target.slice(at + 1)
      ) {
        refuse(`no conversation ${target}`)
        return
      }
      if (name === 'conversation.query.init') {
        if (this.fault === 'unknown-conversations') {
          refuse(`no conversation ${target}`)
          return
        }
        this.respond(request, { ok: true, body: { state: 'connected' } })
        this.initialised.add(target)
        return
      }
      if (name === 'conversation.request.release') {
        interaction.released = true
        interaction.state = 'ENDED'
        this.respond(request, { ok: true })
        const interactionTarget = `${interaction.channel}.${interaction.id}`
        if (this.initialised.has(interactionTarget))
          this.event('interaction.event.state.updated', interactionTarget, {
            'interaction-state': 'ENDED',
          })
        return
      }
    }
    if (this.fault === 'accepts-unknown-requests') {
      this.respond(request, { ok: true })
      return
    }
    refuse(`${name} is not supported by this plug-in`)
  }
}

/**
 * Starts the reference plug-in (optionally with one fault) on a free port.
 *
 * @example
 * const plugin = await startReferencePlugin()
 * // ccai-contract harmony-bridge --host 127.0.0.1 --port ${plugin.port}
 * await plugin.close()
 */
export async function startReferencePlugin(
  options: ReferencePluginOptions = {},
): Promise<ReferencePlugin> {
  const host = options.host ?? '127.0.0.1'
  const sockets = new Set<Socket>()
  const server: Server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    new PluginSession(socket, options.fault, options.channels ?? REFERENCE_PLUGIN_CHANNELS)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  return {
    host,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => {
          resolve()
        })
      }),
  }
}
