import { describe, expect, it } from 'vitest'
import { checkPayload, type CheckMode } from '../check.js'
import { IntegerIdSchema, NumericStringIdSchema } from '../common/primitives.js'
import { tolerantOnly } from '../internal/modes.js'
import type { GoldenExample } from '../catalog/contract.js'
import golden from '../golden/qm.json' with { type: 'json' }
import {
  AgentStateEventSchema,
  CallStateEventSchema,
  ChatStateEventSchema,
  QM_AGENT_STATES,
  QM_CALL_DIRECTIONS,
  QM_CALL_PARTICIPANT_STATES,
  QM_CALL_STATES,
  QM_CHAT_DIRECTIONS,
  QM_CHAT_PARTICIPANT_STATES,
  QM_CHAT_SESSION_TYPES_V2,
  QM_CHAT_STATES,
  QM_CONTRACTS,
  QM_EVENT_TYPES,
  QM_PARTICIPANT_TYPES,
  QmEventSchema,
} from './index.js'

const EXAMPLES = golden as readonly GoldenExample[]
const MODES: readonly CheckMode[] = ['strict', 'tolerant']

function agentState(item: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'AgentState',
    item: { ParticipantID: '1234', Email: 'kim@example.com', State: 'login', ...item },
  }
}

function callState(item: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'CallState',
    item: {
      CallID: '846802bf90d1',
      State: 'ringing',
      Direction: 'incoming',
      Initiator: '+14155550100',
      Queue_path_ids: '1/2/3',
      Queue_path_names: 'support/orders/status',
      Language: 'en',
      Queue_uuid: 3,
      Recording_permitted: true,
      Participants: [
        { ParticipantID: '+14155550100', Type: 'external', State: 'connected' },
        { ParticipantID: '1234', Type: 'agent', State: 'ringing' },
      ],
      MediaID: '208188811_124248155@67.231.1.110',
      ...item,
    },
  }
}

function chatState(item: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'ChatState',
    item: {
      queue_path_ids: '7/26',
      queue_path_names: 'Test/calls',
      language: 'en',
      session_type_v2: 'In-web',
      chat_id: 141,
      state: 'disconnected',
      direction: 'incoming',
      initiator: 'end_user_5',
      participants: [
        { state: 'disconnected', type: 'external', media_id: 'MB65670b2c', dn: 'end_user_5' },
      ],
      ends_at: '2024-08-29T14:41:16.000-07:00',
      ...item,
    },
  }
}

function withoutKey(event: Record<string, unknown>, key: string): Record<string, unknown> {
  const item = Object.entries(event['item'] as Record<string, unknown>).filter(
    ([name]) => name !== key,
  )
  return { ...event, item: Object.fromEntries(item) }
}

/** The distinct paths the issues name (a timestamp can fail two checks at one path). */
function paths(result: ReturnType<typeof checkPayload>): string[] {
  return [...new Set(result.issues.map((issue) => issue.path))]
}

describe('QM golden examples', () => {
  it('has at least one example for every QM contract', () => {
    for (const contract of QM_CONTRACTS) {
      expect(
        EXAMPLES.filter((e) => e.contract === contract.id).length,
        contract.id,
      ).toBeGreaterThan(0)
    }
  })

  it('checks every example against its contract in both modes', () => {
    for (const example of EXAMPLES) {
      const contract = QM_CONTRACTS.find((c) => c.id === example.contract)
      expect(contract, example.name).toBeDefined()
      const tolerant = checkPayload(contract!.schema, example.payload)
      expect(tolerant.issues, example.name).toEqual([])
      expect(tolerant.notes, example.name).toEqual([])
      const strict = checkPayload(contract!.schema, example.payload, { mode: 'strict' })
      expect(strict.ok, example.name).toBe(example.strict !== false)
    }
  })

  it('transcribes all fifteen chat samples of seed 004', () => {
    const fromSeed = EXAMPLES.filter(
      (e) => e.contract === 'qm.ChatState' && e.source.startsWith('seeds/004'),
    )
    expect(fromSeed).toHaveLength(15)
  })
})

