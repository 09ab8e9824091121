import type { SuiteResult, SuiteSummary } from '../core/types.js'

/** The JSON report's document: every suite's full result plus the totals. */
export interface JsonReport {
  readonly tool: 'ccai-contract'
  /** True when no clause failed. */
  readonly ok: boolean
  readonly summary: SuiteSummary
  readonly results: readonly SuiteResult[]
}

/** Builds the JSON report's document from suite results. */
export function jsonReport(results: readonly SuiteResult[]): JsonReport {
  const sum = (key: keyof SuiteResult['summary']): number =>
    results.reduce((total, r) => total + r.summary[key], 0)
  const summary = {
    passed: sum('passed'),
    failed: sum('failed'),
    skipped: sum('skipped'),
    blocked: sum('blocked'),
    warnings: sum('warnings'),
    total: sum('total'),
  }
  return { tool: 'ccai-contract', ok: summary.failed === 0, summary, results }
}

/**
 * Suite results as pretty-printed JSON ({@link JsonReport}): every clause with its status, failure
 * (message, expected, actual) and exchanges, for tools that post-process the report.
 */
export function formatJson(results: readonly SuiteResult[]): string {
  return `${JSON.stringify(jsonReport(results), null, 2)}\n`
}
