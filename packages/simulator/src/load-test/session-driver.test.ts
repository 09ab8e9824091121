import { generateStory, projectSession } from '@ccai-sim/fixtures'
import { describe, expect, it } from 'vitest'
import { dryRunSend } from '../cli/crm-command.js'
import { DEFAULT_CRM_RETRY_POLICY, planCrmFlow, runCrmFlow } from '../crm/flow-engine.js'
import { defaultMockCrmSettings } from '../crm/mock-crm/default-settings.js'
import type { CrmEndpointName, CrmHttpRequest } from '../crm/types.js'
import {
  CrmSessionDriver,
  WebhookSessionDriver,
  type LoadAnswer,
  type LoadCall,
} from './session-driver.js'

const settings = defaultMockCrmSettings('http://crm.test/crm', {
  auth: { mode: 'api-key', header: 'X-Api-Key', value: 'secret' },
})

/** What the dry-run CLI answers (a CRM that finds nothing and creates 1001/2001/3001). */
async function dryAnswer(call: LoadCall): Promise<LoadAnswer> {
  const request: CrmHttpRequest = {
    endpoint: call.name as CrmEndpointName,
    method: 'GET',
    url: call.url,
    headers: call.headers,
    timeoutMs: call.timeoutMs,
  }
  const response = (await dryRunSend(settings)(request)).response
  return {
    status: response?.status ?? 0,
    headers: response?.headers ?? {},
    body: response?.bodyText ?? '',
  }
}

function noWait(log: number[] = []): (ms: number) => Promise<void> {
  return (ms) => {
    log.push(ms)
    return Promise.resolve()
  }
}

describe('CrmSessionDriver', () => {
  it.each(['inbound-ivr-call', 'web-chat-va-escalation', 'inbound-call-abandoned'])(
    'asks the load engine for the flow engine’s requests of a %s session, in order, with auth headers',
    async (scenario) => {
      const story = generateStory(scenario, { seed: 4 })
      const expected: string[] = []
      await runCrmFlow(planCrmFlow({ settings, story }), {
        send: dryRunSend(settings),
        onExchange: (r) =>
          expected.push(`${r.exchange.request.method} ${r.step} ${r.exchange.request.url}`),
      })
      const driver = new CrmSessionDriver({
        settings,
        story,
        retry: DEFAULT_CRM_RETRY_POLICY,
        timeScale: 'max',
        sleep: noWait(),
      })
      const sent: string[] = []
      for (let call = await driver.next(); call; call = await driver.next()) {
        expect(call.headers['x-api-key']).toBe('secret')
        expect(call.timeoutMs).toBe(5000)
        sent.push(`${call.method} ${call.name} ${call.url}`)
        driver.answer(await dryAnswer(call))
      }
      expect(expected.length).toBeGreaterThan(3)
      expect(sent).toEqual(expected)
      expect(driver.report().steps.every((s) => s.outcome === 'succeeded')).toBe(true)
    },
  )

  it('waits the virtual gaps between steps divided by the time scale', async () => {
    const story = generateStory('inbound-ivr-call', { seed: 2 })
    const waits: number[] = []
    const driver = new CrmSessionDriver({
      settings,
      story,
      retry: DEFAULT_CRM_RETRY_POLICY,
      timeScale: 60,
      sleep: noWait(waits),
    })
    const times: number[] = []
    for (let call = await driver.next(); call; call = await driver.next()) {
      times.push(driver.now())
      driver.answer(await dryAnswer(call))
    }
    const span = (times.at(-1) ?? 0) - (times[0] ?? 0)
    expect(span).toBeGreaterThan(60_000)
    // Every real wait is a virtual gap / 60; together they cover the session's span.
    expect(waits.reduce((a, b) => a + b, 0)).toBeCloseTo(span / 60, 3)
  })

  it('retries a 400 on the documented schedule and sends a 429 again after Retry-After', async () => {
    const story = generateStory('inbound-ivr-call', { seed: 2 })
    const waits: number[] = []
    const driver = new CrmSessionDriver({
      settings,
      story,
      retry: DEFAULT_CRM_RETRY_POLICY,
      timeScale: 1,
      sleep: noWait(waits),
    })
    const first = await driver.next()
    expect(first?.name).toBe('find_account_by_query')
    waits.length = 0
    driver.answer({ status: 400, headers: {}, body: '{}' })
    const retried = await driver.next()
    expect(retried?.name).toBe('find_account_by_query')
    expect(waits).toEqual([60_000])
    driver.answer({ status: 429, headers: { 'retry-after': '7' }, body: '' })
    const again = await driver.next()
    expect(again?.url).toBe(first?.url)
    expect(waits).toEqual([60_000, 7_000])
    driver.answer({ status: 200, headers: { 'content-type': 'application/json' }, body: '[]' })
    expect((await driver.next())?.name).toBe('create_account')
  })

  it('ends the session when a call gets no answer', async () => {
    const driver = new CrmSessionDriver({
      settings,
      story: generateStory('outbound-call', { seed: 3 }),
      retry: DEFAULT_CRM_RETRY_POLICY,
      timeScale: 'max',
      sleep: noWait(),
    })
    expect(await driver.next()).toBeDefined()
    driver.fail(new Error('ETIMEDOUT'))
    expect(await driver.next()).toBeUndefined()
  })

  it('refuses an answer when no call is waiting', () => {
    const driver = new CrmSessionDriver({
      settings,
      story: generateStory('outbound-call', { seed: 3 }),
      retry: DEFAULT_CRM_RETRY_POLICY,
      timeScale: 'max',
    })
    expect(() => {
      driver.answer({ status: 200, headers: {}, body: '' })
    }).toThrow(/no call is waiting/)
  })
})

