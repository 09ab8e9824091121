import {
  api,
  type CrmExchangeEntry,
  type JournalPage,
  type MailSummary,
  type SessionDetail,
  type SessionInput,
  type SessionSummary,
} from './api.js'
import { exchangeRow } from './crm.js'
import {
  byId,
  chip,
  disclosure,
  fill,
  h,
  plural,
  pretty,
  storageHref,
  time,
  type Child,
} from './dom.js'
import { problemBox } from './problem.js'
import { STATE_LEGEND } from '../shared.js'
import { changed, hooks, state } from './state.js'

export const SURFACE_ORDER = [
  'adapter',
  'vta',
  'qm',
  'metadata',
  'transcript',
  'storage',
  'email',
  'crm-variables',
]

export function stateChip(value: string): HTMLSpanElement {
  const chipEl = chip(value, value === 'complete' ? 'ok' : value === 'live' ? 'info' : 'warn')
  const meaning = STATE_LEGEND.find(([name]) => name === value)?.[1]
  if (meaning !== undefined) chipEl.title = meaning
  return chipEl
}

export async function loadSessions(): Promise<void> {
  const body = byId('sessions-body')
  const result = await api<SessionSummary[]>('GET', '/_sim/sessions')
  if (!result.ok) {
    fill(body, problemBox(result.problem))
    return
  }
  if (!changed('sessions', `${result.text}|${String(state.selected)}`)) return
  const sessions = result.data
    .slice()
    .sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt) || b.id - a.id)
  byId('sessions-count').textContent = plural(sessions.length, 'session')
  if (sessions.length === 0) {
    fill(body, h('p', { class: 'muted', text: 'No sessions yet: start a scenario.' }))
    return
  }
  const rows = sessions.slice(0, 300).map((s) =>
    h(
      'tr',
      { class: s.id === state.selected ? 'selected' : '', 'data-session-id': s.id },
      h(
        'td',
        {},
        h('button', {
          type: 'button',
          class: 'link mono',
          text: `#${String(s.id)}`,
          'aria-label': `Open session ${String(s.id)} (${s.scenario})`,
          onclick: () => {
            hooks.openSession(s.id)
          },
        }),
      ),
      h('td', { text: s.scenario }),
      h('td', { text: s.kind }),
      h('td', {}, stateChip(s.state)),
      h(
        'td',
        {},
        h('progress', {
          max: s.total,
          value: s.delivered,
          'aria-label': `${String(s.delivered)} of ${String(s.total)} delivered`,
        }),
        ' ',
        h('span', { class: 'mono', text: `${String(s.delivered)}/${String(s.total)}` }),
      ),
      h('td', { class: 't', text: time(s.startedAt) }),
    ),
  )
  fill(
    body,
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['id', 'scenario', 'kind', 'state', 'delivered/total', 'started'].map((t) =>
            h('th', { scope: 'col', text: t }),
          ),
        ),
      ),
      h('tbody', {}, rows),
    ),
  )
}

/** Who gave an input: the prefix of its type (`agent.accept` → agent). */
function actor(input: SessionInput): string {
  const dot = input.type.indexOf('.')
  return dot < 0 ? input.type : input.type.slice(0, dot)
}

const ACTOR_TONE: Readonly<Record<string, 'ok' | 'warn' | 'info' | undefined>> = {
  agent: 'info',
  customer: 'ok',
  crm: 'warn',
  api: 'info',
}

function inputsLane(inputs: readonly SessionInput[]): HTMLElement {
  return h(
    'div',
    { class: 'lane', 'data-lane': 'inputs' },
    h('h3', {}, 'inputs ', h('span', { class: 'muted', text: `${String(inputs.length)} applied` })),
    inputs.length === 0
      ? h('p', { class: 'muted', text: 'No input applied yet.' })
      : h(
          'ul',
          { class: 'plain' },
          inputs.map((input, i) => {
            const { type: _type, at: _at, ...rest } = input
            return h(
              'li',
              {},
              disclosure(state.open, `in:${String(state.selected)}:${String(i)}`, {
                summary: [
                  h('span', { class: 't', text: time(input.at) }),
                  chip(actor(input), ACTOR_TONE[actor(input)]),
                  ' ',
                  h('span', { class: 'mono', text: input.type }),
                ],
                body: () => h('pre', { text: pretty(rest) }),
              }),
            )
          }),
        ),
  )
}

