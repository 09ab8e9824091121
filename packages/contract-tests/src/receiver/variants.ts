import {
  ADAPTER_BUILDERS,
  buildAgentAssistStartedEvent,
  buildCrmRecordPopEvent,
  buildEndChatEvent,
  buildQmAgentStateEvent,
  buildQmCallStateEvent,
  buildQmChatStateEvent,
  generateStory,
  hashSeed,
  projectAdapterEvents,
  projectQmEvents,
  VTA_BUILDERS,
  type Builder,
  type Emission,
} from '@ccai-sim/fixtures'
import { GOLDEN_EXAMPLES, type ChatStateEvent, type GoldenExample } from '@ccai-sim/schemas'
import type { WebhookDelivery } from './delivery.js'

/*
 * The payloads the receiver suites deliver: whole sessions projected from seeded stories (so a
 * receiver sees a realistic sequence with consistent ids), the documents' golden examples, and
 * seeded builder output for the variants stories do not reach. Each edge case (`""` for
 * `connected_at`, explicit nulls in `End_Chat`, unknown keys, `recordUrl`, `Task_VA_*`, …) is kept
 * in one clause only, so a receiver that mishandles it fails that clause and no other.
 */

type Json = Record<string, unknown>

/** A delivery before it has an identity; story emissions bring theirs. */
interface Draft {
  readonly label: string
  readonly contract: string
  readonly payload: unknown
  readonly sessionId?: number
  readonly key?: string
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function field(value: unknown, key: string): unknown {
  return isRecord(value) ? value[key] : undefined
}

/** `ChatState "waiting"`, `CallState "ringing"`, `New_Call`. */
function describePayload(payload: unknown): string {
  const type = String(field(payload, 'type'))
  const item = field(payload, 'item')
  const state = field(item, 'State') ?? field(item, 'state')
  return typeof state === 'string' ? `${type} "${state}"` : type
}

function surfaceOf(contract: string): string {
  return contract.split('.')[0] ?? 'adapter'
}

/** A session id for a payload that names none: its integer call or chat id, else derived. */
function sessionIdOf(payload: unknown, identity: string): number {
  const item = field(payload, 'item') ?? field(payload, 'data')
  for (const key of ['chat_id', 'call_id']) {
    const id = field(item, key)
    if (typeof id === 'number' && Number.isSafeInteger(id) && id > 0) return id
  }
  return 100_000 + (hashSeed(identity) % 900_000)
}

/**
 * Gives drafts their identity: story emissions keep the projection's key (the same event always
 * has the same key); the others get `<sessionId>:<surface>:<ordinal>` with ordinals from `base`.
 */
function finalize(drafts: readonly Draft[], base: number): WebhookDelivery[] {
  return drafts.map((draft, index) => {
    const sessionId = draft.sessionId ?? sessionIdOf(draft.payload, `${draft.label}\u0000${index}`)
    const key = draft.key ?? `${sessionId}:${surfaceOf(draft.contract)}:${base + index}`
    return { label: draft.label, contract: draft.contract, sessionId, key, payload: draft.payload }
  })
}

function fromEmission(emission: Emission, origin: string): Draft {
  return {
    label: `${describePayload(emission.payload)} (${origin})`,
    contract: emission.contract,
    payload: emission.payload,
    sessionId: emission.sessionId,
    key: emission.key,
  }
}

function qmStory(scenario: string, seed: number, agentState = false): Draft[] {
  const story = generateStory(scenario, { seed })
  // Stories bracket their agents with AgentState login/logout; keep them only when asked.
  return projectQmEvents(story)
    .filter((e) => agentState || e.contract !== 'qm.AgentState')
    .map((e) => fromEmission(e, `${scenario}, seed ${seed}`))
}

function adapterStory(scenario: string, seed: number): Draft[] {
  return projectAdapterEvents(generateStory(scenario, { seed })).map((e) =>
    fromEmission(e, `${scenario}, seed ${seed}`),
  )
}

function golden(predicate: (example: GoldenExample) => boolean): Draft[] {
  return GOLDEN_EXAMPLES.filter(predicate).map((example) => ({
    label: `${describePayload(example.payload)}: golden "${example.name}"`,
    contract: example.contract,
    payload: structuredClone(example.payload),
  }))
}

function goldenOf(...contracts: readonly string[]): Draft[] {
  return golden((e) => contracts.includes(e.contract) && e.strict !== false)
}

/** A changed copy of a draft: a different event, so it gets a key of its own (same session). */
function variantOf(draft: Draft, suffix: string, payload: unknown): Draft {
  return {
    label: `${draft.label}, ${suffix}`,
    contract: draft.contract,
    payload,
    ...(draft.sessionId === undefined ? {} : { sessionId: draft.sessionId }),
  }
}

function built(contract: string, payload: unknown, note: string): Draft {
  return { label: `${describePayload(payload)}: ${note}`, contract, payload }
}

/** Seeded builder output satisfying `predicate`: the first `count` of a fixed sequence of seeds. */
function search<T>(
  build: Builder<T>,
  predicate: (value: T) => boolean,
  options: { readonly seed: number; readonly count: number; readonly tag: string },
): T[] {
  const found: T[] = []
  for (let i = 0; i < 5_000 && found.length < options.count; i += 1) {
    const value = build(undefined, { seed: hashSeed(options.seed, options.tag, i) })
    if (predicate(value)) found.push(value)
  }
  return found
}

function item(payload: unknown): Json {
  const value = field(payload, 'item')
  return isRecord(value) ? value : {}
}

/** A copy of `record` without `keys`. */
function omit(record: Json, keys: readonly string[]): Json {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !keys.includes(key)))
}

