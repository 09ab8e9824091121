import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { checkPayload } from '../check.js'
import golden from '../golden/vta.json' with { type: 'json' }
import {
  TaskVaJoinedEventSchema,
  TaskVaLeftEventSchema,
  TaskVaVariablesReceivedEventSchema,
  UjetCustomPayloadSchema,
  UjetDirectTransferActionPayloadSchema,
  UjetEscalationActionPayloadSchema,
  UjetInlineButtonPayloadSchema,
  UjetSessionVariablePayloadSchema,
  UjetTextPayloadSchema,
  VaCustomPayloadSchema,
  VTA_CONTRACTS,
  VtaEventSchema,
  selectVaCustomPayloadSchema,
} from './index.js'

const capturedVariable = {
  intent_name: null,
  variables: { testkey: 'testvalue' },
  captured_at: '2024-11-15 16:46:31 UTC',
  timestamp: '1727853575',
}

const chatData = {
  chat_id: 103646,
  virtual_agent_id: 1,
  virtual_agent_name: 'name',
  participant_id: 1,
  session_type: 'Messaging Inbound (SMS)',
  conversation_id: '12345',
  timestamp: '1727853575',
  data_parameters: { param1: 'one' },
}

const joined = { type: 'Task_VA_Joined', data: chatData }
const left = {
  type: 'Task_VA_Left',
  data: { ...chatData, finish_reason: 'Task VA failed', captured_variables: [capturedVariable] },
}
const received = {
  type: 'Task_VA_Variables_Received',
  data: { ...chatData, captured_variables: [capturedVariable] },
}

const sessionVariablePayload = {
  ujet: {
    session_variable: {
      payload: { key_one: '$session.params.location' },
      capture_type: ['comment', 'agent', 'event'],
      capture_target: 'payload',
      invisible_to_agent: ['key_one'],
    },
  },
}

function paths(result: { issues: readonly { path: string }[] }): string[] {
  return result.issues.map((issue) => issue.path)
}

