import { api, type Agent } from './api.js'
import { byId, chip, disclosure, fill, h, plural, time } from './dom.js'
import { problemBox } from './problem.js'
import { changed, hooks, state } from './state.js'

const PRESENCE_TONE: Readonly<Record<string, 'ok' | 'warn' | 'bad' | 'info'>> = {
  available: 'ok',
  busy: 'info',
  wrap_up: 'warn',
  unavailable: 'warn',
  logged_out: 'bad',
}

async function command(agent: Agent, name: string): Promise<void> {
  const result = await api<Agent>('POST', `/_sim/agents/${String(agent.id)}/${name}`, {})
  fill(byId('agents-result'), result.ok ? null : problemBox(result.problem))
  hooks.refresh()
}

/** The roster: presence, the sessions each agent holds, presence buttons and a take-over link. */
export async function loadAgents(): Promise<void> {
  const body = byId('agents-body')
  const result = await api<Agent[]>('GET', '/_sim/agents')
  if (!result.ok) {
    if (changed('agents', JSON.stringify(result.problem))) fill(body, problemBox(result.problem))
    return
  }
  if (!changed('agents', result.text)) return
  const agents = result.data
  byId('agents-count').textContent =
    `${String(agents.filter((a) => a.presence !== 'logged_out').length)} of ${String(agents.length)} logged in`
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
          ['agent', 'presence', 'holds', 'actions'].map((t) => h('th', { scope: 'col', text: t })),
        ),
      ),
      h(
        'tbody',
        {},
        agents.map((a) =>
          h(
            'tr',
            { 'data-agent-id': a.id },
            h(
              'td',
              {},
              h('strong', { text: a.name }),
              h('div', {
                class: 'muted mono',
                text: `#${String(a.id)}${a.manual ? ' · manual' : ''}`,
              }),
            ),
            h(
              'td',
              {},
              chip(a.presence, PRESENCE_TONE[a.presence]),
              h('div', {
                class: 'muted',
                text: `since ${time(a.since)}${a.reason === null ? '' : ` · ${a.reason}`}`,
              }),
            ),
            h(
              'td',
              {},
              a.sessions.length === 0
                ? h('span', { class: 'muted', text: '—' })
                : a.sessions.map((id) => [
                    h('button', {
                      type: 'button',
                      class: 'link mono',
                      text: `#${String(id)}`,
                      'aria-label': `Open session ${String(id)}`,
                      onclick: () => {
                        hooks.openSession(id)
                      },
                    }),
                    ' ',
                  ]),
            ),
            h(
              'td',
              { class: 'actions' },
              (a.presence === 'logged_out'
                ? ['login']
                : ['available', 'unavailable', 'logout']
              ).map((name) =>
                h('button', {
                  type: 'button',
                  text: name,
                  'aria-label': `${name} ${a.name}`,
                  onclick: () => {
                    void command(a, name)
                  },
                }),
              ),
              h('a', {
                href: `/agent/?type=chat&from=custom&agent=${String(a.id)}&manual=1`,
                target: '_blank',
                rel: 'noopener',
                text: 'take over',
                'aria-label': `Take over ${a.name} in the adapter page`,
              }),
            ),
          ),
        ),
      ),
    ),
  )
}

interface PeerTraffic {
  readonly messagesIn: number
  readonly messagesOut: number
  readonly recent: readonly {
    readonly at: string
    readonly direction: 'in' | 'out'
    readonly client: string
    readonly name: string
  }[]
}

/** A peer's message counts, and its newest messages behind a disclosure. */
function trafficView(peer: string, traffic: PeerTraffic): HTMLElement {
  const counts = `${plural(traffic.messagesIn, 'message')} in, ${String(traffic.messagesOut)} out`
  if (traffic.recent.length === 0) return h('p', { class: 'muted', text: `Traffic: ${counts}.` })
  return disclosure(state.open, `peer-traffic:${peer}`, {
    attrs: { 'data-traffic': peer },
    summary: [`Traffic: ${counts} (newest ${String(traffic.recent.length)})`],
    body: () =>
      h(
        'table',
        {},
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col', text: 'Time' }),
            h('th', { scope: 'col', text: 'Direction' }),
            h('th', { scope: 'col', text: 'Client' }),
            h('th', { scope: 'col', text: 'Message' }),
          ),
        ),
        h(
          'tbody',
          {},
          [...traffic.recent]
            .reverse()
            .map((m) =>
              h(
                'tr',
                {},
                h('td', { class: 'mono', text: time(m.at) }),
                h('td', { text: m.direction === 'in' ? 'from client' : 'to client' }),
                h('td', { class: 'mono', text: m.client }),
                h('td', { class: 'mono', text: m.name }),
              ),
            ),
        ),
      ),
  })
}

interface Peers {
  readonly harmony: {
    readonly traffic: PeerTraffic
    readonly sessions: readonly {
      readonly id: string
      readonly agentId: number
      readonly started: boolean
      readonly bound: boolean
    }[]
  }
  readonly expertflow: {
    readonly clients: number
    readonly traffic: PeerTraffic
    readonly agents: readonly {
      readonly agentId: string
      readonly rosterId: number
      readonly supervisor: boolean
      readonly loggedIn: boolean
      readonly conversations: readonly number[]
    }[]
  } | null
}

/** Who is connected to the Harmony and Expertflow peers. */
export async function loadPeers(): Promise<void> {
  const body = byId('peers-body')
  const result = await api<Peers>('GET', '/_sim/peers')
  if (!result.ok) {
    if (changed('peers', JSON.stringify(result.problem))) fill(body, problemBox(result.problem))
    return
  }
  if (!changed('peers', result.text)) return
  const { harmony, expertflow } = result.data
  const sessionLink = (id: number): HTMLButtonElement =>
    h('button', {
      type: 'button',
      class: 'link mono',
      text: `#${String(id)}`,
      'aria-label': `Open session ${String(id)}`,
      onclick: () => {
        hooks.openSession(id)
      },
    })
  fill(
    body,
    h('h4', { text: 'Harmony (/harmony)' }),
    harmony.sessions.length === 0
      ? h('p', { class: 'muted', text: 'No session resource: no Harmony client has prepared one.' })
      : h(
          'ul',
          { class: 'plain', 'data-peer': 'harmony' },
          harmony.sessions.map((s) =>
            h(
              'li',
              {},
              h('span', { class: 'mono', text: s.id }),
              ` agent #${String(s.agentId)} `,
              s.bound ? chip('client connected', 'ok') : chip('no client', 'warn'),
              s.started ? '' : [' ', chip('not started')],
            ),
          ),
        ),
    trafficView('harmony', harmony.traffic),
    h('h4', { text: 'Expertflow (/expertflow)' }),
    expertflow === null
      ? h('p', { class: 'muted', text: 'Off (configuration peers.expertflow.enabled).' })
      : h(
          'div',
          { 'data-peer': 'expertflow' },
          h('p', {
            class: 'muted',
            text: `${String(expertflow.clients)} socket.io client(s) connected`,
          }),
          h(
            'ul',
            { class: 'plain' },
            expertflow.agents.map((a) =>
              h(
                'li',
                {},
                h('span', { class: 'mono', text: a.agentId }),
                ` (roster #${String(a.rosterId)}${a.supervisor ? ', supervisor' : ''}) `,
                a.loggedIn ? chip('logged in', 'ok') : chip('logged out', 'warn'),
                a.conversations.map((id) => [' ', sessionLink(id)]),
              ),
            ),
          ),
          trafficView('expertflow', expertflow.traffic),
        ),
  )
}
