import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { SuiteResult } from '../core/types.js'
import { BROKEN_PAGES, breakScript } from '../page/broken-pages.js'
import { launchChromium } from '../page/page-browser.js'
import { PAGE_SUITE, runPageSuite } from '../page/page-suite.js'
import { EXAMPLE_ADAPTER_ORIGIN, exampleScript, serveExamplePage } from './example-page.js'
import { expectOnlyFailure } from './suite-result.js'

/** Every clause id of the page suite, in order. */
export const ALL_PAGE_IDS = PAGE_SUITE.clauses.map((c) => c.id)

/** One Chromium for the test file that calls this (launched before its tests, closed after). */
export function useChromium(): () => Browser {
  let browser: Browser | undefined
  beforeAll(async () => {
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
  })
  return () => {
    if (browser === undefined) throw new Error('Chromium is launched in beforeAll')
    return browser
  }
}

/** Runs the page suite (seed 3) against a served copy of the example page, `script` replacing its own. */
export async function checkPage(
  browser: Browser,
  script?: string,
  extra: Partial<Parameters<typeof runPageSuite>[0]> = {},
): Promise<SuiteResult> {
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

/**
 * The broken pages' wait for an adapter iframe after `load`. The example page sets its iframes'
 * `src` while it loads, and an iframe delays its parent's load event, so every adapter it loads is
 * there when the page's load event fired, however busy the machine: this wait only runs out for the
 * two pages that load no adapter (PAGE-001), where the suite's default would idle 15 s each.
 */
const BROKEN_PAGE_ADAPTER_TIMEOUT_MS = 1_000

/**
 * The broken pages' wait for the record once the page handled a `CRM_Record_Pop`. The example page
 * opens the record in its message handler (`location.assign`), so the request is under way before
 * the suite has seen the page handle the event: this wait only runs out for the page that never
 * opens it (PAGE-007), where the suite's default would idle 15 s.
 */
const BROKEN_PAGE_RECORD_TIMEOUT_MS = 5_000

/** How many test files (`src/page/broken-pages-part-N.test.ts`, N from 1) share the broken pages. */
export const BROKEN_PAGE_PARTS = 4

/**
 * The broken-page tests of one part (0-based) of `BROKEN_PAGE_PARTS`: page `i` belongs to part `i % parts`, so every
 * broken page is in exactly one part whatever the list holds. Each test runs the whole suite
 * against its page in a browser (~20 s), so the parts are separate test files that the runner
 * spreads over its workers instead of one file that runs them all in a row.
 */
export function brokenPageTests(part: number): void {
  const chromium = useChromium()
  for (const [index, broken] of BROKEN_PAGES.entries()) {
    if (index % BROKEN_PAGE_PARTS !== part) continue
    it(`fails ${broken.expectedFailure} and no other clause for a page that ${broken.fault}`, async () => {
      const result = await checkPage(chromium(), breakScript(await exampleScript(), broken), {
        adapterTimeoutMs: BROKEN_PAGE_ADAPTER_TIMEOUT_MS,
        recordTimeoutMs: BROKEN_PAGE_RECORD_TIMEOUT_MS,
      })
      expectOnlyFailure(result, broken, ALL_PAGE_IDS)
      // The clause failed on its own check, not by running into an error or a timeout on the way.
      const failed = result.clauses.find((c) => c.id === broken.expectedFailure)
      expect(failed?.failure?.message).not.toMatch(/could not complete/)
      // The clauses a missing adapter blocks say how long it was waited for: the option held.
      for (const blocked of result.clauses.filter((c) => c.status === 'blocked'))
        expect(blocked.failure?.actual).toContain(
          `within ${String(BROKEN_PAGE_ADAPTER_TIMEOUT_MS)} ms`,
        )
      if (broken.expectedFailure === 'PAGE-007')
        expect(failed?.failure?.expected).toContain(
          `within ${String(BROKEN_PAGE_RECORD_TIMEOUT_MS)} ms`,
        )
    }, 300_000)
  }
}