describe('VTA post events', () => {
  it('parses each of the three events in strict mode', () => {
    expect(checkPayload(TaskVaJoinedEventSchema, joined, { mode: 'strict' }).ok).toBe(true)
    expect(checkPayload(TaskVaLeftEventSchema, left, { mode: 'strict' }).ok).toBe(true)
    expect(checkPayload(TaskVaVariablesReceivedEventSchema, received, { mode: 'strict' }).ok).toBe(
      true,
    )
  })

  it('picks the union member named by type', () => {
    expect(VtaEventSchema.parse(joined).type).toBe('Task_VA_Joined')
    expect(VtaEventSchema.parse(left).type).toBe('Task_VA_Left')
    expect(VtaEventSchema.parse(received).type).toBe('Task_VA_Variables_Received')
  })

  it('checks a Task_VA_Left through the union against the Left fields (finish_reason required)', () => {
    const { finish_reason: _dropped, ...data } = left.data
    const result = checkPayload(VtaEventSchema, { ...left, data }, { mode: 'strict' })
    expect(result.ok).toBe(false)
    expect(paths(result)).toEqual(['data.finish_reason'])
  })

  it('rejects an unknown event type, listing the three documented ones', () => {
    const result = checkPayload(VtaEventSchema, { type: 'Task_VA_Paused', data: chatData })
    expect(result.ok).toBe(false)
    expect(result.issues[0]?.path).toBe('type')
    expect(result.issues[0]?.expected).toContain('"Task_VA_Variables_Received"')
  })

  it('rejects a numeric timestamp, naming data.timestamp', () => {
    const result = checkPayload(TaskVaJoinedEventSchema, {
      ...joined,
      data: { ...chatData, timestamp: 1727853575 },
    })
    expect(result.ok).toBe(false)
    expect(result.issues).toEqual([
      expect.objectContaining({
        path: 'data.timestamp',
        code: 'invalid_type',
        received: 'integer 1727853575',
      }),
    ])
  })

  it('rejects a numeric timestamp inside a captured variable, naming its index', () => {
    const bad = {
      ...received,
      data: { ...received.data, captured_variables: [{ ...capturedVariable, timestamp: 1 }] },
    }
    expect(paths(checkPayload(VtaEventSchema, bad))).toEqual([
      'data.captured_variables[0].timestamp',
    ])
  })

  it('rejects captured_at in ISO form instead of "YYYY-MM-DD HH:MM:SS UTC"', () => {
    const bad = {
      ...left,
      data: {
        ...left.data,
        captured_variables: [{ ...capturedVariable, captured_at: '2024-11-15T16:46:31Z' }],
      },
    }
    const result = checkPayload(TaskVaLeftEventSchema, bad)
    expect(result.ok).toBe(false)
    expect(result.issues).toEqual([
      expect.objectContaining({
        path: 'data.captured_variables[0].captured_at',
        code: 'invalid_format',
      }),
    ])
  })

  it('accepts a voice session identified by call_id', () => {
    const { chat_id: _chat, ...rest } = chatData
    expect(
      checkPayload(
        TaskVaJoinedEventSchema,
        { ...joined, data: { ...rest, call_id: 97939 } },
        { mode: 'strict' },
      ).ok,
    ).toBe(true)
  })

  it('rejects data with neither call_id nor chat_id', () => {
    const { chat_id: _chat, ...rest } = chatData
    const result = checkPayload(TaskVaJoinedEventSchema, { ...joined, data: rest })
    expect(result.ok).toBe(false)
    expect(result.issues[0]?.path).toMatch(/^data\.(call_id|chat_id)$/)
  })

  it('tolerates both call_id and chat_id, but strict mode rejects the pair', () => {
    const both = { ...joined, data: { ...chatData, call_id: 97939 } }
    expect(checkPayload(TaskVaJoinedEventSchema, both).ok).toBe(true)
    expect(checkPayload(TaskVaJoinedEventSchema, both, { mode: 'strict' }).ok).toBe(false)
  })

  it('accepts null for an "omitted if not available" field only in tolerant mode', () => {
    const withNull = { ...joined, data: { ...chatData, queue_id: null, campaign_name: null } }
    expect(checkPayload(TaskVaJoinedEventSchema, withNull).ok).toBe(true)
    const strict = checkPayload(TaskVaJoinedEventSchema, withNull, { mode: 'strict' })
    expect(strict.ok).toBe(false)
    expect(paths(strict).sort()).toEqual(['data.campaign_name', 'data.queue_id'])
  })

  it('accepts Task_VA_Variables_Received without participant_id (missing from its field list)', () => {
    const { participant_id: _p, ...data } = received.data
    expect(
      checkPayload(TaskVaVariablesReceivedEventSchema, { ...received, data }, { mode: 'strict' })
        .ok,
    ).toBe(true)
  })

  it('requires participant_id on Task_VA_Joined', () => {
    const { participant_id: _p, ...data } = chatData
    expect(paths(checkPayload(TaskVaJoinedEventSchema, { ...joined, data }))).toEqual([
      'data.participant_id',
    ])
  })

  it('rejects va_data_parameters in strict mode: VTA events call it data_parameters', () => {
    const { data_parameters, ...rest } = chatData
    const result = checkPayload(TaskVaJoinedEventSchema, {
      ...joined,
      data: { ...rest, va_data_parameters: data_parameters },
    })
    expect(result.ok).toBe(false)
    expect(paths(result)).toContain('data.data_parameters')
  })
})