function hasEmptyConnectedAt(draft: Draft): boolean {
  return item(draft.payload).connected_at === ''
}

function endChatWithNulls(draft: Draft): boolean {
  if (field(draft.payload, 'type') !== 'End_Chat') return false
  const data = field(draft.payload, 'data')
  return isRecord(data) && Object.values(data).some((value) => value === null)
}

function withState(state: string): (value: ChatStateEvent) => boolean {
  return (value) => value.item.state === state && value.item.connected_at !== ''
}

// ---------------------------------------------------------------------------------------------
// QM receiver

/** QM-001: AgentState login and logout. */
export function qmAgentStateDeliveries(seed: number): WebhookDelivery[] {
  // With AgentState included the projection numbers events differently: fresh keys, so a key
  // never names two different events across clauses.
  const story = qmStory('inbound-ivr-call', seed, true)
    .filter((d) => field(d.payload, 'type') === 'AgentState')
    .map((d) => variantOf(d, "the session's agent", d.payload))
  const builders = (['login', 'logout'] as const).map((State) =>
    built('qm.AgentState', buildQmAgentStateEvent({ item: { State } }, { seed }), `seed ${seed}`),
  )
  return finalize([...story, ...goldenOf('qm.AgentState'), ...builders], 1_000)
}

/** QM-002: CallState with PascalCase keys and an opaque string CallID. */
export function qmCallKeysDeliveries(seed: number): WebhookDelivery[] {
  const builders = [0, 1, 2].map((i) => {
    const itemSeed = hashSeed(seed, 'qm.CallState', i)
    return built('qm.CallState', buildQmCallStateEvent({}, { seed: itemSeed }), `seed ${itemSeed}`)
  })
  return finalize([...goldenOf('qm.CallState'), ...builders], 2_000)
}

/** QM-003: whole calls in order, through every state (`ringing` documented; the rest inferred). */
export function qmCallStatesDeliveries(seed: number): WebhookDelivery[] {
  return finalize(
    [
      ...qmStory('inbound-ivr-call', seed),
      ...qmStory('call-hold-warm-transfer', seed),
      ...qmStory('scheduled-callback', seed),
      ...qmStory('inbound-call-abandoned', seed),
    ],
    3_000,
  )
}

const CALL_OPTIONAL_KEYS = [
  'Queue_path_ids',
  'Queue_path_names',
  'Language',
  'Queue_uuid',
  'Recording_permitted',
  'MediaID',
] as const

