import {
  generateStory,
  projectStorageFiles,
  SCENARIO_NAMES,
  type SessionStory,
  type StorageFile,
} from '@ccai-sim/fixtures'
import type { CrmIntegrationSettings } from '@ccai-sim/schemas'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { VirtualClock } from '../clock/virtual-clock.js'
import { createCrmClient } from './crm-client.js'
import {
  crmVariablesAt,
  CrmFlowRun,
  CrmRateLimitGate,
  DEFAULT_CRM_RETRY_POLICY,
  planCrmFlow,
  retryAfterMs,
  runCrmFlow,
  type CrmExchangeRecord,
  type CrmFlowAction,
  type CrmFlowReport,
  type CrmStepReport,
} from './flow-engine.js'
import {
  createMockCrmApp,
  defaultMockCrmSettings,
  FaultController,
  MockCrmStore,
  type MockCrmDialect,
} from './mock-crm/index.js'
import type { OptionalRecordUpdateEvent } from './record-events.js'

/*
 * The flow rules against the mock CRM, in process: the client's fetch goes straight to the mock
 * CRM's Hono app; time is a manual virtual clock, so a week of retries takes no time at all.
 */

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
const BASE = 'http://crm.test/crm'

interface Harness {
  readonly clock: VirtualClock
  readonly store: MockCrmStore
  readonly faults: FaultController
  readonly exchanges: CrmExchangeRecord[]
  readonly gate: CrmRateLimitGate
  /** Plans and starts a flow for the story (`manual`: not scheduled; the test releases actions). */
  start(
    story: SessionStory,
    options?: {
      knownAccountId?: string
      manual?: boolean
      updateRecordOn?: readonly OptionalRecordUpdateEvent[]
    },
  ): CrmFlowRun
  /** Moves the clock on by `ms`, then waits for every request it set off. */
  advance(ms: number): Promise<void>
  /** Moves the clock minute by minute until `run` is done (or `limitMs` passed). */
  finish(run: CrmFlowRun, limitMs?: number): Promise<CrmFlowReport>
}

function harness(
  options: {
    settings?: (base: CrmIntegrationSettings) => CrmIntegrationSettings
    dialect?: MockCrmDialect
    start?: number
    /** The mock CRM's latency sleep; default: none. */
    sleep?: (ms: number) => Promise<void>
  } = {},
): Harness {
  const story0 = generateStory('inbound-ivr-call', { seed: 1 })
  const clock = new VirtualClock({ mode: 'manual', start: options.start ?? story0.steps[0]!.at })
  const store = new MockCrmStore({ now: () => clock.now() })
  const faults = new FaultController({ sleep: options.sleep ?? (() => Promise.resolve()) })
  const host = new Hono()
  host.route(
    '/crm',
    createMockCrmApp({ store, auth: { mode: 'none' }, faults, now: () => clock.now() }),
  )
  const fetchInProcess: typeof fetch = async (input, init) => {
    const request = new Request(input, init)
    // The client's timeout aborts the signal; an in-process app does not watch it, so race it.
    // The caller's own signal: the Request's derived one follows it only weakly (lost after a GC).
    const signal = init?.signal ?? request.signal
    const response = await new Promise<Response>((resolve, reject) => {
      signal.addEventListener('abort', () => {
        reject(signal.reason as Error)
      })
      Promise.resolve(host.fetch(request)).then(resolve, reject)
    })
    if (response.type === 'error')
      throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } })
    return response
  }
  const defaults = defaultMockCrmSettings(BASE, {
    auth: { mode: 'none' },
    ...(options.dialect ? { dialect: options.dialect } : {}),
  })
  const settings = options.settings ? options.settings(defaults) : defaults
  const client = createCrmClient({ settings, fetch: fetchInProcess, now: () => clock.now() })
  const exchanges: CrmExchangeRecord[] = []
  const busy = new Set<Promise<void>>()
  const gate = new CrmRateLimitGate()
  const settle = async (): Promise<void> => {
    for (;;) {
      const pending = [...busy]
      busy.clear()
      if (pending.length === 0) return
      await Promise.all(pending)
    }
  }
  const advance = async (ms: number): Promise<void> => {
    clock.advance(ms)
    await settle()
  }
  return {
    clock,
    store,
    faults,
    exchanges,
    gate,
    start(story, startOptions = {}) {
      const plan = planCrmFlow({
        settings,
        story,
        ...(startOptions.knownAccountId ? { knownAccountId: startOptions.knownAccountId } : {}),
        updateRecordOn: startOptions.updateRecordOn,
      })
      const run = new CrmFlowRun(plan, {
        send: (request) => client.send(request),
        clock,
        gate,
        onExchange: (record) => exchanges.push(record),
        onBusy: (quiet) => busy.add(quiet),
      })
      if (startOptions.manual !== true) run.start()
      return run
    },
    advance,
    async finish(run, limitMs = 2 * HOUR) {
      const until = clock.now() + limitMs
      while (!run.done && clock.now() < until) await advance(MINUTE)
      return run.report()
    },
  }
}

