import type { ClauseResult, SuiteResult } from '../core/types.js'
import { clauseLabel, formatFailureText } from './failure-text.js'

/** Characters XML 1.0 cannot carry at all (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/F). */
const NOT_XML =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/** Replaces what XML cannot carry with a visible `\xNN` / `\uNNNN` escape. */
function xmlSafe(text: string): string {
  return text.replace(NOT_XML, (char) => {
    const code = char.charCodeAt(0)
    return code < 0x100
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`
  })
}

/** An attribute value: markup and quotes escaped, line breaks kept as character references. */
function attr(value: string | number): string {
  return xmlSafe(String(value))
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;')
    .replaceAll('\t', '&#9;')
    .replaceAll('\n', '&#10;')
    .replaceAll('\r', '&#13;')
}

/** Text in a CDATA section; a `]]>` inside is split across two sections. */
function cdata(text: string): string {
  return `<![CDATA[${xmlSafe(text).replaceAll(']]>', ']]]]><![CDATA[>')}]]>`
}

function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3)
}

function testcase(result: SuiteResult, clause: ClauseResult): string {
  const open = `    <testcase classname="${attr(`ccai-contract.${result.suite}`)}" name="${attr(clauseLabel(clause))}" time="${seconds(clause.durationMs)}"`
  if (clause.status === 'passed') return `${open}/>`
  if (clause.status === 'skipped') {
    return `${open}>\n      <skipped message="${attr(clause.skipReason ?? 'skipped')}"/>\n    </testcase>`
  }
  // Blocked: not run to its end because another clause failed; CI shows it as skipped with the cause.
  if (clause.status === 'blocked') {
    return `${open}>\n      <skipped message="${attr(`blocked by ${clause.blockedBy ?? '?'}: ${clause.failure?.message ?? ''}`)}"/>\n    </testcase>`
  }
  // A warning is advice: the testcase passes and carries the text for whoever reads the report.
  if (clause.status === 'warning') {
    return `${open}>\n      <system-out>${cdata(`WARNING ${formatFailureText(clause)}`)}</system-out>\n    </testcase>`
  }
  const message = clause.failure?.message ?? 'the clause failed'
  return [
    `${open}>`,
    `      <failure message="${attr(message)}" type="ContractClauseFailure">${cdata(formatFailureText(clause))}</failure>`,
    '    </testcase>',
  ].join('\n')
}

function testsuite(result: SuiteResult): string {
  const { total, failed } = result.summary
  const skipped = result.summary.skipped + result.summary.blocked
  return [
    `  <testsuite name="${attr(`ccai-contract ${result.suite}`)}" tests="${total}" failures="${failed}" errors="0" skipped="${skipped}" time="${seconds(result.durationMs)}" timestamp="${attr(result.startedAt.replace(/Z$/, ''))}">`,
    '    <properties>',
    `      <property name="suite" value="${attr(result.suite)}"/>`,
    `      <property name="target" value="${attr(result.target)}"/>`,
    '    </properties>',
    ...result.clauses.map((clause) => testcase(result, clause)),
    '  </testsuite>',
  ].join('\n')
}

/**
 * Suite results as JUnit XML for CI servers: one `<testsuite>` per suite, one `<testcase>` per
 * clause (name `CRM-001 title`), a `<failure>` holding expected, actual and the exact exchanges in
 * CDATA, and `<skipped message="reason">` for skipped clauses.
 *
 * @example
 * await writeFile('contract-report.xml', formatJunit([await runCrmSuite({ settings })]))
 */
export function formatJunit(results: readonly SuiteResult[]): string {
  const sum = (pick: (r: SuiteResult) => number): number =>
    results.reduce((total, r) => total + pick(r), 0)
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="ccai-contract" tests="${sum((r) => r.summary.total)}" failures="${sum((r) => r.summary.failed)}" errors="0" skipped="${sum((r) => r.summary.skipped + r.summary.blocked)}" time="${seconds(sum((r) => r.durationMs))}">`,
    ...results.map(testsuite),
    '</testsuites>',
    '',
  ].join('\n')
}