/** QM-004: CallState with its optional keys absent, and with them `null`. */
export function qmCallNullishDeliveries(seed: number): WebhookDelivery[] {
  const base = qmStory('inbound-ivr-call', seed).filter(
    (d) => field(d.payload, 'type') === 'CallState',
  )
  const drafts: Draft[] = []
  for (const draft of base) {
    const absent = structuredClone(draft.payload) as { item: Json }
    const nulls = structuredClone(draft.payload) as { item: Json }
    absent.item = omit(absent.item, CALL_OPTIONAL_KEYS)
    for (const key of CALL_OPTIONAL_KEYS) nulls.item[key] = null
    drafts.push(
      variantOf(draft, 'optional keys absent', absent),
      variantOf(draft, 'optional keys null', nulls),
    )
  }
  return finalize(drafts, 4_000)
}

const QM_CHAT_STATES = [
  'waiting',
  'connected',
  'disconnected',
  'dismissed',
  'resumed',
  'participantDisconnect',
  'transferred',
] as const

/** QM-005: ChatState in every state of the field table (no `""` `connected_at`: QM-006). */
export function qmChatStatesDeliveries(seed: number): WebhookDelivery[] {
  const stories = [
    ...qmStory('web-chat-va-escalation', seed),
    ...qmStory('chat-vta-capture', seed),
  ].filter((d) => field(d.payload, 'type') === 'ChatState')
  const builders = QM_CHAT_STATES.flatMap((state) =>
    search(buildQmChatStateEvent, withState(state), { seed, count: 1, tag: `state ${state}` }).map(
      (payload) => built('qm.ChatState', payload, `builder, seed ${seed}`),
    ),
  )
  const drafts = [...stories, ...goldenOf('qm.ChatState'), ...builders]
  return finalize(
    drafts.filter((d) => !hasEmptyConnectedAt(d)),
    5_000,
  )
}

/** QM-006: a chat that ended in queue: `connected_at` is the empty string. */
export function qmEmptyConnectedAtDeliveries(seed: number): WebhookDelivery[] {
  const builders = search(buildQmChatStateEvent, (value) => value.item.connected_at === '', {
    seed,
    count: 2,
    tag: 'ended in queue',
  }).map((payload) => built('qm.ChatState', payload, `ended in queue, seed ${seed}`))
  const goldens = golden((e) => e.contract === 'qm.ChatState' && e.strict !== false).filter(
    hasEmptyConnectedAt,
  )
  return finalize([...goldens, ...builders], 6_000)
}

/** QM-007: a transfer: `participantDisconnect`, old agent disconnected, new agent connected. */
export function qmTransferDeliveries(seed: number): WebhookDelivery[] {
  const transfer = (value: {
    readonly item: { readonly participants: readonly unknown[] }
  }): boolean => value.item.participants.length >= 3
  const builders = search(
    buildQmChatStateEvent,
    (value) => withState('participantDisconnect')(value) && transfer(value),
    { seed, count: 2, tag: 'transfer' },
  ).map((payload) => built('qm.ChatState', payload, `transfer, seed ${seed}`))
  const goldens = golden(
    (e) =>
      e.contract === 'qm.ChatState' &&
      field(field(e.payload, 'item'), 'state') === 'participantDisconnect' &&
      (field(field(e.payload, 'item'), 'participants') as unknown[]).length >= 3,
  )
  return finalize([...goldens, ...builders], 7_000)
}

const CHAT_NULLABLE_KEYS = [
  'queue_path_ids',
  'queue_path_names',
  'language',
  'support_number',
  'ends_at',
  'queue_uuid',
  'tenant',
  'event_id',
  'timestamp',
] as const
const PARTICIPANT_NULLABLE_KEYS = ['media_id', 'agent_number', 'name', 'alias', 'participant_id']