describe('Dialogflow custom session-variable payload', () => {
  it('parses the payload-capturing form in strict mode', () => {
    expect(
      checkPayload(UjetSessionVariablePayloadSchema, sessionVariablePayload, { mode: 'strict' }).ok,
    ).toBe(true)
  })

  it('accepts capture_target end_user_response with a capture_key', () => {
    const payload = {
      ujet: {
        session_variable: {
          capture_target: 'end_user_response',
          capture_key: 'order_number',
          capture_type: ['event'],
        },
      },
    }
    const result = checkPayload(UjetSessionVariablePayloadSchema, payload, { mode: 'strict' })
    expect(result.ok).toBe(true)
  })

  it('requires capture_key when capturing the end user response', () => {
    const payload = { ujet: { session_variable: { capture_target: 'end_user_response' } } }
    const result = checkPayload(UjetSessionVariablePayloadSchema, payload)
    expect(result.ok).toBe(false)
    expect(paths(result)).toEqual(['ujet.session_variable.capture_key'])
  })

  it('rejects an undocumented capture_type value, naming its index', () => {
    const payload = {
      ujet: {
        session_variable: {
          ...sessionVariablePayload.ujet.session_variable,
          capture_type: ['event', 'crm'],
        },
      },
    }
    const result = checkPayload(UjetSessionVariablePayloadSchema, payload)
    expect(result.ok).toBe(false)
    expect(result.issues).toEqual([
      expect.objectContaining({
        path: 'ujet.session_variable.capture_type[1]',
        code: 'invalid_value',
        received: 'string "crm"',
      }),
    ])
  })

  it('rejects an unknown capture_target', () => {
    const payload = { ujet: { session_variable: { capture_target: 'transcript', payload: {} } } }
    const result = checkPayload(UjetSessionVariablePayloadSchema, payload)
    expect(result.ok).toBe(false)
    expect(paths(result)).toEqual(['ujet.session_variable.capture_target'])
  })

  it('accepts data_parameters as a capture type (VA→VA transfers)', () => {
    const payload = {
      ujet: { session_variable: { payload: { plan: 'gold' }, capture_type: ['data_parameters'] } },
    }
    expect(checkPayload(UjetSessionVariablePayloadSchema, payload, { mode: 'strict' }).ok).toBe(
      true,
    )
  })
})

