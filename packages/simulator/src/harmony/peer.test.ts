import { describe, expect, it } from 'vitest'
import { createSimulatorApp } from '../app.js'
import { HarmonyPeer, type HarmonyOutgoing, type HarmonyPeerOptions } from './peer.js'
import { label, offerCall, strictContract } from './test-support.js'

const AGENT = 7

function setup(options: HarmonyPeerOptions = {}) {
  const sim = createSimulatorApp({
    config: {
      clock: { mode: 'manual', start: '2026-01-15T14:00:00.000Z' },
      crm: { enabled: false },
    },
  })
  const peer = new HarmonyPeer(sim.runtime, options)
  const received: HarmonyOutgoing[] = []
  const link = peer.connect({ send: (m) => received.push(m) })
  /** What the peer sent since the last call (after pending reconciles ran), each strict-checked. */
  const take = async (): Promise<HarmonyOutgoing[]> => {
    await Promise.resolve()
    const out = received.splice(0)
    for (const m of out) strictContract(m)
    return out
  }
  const send = async (message: unknown): Promise<HarmonyOutgoing[]> => {
    link.receive(message)
    return take()
  }
  return { sim, peer, link, send, take }
}

/** Logs agent `AGENT` in through `send` and makes its telephony channel ready. */
async function readyAgent(
  send: (message: unknown) => Promise<HarmonyOutgoing[]>,
): Promise<{ sid: string; channel: string }> {
  const [prepared] = await send({
    command: 'prepareSession',
    data: { model: 'm', override: false, agent: { id: String(AGENT), password: 'x' } },
  })
  const sid = (prepared?.['data'] as { id: string }).id
  const channel = `${sid}.mediabar.tel-${String(AGENT)}`
  await send({ command: 'session.start', target: sid })
  await send({ command: 'channel.activate', target: channel, data: {} })
  await send({ command: 'channel.ready', target: channel, data: {} })
  return { sid, channel }
}