/** QM-008: ChatState with optional keys absent, and with them `null` (participants' too). */
export function qmChatNullishDeliveries(seed: number): WebhookDelivery[] {
  const base = qmStory('web-chat-va-escalation', seed).filter(
    (d) => field(d.payload, 'type') === 'ChatState' && !hasEmptyConnectedAt(d),
  )
  const drafts: Draft[] = []
  for (const draft of base) {
    const absent = structuredClone(draft.payload) as { item: Json & { participants: Json[] } }
    const nulls = structuredClone(draft.payload) as { item: Json & { participants: Json[] } }
    absent.item = {
      ...omit(absent.item, [...CHAT_NULLABLE_KEYS, 'connected_at']),
      participants: absent.item.participants.map((p) => omit(p, PARTICIPANT_NULLABLE_KEYS)),
    }
    // `connected_at` is never null on the wire (absent, a time, or ""): it keeps its value.
    for (const key of CHAT_NULLABLE_KEYS) nulls.item[key] = null
    for (const participant of nulls.item.participants)
      for (const key of PARTICIPANT_NULLABLE_KEYS) participant[key] = null
    drafts.push(
      variantOf(draft, 'optional keys absent', absent),
      variantOf(draft, 'optional keys null', nulls),
    )
  }
  return finalize(drafts, 8_000)
}

/** QM-009: every event type with keys the documents do not list (envelope, item, participants). */
export function qmUnknownKeysDeliveries(seed: number): WebhookDelivery[] {
  const agent = buildQmAgentStateEvent({ item: { State: 'login' } }, { seed }) as unknown as Json
  const call = qmStory('inbound-ivr-call', seed).find(
    (d) => field(d.payload, 'type') === 'CallState',
  )
  const chat = qmStory('web-chat-va-escalation', seed).find(
    (d) => field(d.payload, 'type') === 'ChatState',
  )
  const extended: Draft[] = []
  const agentPayload = structuredClone(agent) as { item: Json } & Json
  agentPayload.version = 2
  agentPayload.item.Tenant = 'acme-support'
  agentPayload.item.Timestamp = Math.floor(Date.parse('2026-01-15T15:00:00Z') / 1000)
  extended.push(built('qm.AgentState', agentPayload, 'with undocumented keys'))
  if (call) {
    const payload = structuredClone(call.payload) as {
      item: Json & { Participants: Json[] }
    } & Json
    payload.version = 2
    payload.item.Tenant = 'acme-support'
    payload.item.EventID = `${call.sessionId ?? 1}-1`
    payload.item.Skills = ['billing', 'spanish']
    for (const p of payload.item.Participants) p.Name = p.Type === 'agent' ? 'Agent' : 'Caller'
    extended.push(variantOf(call, 'with undocumented keys', payload))
  }
  if (chat) {
    const payload = structuredClone(chat.payload) as {
      item: Json & { participants: Json[] }
    } & Json
    payload.version = 2
    payload.item.channel = 'web'
    payload.item.region = 'us-east1'
    payload.item.custom_data = { plan: 'premium', account_tier: 'gold' }
    for (const p of payload.item.participants) p.locale = 'en-US'
    extended.push(variantOf(chat, 'with undocumented keys', payload))
  }
  return finalize(extended, 9_000)
}

/** QM-010: one event delivered twice with the same idempotency key (a retry after a lost ack). */
export function qmDuplicateDeliveries(seed: number): WebhookDelivery[] {
  // A session of its own (index 1), so its key has not been delivered by another clause.
  const story = generateStory('web-chat-va-escalation', { seed, index: 1 })
  const first = finalize(
    projectQmEvents(story)
      .map((e) => fromEmission(e, `web-chat-va-escalation, seed ${seed}, index 1`))
      .filter((d) => field(d.payload, 'type') === 'ChatState' && !hasEmptyConnectedAt(d))
      .slice(0, 1),
    10_000,
  )
  return first.flatMap((delivery) => [
    { ...delivery, label: `${delivery.label}, attempt 1`, attempt: 1 },
    { ...delivery, label: `${delivery.label}, attempt 2 (same idempotency-key)`, attempt: 2 },
  ])
}

// ---------------------------------------------------------------------------------------------
// Adapter webhook receiver

