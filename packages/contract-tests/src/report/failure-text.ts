import type { ClauseResult, Exchange } from '../core/types.js'

function headerLines(prefix: string, headers: Readonly<Record<string, string>>): string[] {
  return Object.entries(headers).map(([name, value]) => `${prefix} ${name}: ${value}`)
}

function bodyLines(prefix: string, body: string | undefined): string[] {
  if (body === undefined || body === '') return []
  return [prefix, ...body.split(/\r?\n/).map((line) => `${prefix} ${line}`)]
}

/**
 * One exchange as plain text, curl-style: `>` lines are what was sent (request line, headers, body),
 * `<` lines what came back (status, headers, body), or the error when nothing came.
 */
export function formatExchange(exchange: Exchange, label: string): string {
  const { request, response, error } = exchange
  const lines = [
    `${label} (${Math.round(exchange.durationMs)} ms)`,
    `> ${request.method} ${request.url}`,
    ...headerLines('>', request.headers),
    ...bodyLines('>', request.body),
  ]
  if (response) {
    lines.push(
      `< ${response.status}`,
      ...headerLines('<', response.headers),
      ...bodyLines('<', response.body),
    )
  }
  if (error !== undefined) lines.push(`! ${error}`)
  if (!response && error === undefined) lines.push('! no response recorded')
  return lines.join('\n')
}

/** Every exchange of a clause, numbered, or a line saying there were none. */
export function formatExchanges(exchanges: readonly Exchange[]): string {
  if (exchanges.length === 0) return 'No exchanges were recorded.'
  return exchanges
    .map((exchange, i) => formatExchange(exchange, `Exchange ${i + 1} of ${exchanges.length}`))
    .join('\n\n')
}

function labelled(label: string, text: string): string {
  return `${label} ${text.replaceAll('\n', `\n${' '.repeat(label.length + 1)}`)}`
}

/**
 * What a failed clause's report says, in plain text: the message, why the clause exists, what was
 * expected, what came, and the exact exchanges. Empty for a clause that did not fail.
 */
export function formatFailureText(clause: ClauseResult): string {
  const failure = clause.failure
  if (clause.status !== 'failed' || !failure) return ''
  return [
    failure.message,
    labelled('Rule:    ', clause.rationale),
    labelled('Expected:', failure.expected),
    labelled('Actual:  ', failure.actual),
    '',
    formatExchanges(clause.exchanges),
  ].join('\n')
}
