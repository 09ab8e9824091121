import { generateStory } from '@ccai-sim/fixtures'
import { afterEach, describe, expect, it } from 'vitest'
import { startScriptedCrm, type ScriptedCrm } from '../../test/support/scripted-crm.js'
import { createSimulatorApp } from '../app.js'
import { parseConfig } from '../config.js'
import { createCrmClient } from './crm-client.js'
import {
  DEFAULT_CRM_RETRY_POLICY,
  planCrmFlow,
  runCrmFlow,
  type CrmExchangeRecord,
  type CrmFlowReport,
  type CrmRetryPolicy,
} from './flow-engine.js'
import type { JournalEntry } from '../runtime/journal.js'

/*
 * The error-handling page's "once, immediately, for some statuses" and for no response, each
 * branch against an in-test CRM on a real port that answers what the test scripts.
 */

const crms: ScriptedCrm[] = []
afterEach(async () => {
  for (const crm of crms.splice(0)) await crm.close()
})

async function crm(): Promise<ScriptedCrm> {
  const started = await startScriptedCrm()
  crms.push(started)
  return started
}

async function run(
  target: ScriptedCrm,
  retry: CrmRetryPolicy = DEFAULT_CRM_RETRY_POLICY,
  timeoutSeconds: 1 | 2 = 2,
): Promise<{ report: CrmFlowReport; exchanges: CrmExchangeRecord[] }> {
  const settings = target.settings(timeoutSeconds)
  const client = createCrmClient({ settings, fetch, now: () => 0 })
  const exchanges: CrmExchangeRecord[] = []
  const plan = planCrmFlow({ settings, story: generateStory('inbound-ivr-call', { seed: 1 }) })
  const report = await runCrmFlow(plan, {
    send: (request) => client.send(request),
    retry,
    onExchange: (record) => exchanges.push(record),
  })
  return { report, exchanges }
}

function step(report: CrmFlowReport, name: string) {
  return report.steps.find((s) => s.step === name)
}

function attempts(exchanges: readonly CrmExchangeRecord[], name: string) {
  return exchanges
    .filter((e) => e.step === name)
    .map((e) => ({
      attempt: e.attempt,
      status: e.exchange.response?.status ?? e.exchange.error,
      outcome: e.outcome,
      retry: e.retry,
      at: e.at,
    }))
}