const CALL_EVENT_TYPES = new Set([
  'New_Call',
  'End_Call',
  'Transfer_Call',
  'Agent_Joined_Call',
  'Call_Redaction_Started',
  'Call_Redaction_Stopped',
])
const CHAT_EVENT_TYPES = new Set([
  'New_Chat',
  'Active_Chat',
  'Chat_Inbound_Message',
  'Chat_Outbound_Message',
  'End_Chat',
  'Dismissed_Chat',
  'Transfer_Chat',
  'Agent_Joined_Chat',
  'Party_Added',
])
const COBROWSE_TYPES = new Set([
  'Cobrowse_Session_Started',
  'Cobrowse_Session_Remote_Control_Changed',
  'Cobrowse_Session_Full_Device_Changed',
  'Cobrowse_Session_Ended',
])

function ofTypes(types: ReadonlySet<string>) {
  return (draft: Draft): boolean => types.has(String(field(draft.payload, 'type')))
}

function adapterGolden(types: ReadonlySet<string>): Draft[] {
  return golden((e) => e.strict !== false && types.has(String(field(e.payload, 'type'))))
}

function builtAdapter(contract: string, seed: number): Draft {
  const build = ADAPTER_BUILDERS[contract as keyof typeof ADAPTER_BUILDERS] as
    Builder<unknown> | undefined
  const vta = VTA_BUILDERS[contract as keyof typeof VTA_BUILDERS] as Builder<unknown> | undefined
  const payload = (build ?? vta)?.(undefined, { seed })
  return built(contract, payload, `builder, seed ${seed}`)
}

/** ADAPTER-001: Agent_Login and Agent_Logout. */
export function adapterAgentDeliveries(seed: number): WebhookDelivery[] {
  const types = new Set(['Agent_Login', 'Agent_Logout'])
  return finalize(
    [
      ...adapterGolden(types),
      builtAdapter('adapter.Agent_Login', seed),
      builtAdapter('adapter.Agent_Logout', seed),
    ],
    1_000,
  )
}

/** ADAPTER-002: call events, whole calls in order, then the documents' examples. */
export function adapterCallDeliveries(seed: number): WebhookDelivery[] {
  const stories = ['inbound-ivr-call', 'call-hold-warm-transfer', 'outbound-call', 'campaign-call']
    .flatMap((scenario) => adapterStory(scenario, seed))
    .filter(ofTypes(new Set([...CALL_EVENT_TYPES, 'Party_Added'])))
  const builders = [...CALL_EVENT_TYPES].map((type) => builtAdapter(`adapter.${type}`, seed))
  return finalize([...stories, ...adapterGolden(CALL_EVENT_TYPES), ...builders], 2_000)
}

/** ADAPTER-003: chat events, whole chats in order (End_Chat with nulls: ADAPTER-008). */
export function adapterChatDeliveries(seed: number): WebhookDelivery[] {
  const stories = ['web-chat-va-escalation', 'sms-chat-dismissed']
    .flatMap((scenario) => adapterStory(scenario, seed))
    .filter(ofTypes(CHAT_EVENT_TYPES))
  const builders = [...CHAT_EVENT_TYPES].map((type) => builtAdapter(`adapter.${type}`, seed))
  const drafts = [...stories, ...adapterGolden(CHAT_EVENT_TYPES), ...builders]
  return finalize(
    drafts.filter((d) => !endChatWithNulls(d)),
    3_000,
  )
}

/** ADAPTER-004: co-browse events. */
export function adapterCobrowseDeliveries(seed: number): WebhookDelivery[] {
  const story = adapterStory('chat-cobrowse', seed).filter(ofTypes(COBROWSE_TYPES))
  const builders = [...COBROWSE_TYPES].map((type) => builtAdapter(`adapter.${type}`, seed))
  return finalize([...story, ...adapterGolden(COBROWSE_TYPES), ...builders], 4_000)
}

/** ADAPTER-005: the virtual task assistant's `Task_VA_*` events. */
export function adapterTaskVaDeliveries(seed: number): WebhookDelivery[] {
  const types = new Set(['Task_VA_Joined', 'Task_VA_Left', 'Task_VA_Variables_Received'])
  const story = adapterStory('chat-vta-capture', seed).filter(ofTypes(types))
  const builders = [...types].map((type) => builtAdapter(`vta.${type}`, seed))
  return finalize([...story, ...adapterGolden(types), ...builders], 5_000)
}

