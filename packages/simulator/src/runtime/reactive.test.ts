import { checkContract, type CrmIntegrationSettings } from '@ccai-sim/schemas'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { createSimulatorApp, type SimulatorApp } from '../app.js'
import type { LiveSession } from './simulator-runtime.js'

/*
 * Sessions react (DESIGN.md): what the surfaces show follows what the integrator's CRM answered
 * and what agents and API clients did. The CRM here is nothing like the mock: string ids, its own
 * paths, Container bodies, and a record page of its own.
 */

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const CRM = 'https://cases.example.org'

interface ForeignCrm {
  readonly app: Hono
  readonly records: { id: string; body: unknown }[]
  down: boolean
}

/** A CRM of its own dialect: `{ person: {...} }` in, `{ data: { ref: "P…" } }` out. */
function foreignCrm(): ForeignCrm {
  const crm: ForeignCrm = { app: new Hono(), records: [], down: false }
  let n = 0
  crm.app.use('*', async (c, next) => {
    if (crm.down) return c.text('unavailable', 503)
    return next()
  })
  crm.app.get('/v2/people', (c) => c.json({ data: [] }))
  crm.app.post('/v2/people', (c) => c.json({ data: { ref: `P${String(++n).padStart(4, '0')}` } }))
  crm.app.post('/v2/cases', async (c) => {
    const id = `Ta78d1b${String(++n).padStart(2, '0')}`
    crm.records.push({ id, body: await c.req.json() })
    return c.json({ data: { ref: id } }, 201)
  })
  crm.app.post('/v2/cases/:id/notes', (c) => c.json({ ok: true }))
  crm.app.patch('/v2/cases/:id', (c) => c.json({ ok: true }))
  return crm
}

const settings: CrmIntegrationSettings = {
  crm_lookup_method: 'generic_api',
  display_crm_in_portal: true,
  display_url: `${CRM}/case/{RECORD_ID}/view`,
  authentication: { method: 'custom_header', fields: [{ field_key: 'X-Token', field_value: 't' }] },
  phone_number_format: 'e164',
  request_timeout: 5,
  account_lookup_url: `${CRM}/people/{ACCOUNT_ID}`,
  record_lookup_url: `${CRM}/case/{RECORD_ID}/view`,
  endpoints: {
    find_account_by_query: {
      url: `${CRM}/v2/people`,
      method: 'GET',
      parameters: [{ key: 'phone', value: '{PHONE_NUMBER}' }],
      response_data_location: 'data.0',
    },
    create_account: {
      url: `${CRM}/v2/people`,
      method: 'POST',
      parameters: [
        { key: 'name', value: '{NAME}' },
        { key: 'phone', value: '{PHONE_NUMBER}' },
      ],
      request_data_format: { type: 'container', container_type: 'map', container_name: 'person' },
      response_data_location: 'data',
      custom_id_location: 'ref',
    },
    create_record: {
      url: `${CRM}/v2/cases`,
      method: 'POST',
      parameters: [
        { key: 'subject', value: '{TICKET_SUBJECT}' },
        { key: 'person', value: '{ACCOUNT_ID}' },
        { key: 'duration', value: '{CALL_DURATION}' },
      ],
      request_data_format: { type: 'container', container_type: 'map', container_name: 'case' },
      response_data_location: 'data',
      custom_id_location: 'ref',
    },
    comment: {
      url: `${CRM}/v2/cases/{RECORD_ID}/notes`,
      method: 'POST',
      parameters: [{ key: 'text', value: '{COMMENT_BODY}' }],
      request_data_format: { type: 'property' },
      convert_text_to_html: false,
    },
  },
  reuse_existing_records: false,
  skip_account_creation: false,
  skip_record_creation: false,
}

function simulator(crm: ForeignCrm): SimulatorApp {
  return createSimulatorApp({
    config: { clock: { mode: 'manual', start: '2026-01-15T14:00:00.000Z' }, crm: { settings } },
    fetch: (input, init) => {
      const request = new Request(input, init)
      if (!request.url.startsWith(CRM))
        return Promise.reject(new Error(`unexpected ${request.url}`))
      return Promise.resolve(crm.app.fetch(request))
    },
  })
}

function payloads(session: LiveSession, type: string): Record<string, unknown>[] {
  return session.emissions
    .filter((e) => (e.payload as { type?: string }).type === type || e.contract === type)
    .map((e) => e.payload as Record<string, unknown>)
}

