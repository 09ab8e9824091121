import type { ClauseResult, SuiteResult } from '../core/types.js'
import { clauseLabel, formatFailureText } from './failure-text.js'

/** Options of {@link formatConsole}. */
export interface ConsoleFormatOptions {
  /** ANSI colours for the clause marks and headings; default `false`. */
  readonly color?: boolean
}

const SUITE_TITLES: Record<SuiteResult['suite'], string> = {
  crm: 'CRM provider suite',
  receiver: 'Receiver suite',
  storage: 'Storage tree suite',
  page: 'CRM page suite',
  'harmony-bridge': 'Harmony Processor Bridge plug-in suite',
}

type Paint = (code: number, text: string) => string

function painter(color: boolean): Paint {
  return color ? (code, text) => `\u001b[${code}m${text}\u001b[0m` : (_code, text) => text
}

function durationText(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`
}

/** `1 clause`, `3 clauses`: the count with its noun in the right number. */
function counted(count: number, noun: string): string {
  return `${String(count)} ${noun}${count === 1 ? '' : 's'}`
}

function clauseLine(clause: ClauseResult, paint: Paint): string {
  switch (clause.status) {
    case 'passed':
      return `${paint(32, '✔')} ${clauseLabel(clause)} ${paint(2, `(${durationText(clause.durationMs)})`)}`
    case 'failed':
      return `${paint(31, '✘')} ${clauseLabel(clause)} ${paint(2, `(${durationText(clause.durationMs)})`)}`
    case 'skipped':
      return `${paint(33, '–')} ${clauseLabel(clause)} ${paint(2, `– skipped (${clause.skipReason ?? 'no reason given'})`)}`
    case 'blocked':
      return `${paint(35, '⊘')} ${clauseLabel(clause)} ${paint(2, `– blocked by ${clause.blockedBy ?? '?'} (${clause.failure?.message ?? 'its arrangement failed'})`)}`
    case 'warning':
      return `${paint(33, '⚠')} ${clauseLabel(clause)} ${paint(2, `(${durationText(clause.durationMs)})`)}`
  }
}

function indent(text: string, by: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : `${by}${line}`))
    .join('\n')
}

/**
 * A suite result for a terminal or a CI log: one line per clause (`✔`, `✘`, `–` with the skip
 * reason, `⊘` blocked by the named clause, `⚠` warning), then each failed clause with what was
 * expected, what came and the exact exchanges, the warnings likewise, the objects the run created,
 * then the plain summary line `N passed, N failed, N skipped[, N blocked][, N warnings]` (never
 * coloured, so CI can read it).
 *
 * @example
 * process.stdout.write(formatConsole(await runCrmSuite({ settings }), { color: true }))
 */
export function formatConsole(result: SuiteResult, options: ConsoleFormatOptions = {}): string {
  const paint = painter(options.color ?? false)
  const seed = result.seed === undefined ? '' : ` (seed ${result.seed})`
  const lines = [paint(1, `${SUITE_TITLES[result.suite]} — ${result.target}${seed}`), '']
  for (const clause of result.clauses) lines.push(`  ${clauseLine(clause, paint)}`)
  const failed = result.clauses.filter((clause) => clause.status === 'failed')
  if (failed.length > 0) {
    lines.push('', paint(1, paint(31, `Failures (${failed.length})`)))
    for (const clause of failed) {
      lines.push(
        '',
        paint(31, `✘ ${clauseLabel(clause)}`),
        indent(formatFailureText(clause), '    '),
      )
    }
  }
  const warned = result.clauses.filter((clause) => clause.status === 'warning')
  if (warned.length > 0) {
    lines.push('', paint(1, paint(33, `Warnings (${warned.length})`)))
    for (const clause of warned) {
      lines.push(
        '',
        paint(33, `⚠ ${clauseLabel(clause)}`),
        indent(formatFailureText(clause), '    '),
      )
    }
  }
  if (result.created !== undefined && result.created.length > 0) {
    lines.push('', paint(1, `Created in the checked system (${result.created.length})`))
    for (const object of result.created) {
      lines.push(
        `  ${object.kind} ${object.id ?? '(no id read)'} by ${object.clause}: ${object.via}${object.cleanup === undefined ? '' : ` — ${object.cleanup}`}`,
      )
    }
  }
  const { passed, failed: failedCount, skipped, blocked, warnings } = result.summary
  lines.push(
    '',
    `Finished ${counted(result.summary.total, 'clause')} in ${durationText(result.durationMs)}`,
    `${passed} passed, ${failedCount} failed, ${skipped} skipped${blocked > 0 ? `, ${blocked} blocked` : ''}${warnings > 0 ? `, ${counted(warnings, 'warning')}` : ''}`,
  )
  return `${lines.join('\n')}\n`
}