describe('QmEventSchema', () => {
  it('picks the member named by type', () => {
    for (const [event, schema] of [
      [agentState(), AgentStateEventSchema],
      [callState(), CallStateEventSchema],
      [chatState(), ChatStateEventSchema],
    ] as const) {
      const result = checkPayload(QmEventSchema, event, { mode: 'strict' })
      expect(result.ok).toBe(true)
      expect(checkPayload(schema, event, { mode: 'strict' }).ok).toBe(true)
    }
    expect([...QM_EVENT_TYPES]).toEqual(['AgentState', 'CallState', 'ChatState'])
  })

  it('rejects an unknown type, naming type and the three known types', () => {
    for (const mode of MODES) {
      const result = checkPayload(QmEventSchema, { type: 'QueueState', item: {} }, { mode })
      expect(result.ok).toBe(false)
      expect(result.issues).toEqual([
        expect.objectContaining({
          path: 'type',
          expected: 'one of "AgentState", "CallState", "ChatState"',
          received: 'string "QueueState"',
        }),
      ])
    }
  })

  it('checks the item against the member its type names, not another member', () => {
    const callItemAsChat = { type: 'ChatState', item: callState()['item'] as object }
    const result = checkPayload(QmEventSchema, callItemAsChat)
    expect(result.ok).toBe(false)
    expect(paths(result)).toContain('item.chat_id')
  })

  it('rejects an event without item, naming item', () => {
    const result = checkPayload(QmEventSchema, { type: 'AgentState' })
    expect(paths(result)).toEqual(['item'])
  })
})

describe('qm.AgentState', () => {
  it.each(QM_AGENT_STATES)('accepts agent state %s in strict mode', (state) => {
    expect(
      checkPayload(AgentStateEventSchema, agentState({ State: state }), { mode: 'strict' }).ok,
    ).toBe(true)
  })

  it('rejects an undocumented agent state in both modes, naming item.State', () => {
    for (const mode of MODES) {
      const result = checkPayload(AgentStateEventSchema, agentState({ State: 'available' }), {
        mode,
      })
      expect(result.issues).toEqual([
        expect.objectContaining({ path: 'item.State', expected: 'one of "login", "logout"' }),
      ])
    }
  })

  it('wants the agent id as a string of digits, not an integer', () => {
    const result = checkPayload(AgentStateEventSchema, agentState({ ParticipantID: 1234 }))
    expect(result.issues[0]?.message).toBe(
      'item.ParticipantID: expected string, received integer 1234',
    )
  })

  it('rejects the snake_case key participant_id in place of ParticipantID', () => {
    const event = withoutKey(agentState({ participant_id: '1234' }), 'ParticipantID')
    expect(paths(checkPayload(AgentStateEventSchema, event))).toEqual(['item.ParticipantID'])
    expect(paths(checkPayload(AgentStateEventSchema, event, { mode: 'strict' })).sort()).toEqual([
      'item.ParticipantID',
      'item.participant_id',
    ])
  })

  it('rejects an Email that is not an email address', () => {
    expect(paths(checkPayload(AgentStateEventSchema, agentState({ Email: 'kim' })))).toEqual([
      'item.Email',
    ])
  })
})

