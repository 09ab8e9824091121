import { connect, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startSimulator, type RunningSimulator } from '../server.js'
import type { HarmonyOutgoing } from './peer.js'
import { encodeHarmonyFrame, HarmonyFrameDecoder, HARMONY_PROTOCOL_TRANSPORT } from './tcp.js'
import { label, offerCall, strictContract } from './test-support.js'

/*
 * The same MediaBar exchange over each transport, with real clients: `ws` for /harmony/ws, plain
 * fetch for the HTTP transport, `node:net` with `~!OM` framing for TCP.
 */

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function start(): Promise<RunningSimulator> {
  const sim = await startSimulator({
    config: {
      port: 0,
      clock: { mode: 'manual', start: '2026-01-15T14:00:00.000Z' },
      storage: { enabled: false },
      email: { enabled: false },
      crm: { enabled: false },
      harmony: { tcpPort: 0 },
    },
  })
  cleanups.push(() => sim.close())
  return sim
}

/** A client of one transport: send a message, wait until `n` messages came, take them. */
interface Client {
  send(message: unknown): Promise<void>
  /** The next `n` messages, each strict-checked against the catalog. */
  take(n: number): Promise<HarmonyOutgoing[]>
}

/** Buffers pushed messages and resolves waiters once enough arrived (no timers). */
class Inbox {
  private readonly messages: HarmonyOutgoing[] = []

  /** `strict`: Session Resource messages, checked against the catalog (transport ones are not in it). */
  constructor(private readonly strict = true) {}

  private waiter: { n: number; resolve: () => void } | undefined

  push(message: HarmonyOutgoing): void {
    this.messages.push(message)
    if (this.waiter && this.messages.length >= this.waiter.n) {
      this.waiter.resolve()
      this.waiter = undefined
    }
  }

  async take(n: number): Promise<HarmonyOutgoing[]> {
    if (this.messages.length < n) {
      await new Promise<void>((resolve) => {
        this.waiter = { n, resolve }
      })
    }
    const out = this.messages.splice(0, n)
    if (this.strict) for (const m of out) strictContract(m)
    return out
  }

  get size(): number {
    return this.messages.length
  }
}

async function wsClient(sim: RunningSimulator): Promise<Client & { close(): void }> {
  const socket = new WebSocket(`${sim.url.replace('http', 'ws')}/harmony/ws`)
  const inbox = new Inbox()
  socket.on('message', (data: Buffer) => {
    inbox.push(JSON.parse(data.toString('utf8')) as HarmonyOutgoing)
  })
  await new Promise((resolve, reject) => {
    socket.once('open', resolve)
    socket.once('error', reject)
  })
  cleanups.push(async () => {
    socket.close()
    await Promise.resolve()
  })
  return {
    send: (message) => {
      socket.send(typeof message === 'string' ? message : JSON.stringify(message))
      return Promise.resolve()
    },
    take: (n) => inbox.take(n),
    close: () => {
      socket.close()
    },
  }
}

async function tcpClient(
  sim: RunningSimulator,
): Promise<Client & { socket: Socket; transport: Inbox }> {
  const port = sim.harmonyTcpPort
  if (port === undefined) throw new Error('no Harmony TCP port')
  const socket = connect({ host: '127.0.0.1', port })
  const inbox = new Inbox()
  const transport = new Inbox(false)
  const decoder = new HarmonyFrameDecoder()
  socket.on('data', (chunk) => {
    for (const frame of decoder.push(chunk)) {
      const body = JSON.parse(frame.body) as HarmonyOutgoing
      if (frame.protocol === HARMONY_PROTOCOL_TRANSPORT) transport.push(body)
      else inbox.push(body)
    }
  })
  await new Promise((resolve, reject) => {
    socket.once('connect', resolve)
    socket.once('error', reject)
  })
  cleanups.push(async () => {
    socket.destroy()
    await Promise.resolve()
  })
  return {
    socket,
    transport,
    send: (message) => {
      // Split every frame in two writes: the receiver must reassemble frames across chunks.
      const frame = encodeHarmonyFrame(message)
      socket.write(frame.subarray(0, 6))
      socket.write(frame.subarray(6))
      return Promise.resolve()
    },
    take: (n) => inbox.take(n),
  }
}

async function httpClient(sim: RunningSimulator): Promise<Client & { end(): Promise<void> }> {
  const opened = await fetch(`${sim.url}/harmony/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ messageType: 'startSession', client: { name: 'test MediaBar' } }),
  })
  expect(opened.status).toBe(200)
  const { id } = (await opened.json()) as { id: string }
  const inbox = new Inbox()
  let open = true
  const end = async (): Promise<void> => {
    if (!open) return
    open = false
    const ended = await fetch(`${sim.url}/harmony/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messageType: 'endSession', client: { id, name: 'test MediaBar' } }),
    })
    expect(ended.status).toBe(200)
  }
  cleanups.push(end)
  return {
    end,
    send: async (message) => {
      const response = await fetch(
        `${sim.url}/harmony/direct/processRequest?clientId=${encodeURIComponent(id)}`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: typeof message === 'string' ? message : JSON.stringify(message),
        },
      )
      expect(response.status).toBe(202)
    },
    take: async (n) => {
      // The polling service: poll until the messages are there (they are queued synchronously,
      // so one poll normally brings them; the bound only stops a broken peer from looping).
      for (let i = 0; i < 20 && inbox.size < n; i += 1) {
        const polled = await fetch(
          `${sim.url}/harmony/direct/poll?clientId=${encodeURIComponent(id)}`,
        )
        expect(polled.status).toBe(200)
        const { messages } = (await polled.json()) as { messages: HarmonyOutgoing[] }
        for (const m of messages) inbox.push(m)
      }
      return inbox.take(n)
    },
  }
}

