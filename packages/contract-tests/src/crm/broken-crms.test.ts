import { afterEach, describe, expect, it } from 'vitest'
import { failures, idsWith } from '../test-support/suite-result.js'
import { API_KEY_AUTH, BASIC_AUTH, BROKEN_CRMS } from './broken-crms.js'
import { CRM_SUITE, runCrmSuite } from './crm-suite.js'
import { startLocalCrm, type LocalCrm, type StartLocalCrmOptions } from './local-crm.js'

const ALL_IDS = CRM_SUITE.clauses.map((c) => c.id)
const running: LocalCrm[] = []

afterEach(async () => {
  await Promise.all(running.splice(0).map(async (crm) => crm.close()))
})

async function start(options: StartLocalCrmOptions): Promise<LocalCrm> {
  const crm = await startLocalCrm(options)
  running.push(crm)
  return crm
}

describe('the CRM suite against the mock CRM', () => {
  it.each([
    { dialect: 'generic', auth: BASIC_AUTH },
    { dialect: 'espocrm', auth: API_KEY_AUTH },
    {
      dialect: 'generic',
      auth: {
        mode: 'oauth2',
        clientId: 'ccai-platform-7f3e',
        clientSecret: 'Jd8s!2kQz#4vNw6p',
        tokenTtlSeconds: 3600,
      },
    },
  ] as const)(
    'passes every clause in the $dialect dialect with $auth.mode credentials',
    async ({ dialect, auth }) => {
      const crm = await start({ dialect, auth })
      const result = await runCrmSuite({
        settings: crm.settings,
        seed: 20_240_611,
      })
      expect(failures(result)).toEqual({})
      expect(idsWith(result, 'passed')).toEqual(ALL_IDS)
      expect(result.target).toBe(crm.url)
    },
  )

  it('passes with other seeds, which make up other people', async () => {
    const crm = await start({ dialect: 'generic', auth: BASIC_AUTH })
    const settings = crm.settings
    const first = await runCrmSuite({ settings, seed: 1 })
    const second = await runCrmSuite({ settings, seed: 2 })
    expect(failures(first)).toEqual({})
    expect(failures(second)).toEqual({})
    const names = crm.store
      .accounts()
      .map((a) => `${String(a.fields['first_name'])} ${String(a.fields['last_name'])}`)
    expect(new Set(names).size).toBe(names.length)
  })
})

describe('deliberately broken CRMs', () => {
  it('number at least 30, and every clause of the suite is the target of one', () => {
    expect(BROKEN_CRMS.length).toBeGreaterThanOrEqual(30)
    const targeted = new Set(
      BROKEN_CRMS.flatMap((b) => [...b.expectedFailures, ...(b.expectedWarnings ?? [])]),
    )
    expect([...targeted].sort()).toEqual(ALL_IDS)
    for (const broken of BROKEN_CRMS)
      expect(broken.expectedFailures.length + (broken.expectedWarnings ?? []).length).toBe(1)
  })

  for (const broken of BROKEN_CRMS) {
    const expected = [...broken.expectedFailures, ...(broken.expectedWarnings ?? [])].join(', ')
    const verb = broken.expectedFailures.length > 0 ? 'fails' : 'warns on'
    it(`${verb} ${expected} and no other clause for a CRM that ${broken.fault}`, async () => {
      const crm = await start({
        dialect: broken.dialect,
        auth: broken.auth,
        breaker: broken.breaker,
      })
      broken.setup?.(crm)
      const settings = broken.settings ? broken.settings(crm.settings) : crm.settings
      const result = await runCrmSuite({ settings, seed: 20_240_611 })
      expect(Object.keys(failures(result))).toEqual(broken.expectedFailures)
      expect(idsWith(result, 'blocked')).toEqual(broken.expectedBlocked ?? [])
      expect(idsWith(result, 'warning')).toEqual(broken.expectedWarnings ?? [])
      const other = new Set([
        ...broken.expectedFailures,
        ...(broken.expectedBlocked ?? []),
        ...(broken.expectedWarnings ?? []),
      ])
      expect(idsWith(result, 'passed')).toEqual(ALL_IDS.filter((id) => !other.has(id)))
      for (const id of [...broken.expectedFailures, ...(broken.expectedWarnings ?? [])]) {
        const clause = result.clauses.find((c) => c.id === id)
        expect(clause?.failure?.expected).not.toBe('')
        expect(clause?.failure?.actual).not.toBe('')
        expect(clause?.exchanges.length).toBeGreaterThan(0)
      }
      for (const id of broken.expectedBlocked ?? [])
        expect(result.clauses.find((c) => c.id === id)?.blockedBy).toBe(broken.expectedFailures[0])
      // Latency faults make the CRM really slow (1.5 s per answer), and the machine may be busy.
    }, 60_000)
  }
})