describe('qm.CallState', () => {
  it.each(QM_CALL_STATES)('accepts call state %s in strict mode', (state) => {
    expect(
      checkPayload(CallStateEventSchema, callState({ State: state }), { mode: 'strict' }).ok,
    ).toBe(true)
  })

  it.each(QM_CALL_DIRECTIONS)('accepts call direction %s in strict mode', (direction) => {
    expect(
      checkPayload(CallStateEventSchema, callState({ Direction: direction }), { mode: 'strict' })
        .ok,
    ).toBe(true)
  })

  it.each(QM_CALL_PARTICIPANT_STATES)(
    'accepts call participant state %s in strict mode',
    (state) => {
      const event = callState({
        Participants: [{ ParticipantID: '1234', Type: 'agent', State: state }],
      })
      expect(checkPayload(CallStateEventSchema, event, { mode: 'strict' }).ok).toBe(true)
    },
  )

  it.each(QM_PARTICIPANT_TYPES)('accepts call participant type %s in strict mode', (type) => {
    const event = callState({
      Participants: [{ ParticipantID: '7', Type: type, State: 'connected' }],
    })
    expect(checkPayload(CallStateEventSchema, event, { mode: 'strict' }).ok).toBe(true)
  })

  it('requires the PascalCase CallID: a snake_case call_id fails strict naming CallID', () => {
    const event = withoutKey(callState({ call_id: '846802bf90d1' }), 'CallID')
    const strict = checkPayload(CallStateEventSchema, event, { mode: 'strict' })
    expect(strict.ok).toBe(false)
    expect(strict.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'item.CallID', received: 'nothing (the key is missing)' }),
        expect.objectContaining({ path: 'item.call_id', code: 'unrecognized_keys' }),
      ]),
    )
    const tolerant = checkPayload(CallStateEventSchema, event)
    expect(paths(tolerant)).toEqual(['item.CallID'])
    expect(tolerant.notes.map((n) => n.path)).toEqual(['item.call_id'])
  })

  it('keeps Capitalised_snake keys: queue_path_ids in place of Queue_path_ids is unknown in strict mode', () => {
    const event = withoutKey(callState({ queue_path_ids: '1/2/3' }), 'Queue_path_ids')
    expect(paths(checkPayload(CallStateEventSchema, event, { mode: 'strict' }))).toEqual([
      'item.queue_path_ids',
    ])
  })

  it('requires PascalCase participant keys', () => {
    const event = callState({
      Participants: [{ participantId: '1234', Type: 'agent', State: 'ringing' }],
    })
    expect(paths(checkPayload(CallStateEventSchema, event))).toEqual([
      'item.Participants[0].ParticipantID',
    ])
  })

  it('wants CallID as an opaque string, not the integer call id', () => {
    const result = checkPayload(CallStateEventSchema, callState({ CallID: 846802 }))
    expect(result.issues[0]?.message).toBe('item.CallID: expected string, received integer 846802')
  })

  it('wants Queue_uuid as an integer and Recording_permitted as a boolean', () => {
    const result = checkPayload(
      CallStateEventSchema,
      callState({ Queue_uuid: '3', Recording_permitted: 'true' }),
    )
    expect(paths(result).sort()).toEqual(['item.Queue_uuid', 'item.Recording_permitted'])
  })

  it('accepts an undocumented call state, direction or participant state in tolerant mode only', () => {
    for (const [event, path] of [
      [callState({ State: 'held' }), 'item.State'],
      [callState({ Direction: 'outgoing' }), 'item.Direction'],
      [
        callState({ Participants: [{ ParticipantID: '1', Type: 'agent', State: 'hold' }] }),
        'item.Participants[0].State',
      ],
    ] as const) {
      expect(checkPayload(CallStateEventSchema, event).ok).toBe(true)
      const strict = checkPayload(CallStateEventSchema, event, { mode: 'strict' })
      expect(paths(strict)).toEqual([path])
      expect(strict.issues[0]?.code).toBe('invalid_value')
    }
  })

  it('rejects a non-string call state in tolerant mode too', () => {
    expect(paths(checkPayload(CallStateEventSchema, callState({ State: 3 })))).toEqual([
      'item.State',
    ])
  })

  it('rejects an unknown participant type in both modes', () => {
    const event = callState({
      Participants: [{ ParticipantID: '1', Type: 'supervisor', State: 'connected' }],
    })
    for (const mode of MODES) {
      expect(paths(checkPayload(CallStateEventSchema, event, { mode }))).toEqual([
        'item.Participants[0].Type',
      ])
    }
  })

  it('accepts the optional queue, language, recording and media keys absent or null', () => {
    const optional = [
      'Queue_path_ids',
      'Queue_path_names',
      'Language',
      'Queue_uuid',
      'Recording_permitted',
      'MediaID',
    ]
    for (const key of optional) {
      expect(
        checkPayload(CallStateEventSchema, withoutKey(callState(), key), { mode: 'strict' }).ok,
        key,
      ).toBe(true)
      expect(
        checkPayload(CallStateEventSchema, callState({ [key]: null }), { mode: 'strict' }).ok,
        key,
      ).toBe(true)
    }
  })

  it('rejects a missing or null required key, naming it', () => {
    for (const key of ['CallID', 'State', 'Direction', 'Initiator', 'Participants']) {
      expect(paths(checkPayload(CallStateEventSchema, withoutKey(callState(), key))), key).toEqual([
        `item.${key}`,
      ])
      expect(paths(checkPayload(CallStateEventSchema, callState({ [key]: null }))), key).toEqual([
        `item.${key}`,
      ])
    }
  })

  it('rejects queue ids joined with " / " like the adapter events', () => {
    expect(
      paths(checkPayload(CallStateEventSchema, callState({ Queue_path_ids: '1 / 2 / 3' }))),
    ).toEqual(['item.Queue_path_ids'])
  })
})