describe('WebhookSessionDriver', () => {
  const story = generateStory('call-hold-warm-transfer', { seed: 5 })
  const retry = { initialDelayMs: 500, maxDelayMs: 30_000, giveUpAfterMs: 3_600_000 }

  it('posts the session’s QM and adapter emissions in order with the dispatcher’s headers', async () => {
    const driver = new WebhookSessionDriver({
      story,
      url: 'http://hooks.test/in',
      headers: { 'X-Key': 'k' },
      surfaces: ['qm', 'adapter'],
      retry,
      timeoutMs: 5000,
      timeScale: 'max',
      sleep: noWait(),
    })
    const expected = projectSession(story).emissions.filter((e) =>
      ['qm', 'adapter', 'vta'].includes(e.surface),
    )
    const keys: string[] = []
    for (let call = await driver.next(); call; call = await driver.next()) {
      expect(call.headers['x-key']).toBe('k')
      expect(call.headers['content-type']).toBe('application/json')
      keys.push(call.headers['idempotency-key'] ?? '')
      driver.answer({ status: 202, headers: {}, body: '' })
    }
    expect(keys).toEqual(expected.map((e) => e.key))
    expect(keys.some((k) => k.includes(':qm:'))).toBe(true)
    expect(driver.stats).toEqual({ delivered: expected.length, retried: 0, gaveUp: 0 })
  })

  it('retries a refused delivery with doubling backoff and gives up at the deadline', async () => {
    const waits: number[] = []
    const driver = new WebhookSessionDriver({
      story,
      url: 'http://hooks.test/in',
      headers: {},
      surfaces: ['qm'],
      retry: { initialDelayMs: 500, maxDelayMs: 1_000, giveUpAfterMs: 2_000 },
      timeoutMs: 5000,
      timeScale: 1,
      sleep: noWait(waits),
    })
    const first = await driver.next()
    waits.length = 0
    const keys = [first?.headers['idempotency-key']]
    for (let i = 0; i < 3; i += 1) {
      driver.answer({ status: 503, headers: {}, body: '' })
      keys.push((await driver.next())?.headers['idempotency-key'])
    }
    // Retried after 500 and 1000 ms; a third retry (1000, capped) would land past the 2 s
    // deadline: given up, and the session's next emission comes.
    expect(waits.slice(0, 2)).toEqual([500, 1000])
    expect(keys.slice(0, 3).every((k) => k === keys[0])).toBe(true)
    expect(keys[3]).not.toBe(keys[0])
    expect(driver.stats).toMatchObject({ retried: 2, gaveUp: 1 })
  })
})
