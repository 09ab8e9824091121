import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import type { GoldenExample } from '../catalog/contract.js'
import { checkPayload } from '../check.js'
import golden from '../golden/adapter.json' with { type: 'json' }
import {
  ADAPTER_CONTRACTS,
  ADAPTER_EVENT_TYPES,
  AdapterEventSchema,
  AgentAssistStartedEventSchema,
  AgentLoginEventSchema,
  AgentLogoutEventSchema,
  ANY_ADAPTER_EVENT_TYPES,
  AnyAdapterEventSchema,
  CobrowseSessionEndedEventSchema,
  CobrowseSessionStartedEventSchema,
  CrmRecordPopEventSchema,
  EndChatEventSchema,
  NewCallEventSchema,
  parseAdapterMessage,
  TransferChatEventSchema,
} from './index.js'

const examples = golden as readonly GoldenExample[]

function example(contract: string, index = 0): { type: string; data: Record<string, unknown> } {
  const found = examples.filter((e) => e.contract === contract)[index]
  if (!found) throw new Error(`no golden example ${index} for ${contract}`)
  return structuredClone(found.payload) as { type: string; data: Record<string, unknown> }
}

function paths(result: { issues: readonly { path: string }[] }): string[] {
  return result.issues.map((i) => i.path)
}

const newCall = (): { type: string; data: Record<string, unknown> } => example('adapter.New_Call')

describe('adapter contracts and golden examples', () => {
  it('gives every adapter contract at least one golden example', () => {
    for (const contract of ADAPTER_CONTRACTS) {
      expect(
        examples.some((e) => e.contract === contract.id),
        contract.id,
      ).toBe(true)
    }
  })

  it('names every contract adapter.<wire type> and posts it from the platform to the CRM page', () => {
    expect(ADAPTER_CONTRACTS.map((c) => c.id)).toEqual(
      ADAPTER_EVENT_TYPES.map((t) => `adapter.${t}`),
    )
    for (const contract of ADAPTER_CONTRACTS) {
      expect(contract.direction).toEqual({ from: 'ccai-platform', to: 'crm-page' })
      expect(contract.transport).toBe('postMessage')
    }
  })

  it('marks exactly the events whose type string the docs never show as inferred', () => {
    const inferred = ADAPTER_CONTRACTS.filter((c) => c.confidence === 'inferred').map((c) => c.id)
    expect(inferred.sort()).toEqual([
      'adapter.Agent_Joined_Call',
      'adapter.Call_Redaction_Started',
      'adapter.Call_Redaction_Stopped',
      'adapter.Transfer_Call',
    ])
  })

  it('passes every golden example in tolerant mode, and in strict mode unless marked otherwise', () => {
    for (const e of examples) {
      const contract = ADAPTER_CONTRACTS.find((c) => c.id === e.contract)
      expect(contract, e.contract).toBeDefined()
      if (!contract) continue
      expect(checkPayload(contract.schema, e.payload).issues, e.name).toEqual([])
      const strict = checkPayload(contract.schema, e.payload, { mode: 'strict' })
      expect(strict.ok, e.name).toBe(e.strict !== false)
    }
  })

  it('exports every adapter event to JSON Schema', () => {
    expect(() => z.toJSONSchema(AnyAdapterEventSchema)).not.toThrow()
  })
})

