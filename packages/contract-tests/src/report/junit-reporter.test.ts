import { parse, type TestSuite, type TestSuites } from 'junit2json'
import { describe, expect, it } from 'vitest'
import type { SuiteResult } from '../core/types.js'
import { NASTY_EXCHANGE, runFixtureSuite } from '../test-support/fixture-suite.js'
import { formatJunit } from './junit-reporter.js'

/** Parses with a JUnit XML parser (junit2json, on xml2js/sax in strict mode: malformed XML throws). */
async function parseJunit(xml: string): Promise<TestSuites & { skipped?: number }> {
  expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites[ >]/)
  const doc = await parse(xml)
  if (!doc) throw new Error('empty document')
  return doc
}

function suiteAt(doc: TestSuites, index: number): TestSuite {
  const suite = doc.testsuite?.[index]
  if (!suite) throw new Error(`no testsuite ${index}`)
  return suite
}

describe('formatJunit', () => {
  it('produces JUnit XML that a JUnit parser reads back with the right counts', async () => {
    const results: SuiteResult[] = [
      await runFixtureSuite(),
      await runFixtureSuite({ failing: false }),
    ]
    const doc = await parseJunit(formatJunit(results))
    expect([doc.name, doc.tests, doc.failures, doc.errors, doc.skipped]).toEqual([
      'ccai-contract',
      5,
      1,
      0,
      2,
    ])
    const first = suiteAt(doc, 0)
    const second = suiteAt(doc, 1)
    expect(first.name).toBe('ccai-contract crm')
    expect([first.tests, first.failures, first.errors, first.skipped]).toEqual([3, 1, 0, 1])
    expect([second.tests, second.failures, second.errors, second.skipped]).toEqual([2, 0, 0, 1])
    expect(first.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/)
    expect(typeof first.time).toBe('number')
    expect(first.properties).toContainEqual({
      name: 'target',
      value: 'http://crm.example.test/api',
    })
    expect(first.testcase?.map((c) => c.name)).toEqual([
      'FIX-001 A find with no match answers 2xx',
      'FIX-002 Create returns the id at "id" & <friends>',
      'FIX-003 Uploads keep their bytes',
    ])
    expect(first.testcase?.every((c) => c.classname === 'ccai-contract.crm')).toBe(true)
  })

  it('puts the failure message in the attribute and expected, actual and exchanges in CDATA', async () => {
    const doc = await parseJunit(formatJunit([await runFixtureSuite()]))
    const [passed, failed, skipped] = suiteAt(doc, 0).testcase ?? []
    expect(passed?.failure).toBeUndefined()
    expect(passed?.skipped).toBeUndefined()
    expect(failed?.failure).toHaveLength(1)
    const failure = failed?.failure?.[0]
    expect(failure?.message).toBe('create answered 500 instead of 2xx')
    expect(failure?.type).toBe('ContractClauseFailure')
    const body = failure?.inner ?? ''
    expect(body).toContain('Expected: a 2xx answer with the id at "id"')
    expect(body).toContain('Actual:   status 500, an HTML body <html>…')
    expect(body).toContain(`> POST ${NASTY_EXCHANGE.request.url}`)
    // `]]>` survives intact across the split CDATA sections; control characters become escapes.
    expect(body).toContain(
      '> {"name":"Zoë <O\'Brien> & Co","note":"]]> ends CDATA","ctl":"\\x01\\x1b"}',
    )
    expect(body).toContain('< <html><body>Internal error: ]]> & "quotes"\n< line two</body></html>')
    expect(skipped?.skipped).toEqual([{ message: 'the settings configure no upload' }])
  })

  it('escapes quotes, markup, line breaks and invalid characters in attributes', async () => {
    const result = await runFixtureSuite()
    const nasty = 'a "b" <c> & \'d\'\nnext\u0000line\ttab'
    const clauses = result.clauses.map((c) =>
      c.status === 'failed' && c.failure ? { ...c, failure: { ...c.failure, message: nasty } } : c,
    )
    const doc = await parseJunit(formatJunit([{ ...result, clauses, target: nasty }]))
    const suite = suiteAt(doc, 0)
    expect(suite.testcase?.[1]?.failure?.[0]?.message).toBe('a "b" <c> & \'d\'\nnext\\x00line\ttab')
    expect(suite.properties).toContainEqual({
      name: 'target',
      value: 'a "b" <c> & \'d\'\nnext\\x00line\ttab',
    })
  })

  it('rejects what it does not write: the parser is strict about malformed XML', async () => {
    await expect(
      parse('<testsuites><testsuite name="a & b"></testsuite></testsuites>'),
    ).rejects.toThrow()
  })

  it('writes an empty but valid document for no results', async () => {
    const doc = await parseJunit(formatJunit([]))
    expect([doc.tests, doc.failures, doc.skipped]).toEqual([0, 0, 0])
  })
})
