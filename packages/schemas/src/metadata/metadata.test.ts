import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { checkPayload } from '../check.js'
import golden from '../golden/metadata.json' with { type: 'json' }
import {
  AgentInfoSchema,
  CALL_FAIL_REASON_CODES,
  CHAT_FAIL_REASON_CODES,
  CallFailReasonSchema,
  CallSessionMetadataSchema,
  CallStatusSchema,
  ChatFailReasonSchema,
  ChatSessionMetadataSchema,
  ChatStatusSchema,
  ESCALATION_REASON_CODES,
  ESCALATION_STATUS_CODES,
  EscalationReasonSchema,
  EscalationStatusSchema,
  INFERRED_SESSION_STATUS_NAMES,
  METADATA_CONTRACTS,
  SESSION_STATUS_BY_CODE,
  SESSION_STATUS_CODES,
  SessionMetadataSchema,
  VA_CALL_FINISH_REASON_CODES,
  agentInfoKind,
  isCallSessionMetadata,
  isVirtualAgentInfo,
} from './index.js'

type Json = Record<string, unknown>

function example(contract: string, index = 0): Json {
  const found = golden.filter((g) => g.contract === contract)[index]
  if (!found) throw new Error(`no golden example ${contract}[${index}]`)
  return structuredClone(found.payload)
}

const humanCall = (): Json => example('metadata.call', 0)
const vaCall = (): Json => example('metadata.call', 1)
const chat = (): Json => example('metadata.chat', 0)

function paths(result: { issues: readonly { path: string }[] }): string[] {
  return result.issues.map((issue) => issue.path)
}

describe('agent_info', () => {
  it('reads a record with an email as the human-agent variant', () => {
    const result = checkPayload(CallSessionMetadataSchema, humanCall(), { mode: 'strict' })
    expect(result.ok).toBe(true)
    if (!result.ok || !result.value.agent_info) throw new Error('expected agent_info')
    expect(agentInfoKind(result.value.agent_info)).toBe('human')
    expect(isVirtualAgentInfo(result.value.agent_info)).toBe(false)
  })

  it('reads a record with va_alias as the virtual-agent variant', () => {
    const result = checkPayload(CallSessionMetadataSchema, vaCall(), { mode: 'strict' })
    expect(result.ok).toBe(true)
    if (!result.ok || !result.value.agent_info) throw new Error('expected agent_info')
    expect(agentInfoKind(result.value.agent_info)).toBe('virtual_agent')
  })

  it('accepts a record whose agent_info key is absent, in strict mode too', () => {
    const record = humanCall()
    delete record['agent_info']
    expect(checkPayload(CallSessionMetadataSchema, record, { mode: 'strict' }).ok).toBe(true)
  })

  it('accepts agent_info null as the REST API sends it before assignment', () => {
    expect(
      checkPayload(
        CallSessionMetadataSchema,
        { ...humanCall(), agent_info: null },
        { mode: 'strict' },
      ).ok,
    ).toBe(true)
  })

  it('rejects in strict mode an agent_info that mixes va_alias with the human fields', () => {
    const mixed = { id: 7, name: 'Bot', va_alias: 'bot', email: 'bot@example.com', first_name: 'B' }
    expect(checkPayload(AgentInfoSchema, mixed, { mode: 'tolerant' }).ok).toBe(true)
    const strict = checkPayload(AgentInfoSchema, mixed, { mode: 'strict' })
    expect(strict.ok).toBe(false)
  })

  it('names agent_info.id when the agent id is not an integer', () => {
    const record = humanCall()
    record['agent_info'] = { ...(record['agent_info'] as Json), id: 'forty-two' }
    const result = checkPayload(CallSessionMetadataSchema, record)
    expect(paths(result)).toContain('agent_info.id')
  })
})