describe('AdapterEventSchema', () => {
  it('picks the member named by the type field', () => {
    const result = checkPayload(AdapterEventSchema, example('adapter.Party_Added'), {
      mode: 'strict',
    })
    expect(result.ok).toBe(true)
    if (result.ok) expect(result.value.type).toBe('Party_Added')
  })

  it('checks the data against the picked member only', () => {
    const payload = { ...example('adapter.New_Chat'), type: 'New_Call' }
    const result = checkPayload(AdapterEventSchema, payload, { mode: 'strict' })
    expect(result.ok).toBe(false)
    expect(paths(result)).toContain('data.call_id')
  })

  it('rejects an unknown type at the type path', () => {
    const result = checkPayload(AdapterEventSchema, { type: 'New_Fax', data: {} })
    expect(result.ok).toBe(false)
    expect(paths(result)).toEqual(['type'])
  })

  it('matches type strings case-sensitively (the caption spelling New_chat is not the wire name)', () => {
    const result = checkPayload(AdapterEventSchema, {
      ...example('adapter.New_Chat'),
      type: 'New_chat',
    })
    expect(result.ok).toBe(false)
  })

  it('includes the three virtual task assistant events in AnyAdapterEventSchema only', () => {
    expect(ANY_ADAPTER_EVENT_TYPES).toEqual(
      expect.arrayContaining(['Task_VA_Joined', 'Task_VA_Left', 'Task_VA_Variables_Received']),
    )
    expect(ADAPTER_EVENT_TYPES).not.toContain('Task_VA_Joined')
    expect(AdapterEventSchema.options).toHaveLength(ADAPTER_EVENT_TYPES.length)
    expect(AnyAdapterEventSchema.options).toHaveLength(ANY_ADAPTER_EVENT_TYPES.length)
  })
})

describe('adapter event fields', () => {
  it('accepts an Agent_Login without agent_email strictly ("Optional: agent_custom_id, agent_email")', () => {
    const login = { type: 'Agent_Login', data: { agent_id: 1 } }
    expect(checkPayload(AgentLoginEventSchema, login, { mode: 'strict' }).ok).toBe(true)
    // Agent_Logout's list does not mark it optional.
    const logout = { type: 'Agent_Logout', data: { agent_id: 1 } }
    expect(paths(checkPayload(AgentLogoutEventSchema, logout, { mode: 'strict' }))).toEqual([
      'data.agent_email',
    ])
  })

  it('rejects an unknown data key in strict mode and tolerates it as a note otherwise', () => {
    const payload = newCall()
    payload.data['call_uuid'] = 'abc'
    const strict = checkPayload(NewCallEventSchema, payload, { mode: 'strict' })
    expect(strict.ok).toBe(false)
    expect(strict.issues[0]?.path).toBe('data.call_uuid')
    expect(strict.issues[0]?.code).toBe('unrecognized_keys')
    const tolerant = checkPayload(NewCallEventSchema, payload)
    expect(tolerant.ok).toBe(true)
    expect(tolerant.notes.map((n) => n.path)).toEqual(['data.call_uuid'])
  })

  it('requires the session id, naming the path when it is missing', () => {
    const payload = newCall()
    delete payload.data['call_id']
    const result = checkPayload(NewCallEventSchema, payload)
    expect(result.ok).toBe(false)
    expect(result.issues[0]?.path).toBe('data.call_id')
    expect(result.issues[0]?.message).toContain('data.call_id')
  })

  it('rejects a session id sent as a string in a call event', () => {
    const payload = newCall()
    payload.data['call_id'] = '103646'
    const result = checkPayload(NewCallEventSchema, payload)
    expect(paths(result)).toEqual(['data.call_id'])
  })

  it('accepts explicit nulls for the optional queue and custom-id fields, as End_Chat shows', () => {
    const result = checkPayload(EndChatEventSchema, example('adapter.End_Chat'), { mode: 'strict' })
    expect(result.ok).toBe(true)
  })

  it('accepts session_type as any string, in any casing, even in strict mode', () => {
    const payload = newCall()
    payload.data['session_type'] = 'messaging inbound (web chat)'
    expect(checkPayload(NewCallEventSchema, payload, { mode: 'strict' }).ok).toBe(true)
    payload.data['session_type'] = 7
    expect(paths(checkPayload(NewCallEventSchema, payload))).toEqual(['data.session_type'])
  })

  it('rejects a malformed agent email', () => {
    const payload = newCall()
    payload.data['agent_email'] = 'kim'
    expect(paths(checkPayload(NewCallEventSchema, payload))).toEqual(['data.agent_email'])
  })

  it('takes Agent_Assist_Started ids as digit strings and its timestamp as a time of day', () => {
    const good = example('adapter.Agent_Assist_Started')
    expect(checkPayload(AgentAssistStartedEventSchema, good, { mode: 'strict' }).ok).toBe(true)
    const intIds = { ...good, data: { ...good.data, queue_id: 65 } }
    expect(paths(checkPayload(AgentAssistStartedEventSchema, intIds))).toEqual(['data.queue_id'])
    const isoTime = { ...good, data: { ...good.data, timestamp: '2024-11-15T12:45:15Z' } }
    expect(paths(checkPayload(AgentAssistStartedEventSchema, isoTime))).toEqual(['data.timestamp'])
  })

  it('requires CRM_Record_Pop.data.recordUrl in camelCase', () => {
    const snake = { type: 'CRM_Record_Pop', data: { record_url: 'https://crm.example.com/r/1' } }
    const result = checkPayload(CrmRecordPopEventSchema, snake)
    expect(result.ok).toBe(false)
    expect(paths(result)).toEqual(['data.recordUrl'])
    const notUrl = { type: 'CRM_Record_Pop', data: { recordUrl: 'record 1' } }
    expect(paths(checkPayload(CrmRecordPopEventSchema, notUrl))).toEqual(['data.recordUrl'])
  })

  it('requires the originating agent of a transfer', () => {
    const payload = example('adapter.Transfer_Chat')
    delete payload.data['from_agent_email']
    expect(paths(checkPayload(TransferChatEventSchema, payload))).toEqual(['data.from_agent_email'])
  })
})

