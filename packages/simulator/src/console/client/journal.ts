import { api, type CrmExchangeEntry, type JournalEntry, type JournalPage } from './api.js'
import { exchangeBody, exchangeSummary } from './crm.js'
import { byId, chip, disclosure, fill, h, pretty, storageHref, time, type Child } from './dom.js'
import { problemBox } from './problem.js'
import { state } from './state.js'

/** Entries the page keeps (the server keeps its own bounded journal). */
const JOURNAL_KEEP = 3000
/** Rows drawn at once (newest first). */
const JOURNAL_SHOWN = 300

function str(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : ''
}

function toneOf(e: JournalEntry): 'ok' | 'warn' | 'bad' | 'info' | undefined {
  const outcome = str(e['outcome'])
  switch (e.type) {
    case 'session-started':
      return 'info'
    case 'file-written':
    case 'mail-sent':
      return 'ok'
    case 'file-failed':
    case 'mail-failed':
    case 'input-refused':
      return 'bad'
    case 'delivery-attempt':
    case 'upload':
      return outcome === 'delivered' || outcome === 'uploaded'
        ? 'ok'
        : outcome === 'failed'
          ? 'warn'
          : 'bad'
    case 'crm-exchange':
      return outcome === 'failed'
        ? 'bad'
        : outcome === 'ok' || outcome === 'not_found'
          ? 'ok'
          : 'warn'
    case 'backlog':
      return str(e['event']) === 'failing' ? 'bad' : 'ok'
    case 'reset':
      return 'warn'
    case 'speech':
      return outcome === 'ready' ? 'ok' : outcome === 'failed' ? 'bad' : 'info'
    default:
      return undefined
  }
}

/** What one line says about an entry, after its time and type. */
function gist(e: JournalEntry): Child {
  const session = e.sessionId === undefined ? '' : `#${String(e.sessionId)} `
  switch (e.type) {
    case 'session-started':
      return `${session}${str(e['scenario'])} (seed ${str(e['seed'])})`
    case 'emitted':
      return [
        `${session}${str(e['surface'])} `,
        h('span', { class: 'mono', text: str(e['contract']) }),
      ]
    case 'input':
    case 'input-refused': {
      const input = e['input']
      const type =
        input !== null && typeof input === 'object' && 'type' in input ? str(input.type) : ''
      return [
        session,
        h('span', { class: 'mono', text: type }),
        e.type === 'input-refused' ? ` ${str(e['reason'])}` : '',
      ]
    }
    case 'agent':
      return `agent #${str(e['agentId'])} ${str(e['command'])} → ${str(e['presence'])}`
    case 'file-written':
      return [
        h('a', { href: storageHref(str(e['path'])), class: 'mono', text: str(e['path']) }),
        ` ${str(e['bytes'])} bytes`,
      ]
    case 'file-failed':
      return [h('span', { class: 'mono', text: str(e['path']) }), ` ${str(e['error'])}`]
    case 'delivery-attempt':
      return [
        `${str(e['outcome'])} · attempt ${str(e['attempt'])} → `,
        h('span', { class: 'mono', text: str(e['target']) }),
        e['status'] === undefined ? '' : ` · HTTP ${str(e['status'])}`,
        e['error'] === undefined ? '' : ` · ${str(e['error'])}`,
      ]
    case 'mail-sent':
      return `${session}to ${str(e['to'])}: ${str(e['subject'])}`
    case 'mail-failed':
      return `${session}${str(e['error'])}`
    case 'crm-exchange':
      return exchangeSummary(e as CrmExchangeEntry).slice(1)
    case 'upload':
      return [
        `${str(e['outcome'])} → `,
        h('span', { class: 'mono', text: `${str(e['sink'])} ${str(e['path'])}` }),
      ]
    case 'backlog':
      return [
        `${str(e['channel'])} ${str(e['event'])} → `,
        h('span', { class: 'mono', text: str(e['target']) }),
        ` · ${str(e['pending'])} pending`,
      ]
    case 'reset':
      return 'everything was reset'
    case 'speech':
      return `recordings: ${str(e['synthesizer'])} · ${str(e['detail'])}`
    default:
      return ''
  }
}

function row(e: JournalEntry): HTMLLIElement {
  const summary: Child[] = [
    h('span', { class: 't', text: `#${String(e.seq)} ${time(e.at)}` }),
    chip(e.type, toneOf(e)),
    ' ',
    gist(e),
  ]
  return h(
    'li',
    { 'data-type': e.type },
    disclosure(state.open, `j:${String(e.seq)}`, {
      summary,
      body: () =>
        e.type === 'crm-exchange'
          ? exchangeBody(e as CrmExchangeEntry)
          : h('pre', { text: pretty(e) }),
    }),
  )
}

/** Reads the journal's new entries (since the last read) and re-draws when there were any. */
export async function loadJournal(): Promise<void> {
  let fresh = false
  for (let page = 0; page < 10; page += 1) {
    const result = await api<JournalPage>(
      'GET',
      `/_sim/journal?limit=1000&since=${String(state.journalNext)}`,
    )
    if (!result.ok) {
      fill(byId('journal-body'), problemBox(result.problem))
      return
    }
    const { entries, dropped, next } = result.data
    state.journalDropped = dropped
    for (const entry of entries) {
      // The server forgets everything on reset; so does the view.
      if (entry.type === 'reset') state.journal = []
      state.journal.push(entry)
    }
    if (state.journal.length > JOURNAL_KEEP) {
      state.journal.splice(0, state.journal.length - JOURNAL_KEEP)
    }
    state.journalNext = next
    if (entries.length > 0) fresh = true
    if (entries.length < 1000) break
  }
  if (fresh) renderJournal()
}

interface JournalFilter {
  readonly type: string
  readonly session: string
  readonly text: string
}

function currentFilter(): JournalFilter {
  return {
    type: byId<HTMLSelectElement>('journal-type').value,
    session: byId<HTMLInputElement>('journal-session').value.trim().replace(/^#/, ''),
    text: byId<HTMLInputElement>('journal-text').value.trim().toLowerCase(),
  }
}

function matches(e: JournalEntry, filter: JournalFilter): boolean {
  if (filter.type !== '' && e.type !== filter.type) return false
  if (filter.session !== '' && String(e.sessionId ?? '') !== filter.session) return false
  return filter.text === '' || JSON.stringify(e).toLowerCase().includes(filter.text)
}

export function renderJournal(): void {
  const filter = currentFilter()
  const matching = state.journal.filter((e) => matches(e, filter))
  const shown = matching.slice(-JOURNAL_SHOWN).reverse()
  const filtered = filter.type !== '' || filter.session !== '' || filter.text !== ''
  byId('journal-count').textContent =
    `${String(state.journal.length)} entries` +
    (filtered ? `, ${String(matching.length)} match` : '') +
    (state.journalDropped > 0 ? `, ${String(state.journalDropped)} older dropped` : '')
  fill(
    byId('journal-body'),
    shown.length === 0
      ? h('p', {
          class: 'muted',
          text:
            state.journal.length === 0
              ? 'The journal is empty: start a scenario and its inputs, payloads, files, mail and CRM requests are listed here as they happen.'
              : 'No entry matches the filter.',
        })
      : h('ul', { class: 'plain journal' }, shown.map(row)),
  )
}
