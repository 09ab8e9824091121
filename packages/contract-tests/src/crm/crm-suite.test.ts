import type { CrmIntegrationSettings } from '@ccai-sim/schemas'
import {
  createMockCrmApp,
  defaultMockCrmSettings,
  MockCrmStore,
  type MockCrmAuth,
} from '@ccai-sim/simulator'
import { afterEach, describe, expect, it } from 'vitest'
import type { SuiteResult } from '../core/types.js'
import { ContractTestsError } from '../errors.js'
import { API_KEY_AUTH, BASIC_AUTH } from './broken-crms.js'
import { createCrmSuiteContext, CRM_SUITE, rebaseSettings, runCrmSuite } from './crm-suite.js'
import { startLocalCrm, type LocalCrm, type StartLocalCrmOptions } from './local-crm.js'

const running: LocalCrm[] = []

afterEach(async () => {
  await Promise.all(running.splice(0).map(async (crm) => crm.close()))
})

async function start(options: StartLocalCrmOptions): Promise<LocalCrm> {
  const crm = await startLocalCrm(options)
  running.push(crm)
  return crm
}

function statuses(result: SuiteResult): Record<string, string> {
  return Object.fromEntries(result.clauses.map((c) => [c.id, c.status]))
}

function without(
  settings: CrmIntegrationSettings,
  ...names: (keyof CrmIntegrationSettings['endpoints'])[]
): CrmIntegrationSettings {
  const endpoints = { ...settings.endpoints }
  for (const name of names) endpoints[name] = null
  return { ...settings, endpoints }
}

describe('CRM_SUITE', () => {
  it('numbers its clauses CRM-001 to CRM-014, each with a title and a rationale citing its rule; CRM-014 is a warning', () => {
    expect(CRM_SUITE.clauses.map((c) => c.id)).toEqual(
      Array.from({ length: 14 }, (_, i) => `CRM-${String(i + 1).padStart(3, '0')}`),
    )
    expect(CRM_SUITE.clauses.filter((c) => c.severity === 'warning').map((c) => c.id)).toEqual([
      'CRM-014',
    ])
    for (const clause of CRM_SUITE.clauses) {
      expect(clause.title).not.toMatch(/\n/)
      expect(clause.rationale).toMatch(/seed 000|reference §5/i)
    }
  })
})

