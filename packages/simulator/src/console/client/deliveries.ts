import {
  api,
  type Deliveries,
  type DeliveryLane,
  type GivenUpDelivery,
  type WebhookTarget,
  type Webhooks,
} from './api.js'
import { byId, chip, fill, h, time } from './dom.js'
import { problemBox } from './problem.js'
import { changed, hooks, state } from './state.js'

let targets: Webhooks = { adapter: [], qm: [] }

function laneRow(channel: string, lane: DeliveryLane): HTMLTableRowElement {
  return h(
    'tr',
    { 'data-lane': lane.lane },
    h('td', {}, chip(channel, 'info'), ' ', h('span', { class: 'mono', text: lane.lane })),
    h('td', {}, lane.failing ? chip('failing', 'bad') : chip('ok', 'ok')),
    h('td', { class: 'num', text: String(lane.pending) }),
    h('td', { class: 'num', text: String(lane.delivered) }),
    h('td', { class: 'num', text: String(lane.failed) }),
    h('td', { class: 'num', text: String(lane.gaveUp) }),
    h('td', { class: 'num', text: String(lane.inFlight) }),
    // Pending beyond `maxInMemory` wait in the write-ahead log: the backlog a catch-up drains.
    h('td', { class: 'num', text: String(lane.spilled) }),
    h('td', { class: 'num', text: lane.drainPerSecond.toFixed(1) }),
    h('td', { class: 't', text: lane.nextAttemptAt === null ? '—' : time(lane.nextAttemptAt) }),
  )
}

/** One given-up delivery with its Retry button (the same key goes out again). */
function givenUpRow(channel: string, lane: string, given: GivenUpDelivery): HTMLLIElement {
  const answer =
    given.status === undefined
      ? (given.error ?? '')
      : `${String(given.status)} ${given.error ?? ''}`
  return h(
    'li',
    { 'data-delivery': given.id },
    chip(channel, 'info'),
    ' ',
    h('span', { class: 'mono', text: lane }),
    ' ',
    h('span', { class: 'mono', text: given.key }),
    h('span', {
      class: 'muted',
      text: ` gave up ${time(given.gaveUpAt)} after ${String(given.attempts)} attempt(s)${answer.trim() === '' ? '' : `: ${answer.trim()}`} `,
    }),
    h('button', {
      type: 'button',
      class: 'retry',
      text: 'Retry',
      'aria-label': `Retry the ${channel} delivery ${given.key} to ${lane}`,
      onclick: () => {
        void retry(given)
      },
    }),
  )
}

async function retry(given: GivenUpDelivery): Promise<void> {
  const result = await api<{ id: string }>(
    'POST',
    `/_sim/deliveries/${encodeURIComponent(given.id)}/retry`,
  )
  fill(
    byId('retry-result'),
    result.ok
      ? h('p', { class: 'notice', text: `Sent again as ${result.data.id}, key ${given.key}.` })
      : problemBox(result.problem),
  )
  state.last.delete('deliveries')
  hooks.refresh()
}