describe('the Harmony session resource peer', () => {
  it('runs a MediaBar session: login, ready, an inbound call answered, held, retrieved, released, logout', async () => {
    const { sim, send, take } = setup()
    const prepared = await send({
      command: 'prepareSession',
      data: {
        model: 'AvayaTelephony',
        override: false,
        agent: { id: String(AGENT), password: 'pw' },
      },
    })
    expect(prepared).toEqual([
      { command: 'prepareSession', result: 'success', data: { id: expect.any(String) as string } },
    ])
    const sid = (prepared[0]?.['data'] as { id: string }).id
    const channel = `${sid}.mediabar.tel-${String(AGENT)}`

    expect((await send({ command: 'session.start', target: sid })).map(label)).toEqual([
      'session.start:success',
      'channelgroup.created',
      'channel.created',
      'channel.infochanged(INACTIVE)[not_ready]',
      'channel.initialized',
      'session.initialized',
    ])
    const reasons = await send({ command: 'session.request.externalnotreadyreasons', target: sid })
    expect(reasons.map(label)).toEqual([
      'session.request.externalnotreadyreasons:success',
      'session.externalnotreadyreasons.updated',
    ])

    // Activate = the roster's login; the seed's lowercase channeloptions is echoed as sent.
    const activated = await send({
      command: 'channel.activate',
      target: channel,
      data: { channeloptions: { queue: 'Support' } },
    })
    expect(activated.map(label)).toEqual([
      'channel.activate:success',
      'channel.infochanged(ACTIVE)[not_ready]',
      'state.updated(ACTIVE)[not_ready]',
    ])
    expect(activated[0]?.['data']).toEqual({ channeloptions: { queue: 'Support' } })
    expect(sim.runtime.roster.get(AGENT)?.state.presence).toBe('unavailable')

    expect(
      (await send({ command: 'channel.ready', target: channel, data: {} })).map(label),
    ).toEqual([
      'channel.ready:success',
      'channel.infochanged(ACTIVE)[ready]',
      'state.updated(ACTIVE)[ready]',
    ])
    expect(sim.runtime.roster.get(AGENT)?.state.presence).toBe('available')

    // Routing offers a manual call to the ready agent: it rings on the channel.
    const sessionId = await offerCall(sim.runtime, AGENT)
    const ringing = await take()
    expect(ringing.map(label)).toEqual([
      'interaction.created(ALERTING)',
      'conversation.created(ALERTING)',
      'channel.infochanged(ACTIVE)[busy_ready]',
      'state.updated(ACTIVE)[busy_ready]',
    ])
    const interaction = String(ringing[0]?.['target'])
    expect(interaction).toBe(`${channel}.call-${String(sessionId)}`)
    const primary = String(ringing[1]?.['target'])

    expect(
      (await send({ command: 'conversation.answer', target: primary, data: {} })).map(label),
    ).toEqual(['conversation.answer:success', 'state.updated(CONNECTED)', 'state.updated(STARTED)'])
    const live = sim.runtime.getSession(sessionId)
    expect(live?.machine.connected).toEqual([AGENT])

    expect(
      (await send({ command: 'conversation.hold', target: primary, data: {} })).map(label),
    ).toEqual(['conversation.hold:success', 'state.updated(HELD)'])
    expect(live?.machine.onHold).toBe(true)
    expect(
      (await send({ command: 'conversation.retrieve', target: primary, data: {} })).map(label),
    ).toEqual(['conversation.retrieve:success', 'state.updated(CONNECTED)'])
    expect(live?.machine.onHold).toBe(false)

    // A logout with the call up is refused (Logout use case, EF1), the request echoed.
    const early = await send({ command: 'session.request.logout', target: sid })
    expect(early).toEqual([
      expect.objectContaining({
        result: 'failure',
        failure: expect.objectContaining({ code: 'ONGOING_INTERACTION' }) as unknown,
        original: { command: 'session.request.logout', target: sid },
      }),
    ])

    expect(
      (await send({ command: 'conversation.release', target: primary, data: {} })).map(label),
    ).toEqual([
      'conversation.release:success',
      'state.updated(DISCONNECTED)',
      'conversation.disposed',
      'state.updated(ENDED)',
      'interaction.ended',
      'channel.infochanged(ACTIVE)[ready]',
      'state.updated(ACTIVE)[ready]',
    ])

    // The CCAI side followed: connected, hold, unhold, agent end, wrap-up done; QM and metadata out.
    const kinds = live?.story.steps.map((s) => s.kind) ?? []
    expect(kinds).toEqual(
      expect.arrayContaining([
        'assigned',
        'connected',
        'hold',
        'unhold',
        'ended',
        'wrapup_finished',
      ]),
    )
    expect(kinds.indexOf('hold')).toBeLessThan(kinds.indexOf('unhold'))
    await sim.runtime.advance(60 * 60_000)
    const surfaces = new Set(live?.emissions.map((e) => e.surface))
    expect(surfaces).toEqual(new Set(['adapter', 'email', 'metadata', 'qm']))
    expect(live?.state).toBe('complete')
    await take()

    expect((await send({ command: 'session.request.logout', target: sid })).map(label)).toEqual([
      'session.request.logout:success',
      'channel.infochanged(ACTIVE)[not_ready]',
      'state.updated(ACTIVE)[not_ready]',
      'channel.infochanged(INACTIVE)[not_ready]',
      'state.updated(INACTIVE)[not_ready]',
      'channel.disposed',
      'channelgroup.disposed',
      'session.disposed',
    ])
    expect(sim.runtime.roster.get(AGENT)?.state.presence).toBe('logged_out')
    await sim.close()
  }, 60_000)

  it('fails every request before session.start, echoing the request in original', async () => {
    const { send } = setup()
    const [prepared] = await send({
      command: 'prepareSession',
      data: { model: 'm', override: false, agent: { id: '9', password: 'x' } },
    })
    const sid = (prepared?.['data'] as { id: string }).id
    const request = { command: 'channel.ready', target: `${sid}.mediabar.tel-9`, data: {} }
    expect(await send(request)).toEqual([
      {
        command: 'channel.ready',
        target: request.target,
        result: 'failure',
        failure: {
          code: 'SESSION_NOT_STARTED',
          message: expect.stringContaining('session.start') as string,
        },
        original: request,
      },
    ])
  })

  it('refuses bad credentials, a second session without override, and replaces it with override', async () => {
    const { peer, send } = setup({ password: 'secret' })
    const bad = await send({
      command: 'prepareSession',
      data: { model: 'm', override: false, agent: { id: '5', password: 'nope' } },
    })
    expect(bad[0]).toMatchObject({ result: 'failure', failure: { code: 'INVALID_CREDENTIALS' } })
    const notAnAgent = await send({
      command: 'prepareSession',
      data: { model: 'm', override: false, agent: { id: 'bob', password: 'secret' } },
    })
    expect(notAnAgent[0]).toMatchObject({
      failure: {
        code: 'UNKNOWN_AGENT',
        message: expect.stringContaining('data.agent.id') as string,
      },
    })
    const good = {
      command: 'prepareSession',
      data: { model: 'm', override: false, agent: { id: '5', password: 'secret' } },
    }
    expect((await send(good))[0]).toMatchObject({ result: 'success' })

    const other: HarmonyOutgoing[] = []
    const second = peer.connect({ send: (m) => other.push(m) })
    second.receive(good)
    expect(other[0]).toMatchObject({ result: 'confirm', original: good })
    second.receive({ ...good, data: { ...good.data, override: true } })
    expect(other[1]).toMatchObject({ result: 'success' })
    for (const m of other) strictContract(m)
    expect(peer.list()).toHaveLength(1)
  })

  it('checks channel preconditions: ready before activate, notready without a known reason, double deactivate', async () => {
    const { send } = setup()
    const [prepared] = await send({
      command: 'prepareSession',
      data: { model: 'm', override: false, agent: { id: '4', password: 'x' } },
    })
    const sid = (prepared?.['data'] as { id: string }).id
    const channel = `${sid}.mediabar.tel-4`
    await send({ command: 'session.start', target: sid })
    const codeOf = async (m: unknown): Promise<unknown> =>
      ((await send(m))[0]?.['failure'] as { code?: string } | undefined)?.code
    expect(await codeOf({ command: 'channel.ready', target: channel, data: {} })).toBe(
      'CHANNEL_NOT_ACTIVE',
    )
    expect(await codeOf({ command: 'channel.deactivate', target: channel, data: {} })).toBe(
      'CHANNEL_ALREADY_INACTIVE',
    )
    expect(await codeOf({ command: 'channel.ready', target: `${sid}.nope`, data: {} })).toBe(
      'INVALID_TARGET',
    )
    // Leniency: a leading space in the command, channelOptions spelled the other way.
    const lenient = await send({
      command: ' channel.activate',
      target: channel,
      data: { channelOptions: { queue: 'Sales' } },
    })
    expect(lenient[0]).toMatchObject({
      result: 'success',
      data: { channeloptions: { queue: 'Sales' } },
    })
    expect(await codeOf({ command: 'channel.activate', target: channel, data: {} })).toBe(
      'CHANNEL_ALREADY_ACTIVE',
    )
    expect(await codeOf({ command: 'channel.notready', target: channel, data: {} })).toBe(
      'REASON_REQUIRED',
    )
    expect(
      await codeOf({ command: 'channel.notready', target: channel, data: { reasoncode: '99' } }),
    ).toBe('CTI_ERROR')
    const acw = await send({
      command: 'channel.notready',
      target: channel,
      data: { reasoncode: 'acw' },
    })
    expect(acw.map(label)).toEqual([
      'channel.notready:success',
      'channel.infochanged(ACTIVE)[after_call_work]',
      'state.updated(ACTIVE)[after_call_work]',
    ])
    const lunch = await send({
      command: 'channel.notready',
      target: channel,
      data: { reasoncode: '2' },
    })
    expect(lunch[1]?.['data']).toMatchObject({
      agentStatus: { status: 'not_ready', lastReasonCode: '2', lastReasonName: 'Lunch' },
    })
    expect(
      await codeOf({ command: 'channel.dial', target: channel, data: { destination: '100' } }),
    ).toBe('UNSUPPORTED')
    const garbage = await send('not json at all')
    expect(garbage[0]).toMatchObject({ result: 'failure', failure: { code: 'INVALID_REQUEST' } })
  })

  it('names the field, what was expected and what came when a request or prepareSession is malformed', async () => {
    const { send } = setup()
    const failureOf = async (message: unknown): Promise<unknown> =>
      ((await send(message))[0]?.['failure'] as { message?: unknown } | undefined)?.message
    expect(await failureOf({ command: 'channel.ready' })).toBe(
      'target: expected string, received nothing (the key is missing)',
    )
    expect(await failureOf('not json at all')).toBe(
      '$: expected object, received string "not json at all"',
    )
    expect(
      await failureOf({
        command: 'prepareSession',
        data: { model: 'm', override: false, agent: { id: 7, password: 'x' } },
      }),
    ).toBe('prepareSession: data.agent.id: expected string, received integer 7')
  })

  it('consults a colleague and transfers the caller to them, in the documented event order', async () => {
    const { sim, send, take } = setup()
    await readyAgent(send)
    const sessionId = await offerCall(sim.runtime, AGENT)
    const ringing = await take()
    const interaction = String(ringing[0]?.['target'])
    await send({ command: 'interaction.accept', target: interaction, data: {} })

    const noConsult = await send({
      command: 'interaction.consulttransfer',
      target: interaction,
      data: {},
    })
    expect(noConsult[0]).toMatchObject({ failure: { code: 'NO_CONSULT_CALL' } })
    const consult = await send({
      command: 'interaction.consult',
      target: interaction,
      data: { destination: '12' },
    })
    expect(consult.map(label)).toEqual([
      'interaction.consult:success',
      'state.updated(HELD)',
      'conversation.created(CONNECTED)',
      'interaction.focuschanged',
    ])
    expect(sim.runtime.getSession(sessionId)?.machine.onHold).toBe(true)

    const transferred = await send({
      command: 'interaction.consulttransfer',
      target: interaction,
      data: {},
    })
    expect(transferred.map(label)).toEqual([
      'interaction.consulttransfer:success',
      'state.updated(DISCONNECTED)',
      'conversation.disposed',
      'interaction.focuschanged',
      'state.updated(DISCONNECTED)',
      'conversation.disposed',
      'interaction.ended',
      'channel.infochanged(ACTIVE)[ready]',
      'state.updated(ACTIVE)[ready]',
    ])
    const machine = sim.runtime.getSession(sessionId)?.machine
    expect(machine?.connected).toEqual([12])
    expect(machine?.onHold).toBe(false)
    await sim.close()
  }, 60_000)

  /** A logged-in, ready agent with a call ringing; returns the interaction and primary targets. */
  async function ringing(sim: ReturnType<typeof setup>) {
    const { send, take } = sim
    await readyAgent(send)
    const sessionId = await offerCall(sim.sim.runtime, AGENT)
    const events = await take()
    return {
      sessionId,
      interaction: String(events[0]?.['target']),
      primary: String(events[1]?.['target']),
    }
  }

  it('ends the interaction when the customer hangs up, and closes the wrap-up for the agent', async () => {
    const harness = setup()
    const { sim, send, take } = harness
    const call = await ringing(harness)
    await send({ command: 'conversation.answer', target: call.primary, data: {} })
    sim.runtime.command(call.sessionId, { type: 'customer.end' })
    expect((await take()).map(label)).toEqual([
      'state.updated(DISCONNECTED)',
      'conversation.disposed',
      'state.updated(ENDED)',
      'interaction.ended',
      'channel.infochanged(ACTIVE)[ready]',
      'state.updated(ACTIVE)[ready]',
    ])
    const kinds = sim.runtime.getSession(call.sessionId)?.story.steps.map((s) => s.kind)
    expect(kinds).toContain('wrapup_finished')
    expect(sim.runtime.roster.get(AGENT)?.state.presence).toBe('available')
    await sim.close()
  }, 60_000)

  it('withdraws a call that rang out and shows the agent not ready for the missed offer', async () => {
    const harness = setup()
    const { sim, take } = harness
    await ringing(harness)
    await sim.runtime.advance(10 * 60_000)
    const events = await take()
    expect(events.map(label)).toEqual(
      expect.arrayContaining(['conversation.disposed', 'interaction.ended']),
    )
    expect(events.at(-2)?.['data']).toMatchObject({
      agentStatus: { status: 'not_ready', lastReasonName: 'Missed offer' },
    })
    await sim.close()
  }, 60_000)

  it('conferences the consulted colleague in: both agents on the call', async () => {
    const harness = setup()
    const { sim, send } = harness
    const call = await ringing(harness)
    await send({ command: 'interaction.accept', target: call.interaction, data: {} })
    await send({
      command: 'interaction.consult',
      target: call.interaction,
      data: { destination: '12' },
    })
    const conference = await send({
      command: 'interaction.consultconference',
      target: call.interaction,
      data: {},
    })
    expect(conference.map(label)).toEqual([
      'interaction.consultconference:success',
      'conversation.disposed',
      'state.updated(CONNECTED)',
      'interaction.focuschanged',
    ])
    const machine = sim.runtime.getSession(call.sessionId)?.machine
    expect(machine?.connected).toEqual([AGENT, 12])
    expect(machine?.onHold).toBe(false)
    await sim.close()
  }, 60_000)
  it('sends every event of a released call before the next call rings, even an older call', async () => {
    const harness = setup()
    const { sim, send, take } = harness
    // Agent 8 (control API) takes call 1; the Harmony agent then gets call 2.
    sim.runtime.roster.command(8, 'login')
    sim.runtime.roster.command(8, 'available')
    const first = await offerCall(sim.runtime, 8)
    const mine = await ringing(harness)
    const other = sim.runtime.getSession(first)
    await send({ command: 'conversation.answer', target: mine.primary, data: {} })
    // Agent 8 lets call 1 ring out: it waits again, older than the Harmony agent's call.
    for (let i = 0; i < 120 && other?.machine.offeredTo === 8; i += 1)
      await sim.runtime.advance(1000)
    await take()
    const released = await send({ command: 'conversation.release', target: mine.primary, data: {} })
    expect(released.map(label)).toEqual([
      'conversation.release:success',
      'state.updated(DISCONNECTED)',
      'conversation.disposed',
      'state.updated(ENDED)',
      'interaction.ended',
      'interaction.created(ALERTING)',
      'conversation.created(ALERTING)',
    ])
    expect(released[1]?.['target']).toBe(mine.primary)
    expect(released[5]?.['target']).toContain(`call-${String(other?.id)}`)
    await sim.close()
  }, 60_000)

  it('starts a session whose agent already has a call ringing: busy from the first channel info, the call before session.initialized', async () => {
    const harness = setup()
    const { sim, send } = harness
    sim.runtime.roster.command(AGENT, 'login')
    sim.runtime.roster.command(AGENT, 'available')
    await offerCall(sim.runtime, AGENT)
    const [prepared] = await send({
      command: 'prepareSession',
      data: { model: 'm', override: false, agent: { id: String(AGENT), password: 'x' } },
    })
    const sid = (prepared?.['data'] as { id: string }).id
    // Reference §1.6: per channel created → infochanged → initialized, then session.initialized;
    // no status correction (a second infochanged and a state.updated) inside the initialisation.
    expect((await send({ command: 'session.start', target: sid })).map(label)).toEqual([
      'session.start:success',
      'channelgroup.created',
      'channel.created',
      'channel.infochanged(ACTIVE)[busy_ready]',
      'channel.initialized',
      'interaction.created(ALERTING)',
      'conversation.created(ALERTING)',
      'session.initialized',
    ])
    await sim.close()
  }, 60_000)

  it('sends what happened before a command ahead of its response, when commands come in one batch', async () => {
    const { sim, link, take } = setup()
    link.receive({
      command: 'prepareSession',
      data: { model: 'm', override: false, agent: { id: String(AGENT), password: 'x' } },
    })
    const sid = ((await take())[0]?.['data'] as { id: string }).id
    const channel = `${sid}.mediabar.tel-${String(AGENT)}`
    link.receive({ command: 'session.start', target: sid })
    link.receive({ command: 'channel.activate', target: channel, data: {} })
    // A call waits in its queue; ready and logout then arrive together (one TCP read, one poll).
    const waiting = sim.runtime.startSession({
      scenario: 'inbound-ivr-call',
      seed: 3,
      agent: 'manual',
    })
    for (let i = 0; i < 600 && !waiting.story.steps.some((step) => step.kind === 'queued'); i += 1)
      await sim.runtime.advance(1000)
    await take()
    link.receive({ command: 'channel.ready', target: channel, data: {} })
    link.receive({ command: 'session.request.logout', target: sid })
    const out = await take()
    expect(out.map(label)).toEqual([
      'channel.ready:success',
      'channel.infochanged(ACTIVE)[ready]',
      'state.updated(ACTIVE)[ready]',
      'interaction.created(ALERTING)',
      'conversation.created(ALERTING)',
      'channel.infochanged(ACTIVE)[busy_ready]',
      'state.updated(ACTIVE)[busy_ready]',
      'session.request.logout:failure',
    ])
    expect(out.at(-1)).toMatchObject({ failure: { code: 'ONGOING_INTERACTION' } })
    await sim.close()
  }, 60_000)

  describe('when a client goes away', () => {
    /** A second connection binding the agent again (confirm, then override), started. */
    function reconnect(peer: HarmonyPeer) {
      const received: HarmonyOutgoing[] = []
      const link = peer.connect({ send: (m) => received.push(m) })
      const prepare = {
        command: 'prepareSession',
        data: { model: 'm', override: false, agent: { id: String(AGENT), password: 'x' } },
      }
      link.receive(prepare)
      link.receive({ ...prepare, data: { ...prepare.data, override: true } })
      const sid = (received[1]?.['data'] as { id: string }).id
      link.receive({ command: 'session.start', target: sid })
      for (const m of received) strictContract(m)
      return { link, received, channel: `${sid}.mediabar.tel-${String(AGENT)}` }
    }

    it('makes the agent NOT_READY after the grace period, its ringing call back in the queue as a missed offer, and offers it nothing more', async () => {
      const harness = setup()
      const { sim, link } = harness
      const call = await ringing(harness)
      const session = sim.runtime.getSession(call.sessionId)
      const roster = () => sim.runtime.roster.get(AGENT)?.state
      link.close()
      // Within the grace period nothing changes: the call still rings for the agent.
      await sim.runtime.advance(9_000)
      expect(session?.machine.offeredTo).toBe(AGENT)
      await sim.runtime.advance(1_000)
      expect(roster()).toMatchObject({ presence: 'unavailable', reason: 'Disconnected' })
      expect(session?.story.steps.map((s) => s.kind)).toContain('offer_missed')
      expect(session?.machine.offeredTo).not.toBe(AGENT)
      // Another call: nobody rings the away agent.
      const next = sim.runtime.startSession({
        scenario: 'inbound-ivr-call',
        seed: 4,
        agent: 'manual',
      })
      await sim.runtime.advance(5 * 60_000)
      expect(next.machine.offeredTo).not.toBe(AGENT)
      expect(roster()?.sessions).toEqual([])
      await sim.close()
    }, 60_000)

    it('shows a client that binds the agent again NOT_READY (Disconnected), and offers it calls once it is ready', async () => {
      const harness = setup({ disconnectGraceSeconds: 0 })
      const { sim, peer, link } = harness
      const call = await ringing(harness)
      link.close()
      const back = reconnect(peer)
      const infos = back.received.filter((m) => m['name'] === 'channel.infochanged')
      expect(infos.at(-1)?.['data']).toMatchObject({
        state: 'ACTIVE',
        agentStatus: { status: 'not_ready', lastReasonName: 'Disconnected' },
      })
      // The call went back to its queue: no interaction on the new session.
      expect(back.received.map(label)).not.toContain('interaction.created')
      back.received.splice(0)
      back.link.receive({ command: 'channel.ready', target: back.channel, data: {} })
      await offerCall(sim.runtime, AGENT, 5)
      await Promise.resolve()
      expect(back.received.map(label)).toContain('interaction.created(ALERTING)')
      expect(sim.runtime.getSession(call.sessionId)?.story.steps.map((s) => s.kind)).toContain(
        'offer_missed',
      )
      await sim.close()
    }, 60_000)

    it('changes nothing when the agent binds again within the grace period', async () => {
      const harness = setup()
      const { sim, peer, link } = harness
      await readyAgent(harness.send)
      link.close()
      await sim.runtime.advance(5_000)
      const back = reconnect(peer)
      await sim.runtime.advance(60_000)
      expect(sim.runtime.roster.get(AGENT)?.state.presence).toBe('available')
      const infos = back.received.filter((m) => m['name'] === 'channel.infochanged')
      expect(infos.at(-1)?.['data']).toMatchObject({ agentStatus: { status: 'ready' } })
      await sim.close()
    })

    it('keeps an answered call with the away agent, and makes it NOT_READY, not READY, when the call ends', async () => {
      const harness = setup({ disconnectGraceSeconds: 0 })
      const { sim, send, link } = harness
      const call = await ringing(harness)
      await send({ command: 'conversation.answer', target: call.primary, data: {} })
      link.close()
      await sim.runtime.advance(1_000)
      const session = sim.runtime.getSession(call.sessionId)
      expect(session?.machine.connected).toContain(AGENT)
      sim.runtime.command(call.sessionId, { type: 'customer.end' })
      await sim.runtime.advance(10 * 60_000)
      expect(sim.runtime.roster.get(AGENT)?.state).toMatchObject({
        presence: 'unavailable',
        reason: 'Disconnected',
      })
      await sim.close()
    }, 60_000)
  })
})
