import { describe, expect, it } from 'vitest'
import { runFixtureSuite } from '../test-support/fixture-suite.js'
import { formatConsole } from './console-reporter.js'

describe('formatConsole', () => {
  it('prints one line per clause and the plain summary line CI reads', async () => {
    const text = formatConsole(await runFixtureSuite())
    expect(text).toMatch(/^ {2}✔ FIX-001 A find with no match answers 2xx \(\d+ ms\)$/m)
    expect(text).toMatch(/^ {2}✘ FIX-002 Create returns the id at "id" & <friends> \(\d+ ms\)$/m)
    expect(text).toContain(
      '  – FIX-003 Uploads keep their bytes – skipped (the settings configure no upload)\n',
    )
    expect(text).toMatch(/\n1 passed, 1 failed, 1 skipped\n$/)
  })

  it('shows what was expected, what came and the exact exchange of a failed clause', async () => {
    const text = formatConsole(await runFixtureSuite())
    const failures = text.slice(text.indexOf('Failures (1)'))
    expect(failures).toContain('create answered 500 instead of 2xx')
    expect(failures).toContain('Expected: a 2xx answer with the id at "id"')
    expect(failures).toContain('Actual:   status 500, an HTML body <html>…')
    expect(failures).toContain('> POST http://crm.example.test/api/accounts?a=1&b=<2>')
    expect(failures).toContain('> authorization: Bearer t0k"en')
    // Control characters the target sent are shown, not passed to the terminal.
    expect(failures).toContain(
      `> {"name":"Zoë <O'Brien> & Co","note":"]]> ends CDATA","ctl":"\\x01\\x1b"}`,
    )
    expect(failures).toContain('< 500')
    expect(failures).toContain('< content-type: text/html; charset=utf-8')
    expect(failures).toContain('< <html><body>Internal error: ]]> & "quotes"\n')
    expect(failures).toContain('< line two</body></html>')
    // The passing clause's exchange is not repeated.
    expect(failures).not.toContain('< 200')
  })

  it('counts one clause and one warning in the singular, more in the plural', async () => {
    const result = await runFixtureSuite()
    const one = formatConsole({
      ...result,
      clauses: result.clauses.slice(0, 1),
      summary: { ...result.summary, total: 1, passed: 1, failed: 0, skipped: 0, warnings: 1 },
    })
    expect(one).toMatch(
      /\nFinished 1 clause in \d+ ms\n1 passed, 0 failed, 0 skipped, 1 warning\n$/,
    )
    const three = formatConsole({ ...result, summary: { ...result.summary, warnings: 2 } })
    expect(three).toMatch(
      /\nFinished 3 clauses in \d+ ms\n1 passed, 1 failed, 1 skipped, 2 warnings\n$/,
    )
  })

  it('colours the marks on request but never the summary line', async () => {
    const text = formatConsole(await runFixtureSuite(), { color: true })
    expect(text).toContain('\u001b[32m✔\u001b[0m FIX-001')
    expect(text).toContain('\u001b[31m✘\u001b[0m FIX-002')
    expect(text).toMatch(/\n1 passed, 1 failed, 1 skipped\n$/)
    expect(formatConsole(await runFixtureSuite())).not.toContain('\u001b[')
  })

  it('says there is nothing to show when a failed clause recorded no exchange', async () => {
    const result = await runFixtureSuite()
    const clauses = result.clauses.map((c) => (c.status === 'failed' ? { ...c, exchanges: [] } : c))
    expect(formatConsole({ ...result, clauses })).toContain('No exchanges were recorded.')
  })

  it('does not repeat a clause id the title already starts with', async () => {
    const result = await runFixtureSuite({ failing: false })
    const clauses = result.clauses.map((c) => ({ ...c, title: `${c.id} ${c.title}` }))
    const text = formatConsole({ ...result, clauses })
    expect(text).toContain('✔ FIX-001 A find with no match answers 2xx (')
    expect(text).not.toContain('FIX-001 FIX-001')
  })
})