describe('documented alternates', () => {
  it('accepts end-user only in tolerant mode', () => {
    const record = humanCall()
    record['end-user'] = record['end_user']
    delete record['end_user']
    expect(checkPayload(CallSessionMetadataSchema, record, { mode: 'tolerant' })).toMatchObject({
      ok: true,
      notes: [],
    })
    const strict = checkPayload(CallSessionMetadataSchema, record, { mode: 'strict' })
    expect(strict.ok).toBe(false)
    expect(paths(strict)).toContain('end-user')
  })

  it('treats subStatus as primary on calls and sub_status as the tolerant-only alternate', () => {
    const primary = { ...humanCall(), subStatus: 'in_queue' }
    expect(checkPayload(CallSessionMetadataSchema, primary, { mode: 'strict' }).ok).toBe(true)
    const { subStatus: _dropped, ...rest } = primary
    const alternate = { ...rest, sub_status: 'in_queue' }
    expect(checkPayload(CallSessionMetadataSchema, alternate, { mode: 'tolerant' }).ok).toBe(true)
    expect(paths(checkPayload(CallSessionMetadataSchema, alternate, { mode: 'strict' }))).toContain(
      'sub_status',
    )
  })

  it('treats sub_status as primary on chats and subStatus as the tolerant-only alternate', () => {
    expect(
      checkPayload(
        ChatSessionMetadataSchema,
        { ...chat(), sub_status: 'waiting_for_agent' },
        { mode: 'strict' },
      ).ok,
    ).toBe(true)
    const { sub_status: _dropped, ...rest } = chat()
    const alternate = { ...rest, subStatus: 'waiting_for_agent' }
    expect(checkPayload(ChatSessionMetadataSchema, alternate, { mode: 'tolerant' }).ok).toBe(true)
    expect(paths(checkPayload(ChatSessionMetadataSchema, alternate, { mode: 'strict' }))).toContain(
      'subStatus',
    )
  })

  it('accepts "" for an empty connected_at only in tolerant mode', () => {
    const record = { ...humanCall(), connected_at: '' }
    expect(checkPayload(CallSessionMetadataSchema, record, { mode: 'tolerant' }).ok).toBe(true)
    expect(paths(checkPayload(CallSessionMetadataSchema, record, { mode: 'strict' }))).toEqual([
      'connected_at',
    ])
  })

  it('accepts a lower-cased session type only in tolerant mode', () => {
    const record = { ...humanCall(), session_type: 'voice inbound (ivr)' }
    expect(checkPayload(CallSessionMetadataSchema, record, { mode: 'tolerant' }).ok).toBe(true)
    const strict = checkPayload(CallSessionMetadataSchema, record, { mode: 'strict' })
    expect(paths(strict)).toEqual(['session_type'])
    expect(strict.issues[0]?.message).toContain('Voice Inbound (IVR)')
  })

  it('accepts an undocumented status string only in tolerant mode', () => {
    const record = { ...humanCall(), status: 'on_hold_forever' }
    expect(checkPayload(CallSessionMetadataSchema, record, { mode: 'tolerant' }).ok).toBe(true)
    expect(paths(checkPayload(CallSessionMetadataSchema, record, { mode: 'strict' }))).toEqual([
      'status',
    ])
  })

  it('rejects a numeric status even in tolerant mode: the wire carries the string', () => {
    const result = checkPayload(CallSessionMetadataSchema, { ...humanCall(), status: 8 })
    expect(result.ok).toBe(false)
    expect(paths(result)).toEqual(['status'])
  })
})

describe('status and reason vocabularies', () => {
  it('gives every coded status a name from the call or chat vocabulary', () => {
    const known = new Set<string>([...CallStatusSchema.options, ...ChatStatusSchema.options])
    expect(Object.keys(SESSION_STATUS_CODES).filter((name) => !known.has(name))).toEqual([])
  })

  it('keeps the status codes unique, with 6 and 7 undocumented', () => {
    const codes = Object.values(SESSION_STATUS_CODES)
    expect(new Set(codes).size).toBe(codes.length)
    expect(codes).not.toContain(6)
    expect(codes).not.toContain(7)
    expect(SESSION_STATUS_CODES).toMatchObject({
      scheduled: 0,
      queued: 1,
      finished: 8,
      failed: 9,
      campaign_connected: 18,
    })
  })

  it('maps every code back to its name', () => {
    for (const [name, code] of Object.entries(SESSION_STATUS_CODES)) {
      expect(SESSION_STATUS_BY_CODE[code]).toBe(name)
    }
  })

  it('lists the back-translated status names among the coded ones', () => {
    expect(INFERRED_SESSION_STATUS_NAMES.map((name) => SESSION_STATUS_CODES[name])).toEqual([
      11, 19,
    ])
  })

  it('builds each reason enum from exactly its code table', () => {
    expect([...CallFailReasonSchema.options].sort()).toEqual(
      Object.keys(CALL_FAIL_REASON_CODES).sort(),
    )
    expect([...ChatFailReasonSchema.options].sort()).toEqual(
      Object.keys(CHAT_FAIL_REASON_CODES).sort(),
    )
    expect([...EscalationStatusSchema.options]).toEqual(Object.keys(ESCALATION_STATUS_CODES))
    expect([...EscalationReasonSchema.options]).toEqual(Object.keys(ESCALATION_REASON_CODES))
  })

  it.each([
    ['call fail reasons', CALL_FAIL_REASON_CODES],
    ['chat fail reasons', CHAT_FAIL_REASON_CODES],
    ['escalation statuses', ESCALATION_STATUS_CODES],
    ['escalation reasons', ESCALATION_REASON_CODES],
  ] as const)('keeps the %s codes unique within their set', (_name, table) => {
    const codes = Object.values(table)
    expect(new Set(codes).size).toBe(codes.length)
  })

  it('documents that codes collide across sets, so strings are the key', () => {
    expect(CALL_FAIL_REASON_CODES.direct_pstn_call_to_fallback_number).toBe(60001)
    expect(CHAT_FAIL_REASON_CODES.group_deleted_no_substitute).toBe(60001)
    expect(VA_CALL_FINISH_REASON_CODES.va_callback_machine_detected).toBe(60001)
    expect(CALL_FAIL_REASON_CODES.group_deleted_no_substitute).toBe(50002)
  })
})