describe('a session reacts to what the CRM answered', () => {
  it.each(['inbound-ivr-call', 'web-chat-va-escalation'])(
    '%s: the record pop, out_ticket_id, out_ticket_url and the email name the record that CRM created',
    async (scenario) => {
      const crm = foreignCrm()
      const sim = simulator(crm)
      const session = sim.runtime.startSession({ scenario, seed: 4, params: { csat: false } })
      await sim.runtime.advance(2 * HOUR)
      const [record] = crm.records
      expect(record?.id).toMatch(/^Ta78d1b\d\d$/)
      const url = `${CRM}/case/${record?.id ?? ''}/view`

      expect(payloads(session, 'CRM_Record_Pop').map((p) => p['data'])).toEqual([
        { recordUrl: url },
      ])
      const [metadata] = session.emissions.filter((e) => e.surface === 'metadata')
      expect(metadata?.payload).toMatchObject({ out_ticket_id: record?.id, out_ticket_url: url })
      const [email] = session.emissions.filter((e) => e.surface === 'email')
      const body = JSON.parse((email?.payload as { body: string }).body) as Record<string, unknown>
      expect(body).toMatchObject({ out_ticket_id: record?.id, out_ticket_url: url })
      // The record was created when the session started: nothing it could not know then.
      expect(record?.body).toMatchObject({ case: { person: 'P0001' } })
      expect(JSON.stringify(record?.body)).not.toContain('duration')
      for (const e of session.emissions) {
        expect(checkContract(e.contract, e.payload, { mode: 'strict' }).issues, e.key).toEqual([])
      }
      await sim.close()
    },
    60_000,
  )

  it('with the CRM down, no record pops and the metadata and email carry no record', async () => {
    const crm = foreignCrm()
    crm.down = true
    const sim = simulator(crm)
    const session = sim.runtime.startSession({ scenario: 'inbound-ivr-call', seed: 4 })
    await sim.runtime.advance(2 * HOUR)
    expect(payloads(session, 'CRM_Record_Pop')).toEqual([])
    const [metadata] = session.emissions.filter((e) => e.surface === 'metadata')
    expect(metadata?.payload).toMatchObject({ out_ticket_id: null, out_ticket_url: null })
    expect(session.machine.crm).toBe('none')
    const inputs = session.inputs.filter((i) => i.type === 'crm.none')
    expect(inputs).toHaveLength(1)
    await sim.close()
  })
})

