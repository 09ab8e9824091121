/*
 * The console's browser entry point (bundled by esbuild, see ../bundle.ts): polls the control
 * API and the read-only views, listens to the SSE stream, and wires the forms.
 */
import { loadAgents, loadPeers } from './agents.js'
import { api, type Clock } from './api.js'
import { loadDeliveries, wireWebhookForm } from './deliveries.js'
import { loadFaults, wireFaultForm } from './faults.js'
import { byId, chip, fill, h, pretty, time } from './dom.js'
import { loadJournal, renderJournal } from './journal.js'
import { loadMail, showMail } from './mail.js'
import { problemBox } from './problem.js'
import { loadSession, loadSessions, SURFACE_ORDER } from './sessions.js'
import { loadScenarios, wireStartForm } from './start.js'
import { hooks, state } from './state.js'
import { loadStorage, showFile } from './storage.js'

async function loadClock(): Promise<void> {
  const result = await api<Clock>('GET', '/_sim/clock')
  if (!result.ok) {
    byId('clock-now').textContent = 'unavailable'
    return
  }
  const clock = result.data
  state.clock = clock
  byId('clock-mode').textContent =
    clock.mode + (clock.mode === 'scaled' ? ` ×${String(clock.scale)}` : '')
  const now = byId('clock-now')
  now.textContent = clock.now
  now.setAttribute('datetime', clock.now)
  byId('clock-pending').textContent = `${String(clock.pendingTimers)} timers pending`
  byId('clock-controls').hidden = clock.mode !== 'manual'
}

async function advance(ms: number): Promise<void> {
  const buttons = document.querySelectorAll<HTMLButtonElement>('#clock-controls button')
  for (const b of buttons) b.disabled = true
  const result = await api<Clock>('POST', '/_sim/clock', { advanceMs: ms })
  for (const b of buttons) b.disabled = false
  fill(byId('clock-error'), result.ok ? null : problemBox(result.problem))
  await refresh()
}

/* ---- live events (SSE) ---- */

interface StreamMessage {
  readonly at: string
  readonly surface: string
  readonly sessionId: number
  readonly contract: string
  readonly key: string
  readonly payload: unknown
}

const events: StreamMessage[] = []

function renderEvents(): void {
  fill(
    byId('events-body'),
    events.length === 0
      ? h('p', { class: 'muted', text: 'Waiting for emissions…' })
      : h(
          'ul',
          { class: 'plain' },
          events.map((m) =>
            h(
              'li',
              {},
              h(
                'details',
                {},
                h(
                  'summary',
                  {},
                  h('span', { class: 't', text: time(m.at) }),
                  chip(m.surface, 'info'),
                  ` #${String(m.sessionId)} `,
                  h('span', { class: 'mono', text: m.contract }),
                ),
                h('pre', { text: pretty(m.payload) }),
              ),
            ),
          ),
        ),
  )
}

function connectEvents(): void {
  const source = new EventSource('/events')
  const status = (text: string, tone: string): void => {
    fill(byId('events-status'), h('span', { class: `dot ${tone}` }), ` ${text}`)
  }
  status('connecting', '')
  source.addEventListener('open', () => {
    status('connected', 'open')
  })
  source.addEventListener('error', () => {
    status('reconnecting…', 'error')
  })
  const onEmission = (event: MessageEvent<string>): void => {
    let message: StreamMessage
    try {
      message = JSON.parse(event.data) as StreamMessage
    } catch {
      return
    }
    events.unshift(message)
    if (events.length > 100) events.length = 100
    // An open payload is not redrawn away under the reader.
    if (byId('events-body').querySelector('details[open]') === null) renderEvents()
    soon()
  }
  // The stream names each event after its surface; unnamed events arrive as "message".
  for (const name of ['message', 'emission', ...SURFACE_ORDER]) {
    source.addEventListener(name, onEmission as (event: Event) => void)
  }
}

/* ---- refresh: one at a time, then once more if asked while running ---- */

let refreshing = false
let again = false

async function refresh(): Promise<void> {
  if (refreshing) {
    again = true
    return
  }
  refreshing = true
  try {
    do {
      again = false
      await loadClock()
      await Promise.all([
        loadSessions(),
        loadSession(),
        loadJournal(),
        loadStorage(),
        loadMail(),
        loadAgents(),
        loadPeers(),
        loadDeliveries(),
        loadFaults(),
      ])
    } while (again)
  } finally {
    refreshing = false
    document.body.dataset['refreshed'] = String(Number(document.body.dataset['refreshed'] ?? 0) + 1)
  }
}

let soonTimer: ReturnType<typeof setTimeout> | null = null
function soon(): void {
  if (soonTimer !== null) return
  soonTimer = setTimeout(() => {
    soonTimer = null
    void refresh()
  }, 250)
}

function loop(): void {
  void refresh().finally(() => {
    setTimeout(loop, 1500)
  })
}

/* ---- adapter demo iframe ---- */

function toggleDemo(): void {
  const holder = byId('embed-demo')
  const toggle = byId('embed-toggle')
  if (holder.firstChild) {
    fill(holder)
    toggle.textContent = 'Try it here'
    toggle.setAttribute('aria-expanded', 'false')
    return
  }
  toggle.textContent = 'Close the demo'
  toggle.setAttribute('aria-expanded', 'true')
  const log = h('ul', { class: 'plain mono scroll demo-log', id: 'embed-log' })
  fill(
    holder,
    h('iframe', { class: 'demo', src: '/agent/?type=chat&from=custom', title: 'agent adapter' }),
    h('h3', { text: 'Messages posted to this page' }),
    log,
  )
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (event.origin !== location.origin || !holder.contains(log)) return
    let text = String(event.data)
    try {
      const { type, data } = JSON.parse(text) as { type: string; data: unknown }
      text = `${type} ${JSON.stringify(data)}`
    } catch {
      // shown as it came
    }
    log.prepend(h('li', { text }))
  })
}

/* ---- navigation: #session-<id> opens a session ---- */

function openSession(id: number): void {
  state.selected = id
  state.last.delete('session')
  state.last.delete('sessions')
  if (location.hash !== `#session-${String(id)}`)
    history.replaceState(null, '', `#session-${String(id)}`)
  void refresh().then(() => {
    byId('session').scrollIntoView({ block: 'start' })
    byId('session-heading').focus({ preventScroll: true })
  })
}

function fromHash(): void {
  const match = /^#session-(\d+)$/.exec(location.hash)
  if (match?.[1] !== undefined) openSession(Number(match[1]))
}

hooks.refresh = () => {
  void refresh()
}
hooks.openSession = openSession
hooks.openMail = (id) => {
  void showMail(id).then(() => {
    void refresh()
  })
}
hooks.openFile = (path) => {
  void showFile(path).then(() => {
    void refresh()
  })
}

for (const el of document.querySelectorAll('.origin')) el.textContent = location.origin
wireStartForm()
wireWebhookForm()
wireFaultForm()
for (const id of ['journal-type', 'journal-session', 'journal-text']) {
  byId(id).addEventListener('input', renderJournal)
}
for (const b of document.querySelectorAll<HTMLButtonElement>('#clock-controls button')) {
  b.addEventListener('click', () => {
    void advance(Number(b.dataset['ms']))
  })
}
byId('embed-toggle').addEventListener('click', toggleDemo)
window.addEventListener('hashchange', fromHash)
void loadScenarios()
connectEvents()
renderEvents()
fromHash()
loop()