describe('co-browse alternates', () => {
  it('accepts end-user for requested_by in tolerant mode only', () => {
    const payload = example('adapter.Cobrowse_Session_Started')
    payload.data['cobrowse_session_requested_by'] = 'end-user'
    expect(checkPayload(CobrowseSessionStartedEventSchema, payload).ok).toBe(true)
    const strict = checkPayload(CobrowseSessionStartedEventSchema, payload, { mode: 'strict' })
    expect(strict.ok).toBe(false)
    expect(paths(strict)).toEqual(['data.cobrowse_session_requested_by'])
  })

  it('accepts end-user for ended_by in tolerant mode only', () => {
    const payload = example('adapter.Cobrowse_Session_Ended')
    payload.data['cobrowse_session_ended_by'] = 'end-user'
    expect(checkPayload(CobrowseSessionEndedEventSchema, payload).ok).toBe(true)
    const strict = checkPayload(CobrowseSessionEndedEventSchema, payload, { mode: 'strict' })
    expect(paths(strict)).toEqual(['data.cobrowse_session_ended_by'])
  })

  it('accepts api as who ended a co-browse session', () => {
    const payload = example('adapter.Cobrowse_Session_Ended')
    payload.data['cobrowse_session_ended_by'] = 'api'
    expect(checkPayload(CobrowseSessionEndedEventSchema, payload, { mode: 'strict' }).ok).toBe(true)
  })

  it('rejects an undocumented co-browse state, listing the documented ones', () => {
    const payload = example('adapter.Cobrowse_Session_Started')
    payload.data['cobrowse_session_full_device'] = 'pending'
    const result = checkPayload(CobrowseSessionStartedEventSchema, payload)
    expect(paths(result)).toEqual(['data.cobrowse_session_full_device'])
    expect(result.issues[0]?.expected).toContain('"requested"')
  })
})