describe('the immediate single retry', () => {
  it('sends a request that got HTTP 503 once more at the same instant, and goes on when it succeeds', async () => {
    const target = await crm()
    target.script('create_record', { status: 503 })
    const { report, exchanges } = await run(target)
    const tries = attempts(exchanges, 'create_record')
    expect(tries).toEqual([
      { attempt: 1, status: 503, outcome: 'retrying', retry: 'immediate', at: tries[0]!.at },
      { attempt: 2, status: 201, outcome: 'ok', retry: undefined, at: tries[0]!.at },
    ])
    expect(exchanges.find((e) => e.step === 'create_record')?.nextAttemptAt).toBe(tries[0]!.at)
    expect(step(report, 'create_record')).toMatchObject({
      outcome: 'succeeded',
      attempts: 2,
      id: 'rec-1',
    })
    // The record exists, so everything after it runs.
    expect(step(report, 'update_record')?.outcome).toBe('succeeded')
  })

  it('gives up after the one immediate retry when the CRM answers 500 again', async () => {
    const target = await crm()
    target.script('create_account', { status: 500 }, { status: 500 })
    const { report, exchanges } = await run(target)
    expect(attempts(exchanges, 'create_account').map((t) => [t.status, t.outcome])).toEqual([
      [500, 'retrying'],
      [500, 'failed'],
    ])
    expect(step(report, 'create_account')).toMatchObject({
      outcome: 'failed',
      attempts: 2,
      error: 'HTTP 500',
    })
    // Records are attached to accounts: none is created.
    expect(target.calls.filter((c) => c.endpoint === 'create_record')).toEqual([])
  })

  it('retries a dropped connection once at once, and fails the step when the second one drops too', async () => {
    const once = await crm()
    once.script('comment', { reset: true })
    const first = await run(once)
    expect(attempts(first.exchanges, 'comment').slice(0, 2)).toEqual([
      expect.objectContaining({ attempt: 1, status: 'connection reset', outcome: 'retrying' }),
      expect.objectContaining({ attempt: 2, status: 201, outcome: 'ok' }),
    ])

    const twice = await crm()
    twice.script('comment', { reset: true }, { reset: true })
    const second = await run(twice)
    const comment = second.report.steps.find((s) => s.step === 'comment')
    expect(comment).toMatchObject({ outcome: 'failed', attempts: 2, error: 'connection reset' })
    // Only the first comment's step suffered: the later ones went through.
    expect(second.report.steps.filter((s) => s.step === 'comment').slice(1)).not.toContainEqual(
      expect.objectContaining({ outcome: 'failed' }),
    )
  })

  it('retries a request the CRM never answers once, after the request timeout', async () => {
    const target = await crm()
    target.script('update_record', { hang: true }, { hang: true })
    const { report, exchanges } = await run(target, DEFAULT_CRM_RETRY_POLICY, 1)
    expect(
      attempts(exchanges, 'update_record')
        .slice(0, 2)
        .map((t) => [t.status, t.outcome]),
    ).toEqual([
      ['timeout after 1000ms', 'retrying'],
      ['timeout after 1000ms', 'failed'],
    ])
    expect(step(report, 'update_record')).toMatchObject({ outcome: 'failed', attempts: 2 })
  })

  it('does not retry at once what the request itself got wrong (409), nor a find’s 404', async () => {
    const target = await crm()
    target.script('create_account', { status: 409, body: { error: 'duplicate' } })
    target.script('find_account_by_query', { status: 404 })
    const { report, exchanges } = await run(target)
    expect(attempts(exchanges, 'find_account_by_query').map((t) => t.outcome)).toEqual([
      'not_found',
    ])
    expect(attempts(exchanges, 'create_account').map((t) => [t.status, t.outcome])).toEqual([
      [409, 'failed'],
    ])
    expect(step(report, 'create_account')).toMatchObject({ outcome: 'failed', attempts: 1 })
  })

  it('lets 400 keep its documented schedule, and the 429 rule take over after an immediate retry', async () => {
    const target = await crm()
    target.script('create_record', { status: 400 })
    target.script('comment', { status: 502 }, { status: 429, headers: { 'retry-after': '30' } })
    const { report, exchanges } = await run(target)
    const record = attempts(exchanges, 'create_record')
    expect(record.map((t) => [t.status, t.outcome, t.retry])).toEqual([
      [400, 'retrying', 'scheduled'],
      [201, 'ok', undefined],
    ])
    expect(record[1]!.at - record[0]!.at).toBe(DEFAULT_CRM_RETRY_POLICY.initialDelayMs)
    const comment = attempts(exchanges, 'comment').slice(0, 3)
    expect(comment.map((t) => [t.status, t.outcome, t.retry])).toEqual([
      [502, 'retrying', 'immediate'],
      [429, 'queued', undefined],
      [201, 'ok', undefined],
    ])
    expect(comment[2]!.at - comment[1]!.at).toBe(30_000)
    expect(step(report, 'comment')).toMatchObject({ outcome: 'succeeded', attempts: 3 })
  })

  it('follows the configured statuses: none retried at once when turned off, 409 when listed', async () => {
    const off = await crm()
    off.script('create_record', { status: 503 })
    off.script('comment', { reset: true })
    const noRetry = await run(off, {
      ...DEFAULT_CRM_RETRY_POLICY,
      immediate: { statuses: [], noResponse: false },
    })
    expect(step(noRetry.report, 'create_record')).toMatchObject({ outcome: 'failed', attempts: 1 })

    const listed = await crm()
    listed.script('create_account', { status: 409 })
    const retried = await run(listed, {
      ...DEFAULT_CRM_RETRY_POLICY,
      immediate: { statuses: [409], noResponse: false },
    })
    expect(step(retried.report, 'create_account')).toMatchObject({
      outcome: 'succeeded',
      attempts: 2,
    })
  })
})

describe('crm.retry.immediate in the configuration', () => {
  it('defaults to no response and 408, 500, 502, 503, 504, and refuses 429', () => {
    expect(parseConfig({}).crm.retry.immediate).toEqual({
      statuses: [408, 500, 502, 503, 504],
      noResponse: true,
    })
    expect(() => parseConfig({ crm: { retry: { immediate: { statuses: [429] } } } })).toThrow(
      /crm\.retry\.immediate\.statuses.*429/s,
    )
  })

  it('journals each attempt of the simulator’s sessions, the immediate retry included', async () => {
    const target = await crm()
    target.script('create_record', { status: 503 })
    const sim = createSimulatorApp({
      config: {
        clock: { mode: 'manual', start: '2026-01-15T14:00:00.000Z' },
        email: { enabled: false },
        crm: { settings: target.settings() },
      },
    })
    sim.runtime.startSession({ scenario: 'inbound-ivr-call' })
    await sim.runtime.advance(60 * 60_000)
    const entries = sim.runtime.journal
      .read({ type: 'crm-exchange', limit: 1_000 })
      .entries.filter(
        (e): e is Extract<JournalEntry, { type: 'crm-exchange' }> =>
          e.type === 'crm-exchange' && e.step === 'create_record',
      )
    expect(entries.map((e) => [e.attempt, e.status, e.outcome, e.retry])).toEqual([
      [1, 503, 'retrying', 'immediate'],
      [2, 201, 'ok', undefined],
    ])
    expect(entries[0]!.at).toBe(entries[1]!.at)
    await sim.close()
  })
})
