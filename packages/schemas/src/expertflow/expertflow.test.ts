import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { detectContract } from '../catalog/catalog.js'
import { checkPayload, type CheckResult } from '../check.js'
import {
  ActivityMessageSchema,
  AgentSchema,
  AmqSendFrameSchema,
  AttachmentSchema,
  ChatMessageSchema,
  ConversationInfoFrameSchema,
  ConversationSchema,
  CustomerSchema,
  EXPERTFLOW_CONTRACTS,
  EXPERTFLOW_EVENT_NAMES,
  EXPERTFLOW_EVENTS,
  ExpertflowClientFrameSchema,
  ExpertflowFrameSchema,
  ExpertflowServerFrameSchema,
  expertflowFrameFromSocketIo,
  isExpertflowEventName,
  LeaveConversationFrameSchema,
  MessageArrivedFrameSchema,
  MessageSchema,
  ParticipantSchema,
  socketIoArgsOf,
  SupervisorSchema,
  TeamSchema,
  WrapUpFrameSchema,
} from './index.js'

const chatMessage = {
  conversationId: '7g5639ju987g',
  type: 'ChatMessage',
  requestId: '99397bf7-a4fb-41c3-8292-a021b44262a6',
  timestamp: '2018-05-07T06:52:21.661Z',
  channel: 'web',
  from: { id: 'abcdedf', name: 'Kashif Sohail' },
  to: [{ id: 'yferdt5' }, { id: '4ty678gu' }],
  text: 'Hello, what is the status of my request',
  attachments: [],
}

const activityMessage = {
  conversationId: '7g5639ju987g',
  type: 'ActivityMessage',
  from: { id: 'yferdt5', displayName: 'Agent One', type: 'Agent', role: 'Owner', status: 'Active' },
  to: [],
  activityType: 'participantJoined',
  info: { participantId: 'sup-1' },
}

const owner = { id: 'yferdt5', displayName: 'Agent One', type: 'Agent', role: 'Owner' }
const customer = {
  id: 'abcdedf',
  displayName: 'Kashif Sohail',
  type: 'Customer',
  email: 'kashif@example.com',
  phone: '+15550100',
  channel: 'web',
}
const team = {
  id: 'team-1',
  name: 'Support',
  members: [{ ...owner, status: 'Ready', teams: [], conversations: [] }],
  supervisors: [{ id: 'sup-1', displayName: 'Supervisor One', type: 'Supervisor' }],
}

function paths(result: CheckResult): string[] {
  return result.issues.map((issue) => issue.path)
}

function bothModes(schema: z.ZodType, value: unknown): [boolean, boolean] {
  return [checkPayload(schema, value).ok, checkPayload(schema, value, { mode: 'strict' }).ok]
}