function crmLane(exchanges: readonly CrmExchangeEntry[] | null): HTMLElement {
  return h(
    'div',
    { class: 'lane lane-wide', 'data-lane': 'crm' },
    h(
      'h3',
      {},
      'CRM ',
      h('span', {
        class: 'muted',
        text:
          exchanges === null
            ? 'the journal is not readable'
            : `${plural(exchanges.length, 'request')} to the generic API`,
      }),
    ),
    exchanges === null || exchanges.length === 0
      ? h('p', { class: 'muted', text: 'No request to the CRM (yet, or crm.enabled is false).' })
      : h(
          'ul',
          { class: 'plain' },
          exchanges.map((e) => h('li', {}, exchangeRow(state.open, e))),
        ),
  )
}

function filesLane(detail: SessionDetail): HTMLElement {
  const files = detail.files
  return h(
    'div',
    { class: 'lane', 'data-lane': 'files' },
    h('h3', {}, 'storage files ', h('span', { class: 'muted', text: String(files.length) })),
    files.length === 0
      ? h('p', { class: 'muted', text: 'No storage file for this session yet.' })
      : h(
          'ul',
          { class: 'plain' },
          files.map((f) =>
            h(
              'li',
              { class: 'file' },
              h('span', { class: 't', text: time(f.at) }),
              h('button', {
                type: 'button',
                class: 'link mono',
                text: f.path.split('/').at(-1) ?? f.path,
                title: f.path,
                onclick: () => {
                  hooks.openFile(f.path)
                },
              }),
              ' ',
              h('a', {
                href: storageHref(f.path),
                class: 'muted',
                text: 'raw',
                'aria-label': `raw ${f.path}`,
              }),
            ),
          ),
        ),
  )
}

function mailLane(mail: readonly MailSummary[] | null): HTMLElement {
  return h(
    'div',
    { class: 'lane', 'data-lane': 'mail' },
    h('h3', { text: 'mail' }),
    mail === null
      ? h('p', { class: 'muted', text: 'No mailbox (mail goes to an outside SMTP server).' })
      : mail.length === 0
        ? h('p', { class: 'muted', text: 'No mail for this session yet (sent when it ends).' })
        : h(
            'ul',
            { class: 'plain' },
            mail.map((m) =>
              h(
                'li',
                {},
                h('span', { class: 't', text: time(m.receivedAt) }),
                h('button', {
                  type: 'button',
                  class: 'link',
                  text: m.subject === '' ? '(no subject)' : m.subject,
                  onclick: () => {
                    hooks.openMail(m.id)
                  },
                }),
              ),
            ),
          ),
  )
}

function facts(s: SessionDetail): HTMLElement {
  const story = s.story
  const agents = (story.agents ?? [])
    .map((a) => `${a.name ?? '?'} (#${String(a.id ?? '?')})`)
    .join(', ')
  const endUser = story.endUser
  return h(
    'dl',
    { class: 'facts' },
    h('dt', { text: 'session' }),
    h(
      'dd',
      {},
      h('strong', { text: `#${String(s.id)}` }),
      ` ${s.scenario} · seed ${String(s.seed)} · `,
      stateChip(s.state),
      ` ${String(s.delivered)}/${String(s.total)} delivered · agent ${s.agent}`,
    ),
    h('dt', { text: 'kind' }),
    h('dd', {
      text: [story.kind, story.channel, story.legacyType, story.outcome]
        .filter(Boolean)
        .join(' · '),
    }),
    h('dt', { text: 'end user' }),
    h('dd', {
      text: endUser ? `${endUser.name ?? ''} ${endUser.phone ?? endUser.email ?? ''}` : '—',
    }),
    h('dt', { text: 'queue' }),
    h('dd', { text: story.queue?.path ?? '—' }),
    h('dt', { text: 'agents' }),
    h('dd', { text: agents === '' ? '—' : agents }),
    story.ticket
      ? [
          h('dt', { text: 'CRM record' }),
          h(
            'dd',
            { class: 'record' },
            h('span', { class: 'mono', text: story.ticket.id ?? '' }),
            story.ticket.url
              ? [' ', h('span', { class: 'mono muted url', text: story.ticket.url })]
              : null,
          ),
        ]
      : null,
  )
}

