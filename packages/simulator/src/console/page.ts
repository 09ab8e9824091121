/*
 * The console at `/`: one self-contained HTML page (no external assets, no build step) that reads
 * the control API, the read-only views and the SSE stream. Every piece of data reaches the DOM
 * through `textContent` or attribute setters, never through `innerHTML`, because payload strings
 * are generated (and, in a reset-and-replay demo, may be anything).
 */

/** Written so a CSP hash can cover it: no interpolation, kept byte-stable. */
export const CONSOLE_STYLE = String.raw`
:root {
  --bg: #f6f7f9; --panel: #fff; --ink: #1d2330; --muted: #667085; --line: #e3e6ec;
  --accent: #2457c5; --ok: #1f7a45; --warn: #a15c00; --bad: #b42318; --chip: #eef1f6;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, 'Liberation Mono', monospace;
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; }
header { display: flex; flex-wrap: wrap; gap: 12px 24px; align-items: center; padding: 12px 20px;
  background: var(--panel); border-bottom: 1px solid var(--line); position: sticky; top: 0; z-index: 2; }
header h1 { font-size: 17px; margin: 0; }
header h1 small { color: var(--muted); font-weight: normal; }
header nav { margin-left: auto; display: flex; gap: 14px; }
a { color: var(--accent); }
main { display: grid; gap: 16px; padding: 16px 20px 40px;
  grid-template-columns: repeat(6, minmax(0, 1fr));
  grid-template-areas: 'start start sessions sessions sessions sessions'
    'timeline timeline timeline timeline timeline timeline'
    'journal journal journal events events events'
    'storage storage storage mailbox mailbox mailbox' 'embed embed embed embed embed embed'; }
@media (max-width: 900px) { main { grid-template-columns: minmax(0, 1fr);
  grid-template-areas: 'start' 'sessions' 'timeline' 'journal' 'events' 'storage' 'mailbox' 'embed'; } }
#start { grid-area: start; } #sessions { grid-area: sessions; } #timeline { grid-area: timeline; }
#journal { grid-area: journal; } #events { grid-area: events; } #storage { grid-area: storage; }
#mailbox { grid-area: mailbox; } #embed { grid-area: embed; }
section { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px;
  min-width: 0; }
section > h2 { font-size: 15px; margin: 0 0 8px; display: flex; gap: 8px; align-items: baseline; }
section > h2 .hint { color: var(--muted); font-weight: normal; font-size: 12px; }
.scroll { max-height: 360px; overflow: auto; }
.muted { color: var(--muted); }
.mono, pre, code { font-family: var(--mono); font-size: 12px; }
pre { background: #f3f5f8; border: 1px solid var(--line); border-radius: 6px; padding: 8px;
  overflow: auto; max-height: 320px; margin: 6px 0; white-space: pre-wrap; word-break: break-word; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 6px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 12px; color: var(--muted); font-weight: 600; }
tr.clickable { cursor: pointer; }
tr.clickable:hover, li.clickable:hover { background: #f3f6fc; }
tr.selected { background: #e8effc; }
.chip { display: inline-block; padding: 0 7px; border-radius: 10px; background: var(--chip);
  font-size: 12px; white-space: nowrap; }
.chip.ok { background: #e3f4ea; color: var(--ok); } .chip.warn { background: #fff1dc; color: var(--warn); }
.chip.bad { background: #fde8e6; color: var(--bad); } .chip.info { background: #e8effc; color: var(--accent); }
button { font: inherit; padding: 4px 10px; border: 1px solid var(--line); border-radius: 6px;
  background: #fff; cursor: pointer; }
button.primary { background: var(--accent); color: #fff; border-color: var(--accent); }
button:disabled { opacity: .55; cursor: default; }
label { display: block; margin: 6px 0 2px; font-size: 12px; color: var(--muted); }
select, input { font: inherit; padding: 4px 6px; border: 1px solid var(--line); border-radius: 6px; width: 100%; }
.row { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
.clock { display: flex; gap: 10px; align-items: center; flex-wrap: wrap; }
.clock .now { font-family: var(--mono); font-size: 14px; }
.problem { border: 1px solid #f3c2bd; background: #fff6f5; color: var(--bad); border-radius: 6px;
  padding: 6px 10px; margin: 8px 0; }
.problem ul { margin: 4px 0 0; padding-left: 18px; }
.problem code { color: var(--ink); }
.notice { color: var(--ok); margin: 8px 0; }
ul.plain { list-style: none; margin: 0; padding: 0; }
ul.plain > li { padding: 4px 6px; border-bottom: 1px solid var(--line); }
li.clickable { cursor: pointer; }
.lanes { display: grid; gap: 12px; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); }
.lane h3, .story h3 { font-size: 13px; margin: 10px 0 4px; }
.step.future, .emission.pending { color: var(--muted); }
.t { font-family: var(--mono); font-size: 12px; color: var(--muted); margin-right: 6px; }
progress { width: 90px; vertical-align: middle; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 4px 0 8px; }
.facts dt { color: var(--muted); } .facts dd { margin: 0; }
.dot { display: inline-block; width: 8px; height: 8px; border-radius: 50%; background: var(--muted); }
.dot.open { background: var(--ok); } .dot.error { background: var(--bad); }
ul.demo-log li { word-break: break-all; }
iframe.demo { width: 100%; height: 260px; border: 1px solid var(--line); border-radius: 6px; }
`