/** The backlog per target (webhooks and mail) and the webhook targets of now. */
export async function loadDeliveries(): Promise<void> {
  const body = byId('deliveries-body')
  const [backlog, hooksNow] = await Promise.all([
    api<Deliveries>('GET', '/_sim/deliveries'),
    api<Webhooks>('GET', '/_sim/webhooks'),
  ])
  if (!backlog.ok || !hooksNow.ok) {
    const problem = !backlog.ok ? backlog.problem : !hooksNow.ok ? hooksNow.problem : {}
    if (changed('deliveries', JSON.stringify(problem))) fill(body, problemBox(problem))
    return
  }
  if (!changed('deliveries', backlog.text + hooksNow.text)) return
  targets = hooksNow.data
  const lanes = [
    ...backlog.data.webhooks.lanes.map((l) => laneRow('webhook', l)),
    ...backlog.data.mail.lanes.map((l) => laneRow('mail', l)),
  ]
  const givenUp = [
    ...backlog.data.webhooks.lanes.flatMap((l) =>
      l.givenUp.map((g) => givenUpRow('webhook', l.lane, g)),
    ),
    ...backlog.data.mail.lanes.flatMap((l) => l.givenUp.map((g) => givenUpRow('mail', l.lane, g))),
  ]
  const configured = targets.adapter.length + targets.qm.length
  fill(
    body,
    configured === 0
      ? h('p', {
          class: 'muted no-webhooks',
          text: 'No webhook target is configured, so no webhook is sent: add one below (or in the configuration, webhooks.adapter / webhooks.qm).',
        })
      : h(
          'ul',
          { class: 'plain targets' },
          (['adapter', 'qm'] as const).flatMap((surface) =>
            targets[surface].map((target, index) =>
              h(
                'li',
                {},
                chip(surface, 'info'),
                ' ',
                h('span', { class: 'mono', text: target.url }),
                Object.keys(target.headers ?? {}).length === 0
                  ? null
                  : h('span', {
                      class: 'muted',
                      text: ` + ${Object.keys(target.headers ?? {}).join(', ')}`,
                    }),
                ' ',
                h('button', {
                  type: 'button',
                  text: 'remove',
                  'aria-label': `Remove the ${surface} webhook ${target.url}`,
                  onclick: () => {
                    void save({
                      ...targets,
                      [surface]: targets[surface].filter((_, i) => i !== index),
                    })
                  },
                }),
              ),
            ),
          ),
        ),
    lanes.length === 0
      ? h('p', { class: 'muted', text: 'Nothing delivered yet.' })
      : h(
          'div',
          // A wide table scrolls sideways; focusable so a keyboard can scroll it too.
          { class: 'scroll-x', tabindex: '0', role: 'region', 'aria-label': 'Delivery targets' },
          h(
            'table',
            { class: 'lanes-table' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                [
                  'target',
                  'state',
                  'pending',
                  'delivered',
                  'failed attempts',
                  'gave up',
                  'in flight',
                  'on disk',
                  'drain /s',
                  'next attempt',
                ].map((t) => h('th', { scope: 'col', text: t })),
              ),
            ),
            h('tbody', {}, lanes),
          ),
        ),
    givenUp.length === 0
      ? null
      : h(
          'section',
          { class: 'given-up', 'aria-label': 'Given-up deliveries' },
          h('h3', { text: 'Given up (retry sends the same idempotency key again)' }),
          h('ul', { class: 'plain' }, givenUp),
        ),
    h('p', {
      class: 'muted',
      text: `Run id ${backlog.data.runId}: the first part of every idempotency key.`,
    }),
  )
}

async function save(next: Webhooks): Promise<boolean> {
  const result = await api<Webhooks>('PUT', '/_sim/webhooks', next)
  fill(byId('webhook-result'), result.ok ? null : problemBox(result.problem))
  if (result.ok) targets = result.data
  state.last.delete('deliveries')
  hooks.refresh()
  return result.ok
}

/** The save button: the targets of now into the configuration file (refused without one). */
async function saveToFile(): Promise<void> {
  const result = await api<{ file: string }>('POST', '/_sim/webhooks/save')
  fill(
    byId('webhook-result'),
    result.ok
      ? h('p', { class: 'notice', text: `Saved to ${result.data.file}.` })
      : problemBox(result.problem),
  )
}

/** The form: one more target for adapter or QM emissions, with an optional header. */
export function wireWebhookForm(): void {
  byId<HTMLButtonElement>('webhook-save').addEventListener('click', () => {
    void saveToFile()
  })
  byId<HTMLFormElement>('webhook-form').addEventListener('submit', (event) => {
    event.preventDefault()
    const surface = byId<HTMLSelectElement>('webhook-surface').value === 'qm' ? 'qm' : 'adapter'
    const url = byId<HTMLInputElement>('webhook-url').value.trim()
    const name = byId<HTMLInputElement>('webhook-header-name').value.trim()
    const value = byId<HTMLInputElement>('webhook-header-value').value
    const target: WebhookTarget = name === '' ? { url } : { url, headers: { [name]: value } }
    void save({ ...targets, [surface]: [...targets[surface], target] }).then((ok) => {
      if (ok) byId<HTMLInputElement>('webhook-url').value = ''
    })
  })
}
