// A small suite with one clause of each outcome, for testing reporters, the CLI and the Vitest
// helpers without depending on the real suites.
import { ClauseFailure, runSuite } from '../core/runner.js'
import type { Exchange, SuiteDefinition, SuiteResult } from '../core/types.js'

/** A recorded exchange whose bodies carry everything a report must escape. */
export const NASTY_EXCHANGE: Exchange = {
  request: {
    method: 'POST',
    url: 'http://crm.example.test/api/accounts?a=1&b=<2>',
    headers: { 'content-type': 'application/json', authorization: 'Bearer t0k"en' },
    body: '{"name":"Zoë <O\'Brien> & Co","note":"]]> ends CDATA","ctl":"\u0001\u001b"}',
  },
  response: {
    status: 500,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: '<html><body>Internal error: ]]> & "quotes"\nline two</body></html>',
  },
  durationMs: 12.4,
}

interface FixtureContext {
  readonly configured: boolean
}

/** Clauses FIX-001 (passes), FIX-002 (fails with {@link NASTY_EXCHANGE}), FIX-003 (skipped). */
export const FIXTURE_SUITE: SuiteDefinition<FixtureContext> = {
  name: 'crm',
  clauses: [
    {
      id: 'FIX-001',
      title: 'A find with no match answers 2xx',
      rationale: 'Fixture: always passes.',
      run: (_context, tools) => {
        tools.record({ ...NASTY_EXCHANGE, response: { status: 200, headers: {}, body: '[]' } })
        return Promise.resolve()
      },
    },
    {
      id: 'FIX-002',
      title: 'Create returns the id at "id" & <friends>',
      rationale: 'Fixture: fails with an exchange that needs escaping.',
      run: (_context, tools) => {
        tools.record(NASTY_EXCHANGE)
        return Promise.reject(
          new ClauseFailure({
            message: 'create answered 500 instead of 2xx',
            expected: 'a 2xx answer with the id at "id"',
            actual: 'status 500, an HTML body <html>…',
          }),
        )
      },
    },
    {
      id: 'FIX-003',
      title: 'Uploads keep their bytes',
      rationale: 'Fixture: skipped when not configured.',
      skipIf: (context) => (context.configured ? undefined : 'the settings configure no upload'),
      run: () => Promise.resolve(),
    },
  ],
}

/** Runs {@link FIXTURE_SUITE}; `failing: false` leaves out the failing clause. */
export function runFixtureSuite(
  options: { readonly failing?: boolean } = {},
): Promise<SuiteResult> {
  const suite =
    options.failing === false
      ? { ...FIXTURE_SUITE, clauses: FIXTURE_SUITE.clauses.filter((c) => c.id !== 'FIX-002') }
      : FIXTURE_SUITE
  return runSuite(suite, { configured: false }, { target: 'http://crm.example.test/api' })
}