/** prepareSession → session.start → activate → ready → a call → answer/hold/retrieve/release → logout. */
async function mediaBarExchange(
  sim: RunningSimulator,
  client: Client,
  agentId: number,
): Promise<void> {
  const runtime = sim.simulator.runtime
  await client.send({
    command: 'prepareSession',
    data: {
      model: 'AvayaTelephony',
      override: false,
      agent: { id: String(agentId), password: 'pw' },
    },
  })
  const [prepared] = await client.take(1)
  const sid = (prepared?.['data'] as { id: string }).id
  const channel = `${sid}.mediabar.tel-${String(agentId)}`

  // Any request before session.start fails, the request echoed back.
  const early = {
    command: 'channel.activate',
    target: channel,
    data: { channeloptions: { queue: 'Support' } },
  }
  await client.send(early)
  expect(await client.take(1)).toEqual([
    expect.objectContaining({
      result: 'failure',
      failure: expect.objectContaining({ code: 'SESSION_NOT_STARTED' }) as unknown,
      original: early,
    }),
  ])

  const step = async (message: unknown, expected: string[]): Promise<HarmonyOutgoing[]> => {
    await client.send(message)
    const got = await client.take(expected.length)
    expect(got.map(label)).toEqual(expected)
    return got
  }
  await step({ command: 'session.start', target: sid }, [
    'session.start:success',
    'channelgroup.created',
    'channel.created',
    'channel.infochanged(INACTIVE)[not_ready]',
    'channel.initialized',
    'session.initialized',
  ])
  await step(early, [
    'channel.activate:success',
    'channel.infochanged(ACTIVE)[not_ready]',
    'state.updated(ACTIVE)[not_ready]',
  ])
  await step({ command: 'channel.ready', target: channel, data: {} }, [
    'channel.ready:success',
    'channel.infochanged(ACTIVE)[ready]',
    'state.updated(ACTIVE)[ready]',
  ])

  const sessionId = await offerCall(runtime, agentId)
  const ringing = await client.take(4)
  expect(ringing.map(label)).toEqual([
    'interaction.created(ALERTING)',
    'conversation.created(ALERTING)',
    'channel.infochanged(ACTIVE)[busy_ready]',
    'state.updated(ACTIVE)[busy_ready]',
  ])
  const primary = String(ringing[1]?.['target'])
  await step({ command: 'conversation.answer', target: primary, data: {} }, [
    'conversation.answer:success',
    'state.updated(CONNECTED)',
    'state.updated(STARTED)',
  ])
  await step({ command: 'conversation.hold', target: primary, data: {} }, [
    'conversation.hold:success',
    'state.updated(HELD)',
  ])
  await step({ command: 'conversation.retrieve', target: primary, data: {} }, [
    'conversation.retrieve:success',
    'state.updated(CONNECTED)',
  ])
  await step({ command: 'conversation.release', target: primary, data: {} }, [
    'conversation.release:success',
    'state.updated(DISCONNECTED)',
    'conversation.disposed',
    'state.updated(ENDED)',
    'interaction.ended',
    'channel.infochanged(ACTIVE)[ready]',
    'state.updated(ACTIVE)[ready]',
  ])
  await step({ command: 'session.request.logout', target: sid }, [
    'session.request.logout:success',
    'channel.infochanged(ACTIVE)[not_ready]',
    'state.updated(ACTIVE)[not_ready]',
    'channel.infochanged(INACTIVE)[not_ready]',
    'state.updated(INACTIVE)[not_ready]',
    'channel.disposed',
    'channelgroup.disposed',
    'session.disposed',
  ])

  // The CCAI side followed what the Harmony client did: QM and metadata of the call, in order.
  const live = runtime.getSession(sessionId)
  const kinds = live?.story.steps.map((s) => s.kind) ?? []
  expect(
    kinds.filter((k) => ['connected', 'hold', 'unhold', 'ended', 'wrapup_finished'].includes(k)),
  ).toEqual(['connected', 'hold', 'unhold', 'ended', 'wrapup_finished'])
  await runtime.advance(60 * 60_000)
  const surfaces = new Set(live?.emissions.map((e) => e.surface))
  expect(surfaces.has('qm') && surfaces.has('metadata')).toBe(true)
  expect(runtime.roster.get(agentId)?.state.presence).toBe('logged_out')
}