describe('paths in errors', () => {
  it('names created_at when a timestamp is in the wrong format', () => {
    const result = checkPayload(CallSessionMetadataSchema, {
      ...humanCall(),
      created_at: '2024-11-15 16:38:40 UTC',
    })
    expect(result.ok).toBe(false)
    expect(paths(result)).toEqual(['created_at'])
    expect(result.issues[0]?.message).toContain('ISO 8601')
  })

  it('names participants[i].field for a wrong participant field', () => {
    const record = humanCall()
    const participants = record['participants'] as Json[]
    participants[1] = { ...participants[1], call_id: '103646' }
    const result = checkPayload(CallSessionMetadataSchema, record)
    expect(paths(result)).toEqual(['participants[1].call_id'])
  })

  it('names participants[i].field when a chat participant lacks chat_id', () => {
    const record = chat()
    const participants = record['participants'] as Json[]
    const { chat_id: _dropped, ...rest } = participants[0] ?? {}
    participants[0] = { ...rest, call_id: 73522 }
    const result = checkPayload(ChatSessionMetadataSchema, record)
    expect(paths(result)).toEqual(['participants[0].chat_id'])
  })

  it('names the nested path inside transfers and escalations', () => {
    const record = humanCall()
    record['transfers'] = [{ id: 1, from_agent: { id: 0 } }]
    record['escalations'] = [{ status: 4 }]
    const result = checkPayload(CallSessionMetadataSchema, record)
    expect(paths(result).sort()).toEqual(['escalations[0].status', 'transfers[0].from_agent.id'])
  })

  it('names a missing required key (updated_at)', () => {
    const { updated_at: _dropped, ...record } = humanCall()
    expect(paths(checkPayload(CallSessionMetadataSchema, record))).toEqual(['updated_at'])
  })

  it('tolerates undocumented keys (disposition data) as notes, and strict rejects them', () => {
    const record = { ...humanCall(), disposition_code: 'resolved' }
    const tolerant = checkPayload(CallSessionMetadataSchema, record)
    expect(tolerant.ok).toBe(true)
    expect(tolerant.notes.map((n) => n.path)).toEqual(['disposition_code'])
    expect(checkPayload(CallSessionMetadataSchema, record, { mode: 'strict' }).ok).toBe(false)
  })
})

describe('session metadata records', () => {
  it('tells a call record from a chat record', () => {
    const call = SessionMetadataSchema.parse(humanCall())
    const chatRecord = SessionMetadataSchema.parse(chat())
    expect(isCallSessionMetadata(call)).toBe(true)
    expect(isCallSessionMetadata(chatRecord)).toBe(false)
  })

  it('does not accept a chat record as a call record', () => {
    expect(checkPayload(CallSessionMetadataSchema, chat()).ok).toBe(false)
  })

  it('exports both records as JSON Schema', () => {
    for (const contract of METADATA_CONTRACTS) {
      expect(() => z.toJSONSchema(contract.schema), contract.id).not.toThrow()
    }
  })

  it('declares both contracts as files for external storage', () => {
    expect(METADATA_CONTRACTS.map((c) => [c.id, c.transport, c.direction.to])).toEqual([
      ['metadata.call', 'file', 'external-storage'],
      ['metadata.chat', 'file', 'external-storage'],
    ])
  })
})