describe('expertflow objects', () => {
  it.each([
    ['Participant', ParticipantSchema, owner],
    ['Customer', CustomerSchema, customer],
    ['Attachment', AttachmentSchema, { type: 'image/png', name: 'a.png', _thumbnailUrl: 'x' }],
    ['ChatMessage', ChatMessageSchema, chatMessage],
    ['ActivityMessage', ActivityMessageSchema, activityMessage],
    [
      'Conversation',
      ConversationSchema,
      {
        id: '7g5639ju987g',
        participants: [owner, { id: 'abcdedf', displayName: 'Kashif Sohail', type: 'Customer' }],
        messages: [chatMessage, activityMessage],
      },
    ],
    ['Team', TeamSchema, team],
    ['Agent', AgentSchema, { ...owner, status: 'Busy', teams: [team], conversations: [] }],
    ['Supervisor', SupervisorSchema, { id: 'sup-1', type: 'Supervisor', team }],
  ] as const)('parses a documented %s in strict and tolerant mode', (_name, schema, value) => {
    expect(bothModes(schema, value)).toEqual([true, true])
  })

  it('accepts the Participant table’s `Role` spelling only in tolerant mode', () => {
    const value = { id: 'yferdt5', Role: 'Owner' }
    expect(bothModes(ParticipantSchema, value)).toEqual([true, false])
    expect(paths(checkPayload(ParticipantSchema, value, { mode: 'strict' }))).toEqual(['Role'])
  })

  it('accepts the Conversation table’s `Id` spelling only in tolerant mode', () => {
    expect(bothModes(ConversationSchema, { Id: 'abc333' })).toEqual([true, false])
  })

  it('lists conversation participants as Participant objects: Customer keys are only tolerated', () => {
    const value = { id: 'c', participants: [customer] }
    const tolerant = checkPayload(ConversationSchema, value)
    expect(tolerant.ok).toBe(true)
    expect(tolerant.notes.map((n) => n.path)).toEqual([
      'participants[0].channel',
      'participants[0].email',
      'participants[0].phone',
    ])
    expect(checkPayload(ConversationSchema, value, { mode: 'strict' }).ok).toBe(false)
  })

  it('rejects a participant type, role or status outside the documented vocabulary', () => {
    const result = checkPayload(ParticipantSchema, { type: 'Robot', role: 'Boss', status: 'Away' })
    expect(paths(result).sort()).toEqual(['role', 'status', 'type'])
  })

  it('names the full path through the Team/Agent recursion', () => {
    const nested = {
      ...team,
      members: [{ ...owner, teams: [{ ...team, members: [{ id: 'x', status: 'Sleeping' }] }] }],
    }
    const result = checkPayload(TeamSchema, nested)
    expect(paths(result)).toEqual(['members[0].teams[0].members[0].status'])
    expect(checkPayload(TeamSchema, nested, { mode: 'strict' }).ok).toBe(false)
  })

  it('exports every object to JSON Schema, recursion included', () => {
    for (const schema of [AgentSchema, TeamSchema, SupervisorSchema, ExpertflowFrameSchema]) {
      expect(() => z.toJSONSchema(schema)).not.toThrow()
    }
  })
})

describe('expertflow messages', () => {
  it('picks ChatMessage or ActivityMessage on `type`', () => {
    const chat = checkPayload(MessageSchema, chatMessage)
    const activity = checkPayload(MessageSchema, activityMessage)
    expect(chat.ok && chat.value.type).toBe('ChatMessage')
    expect(activity.ok && activity.value.type).toBe('ActivityMessage')
  })

  it('names payload.type when a ChatMessage has an undocumented type', () => {
    const result = checkPayload(MessageArrivedFrameSchema, {
      event: 'messageArrived',
      payload: { ...chatMessage, type: 'chatMessage' },
    })
    expect(result.ok).toBe(false)
    expect(result.issues[0]?.path).toBe('payload.type')
    expect(result.issues[0]?.message).toContain('"chatMessage"')
  })

  it('names the path of each wrongly typed ChatMessage field', () => {
    const result = checkPayload(MessageArrivedFrameSchema, {
      event: 'messageArrived',
      payload: { ...chatMessage, text: 42, timestamp: '07/05/2018', to: { id: 'x' } },
    })
    expect(paths(result).sort()).toEqual(['payload.text', 'payload.timestamp', 'payload.to'])
  })

  it('names the full path of a bad nested Participant', () => {
    const result = checkPayload(MessageArrivedFrameSchema, {
      event: 'messageArrived',
      payload: { ...activityMessage, to: [{ id: 'a' }, { id: 'b', type: 'Robot' }] },
    })
    expect(paths(result)).toEqual(['payload.to[1].type'])

    const info = checkPayload(ConversationInfoFrameSchema, {
      event: 'conversationInfo',
      payload: {
        conversation: { id: 'c', participants: [owner, { ...customer, role: 'Boss' }] },
        messages: [{ ...activityMessage, from: { status: 42 } }],
        role: 'Owner',
        handRaise: false,
      },
    })
    expect(paths(info).sort()).toEqual([
      'payload.conversation.participants[1].role',
      'payload.messages[0].from.status',
    ])
  })

  it('accepts the lower-case `activityMessage` type only in tolerant mode', () => {
    const frame = {
      event: 'messageArrived',
      payload: { ...activityMessage, type: 'activityMessage' },
    }
    expect(bothModes(MessageArrivedFrameSchema, frame)).toEqual([true, false])
    const strict = checkPayload(MessageArrivedFrameSchema, frame, { mode: 'strict' })
    expect(paths(strict)).toEqual(['payload.type'])
  })

  it('rejects an activity type outside the seven documented ones', () => {
    const result = checkPayload(ActivityMessageSchema, { ...activityMessage, activityType: 'hold' })
    expect(paths(result)).toEqual(['activityType'])
  })
})

