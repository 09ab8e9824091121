import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { checkPayload } from '../check.js'
import golden from '../golden/apps-api.json' with { type: 'json' }
import {
  APPS_API_CONTRACTS,
  AppsApiCallSchema,
  AppsApiChatSchema,
  AppsApiErrorSchema,
  CreateCallRequestSchema,
  CreateSmsRequestSchema,
  CustomerFlagPayloadSchema,
} from './index.js'
import { agentInfoKind } from '../metadata/index.js'

type Json = Record<string, unknown>

function example(contract: string, index = 0): Json {
  const found = golden.filter((g) => g.contract === contract)[index]
  if (!found) throw new Error(`no golden example ${contract}[${index}]`)
  return structuredClone(found.payload)
}

function paths(result: { issues: readonly { path: string }[] }): string[] {
  return result.issues.map((issue) => issue.path)
}

describe('call object', () => {
  it('accepts agent_info and end_user as null, as the API sends them before assignment', () => {
    const call = { ...example('apps-api.call', 0), agent_info: null, end_user: null }
    expect(checkPayload(AppsApiCallSchema, call, { mode: 'strict' }).ok).toBe(true)
  })

  it('reads the call examples’ agent_info without email as a human agent', () => {
    const result = checkPayload(AppsApiCallSchema, example('apps-api.call', 0), { mode: 'strict' })
    if (!result.ok || !result.value.agent_info) throw new Error('expected agent_info')
    expect(agentInfoKind(result.value.agent_info)).toBe('human')
  })

  it('names participants[i].field when a participant fail_reason is not a string', () => {
    const call = example('apps-api.call', 0)
    const participants = call['participants'] as Json[]
    participants[1] = { ...participants[1], fail_reason: 0 }
    expect(paths(checkPayload(AppsApiCallSchema, call))).toEqual(['participants[1].fail_reason'])
  })

  it('names the timestamp that is not ISO 8601', () => {
    const result = checkPayload(AppsApiCallSchema, {
      ...example('apps-api.call', 0),
      assigned_at: '1559870850',
    })
    expect(paths(result)).toEqual(['assigned_at'])
  })

  it('tolerates the type skeleton’s hidden: "string" on selected_menu only in tolerant mode', () => {
    const call = example('apps-api.call', 3)
    call['selected_menu'] = { ...(call['selected_menu'] as Json), hidden: 'string' }
    expect(checkPayload(AppsApiCallSchema, call).ok).toBe(true)
    expect(paths(checkPayload(AppsApiCallSchema, call, { mode: 'strict' }))).toEqual([
      'selected_menu.hidden',
    ])
  })
})

describe('chat object', () => {
  it('accepts the integer agent_number and the null top-level fail_reason of the SMS example', () => {
    expect(
      checkPayload(AppsApiChatSchema, example('apps-api.chat', 1), { mode: 'strict' }).ok,
    ).toBe(true)
  })

  it('requires chat_id, not call_id, in chat participants', () => {
    const chat = example('apps-api.chat', 0)
    chat['participants'] = [{ id: 205, type: 'end_user', call_id: 114 }]
    expect(paths(checkPayload(AppsApiChatSchema, chat))).toEqual(['participants[0].chat_id'])
  })

  it('is not satisfied by a call object', () => {
    expect(checkPayload(AppsApiChatSchema, example('apps-api.call', 0)).ok).toBe(false)
  })
})