/** ADAPTER-006: `CRM_Record_Pop` with its camelCase `recordUrl`. */
export function adapterRecordPopDeliveries(seed: number): WebhookDelivery[] {
  const types = new Set(['CRM_Record_Pop'])
  const stories = ['inbound-ivr-call', 'web-chat-va-escalation']
    .flatMap((scenario) => adapterStory(scenario, seed))
    .filter(ofTypes(types))
  const builder = built(
    'adapter.CRM_Record_Pop',
    buildCrmRecordPopEvent({}, { seed }),
    `seed ${seed}`,
  )
  return finalize([...stories, ...adapterGolden(types), builder], 6_000)
}

/** ADAPTER-007: `Agent_Assist_Started` with string ids and a time-of-day timestamp. */
export function adapterAgentAssistDeliveries(seed: number): WebhookDelivery[] {
  const builders = [0, 1].map((i) => {
    const itemSeed = hashSeed(seed, 'Agent_Assist_Started', i)
    return built(
      'adapter.Agent_Assist_Started',
      buildAgentAssistStartedEvent({}, { seed: itemSeed }),
      `seed ${itemSeed}`,
    )
  })
  return finalize([...adapterGolden(new Set(['Agent_Assist_Started'])), ...builders], 7_000)
}

/** ADAPTER-008: `End_Chat` with explicit nulls for queue and custom id, as the document shows. */
export function adapterEndChatNullsDeliveries(seed: number): WebhookDelivery[] {
  const builder = built(
    'adapter.End_Chat',
    buildEndChatEvent(
      { data: { queue_id: null, queue_path: null, agent_custom_id: null } },
      { seed },
    ),
    `explicit nulls, seed ${seed}`,
  )
  const goldens = adapterGolden(new Set(['End_Chat'])).filter(endChatWithNulls)
  return finalize([...goldens, builder], 8_000)
}

/**
 * ADAPTER-009: events with keys the documents do not list, at the top level and in `data` (call and
 * chat events; not `Task_VA_*`, so a receiver without those fails ADAPTER-005 only).
 */
export function adapterUnknownKeysDeliveries(seed: number): WebhookDelivery[] {
  const picks = [
    ...adapterStory('inbound-ivr-call', seed).filter(ofTypes(new Set(['New_Call']))),
    ...adapterStory('web-chat-va-escalation', seed).filter(
      ofTypes(new Set(['New_Chat', 'Chat_Inbound_Message'])),
    ),
    ...adapterStory('inbound-ivr-call', seed).filter(ofTypes(new Set(['End_Call']))),
  ]
  return finalize(
    picks.map((draft) => {
      const payload = structuredClone(draft.payload) as { data: Json } & Json
      payload.version = 2
      payload.sent_at = '2026-01-15T15:00:00.000Z'
      payload.data.region = 'us-east1'
      payload.data.crm_context = { account_tier: 'gold', open_cases: 2 }
      return variantOf(draft, 'with undocumented keys', payload)
    }),
    9_000,
  )
}

/** ADAPTER-010: the documented alternate spellings (`end-user`) that only tolerant checking takes. */
export function adapterAlternatesDeliveries(): WebhookDelivery[] {
  return finalize(
    golden(
      (e) =>
        e.strict === false &&
        (e.contract.startsWith('adapter.') || e.contract.startsWith('vta.Task_VA_')),
    ),
    10_000,
  )
}

/** ADAPTER-011: one event delivered twice with the same idempotency key. */
export function adapterDuplicateDeliveries(seed: number): WebhookDelivery[] {
  const story = generateStory('web-chat-va-escalation', { seed, index: 1 })
  const first = finalize(
    projectAdapterEvents(story)
      .map((e) => fromEmission(e, `web-chat-va-escalation, seed ${seed}, index 1`))
      .filter(ofTypes(new Set(['New_Chat'])))
      .slice(0, 1),
    11_000,
  )
  return first.flatMap((delivery) => [
    { ...delivery, label: `${delivery.label}, attempt 1`, attempt: 1 },
    { ...delivery, label: `${delivery.label}, attempt 2 (same idempotency-key)`, attempt: 2 },
  ])
}
