import type { CrmExchangeEntry } from './api.js'
import { chip, disclosure, h, time, type Child } from './dom.js'
import { shownBody } from './secrets.js'

function outcomeTone(outcome: string): 'ok' | 'warn' | 'bad' {
  if (outcome === 'failed') return 'bad'
  return outcome === 'ok' || outcome === 'not_found' ? 'ok' : 'warn'
}

/** The one-line summary of a request to the CRM and its answer. */
export function exchangeSummary(e: CrmExchangeEntry): Child[] {
  return [
    h('span', { class: 't', text: time(e.at) }),
    chip(e.outcome, outcomeTone(e.outcome)),
    ' ',
    h('strong', { text: e.step }),
    ' ',
    h('span', { class: 'mono', text: `${e.method} ${e.url}` }),
    e.status === undefined
      ? null
      : [' ', chip(`HTTP ${String(e.status)}`, e.status < 400 ? 'ok' : 'bad')],
    e.durationMs === undefined
      ? null
      : h('span', { class: 'muted', text: ` ${String(e.durationMs)} ms` }),
    e.attempt > 1 ? h('span', { class: 'muted', text: ` · attempt ${String(e.attempt)}` }) : null,
    e.error === undefined ? null : h('span', { class: 'bad-text', text: ` · ${e.error}` }),
  ]
}

/** The exchange in full: request line and headers (masked), bodies pretty-printed. */
export function exchangeBody(e: CrmExchangeEntry): HTMLElement {
  const headers = Object.entries(e.requestHeaders)
    .map(([name, value]) => `${name}: ${value}`)
    .join('\n')
  return h(
    'div',
    { class: 'exchange' },
    h(
      'dl',
      { class: 'facts' },
      h('dt', { text: 'endpoint' }),
      h('dd', { class: 'mono', text: e.endpoint }),
      h('dt', { text: 'attempt' }),
      h('dd', { text: String(e.attempt) }),
      h('dt', { text: 'answer' }),
      h('dd', {
        text:
          e.status === undefined
            ? (e.error ?? 'no answer')
            : `HTTP ${String(e.status)}${e.durationMs === undefined ? '' : ` in ${String(e.durationMs)} ms`}`,
      }),
    ),
    h('h4', { text: 'Request' }),
    h('pre', { class: 'request', text: `${e.method} ${e.url}\n${headers}` }),
    e.requestBody === undefined
      ? h('p', { class: 'muted', text: 'No request body.' })
      : h('pre', { class: 'request-body', text: shownBody(e.requestBody) }),
    h('h4', { text: 'Response' }),
    e.responseBody === undefined
      ? h('p', {
          class: 'muted',
          text: e.error === undefined ? 'No response body.' : `No response: ${e.error}`,
        })
      : h('pre', { class: 'response-body', text: shownBody(e.responseBody) }),
  )
}

export function exchangeRow(open: Set<string>, e: CrmExchangeEntry): HTMLDetailsElement {
  return disclosure(open, `crm:${String(e.seq)}`, {
    summary: exchangeSummary(e),
    body: () => exchangeBody(e),
    attrs: { class: 'crm-exchange' },
  })
}