describe('create call request', () => {
  it.each([
    [
      'outbound',
      {
        call_type: 'Voice Outbound (API)',
        agent_email: 'a@example.com',
        end_user_number: '+1 205-123-4567',
      },
    ],
    [
      'incoming',
      { call_type: 'Voice Inbound (API)', menu_id: 9, end_user_number: '+1 859-657-9625' },
    ],
    [
      'scheduled',
      {
        call_type: 'Voice Scheduled (API)',
        call_id: 514,
        end_user_number: '+1',
        scheduled_at: '2019-09-15T00:19:14.421Z',
      },
    ],
  ])('accepts a minimal %s body in strict mode', (_kind, body) => {
    expect(checkPayload(CreateCallRequestSchema, body, { mode: 'strict' }).ok).toBe(true)
  })

  it.each(['OutboundCall', 'IncomingCall', 'ScheduledCall'])(
    'accepts the deprecated alias %s only in tolerant mode',
    (alias) => {
      const bodies: Record<string, Json> = {
        OutboundCall: { agent_email: 'a@example.com', end_user_number: '+1' },
        IncomingCall: { menu_id: 9, end_user_number: '+1' },
        ScheduledCall: {
          menu_id: 9,
          end_user_number: '+1',
          scheduled_at: '2019-09-15T00:19:14.421Z',
        },
      }
      const body = { call_type: alias, ...bodies[alias] }
      expect(checkPayload(CreateCallRequestSchema, body).ok).toBe(true)
      expect(paths(checkPayload(CreateCallRequestSchema, body, { mode: 'strict' }))).toEqual([
        'call_type',
      ])
    },
  )

  it('names menu_id when an incoming call has none', () => {
    const body = {
      call_type: 'Voice Inbound (API)',
      lang: 'en',
      end_user_number: '+1 859-657-9625',
    }
    expect(paths(checkPayload(CreateCallRequestSchema, body))).toEqual(['menu_id'])
  })

  it('names menu_id when it is not an integer ("menu_999")', () => {
    const body = {
      call_type: 'Voice Inbound (API)',
      menu_id: 'menu_999',
      end_user_number: '+1 859-657-9625',
    }
    expect(paths(checkPayload(CreateCallRequestSchema, body))).toEqual(['menu_id'])
  })

  it('names scheduled_at when a scheduled call lacks it', () => {
    const body = {
      call_type: 'Voice Scheduled (API)',
      menu_id: 9,
      end_user_number: '+1 859-657-9625',
    }
    expect(paths(checkPayload(CreateCallRequestSchema, body))).toEqual(['scheduled_at'])
  })

  it('rejects an unknown call_type in both modes', () => {
    const body = { call_type: 'InvalidCallType', menu_id: 9, end_user_number: '+1' }
    expect(checkPayload(CreateCallRequestSchema, body).ok).toBe(false)
    expect(paths(checkPayload(CreateCallRequestSchema, body))).toContain('call_type')
  })
})

describe('create SMS request', () => {
  it('takes the agent as camelCase agentId; snake_case agent_id is an unknown key', () => {
    const body = { ...example('apps-api.createSms.request', 1) }
    expect(checkPayload(CreateSmsRequestSchema, body, { mode: 'strict' }).ok).toBe(true)
    const { agentId, ...rest } = body
    const snake = { ...rest, agent_id: agentId }
    expect(checkPayload(CreateSmsRequestSchema, snake).notes.map((n) => n.path)).toEqual([
      'agent_id',
    ])
    expect(checkPayload(CreateSmsRequestSchema, snake, { mode: 'strict' }).ok).toBe(false)
  })

  it('names message when it is empty', () => {
    expect(
      paths(
        checkPayload(CreateSmsRequestSchema, {
          ...example('apps-api.createSms.request'),
          message: '',
        }),
      ),
    ).toEqual(['message'])
  })

  it('accepts the deprecated chat_type SMS only in tolerant mode', () => {
    const body = { ...example('apps-api.createSms.request'), chat_type: 'SMS' }
    expect(checkPayload(CreateSmsRequestSchema, body).ok).toBe(true)
    expect(paths(checkPayload(CreateSmsRequestSchema, body, { mode: 'strict' }))).toEqual([
      'chat_type',
    ])
  })
})

describe('customer_flag and error body', () => {
  it('accepts the PATCH example’s repeat_customers only in tolerant mode', () => {
    const body = example('apps-api.customerFlag', 1)
    expect(checkPayload(CustomerFlagPayloadSchema, body).ok).toBe(true)
    expect(paths(checkPayload(CustomerFlagPayloadSchema, body, { mode: 'strict' }))).toContain(
      'repeat_customer',
    )
  })

  it('rejects the page’s type names ("boolean") as values', () => {
    const body = { verified_customer: 'boolean', bad_actor: 'boolean', repeat_customer: 'boolean' }
    expect(paths(checkPayload(CustomerFlagPayloadSchema, body))).toEqual([
      'verified_customer',
      'bad_actor',
      'repeat_customer',
    ])
  })

  it('requires message in the error body', () => {
    expect(paths(checkPayload(AppsApiErrorSchema, {}))).toEqual(['message'])
  })

  it('exports every contract as JSON Schema', () => {
    for (const contract of APPS_API_CONTRACTS) {
      expect(() => z.toJSONSchema(contract.schema), contract.id).not.toThrow()
    }
  })
})
