import { api, type ScenarioSummary, type SessionSummary } from './api.js'
import { byId, fill, h } from './dom.js'
import { problemBox } from './problem.js'
import { hooks } from './state.js'

interface ParamSchema {
  readonly type?: string
  readonly minimum?: number
  readonly maximum?: number
  readonly description?: string
}

let scenarios: ScenarioSummary[] = []
/** The scenario parameters as `/openapi.json` documents them (`StartSessionRequest.params`). */
let params: [string, ParamSchema][] = []

function describeScenario(): void {
  const scenario = scenarios.find((s) => s.name === byId<HTMLSelectElement>('scenario').value)
  byId('scenario-description').textContent = scenario
    ? `${scenario.description} [${scenario.kind}, ${scenario.channel}]`
    : ''
}

/** One input per parameter, its range from the document (blank: the scenario's own default). */
function paramField(name: string, schema: ParamSchema): HTMLElement {
  const id = `param-${name}`
  if (schema.type === 'boolean') {
    return h(
      'div',
      { class: 'param' },
      h('label', { for: id, text: name }),
      h(
        'select',
        { id, 'data-param': name, 'data-type': 'boolean' },
        h('option', { value: '', text: "scenario's default" }),
        h('option', { value: 'true', text: 'yes' }),
        h('option', { value: 'false', text: 'no' }),
      ),
    )
  }
  const range =
    schema.minimum === undefined || schema.maximum === undefined
      ? ''
      : `${String(schema.minimum)}–${String(schema.maximum)}`
  return h(
    'div',
    { class: 'param' },
    h('label', { for: id }, name, ' ', h('span', { class: 'muted', text: range })),
    h('input', {
      id,
      'data-param': name,
      'data-type': 'integer',
      inputmode: 'numeric',
      autocomplete: 'off',
      placeholder: "scenario's default",
      ...(schema.minimum === undefined ? {} : { 'data-min': schema.minimum }),
      ...(schema.maximum === undefined ? {} : { 'data-max': schema.maximum }),
    }),
  )
}

export async function loadScenarios(): Promise<void> {
  const [list, doc] = await Promise.all([
    api<ScenarioSummary[]>('GET', '/_sim/scenarios'),
    api<{ components?: { schemas?: Record<string, { properties?: Record<string, unknown> }> } }>(
      'GET',
      '/openapi.json',
    ),
  ])
  if (!list.ok) {
    fill(byId('start-result'), problemBox(list.problem))
    return
  }
  scenarios = list.data
  fill(
    byId('scenario'),
    scenarios.map((s) => h('option', { value: s.name, text: `${s.title} (${s.name})` })),
  )
  describeScenario()
  const props = doc.ok
    ? doc.data.components?.schemas?.['StartSessionRequest']?.properties
    : undefined
  const paramProps = (props?.['params'] ?? {}) as { properties?: Record<string, ParamSchema> }
  params = Object.entries(paramProps.properties ?? {})
  fill(
    byId('params'),
    params.map(([name, schema]) => paramField(name, schema)),
  )
  byId('params-box').hidden = params.length === 0
}

/** What was typed goes to the server as is (a number when it looks like one): the server judges it. */
function typed(raw: string): string | number {
  return /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw
}

async function start(): Promise<void> {
  const body: Record<string, unknown> = { scenario: byId<HTMLSelectElement>('scenario').value }
  const seed = byId<HTMLInputElement>('seed').value.trim()
  if (seed !== '') body['seed'] = typed(seed)
  const agent = byId<HTMLSelectElement>('agent-mode').value
  if (agent !== '') body['agent'] = agent
  const agentId = byId<HTMLInputElement>('agent-id').value.trim()
  if (agentId !== '') body['agentId'] = typed(agentId)
  const chosen: Record<string, unknown> = {}
  for (const input of byId('params').querySelectorAll<HTMLInputElement | HTMLSelectElement>(
    '[data-param]',
  )) {
    const raw = input.value.trim()
    if (raw === '') continue
    const name = input.dataset['param'] ?? ''
    chosen[name] = input.dataset['type'] === 'boolean' ? raw === 'true' : typed(raw)
  }
  if (Object.keys(chosen).length > 0) body['params'] = chosen
  const button = byId<HTMLButtonElement>('start-button')
  button.disabled = true
  const result = await api<SessionSummary>('POST', '/_sim/sessions', body)
  button.disabled = false
  if (!result.ok) {
    fill(byId('start-result'), problemBox(result.problem))
    return
  }
  const session = result.data
  fill(
    byId('start-result'),
    h(
      'div',
      { class: 'notice', role: 'status' },
      'Started session ',
      h('strong', { text: `#${String(session.id)}` }),
      ` (${session.scenario}, seed ${String(session.seed)})`,
    ),
  )
  hooks.openSession(session.id)
}

export function wireStartForm(): void {
  byId('start-form').addEventListener('submit', (event) => {
    event.preventDefault()
    void start()
  })
  byId('scenario').addEventListener('change', describeScenario)
}