describe('qm.ChatState', () => {
  it.each(QM_CHAT_STATES)('accepts chat state %s in strict mode', (state) => {
    expect(checkPayload(ChatStateEventSchema, chatState({ state }), { mode: 'strict' }).ok).toBe(
      true,
    )
  })

  it.each(QM_CHAT_PARTICIPANT_STATES)(
    'accepts chat participant state %s in strict mode',
    (state) => {
      const event = chatState({ participants: [{ state, type: 'agent', dn: 'agent_1' }] })
      expect(checkPayload(ChatStateEventSchema, event, { mode: 'strict' }).ok).toBe(true)
    },
  )

  it.each(QM_PARTICIPANT_TYPES)('accepts chat participant type %s in strict mode', (type) => {
    const event = chatState({ participants: [{ state: 'connected', type, dn: 'x_1' }] })
    expect(checkPayload(ChatStateEventSchema, event, { mode: 'strict' }).ok).toBe(true)
  })

  it.each([...QM_CHAT_DIRECTIONS, ...QM_CHAT_SESSION_TYPES_V2])(
    'accepts documented value %s in strict mode',
    (value) => {
      const event =
        value === 'incoming'
          ? chatState({ direction: value })
          : chatState({ session_type_v2: value })
      expect(checkPayload(ChatStateEventSchema, event, { mode: 'strict' }).ok).toBe(true)
    },
  )

  it('rejects an undocumented chat state or participant state in both modes', () => {
    for (const mode of MODES) {
      expect(
        paths(checkPayload(ChatStateEventSchema, chatState({ state: 'ended' }), { mode })),
      ).toEqual(['item.state'])
      const event = chatState({
        participants: [{ state: 'ringing', type: 'agent', dn: 'agent_1' }],
      })
      expect(paths(checkPayload(ChatStateEventSchema, event, { mode }))).toEqual([
        'item.participants[0].state',
      ])
    }
  })

  it('rejects outgoing chats in both modes: chats are inbound only', () => {
    for (const mode of MODES) {
      expect(
        paths(checkPayload(ChatStateEventSchema, chatState({ direction: 'outgoing' }), { mode })),
      ).toEqual(['item.direction'])
    }
  })

  it('accepts In-app (the inferred mobile-SDK value) strictly', () => {
    const event = chatState({ session_type_v2: 'In-app' })
    expect(checkPayload(ChatStateEventSchema, event, { mode: 'strict' }).ok).toBe(true)
  })

  it('accepts an unseen session_type_v2 in tolerant mode only', () => {
    const event = chatState({ session_type_v2: 'In-kiosk' })
    expect(checkPayload(ChatStateEventSchema, event).ok).toBe(true)
    expect(paths(checkPayload(ChatStateEventSchema, event, { mode: 'strict' }))).toEqual([
      'item.session_type_v2',
    ])
  })

  it('does not take the metadata vocabulary for session_type_v2 in strict mode', () => {
    const event = chatState({ session_type_v2: 'Messaging Inbound (Web Chat)' })
    expect(paths(checkPayload(ChatStateEventSchema, event, { mode: 'strict' }))).toEqual([
      'item.session_type_v2',
    ])
  })

  it('wants chat_id as an integer', () => {
    const result = checkPayload(ChatStateEventSchema, chatState({ chat_id: '141' }))
    expect(result.issues[0]?.message).toBe('item.chat_id: expected number, received string "141"')
  })

  it('requires snake_case keys: ChatID or Chat_id in place of chat_id fails naming chat_id', () => {
    for (const key of ['ChatID', 'Chat_id']) {
      const event = withoutKey(chatState({ [key]: 141 }), 'chat_id')
      expect(paths(checkPayload(ChatStateEventSchema, event))).toEqual(['item.chat_id'])
      expect(paths(checkPayload(ChatStateEventSchema, event, { mode: 'strict' })).sort()).toEqual([
        `item.${key}`,
        'item.chat_id',
      ])
    }
  })

  describe('connected_at', () => {
    it('is a primary "" when the chat ended in queue: strict accepts it', () => {
      expect(
        checkPayload(ChatStateEventSchema, chatState({ connected_at: '' }), { mode: 'strict' }).ok,
      ).toBe(true)
    })

    it('may be absent before the chat connects', () => {
      expect(checkPayload(ChatStateEventSchema, chatState(), { mode: 'strict' }).ok).toBe(true)
    })

    it('is accepted as null in tolerant mode only', () => {
      const event = chatState({ connected_at: null })
      expect(checkPayload(ChatStateEventSchema, event).ok).toBe(true)
      const strict = checkPayload(ChatStateEventSchema, event, { mode: 'strict' })
      expect(paths(strict)).toEqual(['item.connected_at'])
    })

    it('takes a timestamp with a numeric offset, not the Z form of the metadata files', () => {
      const offset = chatState({ connected_at: '2024-09-13T14:04:17.000-07:00' })
      expect(checkPayload(ChatStateEventSchema, offset, { mode: 'strict' }).ok).toBe(true)
      for (const mode of MODES) {
        const zulu = chatState({ connected_at: '2024-09-13T21:04:17.000Z' })
        expect(paths(checkPayload(ChatStateEventSchema, zulu, { mode }))).toEqual([
          'item.connected_at',
        ])
      }
    })

    it('rejects a blank-but-not-empty string and a non-date string', () => {
      expect(paths(checkPayload(ChatStateEventSchema, chatState({ connected_at: ' ' })))).toEqual([
        'item.connected_at',
      ])
      expect(
        paths(checkPayload(ChatStateEventSchema, chatState({ connected_at: 'yesterday' }))),
      ).toEqual(['item.connected_at'])
    })
  })

  it('requires ends_at with an offset when it is a timestamp', () => {
    const result = checkPayload(
      ChatStateEventSchema,
      chatState({ ends_at: '2024-08-29T21:41:16.000Z' }),
    )
    expect(paths(result)).toEqual(['item.ends_at'])
  })

  it('accepts optional keys absent or null, but support_number only as null', () => {
    for (const key of [
      'queue_path_ids',
      'queue_path_names',
      'language',
      'ends_at',
      'support_number',
    ]) {
      expect(
        checkPayload(ChatStateEventSchema, withoutKey(chatState(), key), { mode: 'strict' }).ok,
        key,
      ).toBe(true)
      expect(
        checkPayload(ChatStateEventSchema, chatState({ [key]: null }), { mode: 'strict' }).ok,
        key,
      ).toBe(true)
    }
    expect(
      paths(checkPayload(ChatStateEventSchema, chatState({ support_number: '+15550100' }))),
    ).toEqual(['item.support_number'])
  })

  it('accepts the field-table-only keys and participant fields absent or null', () => {
    const event = chatState({
      queue_uuid: null,
      tenant: null,
      event_id: null,
      timestamp: null,
      participants: [
        {
          state: 'connected',
          type: 'agent',
          dn: 'agent_1',
          media_id: null,
          agent_number: null,
          name: null,
          alias: null,
          participant_id: null,
        },
      ],
    })
    expect(checkPayload(ChatStateEventSchema, event, { mode: 'strict' }).ok).toBe(true)
  })

  it('wants the table-only timestamp as integer epoch seconds', () => {
    const result = checkPayload(ChatStateEventSchema, chatState({ timestamp: '1724967676' }))
    expect(paths(result)).toEqual(['item.timestamp'])
  })

  it('rejects a missing or null required key, naming it', () => {
    for (const key of [
      'session_type_v2',
      'chat_id',
      'state',
      'direction',
      'initiator',
      'participants',
    ]) {
      expect(paths(checkPayload(ChatStateEventSchema, withoutKey(chatState(), key))), key).toEqual([
        `item.${key}`,
      ])
      expect(paths(checkPayload(ChatStateEventSchema, chatState({ [key]: null }))), key).toEqual([
        `item.${key}`,
      ])
    }
  })

  it('requires dn on every participant', () => {
    const event = chatState({ participants: [{ state: 'connected', type: 'external' }] })
    expect(paths(checkPayload(ChatStateEventSchema, event))).toEqual(['item.participants[0].dn'])
  })

  it('reports an unknown key such as transfer_id as a note in tolerant mode and an issue in strict mode', () => {
    const event = chatState({ state: 'transferred', transfer_id: 9 })
    const tolerant = checkPayload(ChatStateEventSchema, event)
    expect(tolerant.ok).toBe(true)
    expect(tolerant.notes.map((n) => n.path)).toEqual(['item.transfer_id'])
    expect(paths(checkPayload(ChatStateEventSchema, event, { mode: 'strict' }))).toEqual([
      'item.transfer_id',
    ])
  })
})

describe('QM_CONTRACTS', () => {
  it('declares the three QM events as webhooks from the platform to the QM receiver', () => {
    expect(QM_CONTRACTS.map((c) => [c.id, c.confidence])).toEqual([
      ['qm.AgentState', 'doc-example'],
      ['qm.CallState', 'doc-example'],
      ['qm.ChatState', 'documented'],
    ])
    for (const contract of QM_CONTRACTS) {
      expect(contract.family).toBe('qm')
      expect(contract.direction).toEqual({ from: 'ccai-platform', to: 'qm-receiver' })
      expect(contract.transport).toBe('http-webhook')
      expect(contract.notes).toMatch(/name no transport/)
    }
  })
})

// Last: it marks shared instances for the rest of this file.
describe('shared primitives', () => {
  it('keeps ParticipantID and chat_id in strict mode when another family marks the shared primitive tolerant-only', () => {
    tolerantOnly(NumericStringIdSchema)
    tolerantOnly(IntegerIdSchema)
    expect(checkPayload(AgentStateEventSchema, agentState(), { mode: 'strict' }).ok).toBe(true)
    expect(checkPayload(ChatStateEventSchema, chatState(), { mode: 'strict' }).ok).toBe(true)
  })
})