describe('expertflow frames', () => {
  it('fails an unknown event, naming it', () => {
    const result = checkPayload(ExpertflowFrameSchema, { event: 'sendFile', payload: {} })
    expect(result.ok).toBe(false)
    expect(result.issues).toHaveLength(1)
    expect(result.issues[0]?.path).toBe('event')
    expect(result.issues[0]?.message).toContain('"sendFile"')
  })

  it('keeps client and server events apart', () => {
    const join = { event: 'joinConversation', payload: { conversationId: 'abc333' } }
    const team = {
      event: 'teamInfo',
      payload: { teamId: 't', teamName: 'T', agents: [], supervisors: [] },
    }
    expect(checkPayload(ExpertflowClientFrameSchema, join).ok).toBe(true)
    expect(checkPayload(ExpertflowServerFrameSchema, join).ok).toBe(false)
    expect(checkPayload(ExpertflowServerFrameSchema, team).ok).toBe(true)
    expect(checkPayload(ExpertflowClientFrameSchema, team).ok).toBe(false)
    const end = { event: 'endConversation', payload: { conversationId: 'abc333' } }
    expect(checkPayload(ExpertflowClientFrameSchema, end).ok).toBe(true)
    expect(checkPayload(ExpertflowServerFrameSchema, end).ok).toBe(true)
  })

  it('picks the amq-send member on the JMS `head`', () => {
    const ok = checkPayload(AmqSendFrameSchema, {
      event: 'amq-send',
      payload: { head: 'AgentState', AgentId: 'a', State: 'READY', Mrd: 'm', ReasonCode: -1 },
    })
    expect(ok.ok && ok.value.payload.head).toBe('AgentState')
  })

  it('rejects a state the client may not request, naming payload.State', () => {
    const result = checkPayload(AmqSendFrameSchema, {
      event: 'amq-send',
      payload: { head: 'AgentState', AgentId: 'a', State: 'BUSY', Mrd: 'm', ReasonCode: -1 },
    })
    expect(paths(result)).toEqual(['payload.State'])
  })

  it('rejects an undocumented JMS type, naming payload.head', () => {
    const result = checkPayload(ExpertflowFrameSchema, {
      event: 'amq-msg',
      payload: { head: 'TaskRevoked' },
    })
    expect(paths(result)).toEqual(['payload.head'])
    expect(result.issues[0]?.message).toContain('"TaskRevoked"')
  })

  it('requires the AgentState command fields that the seed shows', () => {
    const result = checkPayload(AmqSendFrameSchema, {
      event: 'amq-send',
      payload: { head: 'AgentState', State: 'READY' },
    })
    expect(paths(result).sort()).toEqual(['payload.AgentId', 'payload.Mrd', 'payload.ReasonCode'])
  })

  it('accepts notify as the string "true" only in tolerant mode, and nothing else', () => {
    const frame = (notify: unknown) => ({
      event: 'leaveConversation',
      payload: { conversationId: 'c', notify },
    })
    expect(bothModes(LeaveConversationFrameSchema, frame(true))).toEqual([true, true])
    expect(bothModes(LeaveConversationFrameSchema, frame('true'))).toEqual([true, false])
    expect(paths(checkPayload(LeaveConversationFrameSchema, frame('yes')))).toEqual([
      'payload.notify',
    ])
  })

  it('accepts wrapUp’s nested conversation object only in tolerant mode', () => {
    const nested = {
      event: 'wrapUp',
      payload: { conversation: { conversationId: 'c' }, wrapup: 'resolved' },
    }
    expect(bothModes(WrapUpFrameSchema, nested)).toEqual([true, false])
    const flat = { event: 'wrapUp', payload: { conversationId: 'c', wrapup: 'resolved' } }
    expect(bothModes(WrapUpFrameSchema, flat)).toEqual([true, true])
    expect(paths(checkPayload(WrapUpFrameSchema, { event: 'wrapUp', payload: {} }))).toEqual([
      'payload.wrapup',
    ])
  })

  it('accepts conversationInfo’s `participants` spelling only in tolerant mode', () => {
    const frame = {
      event: 'conversationInfo',
      payload: {
        conversation: {},
        messages: [],
        participants: [owner],
        role: 'Owner',
        handRaise: true,
      },
    }
    expect(bothModes(ConversationInfoFrameSchema, frame)).toEqual([true, false])
  })
})

