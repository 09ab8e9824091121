import { api } from './api.js'
import { byId, chip, fill, h } from './dom.js'
import { problemBox } from './problem.js'
import { changed, hooks, state } from './state.js'

/** A fault rule as `GET /_sim/crm/faults` lists it (crm/mock-crm/faults.ts `FaultRuleState`). */
interface FaultRule {
  readonly id: string
  readonly route: string
  readonly kind: string
  readonly probability: number
  readonly seed: number
  readonly times?: number
  readonly status?: number
  readonly retryAfterSeconds?: number
  readonly latencyMs?: number
  readonly seen: number
  readonly fired: number
}

function describe(rule: FaultRule): string {
  const what =
    rule.kind === 'status'
      ? `HTTP ${String(rule.status)}${rule.status === 429 ? ` (Retry-After ${String(rule.retryAfterSeconds)} s)` : ''}`
      : rule.kind === 'latency'
        ? `${String(rule.latencyMs)} ms late`
        : rule.kind
  const limit = rule.times === undefined ? '' : `, at most ${String(rule.times)} times`
  return `${what}, probability ${String(rule.probability)}, seed ${String(rule.seed)}${limit}; seen ${String(rule.seen)}, fired ${String(rule.fired)}`
}

/** The mock CRM's fault rules, each with a Remove button. */
export async function loadFaults(): Promise<void> {
  const body = byId('faults-body')
  const result = await api<FaultRule[]>('GET', '/_sim/crm/faults')
  if (!result.ok) {
    if (changed('faults', JSON.stringify(result.problem))) fill(body, problemBox(result.problem))
    return
  }
  if (!changed('faults', result.text)) return
  fill(
    body,
    result.data.length === 0
      ? h('p', {
          class: 'muted no-faults',
          text: 'No fault rule: the mock CRM answers every request normally.',
        })
      : h(
          'ul',
          { class: 'plain fault-rules' },
          result.data.map((rule) =>
            h(
              'li',
              { 'data-fault': rule.id },
              chip(rule.route, 'info'),
              ' ',
              chip(rule.kind, 'bad'),
              ' ',
              h('span', { text: describe(rule) }),
              ' ',
              h('button', {
                type: 'button',
                text: 'remove',
                'aria-label': `Remove fault rule ${rule.id} (${rule.kind} on ${rule.route})`,
                onclick: () => {
                  void act('DELETE', `/_sim/crm/faults/${encodeURIComponent(rule.id)}`)
                },
              }),
            ),
          ),
        ),
  )
}

async function act(method: string, path: string, body?: unknown): Promise<boolean> {
  const result = await api<unknown>(method, path, body)
  fill(byId('fault-result'), result.ok ? null : problemBox(result.problem))
  state.last.delete('faults')
  hooks.refresh()
  return result.ok
}

/** A number field: blank leaves the key out (the server's default); anything else is sent as typed. */
function numberField(id: string): number | string | undefined {
  const raw = byId<HTMLInputElement>(id).value.trim()
  if (raw === '') return undefined
  const value = Number(raw)
  // Not a number: sent as the text, so the server names the field and what came.
  return Number.isFinite(value) ? value : raw
}

/** The form: one rule (route, kind, its parameter, probability, times); and "remove every rule". */
export function wireFaultForm(): void {
  byId<HTMLFormElement>('fault-form').addEventListener('submit', (event) => {
    event.preventDefault()
    const kind = byId<HTMLSelectElement>('fault-kind').value
    const rule: Record<string, unknown> = {
      route: byId<HTMLSelectElement>('fault-route').value,
      kind,
    }
    const fields: [string, string][] = [
      ['probability', 'fault-probability'],
      ['times', 'fault-times'],
    ]
    if (kind === 'status') fields.push(['status', 'fault-status'])
    if (kind === 'latency') fields.push(['latencyMs', 'fault-latency'])
    for (const [key, id] of fields) {
      const value = numberField(id)
      if (value !== undefined) rule[key] = value
    }
    void act('POST', '/_sim/crm/faults', rule)
  })
  byId<HTMLButtonElement>('fault-clear').addEventListener('click', () => {
    void act('DELETE', '/_sim/crm/faults')
  })
}
