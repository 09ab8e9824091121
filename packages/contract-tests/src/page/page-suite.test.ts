import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ClauseStatus, ClauseTools, SuiteResult } from '../core/types.js'
import { ContractTestsError } from '../errors.js'
import {
  EXAMPLE_ADAPTER_ORIGIN,
  exampleScript,
  serveExamplePage,
} from '../test-support/example-page.js'
import { BROKEN_PAGES, breakScript } from './broken-pages.js'
import { launchChromium, type PageBrowser } from './page-browser.js'
import { PAGE_SUITE, runPageSuite } from './page-suite.js'

const ALL_IDS = PAGE_SUITE.clauses.map((c) => c.id)
let browser: Browser

beforeAll(async () => {
  browser = await launchChromium()
})

afterAll(async () => {
  await browser.close()
})

function idsWith(result: SuiteResult, status: ClauseStatus): string[] {
  return result.clauses.filter((c) => c.status === status).map((c) => c.id)
}

function failures(result: SuiteResult): Record<string, string> {
  return Object.fromEntries(
    result.clauses.flatMap((c) =>
      c.status === 'failed' && c.failure
        ? [[c.id, `${c.failure.message} | ${c.failure.actual}`]]
        : [],
    ),
  )
}

async function checkPage(script?: string, extra: Partial<Parameters<typeof runPageSuite>[0]> = {}) {
  const served = await serveExamplePage(script)
  try {
    return await runPageSuite({
      url: served.url,
      adapterOrigin: EXAMPLE_ADAPTER_ORIGIN,
      browser,
      seed: 3,
      ...extra,
    })
  } finally {
    await served.close()
  }
}

describe('the CRM page suite', () => {
  it('passes every clause for the example CRM page in the repo', async () => {
    const result = await checkPage()
    expect(failures(result)).toEqual({})
    expect(idsWith(result, 'passed')).toEqual(ALL_IDS)
    expect(result.suite).toBe('page')
  })

  it('runs the user’s own expectations through the adapter, failing the one that does not hold', async () => {
    const result = await checkPage(undefined, {
      only: /^MY-/,
      expectations: [
        {
          id: 'MY-001',
          title: 'shows the queue of a new call',
          run: async (page: PageBrowser, tools: ClauseTools) => {
            await page.deliver([
              {
                sessionId: 41,
                payload: {
                  type: 'New_Call',
                  data: { call_id: 41, queue_path: 'Support / Orders' },
                },
              },
            ])
            const shown = await page.page.textContent('#queue')
            tools.check(shown === 'Support / Orders', {
              message: 'the queue is not shown',
              expected: 'Support / Orders',
              actual: String(shown),
            })
          },
        },
        {
          id: 'MY-002',
          title: 'shows the agent before anyone joined',
          run: async (page: PageBrowser, tools: ClauseTools) => {
            const shown = await page.page.textContent('#agent')
            tools.check(shown !== '', {
              message: 'no agent shown',
              expected: 'an agent',
              actual: JSON.stringify(shown),
            })
          },
        },
      ],
    })
    expect(result.clauses.map((c) => [c.id, c.status])).toEqual([
      ['MY-001', 'passed'],
      ['MY-002', 'failed'],
    ])
  })

  it('refuses options it cannot run with, naming the field', async () => {
    await expect(
      runPageSuite({
        url: 'ftp://crm.example.com/',
        adapterOrigin: EXAMPLE_ADAPTER_ORIGIN,
        browser,
      }),
    ).rejects.toThrow(ContractTestsError)
    await expect(
      runPageSuite({ url: 'http://127.0.0.1/', adapterOrigin: 'acme', browser }),
    ).rejects.toThrow(/adapterOrigin: expected an http\(s\) origin/)
    await expect(
      runPageSuite({
        url: 'http://127.0.0.1/',
        adapterOrigin: EXAMPLE_ADAPTER_ORIGIN,
        browser,
        expectations: [{ id: 'PAGE-009', title: 'x', run: () => Promise.resolve() }],
      }),
    ).rejects.toThrow(/expectations: id "PAGE-009"/)
  })
})

describe('deliberately broken CRM pages', () => {
  it('number at least 10, every one changes the example, and every clause is the target of one', async () => {
    expect(BROKEN_PAGES.length).toBeGreaterThanOrEqual(10)
    const script = await exampleScript()
    for (const broken of BROKEN_PAGES) expect(breakScript(script, broken)).not.toBe(script)
    expect([...new Set(BROKEN_PAGES.map((b) => b.expectedFailure))].sort()).toEqual(ALL_IDS)
  })

  for (const broken of BROKEN_PAGES) {
    it(`fails ${broken.expectedFailure} and no other clause for a page that ${broken.fault}`, async () => {
      const result = await checkPage(breakScript(await exampleScript(), broken))
      expect(Object.keys(failures(result))).toEqual([broken.expectedFailure])
      expect(idsWith(result, 'blocked')).toEqual(broken.expectedBlocked ?? [])
      const other = new Set([broken.expectedFailure, ...(broken.expectedBlocked ?? [])])
      expect(idsWith(result, 'passed')).toEqual(ALL_IDS.filter((id) => !other.has(id)))
      const clause = result.clauses.find((c) => c.id === broken.expectedFailure)
      expect(clause?.failure?.actual).not.toBe('')
    }, 300_000)
  }
})