/** GET /_sim/peers shows the exchange as traffic of one connection of this transport. */
async function expectTraffic(sim: RunningSimulator, transport: string): Promise<void> {
  type Message = { direction: 'in' | 'out'; client: string; name: string }
  const peers = (await (await fetch(`${sim.url}/_sim/peers`)).json()) as {
    harmony: { traffic: { messagesIn: number; messagesOut: number; recent: Message[] } }
  }
  const { traffic } = peers.harmony
  // Every request is answered, and events come besides.
  expect(traffic.messagesOut).toBeGreaterThan(traffic.messagesIn)
  expect(new Set(traffic.recent.map((m) => m.client))).toEqual(new Set([`${transport}#1`]))
  const sent = traffic.recent.filter((m) => m.direction === 'in').map((m) => m.name)
  expect(sent.slice(-2)).toEqual(['conversation.release', 'session.request.logout'])
  const received = traffic.recent.filter((m) => m.direction === 'out').map((m) => m.name)
  expect(received).toContain('session.request.logout success')
  expect(received).toContain('state.updated')
}

/** prepareSession → session.start → activate → ready, for `agentId`. */
async function readyOver(client: Client, agentId: number): Promise<void> {
  await client.send({
    command: 'prepareSession',
    data: { model: 'm', override: false, agent: { id: String(agentId), password: 'pw' } },
  })
  const [prepared] = await client.take(1)
  const sid = (prepared?.['data'] as { id: string }).id
  const channel = `${sid}.mediabar.tel-${String(agentId)}`
  await client.send({ command: 'session.start', target: sid })
  await client.take(6)
  await client.send({ command: 'channel.activate', target: channel, data: {} })
  await client.take(3)
  await client.send({ command: 'channel.ready', target: channel, data: {} })
  await client.take(3)
}

/** Waits (over HTTP round trips, no timers) until no session resource of `agentId` is bound. */
async function untilUnbound(sim: RunningSimulator, agentId: number): Promise<void> {
  for (let i = 0; i < 500; i += 1) {
    const resource = sim.simulator.harmony.list().find((s) => s.agentId === agentId)
    if (resource && !resource.bound) return
    await fetch(`${sim.url}/_sim/peers`)
  }
  throw new Error(`agent ${String(agentId)}'s session resource is still bound`)
}

describe('the Harmony peer over its transports', () => {
  it('makes an agent away when its WebSocket or TCP connection closes or its HTTP client ends, after the grace period', async () => {
    const sim = await start()
    const runtime = sim.simulator.runtime
    const ws = await wsClient(sim)
    const tcp = await tcpClient(sim)
    const http = await httpClient(sim)
    await readyOver(ws, 31)
    await readyOver(tcp, 32)
    await readyOver(http, 33)
    ws.close()
    tcp.socket.end()
    await http.end()
    for (const agentId of [31, 32, 33]) await untilUnbound(sim, agentId)
    const presence = () => [31, 32, 33].map((id) => runtime.roster.get(id)?.state.presence)
    await runtime.advance(9_000)
    expect(presence()).toEqual(['available', 'available', 'available'])
    await runtime.advance(1_000)
    expect(presence()).toEqual(['unavailable', 'unavailable', 'unavailable'])
    expect(runtime.roster.get(33)?.state.reason).toBe('Disconnected')
  }, 60_000)

  it('runs the MediaBar exchange over WebSocket at /harmony/ws', async () => {
    const sim = await start()
    await mediaBarExchange(sim, await wsClient(sim), 21)
    await expectTraffic(sim, 'ws')
  }, 60_000)

  it('runs the MediaBar exchange over the HTTP transport (startSession, processRequest, polling)', async () => {
    const sim = await start()
    await mediaBarExchange(sim, await httpClient(sim), 22)
    await expectTraffic(sim, 'http')
  }, 60_000)

  it('runs the MediaBar exchange over ~!OM framed TCP', async () => {
    const sim = await start()
    await mediaBarExchange(sim, await tcpClient(sim), 23)
    await expectTraffic(sim, 'tcp')
  }, 60_000)

  it('answers a bad TCP frame boundary with an ERROR message and closes the socket', async () => {
    const sim = await start()
    const client = await tcpClient(sim)
    const closed = new Promise((resolve) => client.socket.once('close', resolve))
    client.socket.write(Buffer.from('HELLO{}'))
    const [error] = await client.transport.take(1)
    expect(error).toMatchObject({
      type: 'ERROR',
      message: expect.stringContaining('~!OM') as string,
    })
    await closed
  })

  it('answers HTTP transport misuse with problem+json: unknown client, endSession twice', async () => {
    const sim = await start()
    const poll = await fetch(`${sim.url}/harmony/direct/poll?clientId=nobody`)
    expect(poll.status).toBe(404)
    expect(poll.headers.get('content-type')).toMatch(/application\/problem\+json/)
    const missing = await fetch(`${sim.url}/harmony/direct/poll`)
    expect(missing.status).toBe(422)
    const end = await fetch(`${sim.url}/harmony/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messageType: 'endSession', client: { id: 'ghost', name: 'x' } }),
    })
    expect(end.status).toBe(404)
    const plain = await fetch(`${sim.url}/harmony/ws`)
    expect(plain.status).toBe(426)
  })
})
