import { readdir, readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { ContractTestsError } from '../errors.js'
import {
  EXAMPLE_ADAPTER_ORIGIN,
  exampleScript,
  serveExamplePage,
} from '../test-support/example-page.js'
import {
  ALL_PAGE_IDS,
  BROKEN_PAGE_PARTS,
  checkPage,
  useChromium,
} from '../test-support/page-check.js'
import { failures, idsWith } from '../test-support/suite-result.js'
import type { ClauseTools } from '../core/types.js'
import { BROKEN_PAGES, breakScript } from './broken-pages.js'
import type { PageBrowser } from './page-browser.js'
import { runPageSuite } from './page-suite.js'

const chromium = useChromium()

describe('the CRM page suite', () => {
  it('passes every clause for the example CRM page in the repo', async () => {
    const result = await checkPage(chromium())
    expect(failures(result)).toEqual({})
    expect(idsWith(result, 'passed')).toEqual(ALL_PAGE_IDS)
    expect(result.suite).toBe('page')
  })

  it('runs the user’s own expectations through the adapter, failing the one that does not hold', async () => {
    const result = await checkPage(chromium(), undefined, {
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

  it('fails PAGE-001 once for a page that cannot be loaded and blocks the other clauses by it', async () => {
    const served = await serveExamplePage()
    await served.close()
    const result = await runPageSuite({
      url: served.url,
      adapterOrigin: EXAMPLE_ADAPTER_ORIGIN,
      browser: chromium(),
    })
    const [first, ...others] = result.clauses
    expect(first).toMatchObject({ id: 'PAGE-001', status: 'failed' })
    expect(first?.failure?.message).toMatch(/^the page did not load: .*ERR_CONNECTION_REFUSED/)
    // Playwright's call log (with its terminal colours) stays out of the report.
    expect(first?.failure?.actual).not.toMatch(/\n|\u001b/)
    expect(others.map((c) => [c.id, c.status, c.blockedBy])).toEqual(
      ALL_PAGE_IDS.slice(1).map((id) => [id, 'blocked', 'PAGE-001']),
    )
  })

  it('refuses options it cannot run with, naming the field', async () => {
    await expect(
      runPageSuite({
        url: 'ftp://crm.example.com/',
        adapterOrigin: EXAMPLE_ADAPTER_ORIGIN,
        browser: chromium(),
      }),
    ).rejects.toThrow(ContractTestsError)
    await expect(
      runPageSuite({ url: 'http://127.0.0.1/', adapterOrigin: 'acme', browser: chromium() }),
    ).rejects.toThrow(/adapterOrigin: expected an http\(s\) origin/)
    await expect(
      runPageSuite({
        url: 'http://127.0.0.1/',
        adapterOrigin: EXAMPLE_ADAPTER_ORIGIN,
        browser: chromium(),
        expectations: [{ id: 'PAGE-009', title: 'x', run: () => Promise.resolve() }],
      }),
    ).rejects.toThrow(/expectations: id "PAGE-009"/)
    await expect(
      runPageSuite({
        url: 'http://127.0.0.1/',
        adapterOrigin: EXAMPLE_ADAPTER_ORIGIN,
        browser: chromium(),
        adapterTimeoutMs: -1,
      }),
    ).rejects.toThrow(/adapterTimeoutMs: expected milliseconds \(an integer ≥ 0\), received -1/)
    await expect(
      runPageSuite({
        url: 'http://127.0.0.1/',
        adapterOrigin: EXAMPLE_ADAPTER_ORIGIN,
        browser: chromium(),
        recordTimeoutMs: 1.5,
      }),
    ).rejects.toThrow(/recordTimeoutMs: expected milliseconds \(an integer ≥ 0\), received 1.5/)
  })
})

describe('deliberately broken CRM pages', () => {
  it('number at least 10, every one changes the example, and every clause is the target of one', async () => {
    expect(BROKEN_PAGES.length).toBeGreaterThanOrEqual(10)
    const script = await exampleScript()
    for (const broken of BROKEN_PAGES) expect(breakScript(script, broken)).not.toBe(script)
    expect([...new Set(BROKEN_PAGES.map((b) => b.expectedFailure))].sort()).toEqual(ALL_PAGE_IDS)
  })

  it('are all tested: each of the part files runs its share of them', async () => {
    const here = dirname(fileURLToPath(import.meta.url))
    const parts = (await readdir(here)).filter((f) => /^broken-pages-part-\d+\.test\.ts$/.test(f))
    const expected = Array.from({ length: BROKEN_PAGE_PARTS }, (_, i) => i + 1)
    expect(parts.map((f) => Number(/\d+/.exec(f)?.[0])).sort((a, b) => a - b)).toEqual(expected)
    for (const n of expected) {
      const text = await readFile(join(here, `broken-pages-part-${String(n)}.test.ts`), 'utf8')
      expect(text).toContain(`brokenPageTests(${String(n - 1)})`)
    }
  })
})
