import type { HarmonyOutgoing } from './peer.js'

/*
 * A scripted Harmony agent: a MediaBar that logs in, goes ready, answers every call that rings and
 * releases it once connected, then logs out after `calls` calls (or when told to stop). It only
 * reacts to the peer's messages, so it runs the same over any transport; `ccai-sim agent harmony`
 * drives it over the WebSocket transport, for a second client or a supervisor view to watch.
 */

export interface HarmonyBotOptions {
  readonly agentId: number
  readonly password: string
  /** Log out after this many calls (undefined: keep going until `stop`). */
  readonly calls?: number | undefined
  readonly send: (message: unknown) => void
  /** One line per notable step (logged in, ringing, released, failures). */
  readonly log: (line: string) => void
}

export class HarmonyBot {
  private sessionId: string | undefined
  private handled = 0
  private stopping = false
  /** Primary conversations seen ringing, not released yet. */
  private readonly ringing = new Set<string>()
  /** Resolves true once logged out (the session resource disposed), false when login failed. */
  readonly done: Promise<boolean>
  private finish: (loggedOut: boolean) => void = () => undefined

  constructor(private readonly options: HarmonyBotOptions) {
    this.done = new Promise((resolve) => {
      this.finish = resolve
    })
  }

  start(): void {
    this.options.send({
      command: 'prepareSession',
      data: {
        model: 'ccai-sim',
        // A bot takes over whatever session its agent had.
        override: true,
        agent: { id: String(this.options.agentId), password: this.options.password },
      },
    })
  }

  /** Logs out as soon as no call is up (the peer refuses a logout during a call). */
  stop(): void {
    this.stopping = true
    if (this.sessionId)
      this.options.send({ command: 'session.request.logout', target: this.sessionId })
  }

  private channel(): string {
    return `${this.sessionId ?? ''}.mediabar.tel-${String(this.options.agentId)}`
  }

  receive(message: HarmonyOutgoing): void {
    const { send, log } = this.options
    if (message['result'] === 'failure') {
      const failure = message['failure'] as { code?: string; message?: string } | undefined
      log(`failure ${String(message['command'])}: ${failure?.code ?? ''} ${failure?.message ?? ''}`)
      if (message['command'] === 'prepareSession') this.finish(false)
      return
    }
    if (message['command'] === 'prepareSession' && message['result'] === 'success') {
      this.sessionId = (message['data'] as { id: string }).id
      send({ command: 'session.start', target: this.sessionId })
      return
    }
    if (message['command'] === 'channel.activate' && message['result'] === 'success') {
      send({ command: 'channel.ready', target: this.channel(), data: {} })
      return
    }
    if (message['messageType'] !== 'objectEvent') return
    const name = message['name']
    const target = String(message['target'])
    const data = message['data'] as Record<string, unknown>
    switch (name) {
      case 'session.initialized':
        log(`agent ${String(this.options.agentId)}: session ${this.sessionId ?? ''} started`)
        if (this.stopping) this.stop()
        else send({ command: 'channel.activate', target: this.channel(), data: {} })
        return
      case 'channel.infochanged': {
        const status = (data['agentStatus'] as { status?: string } | undefined)?.status
        if (data['state'] === 'ACTIVE' && status === 'ready' && this.handled === 0)
          log(`agent ${String(this.options.agentId)}: ready`)
        return
      }
      case 'conversation.created':
        if (data['role'] === 'primary' && data['state'] === 'ALERTING') {
          log(`ringing: ${target}`)
          this.ringing.add(target)
          send({ command: 'conversation.answer', target, data: {} })
        }
        return
      case 'state.updated':
        // The primary conversation connected: the bot's call is over at once.
        if (data['state'] === 'CONNECTED' && this.ringing.delete(target))
          send({ command: 'conversation.release', target, data: {} })
        return
      case 'interaction.ended':
        this.handled += 1
        log(`released: ${target} (${String(this.handled)} call(s))`)
        if (this.stopping || this.handled === this.options.calls) this.stop()
        return
      case 'session.disposed':
        log(
          `agent ${String(this.options.agentId)}: logged out after ${String(this.handled)} call(s)`,
        )
        this.finish(true)
        return
    }
  }
}
