import { describe, expect, it } from 'vitest'
import { createSimulatorApp, INTERNAL_URL, type SimulatorApp } from '../app.js'
import { parseConfig, type SimulatorConfigInput } from '../config.js'
import type { JournalEntry } from '../runtime/journal.js'

/*
 * The generic API wired into the pure simulator app (no port): the default settings point at the
 * app's own /crm under INTERNAL_URL, whose requests the client hands straight to the app.
 */

const MINUTE = 60_000
type Json = Record<string, unknown>

function app(config: SimulatorConfigInput = {}): SimulatorApp {
  return createSimulatorApp({
    config: {
      clock: { mode: 'manual', start: '2026-01-15T14:00:00.000Z' },
      email: { enabled: false },
      ...config,
    },
    // Any request leaving the process would be a bug here.
    fetch: () => Promise.reject(new Error('no network in this test')),
  })
}

async function send(sim: SimulatorApp, what: string, body?: unknown): Promise<Response> {
  const [method = 'GET', path = '/'] = what.split(' ')
  return sim.app.request(path, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  })
}

async function advance(sim: SimulatorApp, minutes: number): Promise<void> {
  for (let i = 0; i < minutes; i += 1) {
    await sim.runtime.advance(MINUTE)
    await sim.runtime.settle()
  }
}

function crmEntries(sim: SimulatorApp): Extract<JournalEntry, { type: 'crm-exchange' }>[] {
  return sim.runtime.journal
    .read({ type: 'crm-exchange', limit: 10_000 })
    .entries.filter((e) => e.type === 'crm-exchange')
}

describe('the generic API in the pure app', () => {
  it('points the default settings at its own /crm and runs a session flow without any network', async () => {
    const sim = app()
    expect(sim.crm.settings().endpoints.create_account?.url).toBe(
      `${INTERNAL_URL}/crm/api/accounts`,
    )
    expect(sim.crm.settings().authentication).toEqual({
      method: 'custom_header',
      fields: [{ field_key: 'X-Api-Key', field_value: 'ccai-sim-mock-crm-key' }],
    })
    const session = sim.runtime.startSession({ scenario: 'web-chat-va-escalation' })
    await advance(sim, 40)
    const response = await send(sim, `GET /_sim/sessions/${session.id}/crm`)
    expect(response.status).toBe(200)
    const report = (await response.json()) as {
      state: string
      steps: { outcome: string; startedAt: string }[]
      actions: { at: string }[]
    }
    expect(report.state).toBe('done')
    expect(report.steps.every((s) => s.outcome === 'succeeded')).toBe(true)
    expect(report.actions[0]!.at).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/)
    const state = (await (await send(sim, 'GET /_sim/crm/state')).json()) as {
      records: Json[]
      comments: Json[]
      attachments: Json[]
    }
    expect(state.records).toHaveLength(1)
    // A chat's transcript and metadata file.
    expect(state.attachments).toHaveLength(2)
    await sim.close()
  })

  it('journals every exchange with masked auth and the file bodies cut short', async () => {
    const sim = app()
    sim.runtime.startSession({ scenario: 'inbound-ivr-call' })
    await advance(sim, 40)
    const entries = crmEntries(sim)
    expect(entries.length).toBeGreaterThan(8)
    expect(entries.every((e) => e.requestHeaders['X-Api-Key'] === '***')).toBe(true)
    const upload = entries.find((e) => e.step === 'upload_file' && e.url.endsWith('/attachments'))
    expect(upload).toMatchObject({ method: 'POST', status: 201, outcome: 'ok' })
    expect(upload?.requestBody).toMatch(/^file=@call-\d+\.json \(application\/json, \d+ bytes\)$/)
    expect(entries.every((e) => (e.responseBody ?? '').length <= 2_100)).toBe(true)
  })

  it('answers 404 for an unknown session, and not_found when the CRM flow is off', async () => {
    const sim = app()
    const unknown = await send(sim, 'GET /_sim/sessions/12345/crm')
    expect(unknown.status).toBe(404)
    expect(((await unknown.json()) as Json)['type']).toBe('unknown_session')

    const off = app({ crm: { enabled: false } })
    const session = off.runtime.startSession({ scenario: 'inbound-ivr-call' })
    await advance(off, 40)
    expect(crmEntries(off)).toEqual([])
    const response = await send(off, `GET /_sim/sessions/${session.id}/crm`)
    expect(response.status).toBe(404)
    expect(((await response.json()) as Json)['detail']).toMatch(/crm\.enabled is false/)
  })

  it('sets mock CRM faults through /_sim/crm and back-fills a rate-limited write', async () => {
    const sim = app()
    const rule = await send(sim, 'POST /_sim/crm/faults', {
      route: 'create_record',
      kind: 'status',
      status: 429,
      retryAfterSeconds: 120,
      times: 1,
    })
    expect(rule.status).toBe(201)
    const session = sim.runtime.startSession({ scenario: 'inbound-ivr-call' })
    await advance(sim, 40)
    const report = sim.crm.report(session.id)!
    expect(report.steps.find((s) => s.step === 'create_record')).toMatchObject({
      outcome: 'succeeded',
      attempts: 2,
    })
    expect(crmEntries(sim).filter((e) => e.outcome === 'queued')).toHaveLength(1)
    expect(sim.crm.store.records()).toHaveLength(1)
  })

  it('stops every flow on reset', async () => {
    const sim = app()
    sim.runtime.startSession({ scenario: 'inbound-ivr-call' })
    await advance(sim, 2)
    const before = crmEntries(sim).length
    expect(before).toBeGreaterThan(0)
    await sim.runtime.reset()
    await advance(sim, 40)
    expect(crmEntries(sim)).toEqual([])
    expect(sim.runtime.listSessions()).toEqual([])
  })

  it('rejects a retry policy that lists 429 (the rate limit has its own setting)', () => {
    expect(() => parseConfig({ crm: { retry: { statuses: [400, 429] } } })).toThrow(/rateLimited/)
    expect(parseConfig({}).crm.retry).toMatchObject({
      statuses: [400],
      initialDelayMs: MINUTE,
      giveUpAfterMs: 7 * 24 * 60 * MINUTE,
      rateLimited: { giveUpAfterMs: null },
    })
  })
})

describe('a simulator reset', () => {
  it('empties the mock CRM with the sessions, so a replay starts from a clean CRM', async () => {
    const sim = app()
    sim.runtime.startSession({ scenario: 'web-chat-va-escalation', seed: 3 })
    await advance(sim, 40)
    expect(sim.crm.store.accounts().length).toBeGreaterThan(0)
    expect((await send(sim, 'POST /_sim/reset')).status).toBe(204)
    expect(sim.crm.store.accounts()).toEqual([])
    expect(sim.crm.store.records()).toEqual([])
    sim.runtime.startSession({ scenario: 'web-chat-va-escalation', seed: 3 })
    await advance(sim, 40)
    expect(sim.crm.store.accounts()).toHaveLength(1)
  })
})