describe('runCrmSuite', () => {
  it('skips, with a reason, the areas the settings do not configure', async () => {
    const crm = await start({ auth: BASIC_AUTH })
    const settings = {
      ...without(crm.settings, 'find_account_by_id', 'comment', 'upload_file'),
      reuse_existing_records: false,
    }
    const result = await runCrmSuite({ settings, seed: 11 })
    const skipped = result.clauses.filter((c) => c.status === 'skipped')
    expect(Object.fromEntries(skipped.map((c) => [c.id, c.skipReason]))).toEqual({
      'CRM-004': 'Find an account by ID is not configured (or its URL has no {ACCOUNT_ID})',
      'CRM-005': 'Find an account by ID is not configured (or its URL has no {ACCOUNT_ID})',
      'CRM-007': 're-use existing records is off, so the platform never looks records up',
      'CRM-008': 'the Comment endpoint is not configured',
      'CRM-010': 'Upload a file is not configured',
    })
    expect(result.summary).toEqual({
      passed: 9,
      failed: 0,
      skipped: 5,
      blocked: 0,
      warnings: 0,
      total: 14,
    })
  })

  it('skips every clause when the settings configure no account lookup', async () => {
    const crm = await start({ auth: BASIC_AUTH })
    const result = await runCrmSuite({
      settings: without(crm.settings, 'create_account'),
      seed: 11,
    })
    expect(result.summary.skipped).toBe(14)
    expect(result.clauses[0]?.skipReason).toMatch(/^the settings do not configure account lookup/)
    expect(crm.store.accounts()).toEqual([])
  })

  it('skips uploads when no files to attach are checked', async () => {
    const crm = await start({ auth: BASIC_AUTH })
    const upload = crm.settings.endpoints.upload_file
    if (upload == null) throw new Error('the default settings configure uploads')
    const settings = {
      ...crm.settings,
      endpoints: { ...crm.settings.endpoints, upload_file: { ...upload, files_to_attach: [] } },
    }
    const result = await runCrmSuite({ settings, seed: 11, only: ['CRM-010'] })
    expect(result.clauses[0]?.skipReason).toBe(
      'Upload a file has no files to attach checked, so the platform uploads nothing',
    )
  })

  it('runs only the clauses asked for, each arranging its own data', async () => {
    const crm = await start({ dialect: 'espocrm', auth: API_KEY_AUTH })
    const result = await runCrmSuite({
      settings: crm.settings,
      seed: 5,
      only: ['CRM-013', 'CRM-007', 'CRM-012'],
    })
    expect(statuses(result)).toEqual({
      'CRM-007': 'passed',
      'CRM-012': 'passed',
      'CRM-013': 'passed',
    })
  })

  it('drives a CRM on another host than the settings name when given baseUrl', async () => {
    const crm = await start({ auth: BASIC_AUTH })
    const production = defaultMockCrmSettings('https://crm.northwind-support.com', {
      auth: BASIC_AUTH,
    })
    const result = await runCrmSuite({ settings: production, baseUrl: crm.url, seed: 3 })
    expect(result.summary).toMatchObject({ passed: 14, failed: 0, warnings: 0 })
    expect(result.target).toBe(crm.url)
    expect(result.clauses[0]?.exchanges[0]?.request.url).toMatch(`${crm.url}/api/accounts?`)
  })

  it('sends through an injected fetch, in process', async () => {
    const store = new MockCrmStore({ now: () => Date.now() })
    const app = createMockCrmApp({ store, auth: BASIC_AUTH, now: () => Date.now() })
    const settings = defaultMockCrmSettings('http://crm.internal', { auth: BASIC_AUTH })
    const inProcess: typeof fetch = async (input, init) => app.fetch(new Request(input, init))
    const result = await runCrmSuite({ settings, fetch: inProcess, seed: 9 })
    expect(result.summary).toMatchObject({ passed: 14, failed: 0, warnings: 0 })
    expect(store.accounts().length).toBeGreaterThan(5)
  })

  it.each([
    ['basic', BASIC_AUTH, ['Vq7#rTz2!mLp9xWd', 'Y2NhaS1pbnRlZ3JhdGlvbjpWcTcjclR6MiFtTHA5eFdk']],
    ['api-key', API_KEY_AUTH, ['5f2d8c1a9e7b4036d1c8a2f9b0e6d4c7']],
    [
      'oauth2',
      {
        mode: 'oauth2',
        clientId: 'ccai-7f3e',
        clientSecret: 'Jd8s!2kQz#4vNw6p',
        tokenTtlSeconds: 60,
      },
      ['Jd8s!2kQz#4vNw6p', 'mcat_'],
    ],
  ] as const)(
    'never shows %s secrets in the report',
    async (_mode, auth: MockCrmAuth, secrets: readonly string[]) => {
      const crm = await start({ auth })
      const result = await runCrmSuite({ settings: crm.settings, seed: 4 })
      expect(result.summary.failed).toBe(0)
      const report = JSON.stringify(result)
      for (const secret of secrets) expect(report).not.toContain(secret)
      expect(report).toContain('***')
    },
  )

  it('passes no clause against a CRM that cannot be reached: the timing and format clauses fail too', async () => {
    const crm = await start({ auth: BASIC_AUTH })
    const { settings } = crm
    await crm.close()
    const result = await runCrmSuite({ settings, seed: 1 })
    expect(result.summary.passed).toBe(0)
    expect(result.clauses[0]?.failure?.actual).toBe('no answer: connection refused')
    expect(result.clauses[0]?.exchanges[0]?.error).toBe('connection refused')
    const byId = Object.fromEntries(result.clauses.map((c) => [c.id, c]))
    expect(byId['CRM-012']?.status).toBe('failed')
    expect(byId['CRM-012']?.failure?.actual).toMatch(/no answer: connection refused/)
    expect(byId['CRM-013']?.status).toBe('failed')
    expect(byId['CRM-013']?.failure?.actual).toMatch(/no answer: connection refused/)
    expect(byId['CRM-011']?.status).toBe('failed')
    // One cause for the clauses built on a created account: CRM-002, named once.
    expect(byId['CRM-004']).toMatchObject({ status: 'blocked', blockedBy: 'CRM-002' })
  })

  it('passes again when rerun with the same seed against a CRM that keeps its data', async () => {
    const crm = await start({ auth: BASIC_AUTH })
    const settings = crm.settings
    const first = await runCrmSuite({ settings, seed: 77 })
    const again = await runCrmSuite({ settings, seed: 77 })
    expect(first.summary).toMatchObject({ failed: 0, blocked: 0, warnings: 0 })
    expect(again.summary).toMatchObject({ failed: 0, blocked: 0, warnings: 0 })
    // The second run found the first run's CRM-003 person and took the next one.
    const searched = again.clauses.find((c) => c.id === 'CRM-003')?.exchanges ?? []
    expect(searched.length).toBeGreaterThan(3)
  })

  it('lists every object the run created, and deletes what the settings make deletable with cleanup', async () => {
    const crm = await start({ auth: BASIC_AUTH, deletable: true })
    const settings = crm.settings
    const result = await runCrmSuite({ settings, seed: 8 })
    const created = result.created ?? []
    const kinds = (kind: string) => created.filter((o) => o.kind === kind)
    expect(kinds('account')).toHaveLength(crm.store.accounts().length)
    expect(kinds('record')).toHaveLength(crm.store.records().length)
    expect(kinds('comment').length).toBeGreaterThan(0)
    expect(kinds('attachment').length).toBeGreaterThan(0)
    expect(created.every((o) => o.cleanup === undefined)).toBe(true)
    expect(kinds('account').every((o) => o.id !== undefined && /^CRM-\d{3}/.test(o.clause))).toBe(
      true,
    )

    const cleaned = await runCrmSuite({ settings, seed: 9, cleanup: true })
    const left = cleaned.created ?? []
    for (const object of left.filter((o) => o.kind === 'account' || o.kind === 'record'))
      expect(object.cleanup).toMatch(
        /^deleted \(DELETE http:\/\/127\.0\.0\.1:\d+\/api\/(accounts|records)\//,
      )
    for (const object of left.filter((o) => o.kind === 'comment' || o.kind === 'attachment'))
      expect(object.cleanup).toMatch(/^left: the settings give no URL/)
    expect(crm.deleted().length).toBe(
      left.filter((o) => o.kind === 'account' || o.kind === 'record').length,
    )
  })

  it('says why an object was left when the CRM refuses DELETE', async () => {
    const crm = await start({ auth: BASIC_AUTH })
    const result = await runCrmSuite({
      settings: crm.settings,
      seed: 8,
      only: ['CRM-002'],
      cleanup: true,
    })
    expect(result.created?.map((o) => [o.kind, o.clause])).toEqual([['account', 'CRM-002']])
    expect(result.created?.[0]?.cleanup).toMatch(
      /^left: DELETE http:\S+\/api\/accounts\/\d+ answered HTTP 404$/,
    )
  })
})

describe('createCrmSuiteContext', () => {
  it('makes up the same people for the same seed and other people for another', async () => {
    const crm = await start({})
    const one = createCrmSuiteContext({ settings: crm.settings, seed: 42 })
    const again = createCrmSuiteContext({ settings: crm.settings, seed: 42 })
    const other = createCrmSuiteContext({ settings: crm.settings, seed: 43 })
    expect(again.session('CRM-003').account).toEqual(one.session('CRM-003').account)
    expect(other.session('CRM-003').account['EMAIL']).not.toBe(
      one.session('CRM-003').account['EMAIL'],
    )
    expect(one.session('CRM-003').account['EMAIL']).not.toBe(
      one.session('CRM-004').account['EMAIL'],
    )
  })

  it('gives every customer a fictional 555-01xx number and an example.com address, in every request it builds', async () => {
    const crm = await start({})
    const context = createCrmSuiteContext({ settings: crm.settings, seed: 42 })
    const phones = new Set<string>()
    for (const clause of CRM_SUITE.clauses) {
      for (const label of [clause.id, `${clause.id}/nobody`, `${clause.id}~2`]) {
        const session = context.session(label)
        for (const values of [session.account, session.record, session.update]) {
          const phone = values['PHONE_NUMBER'] ?? ''
          if (phone !== '') {
            expect(phone).toMatch(/^\+1[2-9]\d{2}55501\d{2}$/)
            phones.add(phone)
          }
          const email = values['EMAIL'] ?? ''
          if (email !== '') expect(email).toMatch(/@example\.com$/)
          for (const value of Object.values(values))
            if (typeof value === 'string') expect(value).not.toMatch(/\+1\d{3}(?!555)\d{7}/)
        }
      }
    }
    // Seeded area codes spread the people over many numbers.
    expect(phones.size).toBeGreaterThan(20)
  })

  it('picks a binary file for the upload clause when the settings attach one', async () => {
    const crm = await start({})
    const context = createCrmSuiteContext({ settings: crm.settings, seed: 42 })
    const upload = context.session('CRM-010', { binaryUpload: true }).upload
    expect(upload?.file.contentType).toMatch(/^(audio|image|video)\//)
  })

  it('draws a random seed when none is given', async () => {
    const crm = await start({})
    const seeds = new Set(
      Array.from({ length: 4 }, () => createCrmSuiteContext({ settings: crm.settings }).seed),
    )
    expect(seeds.size).toBeGreaterThan(1)
  })

  it('throws ContractTestsError for settings that are not crm.settings', () => {
    expect(() =>
      createCrmSuiteContext({ settings: { endpoints: {} } as unknown as CrmIntegrationSettings }),
    ).toThrow(ContractTestsError)
  })

  it('throws ContractTestsError for a baseUrl that is not http(s)', () => {
    const settings = defaultMockCrmSettings('http://127.0.0.1:9')
    expect(() => createCrmSuiteContext({ settings, baseUrl: 'ftp://crm' })).toThrow(
      /baseUrl: expected an http\(s\) URL/,
    )
  })
})

describe('rebaseSettings', () => {
  it('moves the endpoints, token and builder URLs on the CRM origin and keeps other hosts', () => {
    const settings = defaultMockCrmSettings('https://crm.example.com', {
      dialect: 'espocrm',
      auth: { mode: 'oauth2', clientId: 'a', clientSecret: 'b', tokenTtlSeconds: 60 },
    })
    const auth = settings.authentication
    const withIdp = {
      ...settings,
      authentication:
        auth.method === 'oauth2' ? { ...auth, token_url: 'https://login.example.net/token' } : auth,
    }
    const moved = rebaseSettings(withIdp, 'http://127.0.0.1:8080/staging')
    expect(moved.endpoints.find_account_by_id?.url).toBe(
      'http://127.0.0.1:8080/staging/espo/api/v1/Contact/{ACCOUNT_ID}',
    )
    const upload = moved.endpoints.upload_file?.attachment_type
    expect(upload?.type === 'id' && upload.attachment_builder_url).toBe(
      'http://127.0.0.1:8080/staging/espo/?entryPoint=download&id={ATTACHMENT_ID}',
    )
    expect(moved.authentication.method === 'oauth2' && moved.authentication.token_url).toBe(
      'https://login.example.net/token',
    )
    expect(moved.record_lookup_url).toBe(
      'http://127.0.0.1:8080/staging/espo/#Case/view/{RECORD_ID}',
    )
  })
})
