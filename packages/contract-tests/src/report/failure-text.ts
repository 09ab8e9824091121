import type { ClauseResult, Exchange } from '../core/types.js'

const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F]/g

/** Control characters a CRM sent (ESC, NUL, a lone CR) shown as `\xNN`, so no terminal acts on them. */
function visible(text: string): string {
  return text.replace(CONTROL, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`)
}

/**
 * `CRM-001 title`: the id then the title, without repeating the id when the title already starts
 * with it.
 */
export function clauseLabel(clause: { readonly id: string; readonly title: string }): string {
  return clause.title === clause.id || clause.title.startsWith(`${clause.id} `)
    ? clause.title
    : `${clause.id} ${clause.title}`
}

function headerLines(prefix: string, headers: Readonly<Record<string, string>>): string[] {
  return Object.entries(headers).map(
    ([name, value]) => `${prefix} ${visible(name)}: ${visible(value)}`,
  )
}

function bodyLines(prefix: string, body: string | undefined): string[] {
  if (body === undefined || body === '') return []
  return [prefix, ...body.split(/\r?\n/).map((line) => `${prefix} ${visible(line)}`)]
}

/**
 * One exchange as plain text, curl-style: `>` lines are what was sent (request line, headers, body),
 * `<` lines what came back (status, headers, body), or the error when nothing came.
 */
export function formatExchange(exchange: Exchange, label: string): string {
  const { request, response, error } = exchange
  const lines = [
    `${label} (${Math.round(exchange.durationMs)} ms)`,
    `> ${visible(request.method)} ${visible(request.url)}`,
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
  if (error !== undefined) lines.push(`! ${visible(error)}`)
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