describe('sessions driven by hand', () => {
  async function send(sim: SimulatorApp, path: string, body: unknown = {}): Promise<Response> {
    return sim.app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  }

  it('a manual chat and a manual call, driven only by agent commands over the control API, emit strict-valid payloads on every surface, in order, and replay identically', async () => {
    const sim = createSimulatorApp({
      config: {
        clock: { mode: 'manual', start: '2026-01-15T14:00:00.000Z' },
        crm: { enabled: false },
      },
    })
    const agentId = 7
    expect((await send(sim, `/_sim/agents/${agentId}/login`)).status).toBe(200)
    expect((await send(sim, `/_sim/agents/${agentId}/available`)).status).toBe(200)

    for (const scenario of ['sms-chat-dismissed', 'inbound-ivr-call']) {
      const started = await send(sim, '/_sim/sessions', { scenario, seed: 3, agent: 'manual' })
      expect(started.status).toBe(201)
      const { id } = (await started.json()) as { id: number }
      // The customer arrives and queues on the script; routing offers the session to agent 7.
      const session = sim.runtime.getSession(id)
      for (let i = 0; i < 300 && session?.machine.offeredTo === null; i += 1) {
        await sim.runtime.advance(1000)
      }
      expect(session?.machine.offeredTo).toBe(agentId)

      // A command that does not fit now is refused with the reason.
      const early = await send(sim, `/_sim/sessions/${id}/end`, { agentId })
      expect(early.status).toBe(409)
      expect(((await early.json()) as { detail: string }).detail).toMatch(/not connected/)

      expect((await send(sim, `/_sim/sessions/${id}/accept`, { agentId })).status).toBe(200)
      if (scenario === 'sms-chat-dismissed') {
        expect(
          (await send(sim, `/_sim/sessions/${id}/message`, { agentId, text: 'Hello!' })).status,
        ).toBe(200)
        await sim.runtime.advance(MINUTE)
        // The machine's customer answers.
        expect(session?.story.steps.filter((s) => s.kind === 'message')).toHaveLength(2)
      } else {
        expect((await send(sim, `/_sim/sessions/${id}/hold`, { agentId })).status).toBe(200)
        expect((await send(sim, `/_sim/sessions/${id}/resume`, { agentId })).status).toBe(200)
      }
      expect((await send(sim, `/_sim/sessions/${id}/end`, { agentId })).status).toBe(200)
      const wrap = await send(sim, `/_sim/sessions/${id}/finish_wrapup`, {
        agentId,
        disposition: 'Resolved',
      })
      expect(wrap.status).toBe(200)
      await sim.runtime.advance(HOUR)
      expect(session?.state).toBe('complete')

      const surfaces = new Set(session?.emissions.map((e) => e.surface))
      expect([...surfaces].sort()).toEqual(
        scenario === 'sms-chat-dismissed'
          ? ['adapter', 'email', 'metadata', 'transcript']
          : ['adapter', 'email', 'metadata', 'qm'],
      )
      let previous = 0
      for (const e of session?.emissions ?? []) {
        expect(checkContract(e.contract, e.payload, { mode: 'strict' }).issues, e.key).toEqual([])
        expect(e.at).toBeGreaterThanOrEqual(previous)
        previous = e.at
      }
      const replay = await send(sim, `/_sim/sessions/${id}/replay`)
      expect(await replay.json()).toMatchObject({ identical: true })
    }

    // The agent's presence went out on the adapter and QM surfaces.
    const presence = sim.runtime.journal
      .read({ type: 'emitted', limit: 10_000 })
      .entries.flatMap((e) => (e.type === 'emitted' && e.sessionId === 0 ? [e.contract] : []))
    expect(presence).toEqual(['adapter.Agent_Login', 'qm.AgentState'])
    const busy = await send(sim, `/_sim/agents/${agentId}/logout`)
    expect(busy.status).toBe(200)
    await sim.close()
  }, 60_000)

  it('a missed offer puts the session back in its queue and the agent out of routing', async () => {
    const sim = createSimulatorApp({
      config: {
        clock: { mode: 'manual', start: '2026-01-15T14:00:00.000Z' },
        crm: { enabled: false },
        agents: { offerTimeoutSeconds: 20 },
      },
    })
    await send(sim, '/_sim/agents/3/login')
    await send(sim, '/_sim/agents/3/available')
    const session = sim.runtime.startSession({
      scenario: 'inbound-ivr-call',
      seed: 8,
      agent: 'manual',
    })
    await sim.runtime.advance(10 * MINUTE)
    expect(session.story.steps.map((s) => s.kind)).toContain('offer_missed')
    expect(session.machine.phase).toBe('routing')
    expect(sim.runtime.roster.get(3)?.state.presence).toBe('unavailable')
    // Back to available: routing offers the waiting session again.
    await send(sim, '/_sim/agents/3/available')
    expect(session.machine.offeredTo).toBe(3)
    await sim.close()
  })
  it('a session every routable agent has declined is offered again, to the first of them', async () => {
    const sim = createSimulatorApp({
      config: {
        clock: { mode: 'manual', start: '2026-01-15T14:00:00.000Z' },
        crm: { enabled: false },
      },
    })
    // The agents' desktops (as a peer's are) take offers only while `open`.
    let open = true
    sim.runtime.watch({ mayOffer: () => open })
    for (const agent of [3, 4]) {
      await send(sim, `/_sim/agents/${String(agent)}/login`)
      await send(sim, `/_sim/agents/${String(agent)}/available`)
    }
    const session = sim.runtime.startSession({
      scenario: 'inbound-ivr-call',
      seed: 8,
      agent: 'manual',
    })
    for (let i = 0; i < 60 && session.machine.offeredTo === null; i += 1)
      await sim.runtime.advance(5_000)
    for (let turn = 0; turn < 2; turn += 1) {
      const agentId = session.machine.offeredTo
      expect(agentId).not.toBe(null)
      const declined = await send(sim, `/_sim/sessions/${String(session.id)}/decline`, { agentId })
      expect(declined.status).toBe(200)
    }
    expect([...session.machine.missed].sort()).toEqual([3, 4])
    // Both come back while their desktops take nothing, then the desktops open together.
    open = false
    await send(sim, '/_sim/agents/3/available')
    await send(sim, '/_sim/agents/4/available')
    expect(session.machine.offeredTo).toBe(null)
    open = true
    await send(sim, '/_sim/agents/4/unavailable')
    await send(sim, '/_sim/agents/4/available')
    // Not left waiting for an agent who has not turned it down yet: the first of them again.
    expect(session.machine.offeredTo).toBe(3)
    await sim.close()
  })

  it('a waiting session no available agent may take does not hold up the sessions queued after it', async () => {
    const sim = createSimulatorApp({
      config: {
        clock: { mode: 'manual', start: '2026-01-15T14:00:00.000Z' },
        crm: { enabled: false },
      },
    })
    // Agent 3's desktop takes chats only, as an Expertflow gadget's agents do.
    sim.runtime.watch({ mayOffer: (_agentId, session) => session.story.kind === 'chat' })
    await send(sim, '/_sim/agents/3/login')
    await send(sim, '/_sim/agents/3/available')
    const call = sim.runtime.startSession({
      scenario: 'inbound-ivr-call',
      seed: 8,
      agent: 'manual',
    })
    await sim.runtime.advance(5 * MINUTE)
    expect(call.machine.phase).toBe('routing')
    const chat = sim.runtime.startSession({
      scenario: 'web-chat-va-escalation',
      seed: 8,
      agent: 'manual',
    })
    for (let i = 0; i < 60 && chat.machine.offeredTo === null; i += 1)
      await sim.runtime.advance(5_000)
    expect(chat.machine.offeredTo).toBe(3)
    expect(call.machine.offeredTo).toBe(null)
    await sim.close()
  })
})