describe('EXPERTFLOW_EVENTS', () => {
  it('maps every event name to a frame whose literal is that name', () => {
    for (const name of EXPERTFLOW_EVENT_NAMES) {
      const entry = EXPERTFLOW_EVENTS[name]
      const event = (entry.frame as z.ZodObject).shape['event'] as z.ZodLiteral
      expect(event.value, name).toBe(name)
      expect((entry.frame as z.ZodObject).shape['payload'], name).toBe(entry.payload)
    }
  })

  it('ties every event to the catalog contract that checks the same frame', () => {
    const byId = new Map(EXPERTFLOW_CONTRACTS.map((c) => [c.id, c]))
    for (const name of EXPERTFLOW_EVENT_NAMES) {
      const entry = EXPERTFLOW_EVENTS[name]
      expect(byId.get(entry.contract)?.schema, name).toBe(entry.frame)
    }
    expect(new Set(EXPERTFLOW_EVENT_NAMES.map((n) => EXPERTFLOW_EVENTS[n].contract)).size).toBe(
      EXPERTFLOW_CONTRACTS.length,
    )
  })

  it('lists the same events as the frame union', () => {
    expect([...ExpertflowFrameSchema.options.map((o) => o.shape.event.value)].sort()).toEqual(
      [...EXPERTFLOW_EVENT_NAMES].sort(),
    )
  })

  it('treats only the documented names as events', () => {
    expect(isExpertflowEventName('RoleUpdated')).toBe(true)
    expect(isExpertflowEventName('roleUpdated')).toBe(false)
    expect(isExpertflowEventName('changeState')).toBe(false)
    expect(isExpertflowEventName('toString')).toBe(false)
  })

  it('routes every contract over the websocket between the agent client and the server', () => {
    for (const contract of EXPERTFLOW_CONTRACTS) {
      expect(contract.transport).toBe('websocket')
      expect([contract.direction.from, contract.direction.to].sort()).toEqual([
        'expertflow-agent-client',
        'expertflow-server',
      ])
    }
  })
})

describe('expertflowFrameFromSocketIo', () => {
  it('reads a captured EVENT packet and the catalog recognises it', () => {
    const frame = expertflowFrameFromSocketIo('42["joinConversation",{"conversationId":"abc333"}]')
    expect(frame).toEqual({ event: 'joinConversation', payload: { conversationId: 'abc333' } })
    expect(detectContract(frame)?.contract.id).toBe('expertflow.joinConversation')
  })

  it('tells look-alike payloads apart by their event name', () => {
    const frame = expertflowFrameFromSocketIo(['bargeIn', { conversationId: 'abc333' }])
    expect(detectContract(frame)?.contract.id).toBe('expertflow.bargeIn')
  })

  it('reads packets with a namespace and an ack id, with or without the Engine.IO prefix', () => {
    expect(expertflowFrameFromSocketIo('42/agents,17["login",{"agentId":"a"}]')).toEqual({
      event: 'login',
      payload: { agentId: 'a' },
    })
    expect(expertflowFrameFromSocketIo('2["teamInfo",{}]')?.event).toBe('teamInfo')
  })

  it('returns undefined for anything that is not a single-payload event', () => {
    expect(expertflowFrameFromSocketIo('40')).toBeUndefined()
    expect(expertflowFrameFromSocketIo('43["login",{}]')).toBeUndefined()
    expect(expertflowFrameFromSocketIo('42["login",{]')).toBeUndefined()
    expect(expertflowFrameFromSocketIo([42, {}])).toBeUndefined()
    expect(expertflowFrameFromSocketIo(['login', {}, {}])).toBeUndefined()
    expect(expertflowFrameFromSocketIo([])).toBeUndefined()
  })

  it('round-trips to the arguments of socket.emit', () => {
    expect(socketIoArgsOf({ event: 'bargeIn', payload: { conversationId: 'c' } })).toEqual([
      'bargeIn',
      { conversationId: 'c' },
    ])
  })
})