/** The console's script (plain modern JS); `String.raw` keeps its backslashes, and it uses no backticks. */
export const CONSOLE_SCRIPT = String.raw`
'use strict'
const SURFACE_ORDER = ['adapter', 'vta', 'qm', 'metadata', 'transcript', 'storage', 'email', 'crm-variables']
const JOURNAL_KEEP = 2000
const state = {
  clock: null, selected: null, openKeys: new Set(), last: {}, journal: [], journalNext: 0,
  journalDropped: 0, journalFilter: '', events: [], refreshing: false, again: false,
}

/* DOM helpers: text goes in as text nodes, never as markup. */
function h(tag, attrs, ...children) {
  const el = document.createElement(tag)
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue
    if (key === 'class') el.className = value
    else if (key === 'text') el.textContent = String(value)
    else if (key === 'href') el.setAttribute('href', safeHref(value))
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value)
    else el.setAttribute(key, String(value))
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue
    el.append(child instanceof Node ? child : document.createTextNode(String(child)))
  }
  return el
}
/* Only same-origin paths become links: a payload can never smuggle a javascript: URL in. */
function safeHref(value) {
  const text = String(value)
  return text.startsWith('/') && !text.startsWith('//') ? text : '#'
}
function $(id) { return document.getElementById(id) }
function fill(el, ...children) { el.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false)) }
function time(value) {
  const ms = typeof value === 'number' ? value : Date.parse(value)
  if (!Number.isFinite(ms)) return String(value)
  return new Date(ms).toISOString().slice(11, 19)
}
function chip(text, tone) { return h('span', { class: 'chip' + (tone ? ' ' + tone : ''), text }) }
function json(value) { return JSON.stringify(value, null, 2) }

/* One call to the simulator: JSON in and out; a problem+json (or any failure) comes back as problem. */
async function api(method, path, body) {
  let response
  try {
    response = await fetch(path, {
      method,
      headers: body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json', accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  } catch (error) {
    return { ok: false, problem: { title: 'The simulator is not reachable', detail: String(error && error.message || error) } }
  }
  const text = await response.text()
  let data = null
  try { data = text === '' ? null : JSON.parse(text) } catch { data = null }
  if (!response.ok) {
    const problem = data && typeof data === 'object' ? data : { title: 'HTTP ' + response.status, detail: text.slice(0, 300) }
    return { ok: false, status: response.status, problem }
  }
  return { ok: true, status: response.status, data, text }
}

function problemBox(problem) {
  const issues = Array.isArray(problem.issues) ? problem.issues : []
  return h('div', { class: 'problem', role: 'alert' },
    h('strong', { text: String(problem.title || 'Error') }),
    problem.type ? [' ', chip(String(problem.type), 'bad')] : null,
    // A validation detail only repeats its issues, which are listed below by field.
    problem.detail && !issues.some((i) => String(problem.detail).includes(String(i.message))) ? h('div', { text: String(problem.detail) }) : null,
    issues.length > 0 ? h('ul', {}, issues.map((issue) => h('li', {},
      h('code', { text: String(issue.path) }), ': expected ', String(issue.expected), ', received ', String(issue.received)))) : null)
}

/* Skips re-rendering a panel whose data did not change, so open payloads and scroll positions stay put. */
function changed(name, text) {
  if (state.last[name] === text) return false
  state.last[name] = text
  return true
}

/* ---- clock ---- */
async function loadClock() {
  const result = await api('GET', '/_sim/clock')
  if (!result.ok) { fill($('clock-now'), 'unavailable'); return }
  const clock = result.data
  state.clock = clock
  $('clock-mode').textContent = clock.mode + (clock.mode === 'scaled' ? ' \u00d7' + clock.scale : '')
  $('clock-now').textContent = clock.now
  $('clock-now').setAttribute('datetime', clock.now)
  $('clock-pending').textContent = clock.pendingTimers + ' timers pending'
  $('clock-controls').hidden = clock.mode !== 'manual'
}
async function advance(ms) {
  const buttons = document.querySelectorAll('#clock-controls button')
  buttons.forEach((b) => { b.disabled = true })
  const result = await api('POST', '/_sim/clock', { advanceMs: ms })
  buttons.forEach((b) => { b.disabled = false })
  fill($('clock-error'), result.ok ? null : problemBox(result.problem))
  await refresh()
}

/* ---- start a scenario ---- */
async function loadScenarios() {
  const result = await api('GET', '/_sim/scenarios')
  const select = $('scenario')
  if (!result.ok) { fill($('start-result'), problemBox(result.problem)); return }
  state.scenarios = result.data
  fill(select, result.data.map((s) => h('option', { value: s.name, text: s.title + ' (' + s.name + ')' })))
  describeScenario()
}
function describeScenario() {
  const scenario = (state.scenarios || []).find((s) => s.name === $('scenario').value)
  $('scenario-description').textContent = scenario ? scenario.description + ' [' + scenario.kind + ', ' + scenario.channel + ']' : ''
}
async function startScenario(event) {
  event.preventDefault()
  const body = { scenario: $('scenario').value }
  const raw = $('seed').value.trim()
  // What was typed goes to the server as is (a number when it looks like one): the server judges it.
  if (raw !== '') body.seed = /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw
  $('start-button').disabled = true
  const result = await api('POST', '/_sim/sessions', body)
  $('start-button').disabled = false
  if (!result.ok) { fill($('start-result'), problemBox(result.problem)); return }
  const session = result.data
  fill($('start-result'), h('div', { class: 'notice' }, 'Started session ', h('strong', { text: '#' + session.id }), ' (' + session.scenario + ', seed ' + session.seed + ')'))
  state.selected = session.id
  await refresh()
}

/* ---- sessions ---- */
function stateChip(value) { return chip(value, value === 'complete' ? 'ok' : value === 'live' ? 'info' : 'warn') }
async function loadSessions() {
  const result = await api('GET', '/_sim/sessions')
  if (!result.ok) { fill($('sessions-body'), problemBox(result.problem)); return }
  if (!changed('sessions', result.text + '|' + state.selected)) return
  const sessions = result.data.slice().sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt) || b.id - a.id)
  $('sessions-count').textContent = sessions.length + ' session' + (sessions.length === 1 ? '' : 's')
  if (sessions.length === 0) { fill($('sessions-body'), h('p', { class: 'muted', text: 'No sessions yet: start a scenario.' })); return }
  const rows = sessions.slice(0, 300).map((s) => h('tr', {
    class: 'clickable' + (s.id === state.selected ? ' selected' : ''), 'data-session-id': s.id, tabindex: 0,
    onclick: () => { void select(s.id) },
    onkeydown: (e) => { if (e.key === 'Enter') void select(s.id) },
  },
  h('td', { class: 'mono', text: s.id }), h('td', { text: s.scenario }), h('td', { text: s.kind }),
  h('td', {}, stateChip(s.state)),
  h('td', {}, h('progress', { max: s.total, value: s.delivered }), ' ', h('span', { class: 'mono', text: s.delivered + '/' + s.total })),
  h('td', { class: 't', text: time(s.startedAt) })))
  fill($('sessions-body'), h('table', {},
    h('thead', {}, h('tr', {}, ['id', 'scenario', 'kind', 'state', 'delivered/total', 'started'].map((t) => h('th', { text: t })))),
    h('tbody', {}, rows)))
}
async function select(id) {
  state.selected = id
  state.openKeys.clear()
  await refresh()
  $('timeline').scrollIntoView({ block: 'start', behavior: 'smooth' })
}

/* ---- timeline of the selected session ---- */
function stepDetail(step) {
  const rest = {}
  for (const [key, value] of Object.entries(step)) if (key !== 'at' && key !== 'seq' && key !== 'kind') rest[key] = value
  const text = Object.keys(rest).length === 0 ? '' : JSON.stringify(rest)
  return text.length > 140 ? text.slice(0, 140) + '\u2026' : text
}
function payloadToggle(key, payload, label) {
  const open = state.openKeys.has(key)
  const item = h('li', { class: 'clickable', 'data-key': key })
  item.append(...label)
  if (open) item.append(h('pre', { text: json(payload) }))
  item.addEventListener('click', (event) => {
    if (event.target instanceof Element && event.target.closest('pre')) return
    if (state.openKeys.has(key)) state.openKeys.delete(key)
    else state.openKeys.add(key)
    const pre = item.querySelector('pre')
    if (pre) pre.remove()
    else item.append(h('pre', { text: json(payload) }))
  })
  return item
}
async function loadTimeline() {
  const target = $('timeline-body')
  if (state.selected === null) { if (changed('timeline', 'none')) fill(target, h('p', { class: 'muted', text: 'Select a session to see its story and every payload it produces, surface by surface.' })); return }
  const result = await api('GET', '/_sim/sessions/' + encodeURIComponent(state.selected))
  if (!result.ok) { if (changed('timeline', JSON.stringify(result.problem))) fill(target, problemBox(result.problem)); return }
  if (!changed('timeline', result.text)) return
  const s = result.data
  const now = state.clock ? Date.parse(state.clock.now) : Infinity
  const story = s.story || {}
  const agents = (story.agents || []).map((a) => a.name + ' (#' + a.id + ')').join(', ')
  const facts = h('dl', { class: 'facts' },
    h('dt', { text: 'session' }), h('dd', {}, h('strong', { text: '#' + s.id }), ' ' + s.scenario + ' \u00b7 seed ' + s.seed + ' \u00b7 ', stateChip(s.state), ' ' + s.delivered + '/' + s.total + ' delivered'),
    h('dt', { text: 'kind' }), h('dd', { text: [story.kind, story.channel, story.legacyType, story.outcome].filter(Boolean).join(' \u00b7 ') }),
    h('dt', { text: 'end user' }), h('dd', { text: story.endUser ? story.endUser.name + ' ' + (story.endUser.phone || story.endUser.email || '') : '\u2014' }),
    h('dt', { text: 'queue' }), h('dd', { text: story.queue ? story.queue.path : '\u2014' }),
    h('dt', { text: 'agents' }), h('dd', { text: agents || '\u2014' }),
    story.ticket ? [h('dt', { text: 'CRM record' }), h('dd', { class: 'mono', text: story.ticket.id })] : null)
  const steps = h('ol', { class: 'plain' }, (s.timeline || []).map((step) => h('li', { class: 'step ' + (Date.parse(step.at) <= now ? 'past' : 'future') },
    h('span', { class: 't', text: time(step.at) }), h('strong', { text: step.kind }), ' ', h('span', { class: 'mono muted', text: stepDetail(step) }))))
  const bySurface = new Map()
  for (const e of s.emissions || []) {
    if (!bySurface.has(e.surface)) bySurface.set(e.surface, [])
    bySurface.get(e.surface).push(e)
  }
  const surfaces = [...bySurface.keys()].sort((a, b) => (SURFACE_ORDER.indexOf(a) + 99) % 99 - (SURFACE_ORDER.indexOf(b) + 99) % 99)
  const lanes = surfaces.map((surface) => {
    const list = bySurface.get(surface)
    const published = list.filter((e) => e.published).length
    return h('div', { class: 'lane', 'data-surface': surface },
      h('h3', {}, surface, ' ', h('span', { class: 'muted', text: published + '/' + list.length + ' published' })),
      h('ul', { class: 'plain' }, list.map((e) => {
        const item = payloadToggle('em:' + e.key, e.payload, [
          h('span', { class: 't', text: time(e.at) }),
          h('span', { class: 'mono', text: e.contract }), ' ',
          e.published ? chip('published', 'ok') : chip('pending', 'warn'),
        ])
        item.classList.add('emission', e.published ? 'published' : 'pending')
        return item
      })))
  })
  const files = s.files || []
  const fileList = files.length === 0 ? h('p', { class: 'muted', text: 'No storage files for this session.' }) :
    h('ul', { class: 'plain' }, files.map((f) => h('li', { class: 'file ' + (f.written ? 'written' : 'pending') },
      h('span', { class: 't', text: time(f.at) }),
      f.written ? h('a', { href: '/storage/' + f.path.split('/').map(encodeURIComponent).join('/'), target: '_blank', rel: 'noopener', class: 'mono', text: f.path }) : h('span', { class: 'mono', text: f.path }),
      ' ', f.written ? chip('written', 'ok') : chip('pending', 'warn'))))
  fill(target, facts,
    h('div', { class: 'lanes' },
      h('div', { class: 'story' }, h('h3', { text: 'Story steps' }), steps),
      lanes,
      h('div', { class: 'lane' }, h('h3', { text: 'storage files' }), fileList)))
}

/* ---- journal ---- */
function journalLine(e) {
  const t = h('span', { class: 't', text: '#' + e.seq + ' ' + time(e.at) })
  switch (e.type) {
    case 'session-started': return h('li', {}, t, chip('session-started', 'info'), ' session #' + e.sessionId + ' ' + e.scenario + ' (seed ' + e.seed + ')')
    case 'emitted': return payloadToggle('j:' + e.seq, e.payload, [t, chip('emitted'), ' #' + e.sessionId + ' ' + e.surface + ' ', h('span', { class: 'mono', text: e.contract })])
    case 'file-written': return h('li', {}, t, chip('file-written', 'ok'), ' ', h('a', { href: '/storage/' + e.path.split('/').map(encodeURIComponent).join('/'), target: '_blank', rel: 'noopener', class: 'mono', text: e.path }), ' ' + e.bytes + ' bytes')
    case 'file-failed': return h('li', {}, t, chip('file-failed', 'bad'), ' ', h('span', { class: 'mono', text: e.path }), ' ' + e.error)
    case 'delivery-attempt': return h('li', { class: 'delivery' }, t, chip('delivery-attempt', e.outcome === 'delivered' ? 'ok' : e.outcome === 'failed' ? 'warn' : 'bad'),
      ' ' + e.outcome + ' \u00b7 attempt ' + e.attempt + ' \u2192 ', h('span', { class: 'mono', text: e.target }), ' key ', h('span', { class: 'mono', text: e.key }),
      e.status !== undefined ? ' \u00b7 HTTP ' + e.status : '', e.error ? ' \u00b7 ' + e.error : '',
      e.nextAttemptInMs !== undefined ? ' \u00b7 retry in ' + e.nextAttemptInMs + ' ms' : '')
    case 'upload': return h('li', {}, t, chip('upload', e.outcome === 'uploaded' ? 'ok' : 'warn'), ' ' + e.outcome + ' \u00b7 attempt ' + e.attempt + ' \u2192 ', h('span', { class: 'mono', text: e.sink }), ' ', h('span', { class: 'mono', text: e.path }), e.error ? ' \u00b7 ' + e.error : '', e.nextAttemptInMs !== undefined ? ' \u00b7 retry in ' + e.nextAttemptInMs + ' ms' : '')
    case 'mail-sent': return h('li', {}, t, chip('mail-sent', 'ok'), ' #' + e.sessionId + ' to ' + e.to + ': ' + e.subject)
    case 'mail-failed': return h('li', {}, t, chip('mail-failed', 'bad'), ' #' + e.sessionId + ' ' + e.error)
    case 'crm-exchange': return h('li', {}, t, chip('crm-exchange', e.outcome === 'failed' ? 'bad' : e.outcome === 'ok' || e.outcome === 'not_found' ? 'ok' : 'warn'), ' #' + e.sessionId + ' ' + e.step + ' \u00b7 ' + e.method + ' ', h('span', { class: 'mono', text: e.url }), e.status !== undefined ? ' \u00b7 HTTP ' + e.status : '', e.error ? ' \u00b7 ' + e.error : '', ' \u00b7 ' + e.outcome)
    case 'backlog': return h('li', {}, t, chip('backlog', e.event === 'failing' ? 'bad' : 'ok'), ' ' + e.channel + ' ' + e.event + ' \u2192 ', h('span', { class: 'mono', text: e.target }), ' \u00b7 ' + e.pending + ' pending (' + e.spilled + ' on disk) \u00b7 ' + e.drainPerSecond + '/s')
    case 'reset': return h('li', {}, t, chip('reset', 'warn'), ' everything was reset')
    default: return h('li', {}, t, chip(String(e.type)), ' ', h('span', { class: 'mono', text: JSON.stringify(e) }))
  }
}
async function loadJournal() {
  let fresh = false
  for (let page = 0; page < 10; page += 1) {
    const result = await api('GET', '/_sim/journal?limit=1000&since=' + state.journalNext)
    if (!result.ok) { fill($('journal-body'), problemBox(result.problem)); return }
    const { entries, dropped, next } = result.data
    state.journalDropped = dropped
    for (const entry of entries) {
      // The server forgets everything on reset; so does the view.
      if (entry.type === 'reset') state.journal = []
      state.journal.push(entry)
    }
    if (state.journal.length > JOURNAL_KEEP) state.journal.splice(0, state.journal.length - JOURNAL_KEEP)
    state.journalNext = next
    if (entries.length > 0) fresh = true
    if (entries.length < 1000) break
  }
  if (fresh || state.last.journalFilter !== state.journalFilter) renderJournal()
}
function renderJournal() {
  state.last.journalFilter = state.journalFilter
  const filter = state.journalFilter
  const shown = state.journal.filter((e) => filter === '' || e.type === filter).slice(-300).reverse()
  $('journal-count').textContent = state.journal.length + ' entries' + (state.journalDropped > 0 ? ', ' + state.journalDropped + ' older dropped' : '')
  fill($('journal-body'), shown.length === 0 ? h('p', { class: 'muted', text: 'Nothing yet.' }) : h('ul', { class: 'plain' }, shown.map(journalLine)))
}

/* ---- storage ---- */
async function loadStorage() {
  const result = await api('GET', '/storage/')
  if (!result.ok) { if (changed('storage', JSON.stringify(result.problem))) fill($('storage-body'), problemBox(result.problem)); return }
  if (!changed('storage', result.text)) return
  const files = (result.data && result.data.files) || []
  fill($('storage-body'), files.length === 0 ? h('p', { class: 'muted', text: 'No files yet: files appear at their virtual time (transcripts soon after a session ends, metadata ~15 minutes later).' }) :
    h('ul', { class: 'plain' }, files.map((f) => h('li', { class: 'file' },
      h('a', { href: f.url, target: '_blank', rel: 'noopener', class: 'mono', text: f.path }), ' ',
      h('span', { class: 'muted', text: f.bytes + ' bytes \u00b7 ' + f.contentType })))))
}

/* ---- mailbox ---- */
async function loadMail() {
  const result = await api('GET', '/mail/')
  if (!result.ok) {
    if (changed('mail', JSON.stringify(result.problem))) {
      fill($('mailbox-body'), h('p', { class: 'muted', text: 'The mailbox is not available on this simulator:' }), problemBox(result.problem))
    }
    return
  }
  if (!changed('mail', result.text)) return
  const messages = Array.isArray(result.data) ? result.data : []
  const base = (id) => '/mail/' + encodeURIComponent(id)
  fill($('mailbox-body'), messages.length === 0 ? h('p', { class: 'muted', text: 'No mail yet: the session outcome email is sent when a session ends.' }) :
    h('ul', { class: 'plain' }, messages.map((m) => h('li', {},
      h('span', { class: 't', text: time(m.receivedAt) }),
      h('a', { href: base(m.id), target: '_blank', rel: 'noopener', text: m.subject || '(no subject)' }),
      h('div', { class: 'muted', text: 'from ' + m.from + ' to ' + (m.to || []).join(', ') + (m.sessionId ? ' \u00b7 session #' + m.sessionId : '') }),
      (m.attachments || []).map((a) => [h('a', { href: base(m.id) + '/attachments/' + encodeURIComponent(a.filename), target: '_blank', rel: 'noopener', class: 'mono', text: a.filename }), ' ']),
      h('a', { href: base(m.id) + '/raw', target: '_blank', rel: 'noopener', class: 'muted', text: 'raw' })))))
}

/* ---- live events (SSE) ---- */
function connectEvents() {
  const source = new EventSource('/events')
  const status = (text, tone) => { fill($('events-status'), h('span', { class: 'dot ' + tone }), ' ' + text) }
  status('connecting', '')
  source.addEventListener('open', () => status('connected', 'open'))
  source.addEventListener('error', () => status('reconnecting\u2026', 'error'))
  const onEmission = (event) => {
    let message
    try { message = JSON.parse(event.data) } catch { return }
    state.events.unshift(message)
    if (state.events.length > 200) state.events.length = 200
    renderEvents()
    soon()
  }
  // The stream names each event after its surface; unnamed events arrive as "message".
  for (const name of ['message', 'emission', ...SURFACE_ORDER]) source.addEventListener(name, onEmission)
}
function renderEvents() {
  fill($('events-body'), state.events.length === 0 ? h('p', { class: 'muted', text: 'Waiting for emissions\u2026' }) :
    h('ul', { class: 'plain' }, state.events.map((m, i) => payloadToggle('ev:' + m.key + ':' + i, m.payload, [
      h('span', { class: 't', text: time(m.at) }), chip(String(m.surface), 'info'), ' #' + m.sessionId + ' ',
      h('span', { class: 'mono', text: m.contract })]))))
}

/* ---- refresh loop: one at a time, then again if asked while running ---- */
async function refresh() {
  if (state.refreshing) { state.again = true; return }
  state.refreshing = true
  try {
    do {
      state.again = false
      await loadClock()
      await Promise.all([loadSessions(), loadTimeline(), loadJournal(), loadStorage(), loadMail()])
    } while (state.again)
  } finally {
    state.refreshing = false
  }
}
let soonTimer = null
function soon() {
  if (soonTimer !== null) return
  soonTimer = setTimeout(() => { soonTimer = null; void refresh() }, 250)
}
async function loop() {
  await refresh()
  setTimeout(() => { void loop() }, 1500)
}

/* ---- adapter demo iframe ---- */
function toggleDemo() {
  const holder = $('embed-demo')
  if (holder.firstChild) { fill(holder); $('embed-toggle').textContent = 'Try it here'; return }
  $('embed-toggle').textContent = 'Close the demo'
  const log = h('ul', { class: 'plain mono scroll demo-log', id: 'embed-log' })
  fill(holder, h('iframe', { class: 'demo', src: '/agent/?type=chat&from=custom', title: 'agent adapter' }), h('h3', { text: 'Messages posted to this page' }), log)
  window.addEventListener('message', (event) => {
    if (event.origin !== location.origin || !holder.contains(log)) return
    let text = String(event.data)
    try { const { type, data } = JSON.parse(event.data); text = type + ' ' + JSON.stringify(data) } catch { /* shown as it came */ }
    log.prepend(h('li', { text }))
  })
}

document.querySelectorAll('.origin').forEach((el) => { el.textContent = location.origin })
$('start-form').addEventListener('submit', (event) => { void startScenario(event) })
$('scenario').addEventListener('change', describeScenario)
$('journal-filter').addEventListener('change', (event) => { state.journalFilter = event.target.value; renderJournal() })
document.querySelectorAll('#clock-controls button').forEach((b) => b.addEventListener('click', () => { void advance(Number(b.dataset.ms)) }))
$('embed-toggle').addEventListener('click', toggleDemo)
void loadScenarios()
connectEvents()
void loop()
`

