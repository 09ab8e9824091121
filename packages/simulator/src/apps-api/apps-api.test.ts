import { agentEntity } from '@ccai-sim/fixtures'
import { checkContract } from '@ccai-sim/schemas'
import { describe, expect, it } from 'vitest'
import { createSimulatorApp, type SimulatorApp } from '../app.js'
import type { SimulatorConfigInput } from '../config.js'

/*
 * The Apps API as a CRM uses it (reference §7): click-to-call, the call object it polls, customer
 * flags, outbound SMS — each request an input to the session machine, the session reaching every
 * surface and the CRM flow like any other.
 */

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const KEY = 'acme'
const TOKEN = 'secret-token'
const AUTH = `Basic ${Buffer.from(`${KEY}:${TOKEN}`).toString('base64')}`
const SEED = 1
const agent = (id: number) => agentEntity(SEED, id, 0)

function simulator(appsApi: SimulatorConfigInput['appsApi'] = {}): SimulatorApp {
  return createSimulatorApp({
    config: {
      seed: SEED,
      clock: { mode: 'manual', start: '2026-01-15T14:00:00.000Z' },
      appsApi: { companyKey: KEY, apiToken: TOKEN, rateLimitPerSecond: 0, ...appsApi },
    },
  })
}

async function call(
  sim: SimulatorApp,
  request: string,
  options: { readonly body?: unknown; readonly auth?: string | null } = {},
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const [method = 'GET', path = '/'] = request.split(' ')
  const { body } = options
  const auth = options.auth === undefined ? AUTH : options.auth
  const response = await sim.app.request(`/apps/api/v1${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(auth === null ? {} : { authorization: auth }),
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  })
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    headers: response.headers,
  }
}

function expectError(answer: { body: Record<string, unknown> }, message: RegExp | string): void {
  expect(checkContract('apps-api.error', answer.body, { mode: 'strict' }).issues).toEqual([])
  if (typeof message === 'string') expect(answer.body['message']).toBe(message)
  else expect(answer.body['message']).toMatch(message)
}

const createCall = (agentId: number, extra: Record<string, unknown> = {}) => ({
  call_type: 'Voice Outbound (API)',
  agent_email: agent(agentId).email,
  end_user_number: '+1 415-555-0142',
  outbound_number: '+1 339-219-5276',
  ...extra,
})

describe('Apps API authentication and validation', () => {
  it('refuses a request without credentials, or with wrong ones, with 401 and a { message } body', async () => {
    const sim = simulator()
    const none = await call(sim, 'POST /calls', { body: createCall(3), auth: null })
    expect(none.status).toBe(401)
    expect(none.headers.get('www-authenticate')).toMatch(/^Basic /)
    expectError(none, /HTTP Basic authentication required/)
    const wrong = `Basic ${Buffer.from(`${KEY}:nope`).toString('base64')}`
    const bad = await call(sim, 'POST /calls', { body: createCall(3), auth: wrong })
    expect(bad.status).toBe(401)
    expectError(bad, /company key or the API token is wrong/)
    expect(sim.runtime.listSessions()).toEqual([])
    await sim.close()
  })

  it('answers a bad body with 400 naming the field, what was expected and what came', async () => {
    const sim = simulator()
    const missing = await call(sim, 'POST /calls', { body: { call_type: 'Voice Outbound (API)' } })
    expect(missing.status).toBe(400)
    expectError(missing, /agent_email.*expected.*received/)
    const malformed = await call(sim, 'POST /calls', { body: '{"call_type":' })
    expect(malformed.status).toBe(400)
    expectError(malformed, /^body: expected a JSON object, received malformed JSON/)
    const neither = await call(sim, 'POST /calls', {
      body: { ...createCall(3), end_user_number: null },
    })
    expectError(neither, /end_user_number: expected a phone number \(or a ticket_id\)/)
    const stranger = await call(sim, 'POST /calls', {
      body: {
        ...createCall(3),
        agent_email: 'nobody@example.com',
      },
    })
    expectError(
      stranger,
      /agent_email: expected the e-mail of one of .* received "nobody@example.com"/,
    )
    const inbound = await call(sim, 'POST /calls', {
      body: {
        call_type: 'Voice Inbound (API)',
        menu_id: 4,
        end_user_number: '+14155550142',
      },
    })
    expectError(inbound, /call_type: the simulator creates "Voice Outbound \(API\)" calls only/)
    const huge = await call(sim, 'POST /calls', {
      body: { ...createCall(3), padding: 'x'.repeat(2 << 20) },
    })
    expect(huge.status).toBe(413)
    expectError(huge, /^body: expected at most 1048576 bytes, received/)
    let deep = '1'
    for (let i = 0; i < 200; i += 1) deep = `[${deep}]`
    const nested = await call(sim, 'POST /calls', { body: `{"call_type":${deep}}` })
    expect(nested.status).toBe(400)
    expectError(nested, /body: expected JSON nested at most \d+ deep/)
    const flags = await call(sim, 'PATCH /calls/123/customer_flag', { body: { bad_actor: true } })
    expect(flags.status).toBe(404)
    expectError(flags, 'Call 123 not found')
    expect(sim.runtime.listSessions()).toEqual([])
    await sim.close()
  })

  it('allows 10 requests per second per customer by default and answers 429 past it', async () => {
    const sim = simulator({ rateLimitPerSecond: 2 })
    expect((await call(sim, 'GET /calls/1')).status).toBe(404)
    expect((await call(sim, 'GET /calls/1')).status).toBe(404)
    const third = await call(sim, 'GET /calls/1')
    expect(third.status).toBe(429)
    expect(third.headers.get('retry-after')).toBe('1')
    expectError(third, /at most 2 requests per second/)
    await sim.runtime.advance(1000)
    expect((await call(sim, 'GET /calls/1')).status).toBe(404)
    await sim.close()
    const defaults = createSimulatorApp({ config: { clock: { mode: 'manual' } } })
    expect(defaults.config.appsApi.rateLimitPerSecond).toBe(10)
    await defaults.close()
  })
})

describe('an outbound call created through the Apps API', () => {
  it('reaches the adapter, QM, metadata and the CRM flow, and the call object follows it', async () => {
    const sim = simulator()
    const created = await call(sim, 'POST /calls', { body: createCall(5, { lang: 'en' }) })
    expect(created.status).toBe(201)
    expect(checkContract('apps-api.call', created.body, { mode: 'strict' }).issues).toEqual([])
    expect(created.body).toMatchObject({
      call_type: 'Voice Outbound (API)',
      status: 'assigned',
      agent_info: { id: 5, name: agent(5).name },
      outbound_number: '+1 339-219-5276',
      out_ticket_id: null,
    })
    const id = created.body['id'] as number
    const session = sim.runtime.getSession(id)
    expect(session?.inputs[0]).toMatchObject({ type: 'api.create_call', agentId: 5 })
    expect(session?.story.endUser.phone).toBe('+14155550142')

    const statuses = [created.body['status']]
    for (let i = 0; i < 120 && session?.state !== 'complete'; i += 1) {
      await sim.runtime.advance(MINUTE)
      const polled = await call(sim, `GET /calls/${id}`)
      expect(checkContract('apps-api.call', polled.body, { mode: 'strict' }).issues).toEqual([])
      if (statuses.at(-1) !== polled.body['status']) statuses.push(polled.body['status'])
    }
    expect(statuses).toEqual(['assigned', 'connected', 'finished'])
    expect(session?.state).toBe('complete')

    const contracts = session?.emissions.map((e) => e.contract) ?? []
    expect(contracts).toEqual(
      expect.arrayContaining(['adapter.New_Call', 'adapter.CRM_Record_Pop']),
    )
    // QM: the agent the request named logs in (`AgentState`); QM documents call events for
    // incoming calls only, so an outbound call adds none (the QM projection's rule).
    const qm = sim.runtime.journal
      .read({ type: 'emitted', limit: 10_000 })
      .entries.flatMap((e) => (e.type === 'emitted' && e.surface === 'qm' ? [e] : []))
    expect(qm.map((e) => [e.contract, e.key.split(':')[0]])).toContainEqual([
      'qm.AgentState',
      'agent-5',
    ])
    for (const e of qm) {
      expect(checkContract(e.contract, e.payload, { mode: 'strict' }).issues).toEqual([])
    }
    const metadata = session?.emissions.find((e) => e.surface === 'metadata')
    expect(metadata?.payload).toMatchObject({
      call_type: 'Voice Outbound (API)',
      session_type_v2: 'Voice Outbound (API)',
    })
    for (const e of session?.emissions ?? []) {
      expect(checkContract(e.contract, e.payload, { mode: 'strict' }).issues, e.key).toEqual([])
    }

    // The CRM flow created the session's record and updated it at the end.
    const report = sim.crm.report(id)
    const record = report?.recordId
    // The record the mock CRM really holds, not an invented id.
    expect(sim.crm.store.records().map((r) => r.id)).toEqual([record])
    const outcome = (name: string) => report?.steps.find((s) => s.step === name)?.outcome
    expect(outcome('create_record')).toBe('succeeded')
    expect(outcome('update_record')).toBe('succeeded')
    expect(metadata?.payload).toMatchObject({ out_ticket_id: record })
    const finished = await call(sim, `GET /calls/${id}`)
    expect(finished.body).toMatchObject({ status: 'finished', out_ticket_id: record })

    const replay = await sim.app.request(`/_sim/sessions/${id}/replay`, { method: 'POST' })
    expect(await replay.json()).toMatchObject({ identical: true })
    await sim.close()
  }, 60_000)

  it('with a ticket_id, the CRM flow uses that record: no create, the update goes to it', async () => {
    const sim = simulator()
    // The CRM's own record, as a CRM user clicks to call from its page.
    const first = await call(sim, 'POST /calls', { body: createCall(5) })
    await sim.runtime.advance(2 * HOUR)
    const ticket = sim.crm.report(first.body['id'] as number)?.recordId ?? ''
    expect(ticket).not.toBe('')

    const created = await call(sim, 'POST /calls', { body: createCall(6, { ticket_id: ticket }) })
    expect(created.status).toBe(201)
    const id = created.body['id'] as number
    await sim.runtime.advance(2 * HOUR)
    const report = sim.crm.report(id)
    expect(report?.recordId).toBe(ticket)
    const create = report?.steps.find((s) => s.step === 'create_record')
    expect(create).toMatchObject({ outcome: 'skipped' })
    expect(create?.detail).toContain(`ticket_id ${ticket}`)
    expect(report?.steps.find((s) => s.step === 'update_record')?.outcome).toBe('succeeded')
    const metadata = sim.runtime.getSession(id)?.emissions.find((e) => e.surface === 'metadata')
    expect(metadata?.payload).toMatchObject({ out_ticket_id: ticket })
    expect(sim.crm.store.records()).toHaveLength(1)
    await sim.close()
  }, 60_000)

  it('refuses an agent who is busy or unavailable with the documented message', async () => {
    const sim = simulator()
    expect((await call(sim, 'POST /calls', { body: createCall(8) })).status).toBe(201)
    const busy = await call(sim, 'POST /calls', { body: createCall(8) })
    expect(busy.status).toBe(400)
    expectError(busy, 'Agent is not available to take this call')

    // An agent a person controls must be available.
    await sim.app.request('/_sim/agents/9/login', { method: 'POST' })
    const away = await call(sim, 'POST /calls', { body: createCall(9) })
    expectError(away, 'Agent is not available to take this call')
    await sim.app.request('/_sim/agents/9/available', { method: 'POST' })
    const ready = await call(sim, 'POST /calls', { body: createCall(9) })
    expect(ready.status).toBe(201)
    // Their session waits for them: the customer answers, the person ends it.
    expect(sim.runtime.getSession(ready.body['id'] as number)?.agent).toBe('manual')
    await sim.close()
  })

  it('answers a call whose caller left a voicemail with the documented voicemail status', async () => {
    const sim = simulator()
    const voicemail = sim.runtime.startSession({ scenario: 'inbound-call-voicemail', seed: 4 })
    const abandoned = sim.runtime.startSession({ scenario: 'inbound-call-abandoned', seed: 4 })
    await sim.runtime.advance(HOUR)
    const left = await call(sim, `GET /calls/${String(voicemail.id)}`)
    expect(left.status).toBe(200)
    expect(checkContract('apps-api.call', left.body, { mode: 'strict' }).issues).toEqual([])
    expect(left.body['status']).toBe('voicemail')
    expect((await call(sim, `GET /calls/${String(abandoned.id)}`)).body['status']).toBe('failed')
    await sim.close()
  })

  it('customer flags round-trip through PATCH and GET and are an input in the journal', async () => {
    const sim = simulator()
    const created = await call(sim, 'POST /calls', { body: createCall(4) })
    const id = created.body['id'] as number
    const before = await call(sim, `GET /calls/${id}/customer_flag`)
    expect(before.body).toEqual({
      verified_customer: false,
      bad_actor: false,
      repeat_customer: false,
    })

    await sim.runtime.advance(30_000)
    const flags = { verified_customer: true, bad_actor: false, repeat_customer: true }
    const patched = await call(sim, `PATCH /calls/${id}/customer_flag`, { body: flags })
    expect(patched.status).toBe(200)
    expect(patched.body).toEqual(flags)
    const read = await call(sim, `GET /calls/${id}/customer_flag`)
    expect(checkContract('apps-api.customerFlag', read.body, { mode: 'strict' }).issues).toEqual([])
    expect(read.body).toEqual(flags)
    expect((await call(sim, `GET /calls/${id}`)).body['verified']).toBe(true)

    // The PATCH example's spelling is accepted; a missing flag is named.
    const typo = await call(sim, `PATCH /calls/${id}/customer_flag`, {
      body: {
        verified_customer: false,
        bad_actor: true,
        repeat_customers: false,
      },
    })
    expect(typo.body).toEqual({ verified_customer: false, bad_actor: true, repeat_customer: false })
    const partial = await call(sim, `PATCH /calls/${id}/customer_flag`, {
      body: { bad_actor: true },
    })
    expect(partial.status).toBe(400)
    expectError(partial, /verified_customer/)

    const journaled = sim.runtime.journal
      .read({ type: 'input', limit: 10_000 })
      .entries.flatMap((e) =>
        e.type === 'input' && e.sessionId === id ? [e.input as { type: string }] : [],
      )
      .filter((input) => input.type === 'api.customer_flag')
    expect(journaled).toEqual([
      expect.objectContaining({ verifiedCustomer: true, badActor: false, repeatCustomer: true }),
      expect.objectContaining({ verifiedCustomer: false, badActor: true, repeatCustomer: false }),
    ])
    await sim.runtime.advance(2 * HOUR)
    const replay = await sim.app.request(`/_sim/sessions/${id}/replay`, { method: 'POST' })
    expect(await replay.json()).toMatchObject({ identical: true })
    await sim.close()
  }, 60_000)
})

describe('an outbound SMS sent through the Apps API', () => {
  it('opens an SMS chat assigned to the agent whose first message is the text, on every surface', async () => {
    const sim = simulator()
    const sms = {
      chat_type: 'Messaging (SMS)',
      end_user_number: '+1 415-555-0100',
      outbound_number: '+1 628-555-0199',
      message: 'Your order is ready for pickup.',
      agentEmail: agent(11).email,
    }
    const created = await call(sim, 'POST /sms', { body: sms })
    expect(created.status).toBe(200)
    expect(checkContract('apps-api.chat', created.body, { mode: 'strict' }).issues).toEqual([])
    expect(created.body).toMatchObject({
      // The session's type: an SMS the platform sends first (issue 11's documented label).
      chat_type: 'Messaging Outbound (SMS)',
      status: 'assigned',
      agent_info: { id: 11, email: agent(11).email },
      outbound_number: '+16285550199',
    })
    const id = created.body['id'] as number

    const again = await call(sim, 'POST /sms', { body: { ...sms, agentEmail: null } })
    expect(again.status).toBe(400)
    expectError(again, 'Outbound SMS failed. Consumer is already in an active SMS session.')
    const abroad = await call(sim, 'POST /sms', {
      body: { ...sms, end_user_number: '+44 20 7946 0958' },
    })
    expectError(abroad, 'Non-US phone number not allowed')

    await sim.runtime.advance(2 * HOUR)
    const session = sim.runtime.getSession(id)
    expect(session?.state).toBe('complete')
    const transcript = session?.emissions.find((e) => e.surface === 'transcript')
    expect(JSON.stringify(transcript?.payload)).toContain(sms.message)
    for (const e of session?.emissions ?? []) {
      expect(checkContract(e.contract, e.payload, { mode: 'strict' }).issues, e.key).toEqual([])
    }
    const read = await call(sim, `GET /chats/${id}`)
    expect(checkContract('apps-api.chat', read.body, { mode: 'strict' }).issues).toEqual([])
    expect(read.body['status']).toBe('finished')
    const replay = await sim.app.request(`/_sim/sessions/${id}/replay`, { method: 'POST' })
    expect(await replay.json()).toMatchObject({ identical: true })
    await sim.close()
  }, 60_000)
})