describe('parseAdapterMessage', () => {
  it('reads an event posted as a JSON string and names its contract', () => {
    const result = parseAdapterMessage(JSON.stringify(newCall()))
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.contract).toBe('adapter.New_Call')
    expect(result.event.type).toBe('New_Call')
    expect(result.notes).toEqual([])
  })

  it('reads an event a host already structured-cloned into an object', () => {
    const result = parseAdapterMessage(example('adapter.CRM_Record_Pop'))
    expect(result.ok).toBe(true)
    if (result.ok && result.event.type === 'CRM_Record_Pop') {
      expect(result.event.data.recordUrl).toBe('https://crm.example.com/records/5001')
    }
  })

  it('reports malformed JSON as one issue at $ instead of throwing', () => {
    const result = parseAdapterMessage('{"type": "New_Call", "data": {')
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.contract).toBeUndefined()
    expect(result.issues).toHaveLength(1)
    const [issue] = result.issues
    expect(issue?.path).toBe('$')
    expect(issue?.code).toBe('invalid_json')
    expect(issue?.expected).toBe('a JSON string')
    expect(issue?.received).toMatch(/^string .*\(.+\)$/)
    expect(issue?.message.startsWith('$: expected a JSON string, received ')).toBe(true)
  })

  it('rejects an unknown type at the type path, listing every known type', () => {
    const result = parseAdapterMessage(JSON.stringify({ type: 'New_Fax', data: {} }))
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.contract).toBeUndefined()
    expect(result.issues).toHaveLength(1)
    expect(result.issues[0]?.path).toBe('type')
    expect(result.issues[0]?.received).toBe('string "New_Fax"')
    for (const type of ANY_ADAPTER_EVENT_TYPES) {
      expect(result.issues[0]?.expected).toContain(`"${type}"`)
    }
  })

  it('hints at the wire spelling when a type differs only in case', () => {
    const result = parseAdapterMessage(
      JSON.stringify({ ...example('adapter.New_Chat'), type: 'New_chat' }),
    )
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.issues[0]?.message).toContain('did you mean "New_Chat"?')
  })

  it('reports a missing type at the type path', () => {
    const result = parseAdapterMessage('{"data": {}}')
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.issues[0]?.path).toBe('type')
    expect(result.issues[0]?.code).toBe('invalid_type')
    expect(result.issues[0]?.received).toBe('nothing (the key is missing)')
  })

  it('reports JSON that is not an event object at $', () => {
    for (const data of [
      '42',
      'null',
      '[]',
      JSON.stringify(JSON.stringify(newCall())),
      42,
      undefined,
    ]) {
      const result = parseAdapterMessage(data)
      expect(result.ok).toBe(false)
      if (!result.ok)
        expect(result.issues.map((i) => [i.path, i.code])).toEqual([['$', 'invalid_type']])
    }
  })

  it('names the contract when a known type carries bad data', () => {
    const payload = newCall()
    payload.data['agent_id'] = 'one'
    const result = parseAdapterMessage(JSON.stringify(payload))
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.contract).toBe('adapter.New_Call')
    expect(result.issues.map((i) => i.path)).toEqual(['data.agent_id'])
  })

  it('rejects an unknown data key in strict mode and keeps it as a note in tolerant mode', () => {
    const payload = newCall()
    payload.data['ticket_id'] = 99
    const text = JSON.stringify(payload)
    const strict = parseAdapterMessage(text, { mode: 'strict' })
    expect(strict.ok).toBe(false)
    if (!strict.ok) {
      expect(strict.contract).toBe('adapter.New_Call')
      expect(strict.issues.map((i) => [i.path, i.code])).toEqual([
        ['data.ticket_id', 'unrecognized_keys'],
      ])
    }
    const tolerant = parseAdapterMessage(text)
    expect(tolerant.ok).toBe(true)
    if (tolerant.ok) expect(tolerant.notes.map((n) => n.path)).toEqual(['data.ticket_id'])
  })

  it('applies strict mode to documented alternates too', () => {
    const payload = example('adapter.Cobrowse_Session_Started', 1)
    expect(parseAdapterMessage(JSON.stringify(payload)).ok).toBe(true)
    expect(parseAdapterMessage(JSON.stringify(payload), { mode: 'strict' }).ok).toBe(false)
  })

  it('routes Task_VA_* events to their vta contracts', () => {
    const result = parseAdapterMessage(JSON.stringify({ type: 'Task_VA_Joined', data: {} }))
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.contract).toBe('vta.Task_VA_Joined')
  })

  it('never throws, even on a value whose getter throws', () => {
    const hostile = Object.defineProperty({}, 'type', {
      enumerable: true,
      get(): never {
        throw new Error('boom')
      },
    })
    expect(() => parseAdapterMessage(hostile)).not.toThrow()
    expect(parseAdapterMessage(hostile).ok).toBe(false)
  })
})