function story(scenario = 'inbound-ivr-call', seed = 1): SessionStory {
  return generateStory(scenario, { seed })
}

function stepsOf(report: CrmFlowReport, name: CrmStepReport['step']): CrmStepReport[] {
  return report.steps.filter((s) => s.step === name)
}

function bytesOf(file: StorageFile): Uint8Array {
  return typeof file.content === 'string' ? new TextEncoder().encode(file.content) : file.content
}

describe('planCrmFlow', () => {
  it('sets an answered call up at the agent connect, then comments, uploads and updates in story order', () => {
    const s = story()
    const plan = planCrmFlow({ settings: defaultMockCrmSettings(BASE), story: s })
    const connected = s.steps.find((x) => x.kind === 'connected')!
    const label = (a: CrmFlowAction): string =>
      a.kind === 'comment' || a.kind === 'update' ? `${a.kind}:${a.event}` : a.kind
    expect(plan.actions.map(label)).toEqual([
      'account',
      'record',
      'comment:session_start',
      'comment:session_end',
      'update:session_end',
      ...(s.steps.some((x) => x.kind === 'csat')
        ? ['comment:csat_rating_and_comment', 'comment:survey_questions_and_answers', 'update:csat']
        : []),
      'comment:disposition_code_and_notes',
      'upload',
      'upload',
      'update:wrap_up',
    ])
    expect(plan.actions[0]!.at).toBe(connected.at)
    // Times never go backwards, and the update comes last, with the files.
    const times = plan.actions.map((a) => a.at)
    expect([...times].sort((a, b) => a - b)).toEqual(times)
    const filesReady = s.steps.find((x) => x.kind === 'files_ready')!
    expect(plan.actions.at(-1)!.at).toBe(filesReady.at)
  })

  it('sets a chat up at its creation, before any agent: agent variables are empty then', () => {
    const s = story('web-chat-va-escalation')
    const plan = planCrmFlow({ settings: defaultMockCrmSettings(BASE), story: s })
    const account = plan.actions[0]!
    expect(account.kind).toBe('account')
    expect(account.at).toBe(s.steps[0]!.at)
    expect(account.variables.AGENT_EMAIL).toBe('')
    expect(account.variables.CALL_DURATION).toBe('')
    const update = plan.actions.at(-1)!
    expect(update.kind).toBe('update')
    expect(update.variables.AGENT_EMAIL).not.toBe('')
    expect(update.variables.CALL_DURATION).toMatch(/^\d\d:\d\d$/)
  })

  it('sets up a call no agent answered when it is abandoned, and comments on the abandonment', () => {
    const s = story('inbound-call-abandoned')
    const plan = planCrmFlow({ settings: defaultMockCrmSettings(BASE), story: s })
    const abandoned = s.steps.find((x) => x.kind === 'abandoned')!
    expect(plan.actions[0]!.at).toBe(abandoned.at)
    const end = plan.actions.find((a) => a.kind === 'comment' && a.event === 'session_end')
    expect(end?.kind === 'comment' && end.text).toMatch(/abandoned in queue/)
  })

  it('uploads only the checked kinds of files', () => {
    const s = story()
    const settings = defaultMockCrmSettings(BASE)
    const upload = settings.endpoints.upload_file!
    const plan = planCrmFlow({
      settings: {
        ...settings,
        endpoints: {
          ...settings.endpoints,
          upload_file: { ...upload, files_to_attach: ['call_recordings'] },
        },
      },
      story: s,
    })
    const uploads = plan.actions.filter((a) => a.kind === 'upload')
    expect(uploads.map((a) => (a.kind === 'upload' ? a.fileKind : ''))).toEqual(['call_recordings'])
  })

  it('plans nothing without both account endpoints, and says why', () => {
    const settings = defaultMockCrmSettings(BASE)
    const plan = planCrmFlow({
      settings: { ...settings, endpoints: { ...settings.endpoints, create_account: null } },
      story: story(),
    })
    expect(plan.actions).toEqual([])
    expect(plan.notes.join(' ')).toMatch(/Find an account by query and Create an account/)
  })

  it('leaves out values the session does not have yet', () => {
    const s = story()
    const created = s.steps[0]!.at
    expect(crmVariablesAt(s, created)).toMatchObject({
      AGENT_EMAIL: '',
      RATING: '',
      CALL_DURATION: '',
      ACCOUNT_ID: '',
      RECORD_ID: '',
    })
    expect(crmVariablesAt(s, created).PHONE_NUMBER).toBe(s.endUser.phone)
  })

  it('gives one set of values from the last step on, the same as computed at each such time', () => {
    for (const scenario of SCENARIO_NAMES) {
      const full = generateStory(scenario, { seed: 3 })
      // Every prefix of the story, as the flow sees it step by step.
      for (let n = 1; n <= full.steps.length; n++) {
        const s: SessionStory = { ...full, steps: full.steps.slice(0, n) }
        const last = s.steps.at(-1)!.at
        const shared = crmVariablesAt(s, last)
        for (const at of [last, last + 60_000, Number.MAX_SAFE_INTEGER]) {
          expect(crmVariablesAt(s, at)).toBe(shared)
          // A copy of the story has no cache: its values at `at` are computed for `at` itself.
          expect(crmVariablesAt({ ...s }, at), `${scenario} ${String(n)} ${String(at)}`).toEqual(
            shared,
          )
        }
        if (n > 1) expect(crmVariablesAt(s, last - 1)).not.toBe(shared)
      }
    }
  })
})