const JOURNAL_TYPES = [
  'session-started',
  'emitted',
  'file-written',
  'file-failed',
  'delivery-attempt',
  'mail-sent',
  'mail-failed',
  'crm-exchange',
  'upload',
  'backlog',
  'reset',
] as const

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)
}

export interface ConsolePageOptions {
  /** The clock mode at render time, so the manual-clock buttons show before the first poll. */
  readonly clockMode: string
}

/** The console page as one HTML string (styles and script inline, no external assets). */
export function consolePage(options: ConsolePageOptions): string {
  const manual = options.clockMode === 'manual'
  const snippet = [
    `window.addEventListener('message', (event) => {`,
    `  if (event.origin !== '<span class="origin">http://127.0.0.1:4010</span>') return`,
    `  const { type, data } = JSON.parse(event.data)`,
    `  // type: New_Chat, Chat_Inbound_Message, End_Chat, …`,
    `  console.log(type, data)`,
    `})`,
  ].join('\n')
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ccai-sim console</title>
<style>${CONSOLE_STYLE}</style>
</head>
<body>
<header>
  <h1>ccai-sim <small>CCAI Platform simulator</small></h1>
  <div class="clock" id="clock" aria-live="polite">
    <span class="chip info" id="clock-mode">${escapeHtml(options.clockMode)}</span>
    <time class="now" id="clock-now">…</time>
    <span class="muted" id="clock-pending"></span>
    <span class="row" id="clock-controls"${manual ? '' : ' hidden'}>
      <button type="button" data-ms="60000">+1 min</button>
      <button type="button" data-ms="900000">+15 min</button>
      <button type="button" data-ms="3600000">+1 h</button>
    </span>
    <span id="clock-error"></span>
  </div>
  <nav>
    <a href="/openapi.json">OpenAPI</a>
    <a href="/events">/events (SSE)</a>
    <a href="/agent/?type=chat&amp;from=custom">adapter page</a>
  </nav>
</header>
<main>
  <section id="start">
    <h2>Start a scenario</h2>
    <form id="start-form" novalidate>
      <label for="scenario">Scenario</label>
      <select id="scenario" name="scenario"></select>
      <p class="muted" id="scenario-description"></p>
      <label for="seed">Seed <span class="muted">(optional; the same seed replays the same session)</span></label>
      <input id="seed" name="seed" inputmode="numeric" autocomplete="off" placeholder="default: the simulator's seed">
      <p class="row"><button class="primary" id="start-button" type="submit">Start</button>
        <span class="muted">POST /_sim/sessions</span></p>
    </form>
    <div id="start-result"></div>
  </section>
  <section id="sessions">
    <h2>Sessions <span class="hint" id="sessions-count"></span><span class="hint">click one for its timeline</span></h2>
    <div class="scroll" id="sessions-body"><p class="muted">Loading…</p></div>
  </section>
  <section id="timeline">
    <h2>Timeline <span class="hint">story steps, then every payload by surface; click a payload to see it</span></h2>
    <div id="timeline-body"></div>
  </section>
  <section id="journal">
    <h2>Journal <span class="hint" id="journal-count"></span><span class="hint">newest first</span></h2>
    <label for="journal-filter">Type</label>
    <select id="journal-filter">
      <option value="">all</option>
${JOURNAL_TYPES.map((t) => `      <option value="${t}">${t}</option>`).join('\n')}
    </select>
    <div class="scroll" id="journal-body"></div>
  </section>
  <section id="events">
    <h2>Live events <span class="hint" id="events-status"></span></h2>
    <p class="muted">Every emission as <a href="/events">GET /events</a> streams it (Server-Sent Events; filters: <code>?surface=adapter,qm&amp;session=…&amp;agent=…</code>).</p>
    <div class="scroll" id="events-body"><p class="muted">Waiting for emissions…</p></div>
  </section>
  <section id="storage">
    <h2>Storage <span class="hint"><a href="/storage/">GET /storage/</a></span></h2>
    <div class="scroll" id="storage-body"></div>
  </section>
  <section id="mailbox">
    <h2>Mailbox <span class="hint"><a href="/mail/">GET /mail/</a></span></h2>
    <div class="scroll" id="mailbox-body"></div>
  </section>
  <section id="embed">
    <h2>Embed the agent adapter</h2>
    <p>The platform shows its agent adapter inside your CRM page as an iframe and posts every event to the
    parent window as a JSON string <code>{"type", "data"}</code>. Point the iframe at the simulator:</p>
    <pre>&lt;iframe src="<span class="origin">http://127.0.0.1:4010</span>/agent/?type=chat&amp;from=custom"&gt;&lt;/iframe&gt;</pre>
    <p>(<code>type=call</code> for calls.) Then listen in the parent page, checking the origin:</p>
    <pre id="embed-snippet">${snippet}</pre>
    <p>Headless consumers read the same events from <code>GET /events</code> or <code>/ws</code>, or as webhooks.
    The control API is described by <a href="/openapi.json">/openapi.json</a>.</p>
    <p><button type="button" id="embed-toggle">Try it here</button></p>
    <div id="embed-demo"></div>
  </section>
</main>
<script>${CONSOLE_SCRIPT}</script>
</body>
</html>
`
}