function stepDetail(step: Readonly<Record<string, unknown>>): string {
  const rest = Object.fromEntries(
    Object.entries(step).filter(([key]) => key !== 'at' && key !== 'seq' && key !== 'kind'),
  )
  const text = Object.keys(rest).length === 0 ? '' : JSON.stringify(rest)
  return text.length > 140 ? `${text.slice(0, 140)}…` : text
}

/** The session page: facts, then one lane per surface, the CRM, the inputs, files and mail. */
export async function loadSession(): Promise<void> {
  const target = byId('session-body')
  const id = state.selected
  if (id === null) {
    if (changed('session', 'none')) {
      fill(
        target,
        h('p', {
          class: 'muted',
          text: 'Open a session (in the list above) to see its story, every payload by surface, its requests to the CRM, the inputs that drove it, its files and mail.',
        }),
      )
    }
    return
  }
  const [detail, crm, mail] = await Promise.all([
    api<SessionDetail>('GET', `/_sim/sessions/${String(id)}`),
    api<JournalPage>('GET', `/_sim/journal?type=crm-exchange&limit=5000&session=${String(id)}`),
    api<MailSummary[]>('GET', `/mail/?session=${String(id)}`),
  ])
  if (!detail.ok) {
    if (changed('session', JSON.stringify(detail.problem))) fill(target, problemBox(detail.problem))
    return
  }
  const key = [
    detail.text,
    crm.ok ? crm.text : '',
    mail.ok ? mail.text : '',
    state.clock?.now,
  ].join('|')
  if (!changed('session', key)) return
  const s = detail.data
  byId('session-title').textContent = `#${String(s.id)} ${s.scenario}`
  const now = state.clock ? Date.parse(state.clock.now) : Number.POSITIVE_INFINITY
  const steps = h(
    'ol',
    { class: 'plain' },
    s.timeline.map((step) =>
      h(
        'li',
        { class: `step ${Date.parse(step.at) <= now ? 'past' : 'future'}` },
        h('span', { class: 't', text: time(step.at) }),
        h('strong', { text: step.kind }),
        ' ',
        h('span', { class: 'mono muted', text: stepDetail(step) }),
      ),
    ),
  )
  const bySurface = new Map<string, SessionDetail['emissions'][number][]>()
  for (const e of s.emissions) {
    const list = bySurface.get(e.surface) ?? []
    list.push(e)
    bySurface.set(e.surface, list)
  }
  const rank = (surface: string): number => {
    const at = SURFACE_ORDER.indexOf(surface)
    return at < 0 ? 99 : at
  }
  const lanes: Child[] = [...bySurface.keys()]
    .sort((a, b) => rank(a) - rank(b))
    .map((surface) => {
      const list = bySurface.get(surface) ?? []
      return h(
        'div',
        { class: 'lane', 'data-surface': surface },
        h('h3', {}, surface, ' ', h('span', { class: 'muted', text: String(list.length) })),
        h(
          'ul',
          { class: 'plain' },
          list.map((e) =>
            h(
              'li',
              { class: `emission ${e.published ? 'published' : 'pending'}` },
              disclosure(state.open, `em:${e.key}`, {
                summary: [
                  h('span', { class: 't', text: time(e.at) }),
                  h('span', { class: 'mono', text: e.contract }),
                  e.published ? null : [' ', chip('pending', 'warn')],
                ],
                body: () => h('pre', { text: pretty(e.payload) }),
              }),
            ),
          ),
        ),
      )
    })
  const exchanges = crm.ok
    ? (crm.data.entries.filter((e) => e.type === 'crm-exchange') as CrmExchangeEntry[])
    : null
  fill(
    target,
    facts(s),
    h(
      'div',
      { class: 'lanes' },
      crmLane(exchanges),
      h('div', { class: 'lane story' }, h('h3', { text: 'story steps' }), steps),
      inputsLane(s.inputs),
      lanes,
      filesLane(s),
      mailLane(mail.ok ? mail.data : null),
    ),
  )
}