describe('retryAfterMs', () => {
  it('reads Retry-After as seconds or as an HTTP date on the virtual clock', () => {
    const now = Date.parse('2026-01-15T10:00:00Z')
    expect(retryAfterMs('30', now)).toBe(30_000)
    expect(retryAfterMs('Thu, 15 Jan 2026 10:02:00 GMT', now)).toBe(120_000)
    expect(retryAfterMs('soon', now)).toBeUndefined()
    expect(retryAfterMs(undefined, now)).toBeUndefined()
  })
})

describe('CrmFlowRun against the mock CRM', () => {
  it('finds or creates the account and the record, comments in order, uploads the files and updates the record', async () => {
    const h = harness()
    const s = story()
    const run = h.start(s)
    const report = await h.finish(run, 3 * HOUR)

    expect(report.state).toBe('done')
    expect(report.steps.map((x) => x.step)).toEqual([
      'find_account_by_query',
      'create_account',
      'find_record_by_query',
      'create_record',
      'comment',
      'comment',
      'update_record',
      ...(s.steps.some((x) => x.kind === 'csat') ? ['comment', 'comment', 'update_record'] : []),
      'comment',
      'upload_file',
      'comment',
      'upload_file',
      'comment',
      'update_record',
    ])
    expect(report.steps.every((x) => x.outcome === 'succeeded')).toBe(true)
    expect(stepsOf(report, 'find_account_by_query')[0]!.found).toBe(false)

    const [account, ...moreAccounts] = h.store.accounts()
    const [record, ...moreRecords] = h.store.records()
    expect(moreAccounts).toEqual([])
    expect(moreRecords).toEqual([])
    expect(account!.fields['phone']).toBe(s.endUser.phone)
    expect(record!.accountId).toBe(account!.id)
    expect(report).toMatchObject({ accountId: account!.id, recordId: record!.id })

    const bodies = h.store.commentsOf(record!.id).map((c) => c.body)
    expect(bodies[0]).toBe(`Call ${s.id} started (${s.legacyType}).`)
    expect(bodies[1]).toMatch(/^Call \d+ ended by the (agent|end user) after \d\d:\d\d\.$/)
    expect(bodies.filter((b) => b.startsWith('Disposition: '))).toHaveLength(1)
    expect(bodies.filter((b) => b.startsWith('File uploaded: '))).toHaveLength(2)

    const files = projectStorageFiles(s)
    const attachments = h.store.attachmentsOf(record!.id)
    expect(attachments.map((a) => a.filename)).toEqual(files.map((f) => f.path.split('/').at(-1)))
    for (const [i, file] of files.entries()) {
      expect(Buffer.from(attachments[i]!.bytes()).equals(Buffer.from(bytesOf(file)))).toBe(true)
      expect(attachments[i]!.contentType).toBe(file.contentType)
    }
    const links = stepsOf(report, 'upload_file').map((x) => x.link)
    expect(links).toEqual(attachments.map((a) => `${BASE}/attachments/${a.id}`))
    // The final update carries what is only known at the end.
    expect(record!.fields).toMatchObject({ hold_time: '00:00' })
    expect(h.store.getRecord(record!.id)!.fields['call_duration']).toMatch(/^\d\d:\d\d$/)
    // Every request is in the exchange log, each answered.
    expect(h.exchanges).toHaveLength(report.steps.length)
    expect(h.exchanges.every((e) => e.outcome === 'ok' || e.outcome === 'not_found')).toBe(true)
  })

  it('uploads base64 files and reads the attachment id into the builder URL (EspoCRM dialect)', async () => {
    const h = harness({ dialect: 'espocrm' })
    const s = story()
    const report = await h.finish(h.start(s), 3 * HOUR)
    expect(report.steps.every((x) => x.outcome === 'succeeded')).toBe(true)
    const files = projectStorageFiles(s)
    const attachments = h.store.attachments()
    expect(attachments).toHaveLength(files.length)
    for (const [i, file] of files.entries()) {
      expect(Buffer.from(attachments[i]!.bytes()).equals(Buffer.from(bytesOf(file)))).toBe(true)
    }
    expect(stepsOf(report, 'upload_file')[0]!.link).toBe(
      `${BASE}/espo/?entryPoint=download&id=${attachments[0]!.id}`,
    )
  })

  it('finds the account by ID when one is known, without searching or creating', async () => {
    const h = harness()
    const first = await h.finish(h.start(story()), 3 * HOUR)
    const known = first.accountId!
    h.exchanges.length = 0
    const second = await h.finish(h.start(story(), { knownAccountId: known }), 3 * HOUR)
    const account = second.steps.filter((x) => x.action === 0)
    expect(account.map((x) => [x.step, x.outcome, x.found])).toEqual([
      ['find_account_by_id', 'succeeded', true],
    ])
    expect(h.exchanges[0]!.exchange.request.url).toBe(`${BASE}/api/accounts/${known}`)
    expect(h.store.accounts()).toHaveLength(1)
  })

  it('falls back to find by query when find by ID answers 404', async () => {
    const h = harness()
    const first = await h.finish(h.start(story()), 3 * HOUR)
    const second = await h.finish(h.start(story(), { knownAccountId: '9999' }), 3 * HOUR)
    const account = second.steps.filter((x) => x.action === 0)
    expect(account.map((x) => [x.step, x.status, x.found])).toEqual([
      ['find_account_by_id', 404, false],
      ['find_account_by_query', 200, true],
    ])
    expect(second.accountId).toBe(first.accountId)
    expect(h.store.accounts()).toHaveLength(1)
  })

  it('creates the account without find by query when find by ID answers 2xx with nothing (only a 404 leads there)', async () => {
    const h = harness({
      settings: (d) => ({
        ...d,
        endpoints: {
          ...d.endpoints,
          // A search URL that names the id: an unknown id answers 200 [], not 404.
          find_account_by_id: {
            url: `${BASE}/api/accounts?id={ACCOUNT_ID}`,
            method: 'GET',
            response_data_location: '0',
          },
        },
      }),
    })
    const first = await h.finish(h.start(story()), 3 * HOUR)
    const second = await h.finish(h.start(story(), { knownAccountId: '9999' }), 3 * HOUR)
    const account = second.steps.filter((x) => x.action === 0)
    expect(account.map((x) => [x.step, x.outcome, x.found])).toEqual([
      ['find_account_by_id', 'succeeded', false],
      ['find_account_by_query', 'skipped', undefined],
      ['create_account', 'succeeded', undefined],
    ])
    expect(account[1]!.detail).toMatch(/only a 404 leads to find by query/)
    expect(second.accountId).not.toBe(first.accountId)
    expect(h.store.accounts()).toHaveLength(2)
  })

  it('keeps the known id when find by ID fails otherwise (500), and neither searches nor creates', async () => {
    const h = harness()
    h.faults.set({ route: 'find_account_by_id', kind: 'status', status: 500 })
    const report = await h.finish(h.start(story(), { knownAccountId: '42' }), 3 * HOUR)
    expect(report.steps.filter((x) => x.action === 0).map((x) => [x.step, x.outcome])).toEqual([
      ['find_account_by_id', 'failed'],
    ])
    expect(report.accountId).toBe('42')
    expect(h.store.accounts()).toEqual([])
  })

  it('goes on without an account id when skip_account_creation is set and none is found', async () => {
    const h = harness({ settings: (d) => ({ ...d, skip_account_creation: true }) })
    const report = await h.finish(h.start(story()), 3 * HOUR)
    expect(stepsOf(report, 'create_account')).toMatchObject([
      {
        outcome: 'skipped',
        attempts: 0,
        detail: expect.stringMatching(/skip_account_creation/) as unknown,
      },
    ])
    expect(report.accountId).toBeNull()
    expect(h.store.accounts()).toEqual([])
    // The record is still created, without an account.
    const [record] = h.store.records()
    expect(record?.accountId).toBeUndefined()
    expect(report.recordId).toBe(record!.id)
  })

  it('creates no record with skip_record_creation, and then skips comments, uploads and the update', async () => {
    const h = harness({ settings: (d) => ({ ...d, skip_record_creation: true }) })
    const report = await h.finish(h.start(story()), 3 * HOUR)
    expect(stepsOf(report, 'create_record')[0]!.outcome).toBe('skipped')
    expect(report.recordId).toBeNull()
    for (const name of ['comment', 'upload_file', 'update_record'] as const) {
      const steps = stepsOf(report, name)
      expect(steps.length).toBeGreaterThan(0)
      expect(steps.every((x) => x.outcome === 'skipped' && x.attempts === 0)).toBe(true)
    }
    expect(h.store.records()).toEqual([])
    expect(h.store.comments()).toEqual([])
  })

  it('re-uses the open record of the account when reuse_existing_records is on', async () => {
    const h = harness()
    const first = await h.finish(h.start(story()), 3 * HOUR)
    const second = await h.finish(h.start(story()), 3 * HOUR)
    expect(stepsOf(second, 'find_record_by_query')[0]).toMatchObject({
      outcome: 'succeeded',
      found: true,
      id: first.recordId,
    })
    expect(stepsOf(second, 'create_record')).toEqual([])
    expect(h.store.records()).toHaveLength(1)
    expect(h.store.commentsOf(first.recordId!).length).toBe(2 * stepsOf(first, 'comment').length)
  })

  it('always creates a new record when reuse_existing_records is off', async () => {
    const h = harness({ settings: (d) => ({ ...d, reuse_existing_records: false }) })
    const first = await h.finish(h.start(story()), 3 * HOUR)
    h.exchanges.length = 0
    const second = await h.finish(h.start(story()), 3 * HOUR)
    expect(stepsOf(second, 'find_record_by_query')).toMatchObject([
      {
        outcome: 'skipped',
        attempts: 0,
        detail: expect.stringMatching(/reuse_existing_records/) as unknown,
      },
    ])
    expect(h.exchanges.some((e) => e.step === 'find_record_by_query')).toBe(false)
    expect(second.recordId).not.toBe(first.recordId)
    expect(h.store.records()).toHaveLength(2)
  })

  it('treats a 2xx without the id as success with a warning: not retried, later steps run without it', async () => {
    const h = harness()
    h.faults.set({ route: 'create_record', kind: 'missing-id' })
    const report = await h.finish(h.start(story()), 3 * HOUR)
    const [create] = stepsOf(report, 'create_record')
    expect(create).toMatchObject({ outcome: 'warning', attempts: 1, status: 201 })
    expect(create!.detail).toMatch(/without an id/)
    expect(report.recordId).toBeNull()
    expect(h.exchanges.filter((e) => e.step === 'create_record')).toHaveLength(1)
    // The record exists in the CRM, but the platform cannot comment on it.
    expect(h.store.records()).toHaveLength(1)
    expect(stepsOf(report, 'comment').every((x) => x.outcome === 'skipped')).toBe(true)
    expect(stepsOf(report, 'update_record')[0]!.outcome).toBe('skipped')
    expect(report.state).toBe('done')
  })

  it('retries a 400 on the virtual clock with growing delays until the CRM accepts it', async () => {
    const h = harness()
    h.faults.set({ route: 'create_account', kind: 'status', status: 400, times: 3 })
    const s = story()
    const run = h.start(s)
    const connected = s.steps.find((x) => x.kind === 'connected')!.at
    await h.advance(connected - h.clock.now())
    const first = h.clock.now()
    expect(stepsOf(run.report(), 'create_account')[0]).toMatchObject({
      outcome: 'retrying',
      attempts: 1,
      status: 400,
      nextAttemptAt: first + MINUTE,
    })
    // Nothing is sent before the retry is due, and the record waits for the account.
    await h.advance(MINUTE - 1)
    expect(stepsOf(run.report(), 'create_account')[0]!.attempts).toBe(1)
    expect(stepsOf(run.report(), 'create_record')).toEqual([])
    await h.advance(1)
    expect(stepsOf(run.report(), 'create_account')[0]).toMatchObject({
      attempts: 2,
      nextAttemptAt: first + MINUTE + 2 * MINUTE,
    })
    await h.advance(2 * MINUTE)
    expect(stepsOf(run.report(), 'create_account')[0]).toMatchObject({
      attempts: 3,
      nextAttemptAt: first + 7 * MINUTE,
    })
    await h.advance(4 * MINUTE)
    const report = await h.finish(run, 3 * HOUR)
    expect(stepsOf(report, 'create_account')[0]).toMatchObject({
      outcome: 'succeeded',
      attempts: 4,
      status: 201,
    })
    expect(
      h.exchanges.filter((e) => e.step === 'create_account').map((e) => [e.outcome, e.at - first]),
    ).toEqual([
      ['retrying', 0],
      ['retrying', MINUTE],
      ['retrying', 3 * MINUTE],
      ['ok', 7 * MINUTE],
    ])
    expect(h.store.accounts()).toHaveLength(1)
    expect(h.store.records()).toHaveLength(1)
    expect(report.steps.filter((x) => x.outcome !== 'succeeded')).toEqual([])
  })

  it('gives a 400 up after a week of virtual time, then goes on with the next steps', async () => {
    const h = harness()
    h.faults.set({ route: 'update_record', kind: 'status', status: 400 })
    // The final update alone (no event updates), so every update request is the same step's.
    const run = h.start(story(), { updateRecordOn: [] })
    await h.finish(run, 3 * HOUR)
    const pending = stepsOf(run.report(), 'update_record')[0]!
    expect(pending.outcome).toBe('retrying')
    const firstAt = pending.startedAt!
    // To each retry's due time: the manual clock runs it there, and its answer comes back there.
    for (let step = pending; step.outcome === 'retrying';) {
      await h.advance(step.nextAttemptAt! - h.clock.now())
      step = stepsOf(run.report(), 'update_record')[0]!
    }
    await h.advance(DAY)
    const [update] = stepsOf(run.report(), 'update_record')
    expect(update!.outcome).toBe('failed')
    expect(update!.error).toMatch(/HTTP 400: gave up after \d+ attempts/)
    const times = h.exchanges.filter((e) => e.step === 'update_record').map((e) => e.at - firstAt)
    expect(times.at(-1)).toBeLessThanOrEqual(DEFAULT_CRM_RETRY_POLICY.giveUpAfterMs)
    // Delays grow (1 min, 2 min, 4 min …) and stop growing at the cap of a day.
    const delays = times.slice(1).map((t, i) => t - times[i]!)
    expect(delays.slice(0, 4)).toEqual([MINUTE, 2 * MINUTE, 4 * MINUTE, 8 * MINUTE])
    expect(Math.max(...delays)).toBe(DAY)
    expect(run.done).toBe(true)
  })

  it('retries a 500 or a connection reset once at once, never on the schedule (error-handling page)', async () => {
    const h = harness()
    h.faults.set({ route: 'comment', kind: 'status', status: 500, times: 2 })
    h.faults.set({ route: 'update_record', kind: 'connection-reset' })
    const run = h.start(story(), { updateRecordOn: [] })
    const report = await h.finish(run, 3 * HOUR)
    const [start, ...others] = stepsOf(report, 'comment')
    expect(start).toMatchObject({ outcome: 'failed', attempts: 2, status: 500, error: 'HTTP 500' })
    expect(others.every((x) => x.outcome === 'succeeded')).toBe(true)
    expect(stepsOf(report, 'update_record')[0]).toMatchObject({
      outcome: 'failed',
      attempts: 2,
      error: 'connection reset',
    })
    await h.advance(8 * DAY)
    expect(h.exchanges.filter((e) => e.step === 'update_record')).toHaveLength(2)
    expect(h.exchanges.filter((e) => e.outcome === 'failed')).toHaveLength(2)
    expect(h.exchanges.filter((e) => e.retry === 'immediate')).toHaveLength(2)
  })

  it.each([401, 404])(
    'does not retry a %i on a write: the step fails once and the flow goes on',
    async (status) => {
      const h = harness()
      h.faults.set({ route: 'comment', kind: 'status', status, times: 1 })
      const report = await h.finish(h.start(story()), 3 * HOUR)
      const [first, ...others] = stepsOf(report, 'comment')
      expect(first).toMatchObject({ outcome: 'failed', attempts: 1, status })
      expect(others.every((x) => x.outcome === 'succeeded')).toBe(true)
      await h.advance(8 * DAY)
      expect(h.exchanges.filter((e) => e.outcome === 'failed')).toHaveLength(1)
      expect(stepsOf(report, 'update_record')[0]!.outcome).toBe('succeeded')
    },
  )

  it('reads a malformed JSON answer to a create as a 2xx without the id: a warning, not retried', async () => {
    const h = harness()
    h.faults.set({ route: 'create_account', kind: 'malformed-json' })
    const report = await h.finish(h.start(story()), 3 * HOUR)
    const [create] = stepsOf(report, 'create_account')
    expect(create).toMatchObject({ outcome: 'warning', attempts: 1 })
    expect(report.accountId).toBeNull()
    expect(h.exchanges.filter((e) => e.step === 'create_account')).toHaveLength(1)
    // The account exists in the CRM; nothing is lost, the platform just does not know its id.
    expect(h.store.accounts()).toHaveLength(1)
  })

  it('queues writes while the CRM answers 429 and back-fills them later, in order, losing nothing', async () => {
    const h = harness()
    h.faults.set({
      route: 'comment',
      kind: 'status',
      status: 429,
      retryAfterSeconds: 600,
      times: 2,
    })
    const s = story()
    const run = h.start(s)
    const report = await h.finish(run, 3 * HOUR)
    expect(report.steps.every((x) => x.outcome === 'succeeded')).toBe(true)
    const [startComment] = stepsOf(report, 'comment')
    expect(startComment!.attempts).toBe(3)
    const queued = h.exchanges.filter((e) => e.outcome === 'queued')
    expect(queued).toHaveLength(2)
    // Each back-fill waited Retry-After on the virtual clock.
    const sends = h.exchanges.filter((e) => e.step === 'comment').map((e) => e.at)
    expect(sends[1]! - sends[0]!).toBeGreaterThanOrEqual(600_000)
    expect(sends[2]! - sends[1]!).toBeGreaterThanOrEqual(600_000)
    // Every comment arrived, in the order of the events.
    const bodies = h.store.commentsOf(report.recordId!).map((c) => c.body)
    expect(bodies).toHaveLength(stepsOf(report, 'comment').length)
    expect(bodies[0]).toMatch(/started/)
    expect(bodies[1]).toMatch(/ended/)
    expect(h.store.attachments()).toHaveLength(projectStorageFiles(s).length)
  })

  it('no longer says a rate-limited write is queued once it went through', async () => {
    const h = harness()
    h.faults.set({ route: 'create_record', kind: 'status', status: 429, times: 1 })
    const report = await h.finish(h.start(story()), 3 * HOUR)
    const [create] = stepsOf(report, 'create_record')
    expect(create).toMatchObject({ outcome: 'succeeded', attempts: 2 })
    expect(create!.detail).toBeUndefined()
  })

  it('holds every session behind a 429 while the CRM rate-limits (one gate for the CRM)', async () => {
    const h = harness()
    h.faults.set({
      route: 'create_account',
      kind: 'status',
      status: 429,
      retryAfterSeconds: 300,
      times: 1,
    })
    const a = story('inbound-ivr-call', 1)
    const b = story('inbound-ivr-call', 2)
    const runA = h.start(a)
    const runB = h.start(b)
    await h.finish(runA, 3 * HOUR)
    await h.finish(runB, 3 * HOUR)
    const limitedAt = h.exchanges.find((e) => e.outcome === 'queued')!.at
    const during = h.exchanges.filter((e) => e.at > limitedAt && e.at < limitedAt + 300_000)
    expect(during).toEqual([])
    expect(h.store.accounts()).toHaveLength(2)
  })

  it('fails a request the CRM does not answer within the timeout after one immediate retry', async () => {
    // The CRM never answers update requests; the client gives up after the 1 s request timeout.
    const h = harness({
      settings: (d) => ({ ...d, request_timeout: 1 }),
      sleep: () => new Promise<void>(() => undefined),
    })
    h.faults.set({ route: 'update_record', kind: 'latency' })
    const report = await h.finish(h.start(story()), 3 * HOUR)
    expect(stepsOf(report, 'update_record')[0]).toMatchObject({ outcome: 'failed', attempts: 2 })
    expect(stepsOf(report, 'update_record')[0]!.error).toMatch(/timeout/)
    expect(report.state).toBe('done')
  })

  it('creates no record after Create an account timed out ("we enforce this requirement")', async () => {
    const h = harness({
      settings: (d) => ({ ...d, request_timeout: 1 }),
      sleep: () => new Promise<void>(() => undefined),
    })
    h.faults.set({ route: 'create_account', kind: 'latency' })
    const report = await h.finish(h.start(story()), 3 * HOUR)
    expect(stepsOf(report, 'create_account')[0]).toMatchObject({ outcome: 'failed' })
    expect(stepsOf(report, 'create_record')[0]).toMatchObject({ outcome: 'skipped' })
    expect(stepsOf(report, 'create_record')[0]!.detail).toMatch(/create_account failed/)
    expect(h.store.records()).toHaveLength(0)
  })

  it('neither searches nor creates a record after Find an account by query failed (500 after its immediate retry)', async () => {
    const h = harness()
    h.faults.set({ route: 'find_account_by_query', kind: 'status', status: 500 })
    const report = await h.finish(h.start(story()), 3 * HOUR)
    expect(stepsOf(report, 'find_account_by_query')[0]).toMatchObject({
      outcome: 'failed',
      attempts: 2,
      status: 500,
    })
    expect(stepsOf(report, 'create_account')).toEqual([])
    for (const name of ['find_record_by_query', 'create_record'] as const) {
      expect(stepsOf(report, name)).toMatchObject([
        {
          outcome: 'skipped',
          attempts: 0,
          detail: expect.stringMatching(/^find_account_by_query failed: /) as unknown,
        },
      ])
    }
    expect(h.exchanges.filter((e) => e.step.includes('record'))).toEqual([])
    expect(report.recordId).toBeNull()
    expect(h.store.records()).toEqual([])
  })

  it('fails a step whose settings the builder cannot evaluate, and goes on with the next ones', async () => {
    const h = harness({
      settings: (d) => ({
        ...d,
        endpoints: {
          ...d.endpoints,
          comment: {
            ...d.endpoints.comment!,
            parameters: [{ key: 'body', value: '=UPPER({NAME})' }],
          },
        },
      }),
    })
    const report = await h.finish(h.start(story()), 3 * HOUR)
    const comments = stepsOf(report, 'comment')
    expect(comments.length).toBeGreaterThan(0)
    expect(comments.every((x) => x.outcome === 'failed' && x.attempts === 0)).toBe(true)
    expect(comments[0]!.error).toMatch(/UPPER/)
    expect(stepsOf(report, 'update_record')[0]!.outcome).toBe('succeeded')
  })

  it('can be driven action by action: releasing one releases the earlier ones, in order', async () => {
    const h = harness()
    const run = h.start(story(), { manual: true })
    await h.advance(DAY)
    expect(run.report().steps).toEqual([])
    const comment = run.plan.actions.findIndex((a) => a.kind === 'comment')
    run.release(comment)
    await run.whenQuiet()
    expect(run.report().steps.map((x) => x.step)).toEqual([
      'find_account_by_query',
      'create_account',
      'find_record_by_query',
      'create_record',
      'comment',
    ])
    expect(
      run
        .report()
        .actions.map((a) => a.state)
        .slice(0, comment + 2),
    ).toEqual([...Array<string>(comment + 1).fill('done'), 'planned'])
    run.release(run.plan.actions.length - 1)
    await run.whenQuiet()
    expect(run.done).toBe(true)
    expect(run.report().state).toBe('done')
  })

  it('posts comments as HTML when Convert text to HTML is checked', async () => {
    const h = harness({
      settings: (d) => ({
        ...d,
        endpoints: {
          ...d.endpoints,
          comment: { ...d.endpoints.comment!, convert_text_to_html: true },
        },
      }),
    })
    const report = await h.finish(h.start(story()), 3 * HOUR)
    const bodies = h.store.commentsOf(report.recordId!).map((c) => c.body)
    expect(bodies.every((b) => b.startsWith('<p>') && b.endsWith('</p>'))).toBe(true)
    const upload = bodies.find((b) => b.startsWith('<p>File uploaded: '))
    expect(upload).toMatch(/<a href="http:\/\/crm\.test\/crm\/attachments\/\d+">/)
  })
})

describe('runCrmFlow', () => {
  it('runs a plan to the end on its own clock, retries included, without waiting', async () => {
    const h = harness()
    h.faults.set({ route: 'create_record', kind: 'status', status: 400, times: 2 })
    const settings = defaultMockCrmSettings(BASE, { auth: { mode: 'none' } })
    const client = createCrmClient({
      settings,
      fetch: async (input, init) => {
        // Through the harness's mock CRM: its fetch is the one the harness built.
        const host = new Hono()
        host.route(
          '/crm',
          createMockCrmApp({
            store: h.store,
            auth: { mode: 'none' },
            faults: h.faults,
            now: () => 0,
          }),
        )
        return host.fetch(new Request(input, init))
      },
      now: () => 0,
    })
    const report = await runCrmFlow(planCrmFlow({ settings, story: story() }), {
      send: (request) => client.send(request),
    })
    expect(report.state).toBe('done')
    expect(stepsOf(report, 'create_record')[0]).toMatchObject({ outcome: 'succeeded', attempts: 3 })
    expect(report.steps.every((x) => x.outcome === 'succeeded')).toBe(true)
    expect(h.store.records()).toHaveLength(1)
  })
})
