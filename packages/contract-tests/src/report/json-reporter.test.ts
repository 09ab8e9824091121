import { describe, expect, it } from 'vitest'
import { runFixtureSuite } from '../test-support/fixture-suite.js'
import { formatJson, type JsonReport } from './json-reporter.js'

describe('formatJson', () => {
  it('keeps every clause with its failure and exchanges, plus the totals', async () => {
    const result = await runFixtureSuite()
    const report = JSON.parse(formatJson([result])) as JsonReport
    expect(report.ok).toBe(false)
    expect(report.summary).toEqual({
      passed: 1,
      failed: 1,
      skipped: 1,
      blocked: 0,
      warnings: 0,
      total: 3,
    })
    expect(report.results[0]).toEqual(result)
  })

  it('is ok when no clause failed', async () => {
    const report = JSON.parse(formatJson([await runFixtureSuite({ failing: false })])) as JsonReport
    expect(report.ok).toBe(true)
  })
})
