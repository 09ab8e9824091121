import { api, type MailSummary } from './api.js'
import { byId, fill, h, time } from './dom.js'
import { problemBox } from './problem.js'
import { changed, hooks, state } from './state.js'

const base = (id: string): string => `/mail/${encodeURIComponent(id)}`

function size(bytes: number): string {
  return bytes < 1024 ? `${String(bytes)} B` : `${(bytes / 1024).toFixed(1)} KiB`
}

/** The mailbox, newest first (by receipt time, then id). */
export async function loadMail(): Promise<void> {
  const body = byId('mailbox-body')
  const result = await api<MailSummary[]>('GET', '/mail/')
  if (!result.ok) {
    if (changed('mail', JSON.stringify(result.problem))) {
      fill(
        body,
        h('p', { class: 'muted', text: 'The mailbox is not available on this simulator:' }),
        problemBox(result.problem),
      )
    }
    return
  }
  if (!changed('mail', `${result.text}|${String(state.mail)}`)) return
  const messages = result.data
    .slice()
    .sort((a, b) => Date.parse(b.receivedAt) - Date.parse(a.receivedAt) || b.id.localeCompare(a.id))
  fill(
    body,
    messages.length === 0
      ? h('p', {
          class: 'muted',
          text: 'No mail yet: the session outcome email is sent when a session ends.',
        })
      : h(
          'ul',
          { class: 'plain' },
          messages.map((m) =>
            h(
              'li',
              { class: m.id === state.mail ? 'selected' : '', 'data-mail-id': m.id },
              h('span', { class: 't', text: time(m.receivedAt) }),
              h('button', {
                type: 'button',
                class: 'link',
                text: m.subject === '' ? '(no subject)' : m.subject,
                onclick: () => {
                  hooks.openMail(m.id)
                },
              }),
              h('div', {
                class: 'muted',
                text: `from ${m.from} to ${m.to.join(', ')}${m.sessionId === null ? '' : ` · session #${m.sessionId}`}${m.attachments.length === 0 ? '' : ` · ${String(m.attachments.length)} attachment(s)`}`,
              }),
            ),
          ),
        ),
  )
}

/** One message: its headers, its text body and its attachments (downloadable). */
export async function showMail(id: string): Promise<void> {
  state.mail = id
  const view = byId('mail-view')
  view.hidden = false
  const result = await api<MailSummary>('GET', base(id))
  if (!result.ok) {
    fill(view, problemBox(result.problem))
    return
  }
  const m = result.data
  const headerRows = Object.entries(m.headers).map(([name, value]) =>
    h('tr', {}, h('th', { scope: 'row', text: name }), h('td', { class: 'mono', text: value })),
  )
  fill(
    view,
    h(
      'div',
      { class: 'row spread' },
      h('h3', { id: 'mail-subject', text: m.subject === '' ? '(no subject)' : m.subject }),
      h('button', {
        type: 'button',
        text: 'Close',
        'aria-label': 'Close the message',
        onclick: () => {
          state.mail = null
          view.hidden = true
          fill(view)
          state.last.delete('mail')
          hooks.refresh()
        },
      }),
    ),
    h(
      'dl',
      { class: 'facts' },
      h('dt', { text: 'From' }),
      h('dd', { text: m.from }),
      h('dt', { text: 'To' }),
      h('dd', { text: m.to.join(', ') }),
      h('dt', { text: 'Received' }),
      h('dd', { class: 'mono', text: m.receivedAt }),
      m.sessionId === null || m.sessionId === undefined
        ? null
        : [
            h('dt', { text: 'Session' }),
            h(
              'dd',
              {},
              h('button', {
                type: 'button',
                class: 'link',
                text: `#${m.sessionId}`,
                onclick: () => {
                  hooks.openSession(Number(m.sessionId))
                },
              }),
            ),
          ],
    ),
    h(
      'details',
      { class: 'headers' },
      h('summary', { text: `All headers (${String(headerRows.length)})` }),
      h('table', {}, h('tbody', {}, headerRows)),
    ),
    h('h4', { text: 'Body' }),
    h('pre', { class: 'mail-text', text: m.text === '' ? '(no text part)' : m.text }),
    h('h4', { text: 'Attachments' }),
    m.attachments.length === 0
      ? h('p', { class: 'muted', text: 'None.' })
      : h(
          'ul',
          { class: 'plain attachments' },
          m.attachments.map((a) =>
            h(
              'li',
              {},
              h('a', {
                href: `${base(m.id)}/attachments/${encodeURIComponent(a.filename)}`,
                download: a.filename,
                class: 'mono',
                text: a.filename,
              }),
              h('span', { class: 'muted', text: ` ${a.contentType} · ${size(a.size)}` }),
            ),
          ),
        ),
    h('p', {}, h('a', { href: `${base(m.id)}/raw`, class: 'muted', text: 'Raw message source' })),
  )
  state.last.delete('mail')
  view.scrollIntoView({ block: 'nearest' })
}