describe('Virtual-agent custom payloads', () => {
  it('picks the member named by ujet.type and checks its content key', () => {
    const result = checkPayload(UjetCustomPayloadSchema, {
      ujet: { type: 'text', messages: ['Hello', 2] },
    })
    expect(paths(result)).toEqual(['ujet.messages[1]'])
    expect(
      UjetCustomPayloadSchema.parse({
        ujet: { type: 'image', images: [{ url: 'https://image.url' }] },
      }).ujet.type,
    ).toBe('image')
  })

  it('picks the action member named by ujet.action', () => {
    const end = UjetCustomPayloadSchema.parse({ ujet: { type: 'action', action: 'end' } })
    expect(end.ujet).toEqual({ type: 'action', action: 'end' })
    const result = checkPayload(UjetCustomPayloadSchema, {
      ujet: { type: 'action', action: 'escalation' },
    })
    expect(paths(result)).toEqual(['ujet.escalation_reason'])
  })

  it('rejects an unknown ujet.type, listing the documented ones', () => {
    const result = checkPayload(UjetCustomPayloadSchema, { ujet: { type: 'carousel' } })
    expect(result.issues[0]?.path).toBe('ujet.type')
    expect(result.issues[0]?.expected).toContain('"sticky_button"')
  })

  it('accepts only quick_reply as button action in strict mode, any string in tolerant mode', () => {
    const payload = {
      ujet: { type: 'inline_button', buttons: [{ title: 'Docs', action: 'link' }] },
    }
    expect(checkPayload(UjetInlineButtonPayloadSchema, payload).ok).toBe(true)
    const strict = checkPayload(UjetInlineButtonPayloadSchema, payload, { mode: 'strict' })
    expect(paths(strict)).toEqual(['ujet.buttons[0].action'])
  })

  it('accepts menu_id as a string of digits only in tolerant mode', () => {
    const payload = {
      ujet: {
        type: 'action',
        action: 'escalation',
        escalation_reason: 'by_virtual_agent',
        menu_id: '90',
      },
    }
    expect(checkPayload(UjetEscalationActionPayloadSchema, payload).ok).toBe(true)
    expect(
      paths(checkPayload(UjetEscalationActionPayloadSchema, payload, { mode: 'strict' })),
    ).toEqual(['ujet.menu_id'])
  })

  it('rejects an undocumented escalation_reason', () => {
    const payload = {
      ujet: { type: 'action', action: 'escalation', escalation_reason: 'by_agent' },
    }
    expect(paths(checkPayload(UjetEscalationActionPayloadSchema, payload))).toEqual([
      'ujet.escalation_reason',
    ])
  })

  it('requires exactly one of agent_extension / agent_id on a direct transfer', () => {
    const base = { type: 'action', action: 'direct', escalation_reason: 'by_virtual_agent' }
    expect(
      checkPayload(UjetDirectTransferActionPayloadSchema, {
        ujet: { ...base, agent_extension: 1234 },
      }).ok,
    ).toBe(true)
    expect(
      checkPayload(UjetDirectTransferActionPayloadSchema, { ujet: { ...base, agent_id: 2896 } }).ok,
    ).toBe(true)
    expect(paths(checkPayload(UjetDirectTransferActionPayloadSchema, { ujet: base }))).toEqual([
      'ujet.agent_extension',
    ])
    const both = { ujet: { ...base, agent_extension: 1234, agent_id: 2896 } }
    expect(paths(checkPayload(UjetDirectTransferActionPayloadSchema, both))).toEqual([
      'ujet.agent_extension',
    ])
  })

  it('carries a session variable on a typed message', () => {
    const payload = {
      ujet: {
        type: 'text',
        messages: ['Order number?'],
        session_variable: { capture_target: 'end_user_response', capture_key: 'order' },
      },
    }
    expect(checkPayload(UjetTextPayloadSchema, payload, { mode: 'strict' }).ok).toBe(true)
  })

  it('accepts both the typed and the bare session-variable form through VaCustomPayloadSchema', () => {
    expect(checkPayload(VaCustomPayloadSchema, sessionVariablePayload, { mode: 'strict' }).ok).toBe(
      true,
    )
    expect(
      checkPayload(
        VaCustomPayloadSchema,
        { ujet: { type: 'action', action: 'end' } },
        { mode: 'strict' },
      ).ok,
    ).toBe(true)
  })

  it('selects the schema a payload is meant for, so issues name the right form', () => {
    const bad = { ujet: { session_variable: { payload: {}, capture_type: ['x'] } } }
    expect(selectVaCustomPayloadSchema(bad)).toBe(UjetSessionVariablePayloadSchema)
    expect(paths(checkPayload(selectVaCustomPayloadSchema(bad), bad))).toEqual([
      'ujet.session_variable.capture_type[0]',
    ])
    expect(selectVaCustomPayloadSchema({ ujet: { type: 'text' } })).toBe(UjetCustomPayloadSchema)
    expect(selectVaCustomPayloadSchema('nonsense')).toBe(UjetCustomPayloadSchema)
  })
})

describe('VTA contracts and golden examples', () => {
  const byId = new Map(VTA_CONTRACTS.map((contract) => [contract.id, contract]))

  it('has unique ids, all in the vta family', () => {
    expect(byId.size).toBe(VTA_CONTRACTS.length)
    for (const contract of VTA_CONTRACTS) {
      expect(contract.family).toBe('vta')
      expect(contract.id.startsWith('vta.')).toBe(true)
    }
  })

  it('has at least one golden example for every contract', () => {
    const covered = new Set(golden.map((example) => example.contract))
    expect([...byId.keys()].filter((id) => !covered.has(id))).toEqual([])
  })

  it.each(golden.map((example) => [example.contract, example.name, example] as const))(
    '%s golden "%s" passes strict and tolerant mode',
    (id, _name, example) => {
      const contract = byId.get(id)
      expect(contract).toBeDefined()
      if (!contract) return
      expect(checkPayload(contract.schema, example.payload).issues).toEqual([])
      expect(checkPayload(contract.schema, example.payload, { mode: 'strict' }).issues).toEqual([])
    },
  )

  it('exports every contract schema to JSON Schema', () => {
    for (const contract of VTA_CONTRACTS)
      expect(() => z.toJSONSchema(contract.schema)).not.toThrow()
  })
})
