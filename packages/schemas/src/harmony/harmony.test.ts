import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { checkPayload } from '../check.js'
import golden from '../golden/harmony.json' with { type: 'json' }
import {
  HARMONY_CONTRACTS,
  HARMONY_TARGET_PATTERNS,
  HarmonyChannelActivateCommandSchema,
  HarmonyChannelCreatedEventSchema,
  HarmonyChannelDeactivateCommandSchema,
  HarmonyChannelTargetSchema,
  HarmonyCommandSchema,
  HarmonyCommandSuccessResponseSchema,
  HarmonyConversationTargetSchema,
  HarmonyEventSchema,
  HarmonyFailureResponseSchema,
  HarmonyInteractionTargetSchema,
  HarmonyObjectEventSchema,
  HarmonyResponseSchema,
  HarmonySessionRequestInContactAddressBookResponseSchema,
  HarmonySessionTargetSchema,
  HarmonyTargetSchema,
  harmonyTargetSegments,
} from './index.js'

interface Golden {
  contract: string
  name: string
  strict?: boolean
  payload: unknown
}
const GOLDEN = golden as Golden[]

function contract(id: string) {
  const found = HARMONY_CONTRACTS.find((c) => c.id === id)
  if (!found) throw new Error(`no contract ${id}`)
  return found
}

const activate = {
  command: 'channel.activate',
  target: 'sess1.tel1',
  data: { channeloptions: { queue: 'sales' } },
}

describe('Harmony commands', () => {
  it('picks the command schema by its exact wire command string', () => {
    const result = checkPayload(HarmonyCommandSchema, activate, { mode: 'strict' })
    expect(result.ok).toBe(true)
    expect(result.ok && result.value.command).toBe('channel.activate')

    const notReady = checkPayload(HarmonyCommandSchema, {
      command: 'channel.notready',
      target: 'sess1.group1.tel1',
      data: { reasoncode: 'acw' },
    })
    expect(notReady.ok).toBe(true)
  })

  it('checks the data of the command the union picked, naming the path', () => {
    const result = checkPayload(HarmonyCommandSchema, {
      command: 'channel.notready',
      target: 'sess1.tel1',
      data: { reasondesc: 'lunch' },
    })
    expect(result.ok).toBe(false)
    expect(result.issues.map((i) => i.path)).toEqual(['data.reasoncode'])
  })

  it('rejects an unknown command, naming command and listing the known ones', () => {
    const result = checkPayload(HarmonyCommandSchema, {
      command: 'channel.explode',
      target: 'sess1.tel1',
      data: {},
    })
    expect(result.ok).toBe(false)
    expect(result.issues).toHaveLength(1)
    expect(result.issues[0]?.path).toBe('command')
    expect(result.issues[0]?.expected).toContain('"channel.activate"')
    expect(result.issues[0]?.received).toBe('string "channel.explode"')
  })

  it('rejects a command without its discriminator, naming command', () => {
    const result = checkPayload(HarmonyCommandSchema, { target: 'sess1', data: {} })
    expect(result.issues[0]?.path).toBe('command')
  })

  it('accepts prepareSession without a target (a service request, not a session one)', () => {
    const result = checkPayload(
      HarmonyCommandSchema,
      {
        command: 'prepareSession',
        data: { model: 'default', override: false, agent: { id: 'a1', password: 'pw' } },
      },
      { mode: 'strict' },
    )
    expect(result.ok).toBe(true)
  })

  it('rejects a channel command aimed at an interaction-depth target', () => {
    const result = checkPayload(HarmonyCommandSchema, {
      ...activate,
      target: 'sess1.group1.tel1.int9',
    })
    expect(result.issues.map((i) => i.path)).toEqual(['target'])
  })

  it('accepts channelOptions on channel.activate only in tolerant mode', () => {
    const payload = {
      command: 'channel.activate',
      target: 'sess1.tel1',
      data: { channelOptions: { queue: 'q' } },
    }
    expect(checkPayload(HarmonyChannelActivateCommandSchema, payload).ok).toBe(true)
    const strict = checkPayload(HarmonyChannelActivateCommandSchema, payload, { mode: 'strict' })
    expect(strict.ok).toBe(false)
    expect(strict.issues.map((i) => i.path)).toEqual(['data.channelOptions'])
  })

  it('accepts channeloptions on channel.deactivate only in tolerant mode', () => {
    const payload = {
      command: 'channel.deactivate',
      target: 'sess1.tel1',
      data: { channeloptions: { reason: '12' } },
    }
    expect(checkPayload(HarmonyChannelDeactivateCommandSchema, payload).ok).toBe(true)
    const strict = checkPayload(HarmonyChannelDeactivateCommandSchema, payload, { mode: 'strict' })
    expect(strict.issues.map((i) => i.path)).toEqual(['data.channeloptions'])
  })

  it('requires data.realtime to be a boolean on the address-book request', () => {
    const result = checkPayload(HarmonyCommandSchema, {
      command: 'session.request.incontact.addressbook',
      target: 'sess1',
      data: { realtime: 'true' },
    })
    expect(result.issues[0]?.message).toBe(
      'data.realtime: expected boolean, received string "true"',
    )
  })
})

describe('Harmony responses', () => {
  const original = { command: 'channel.ready', target: 'sess1.tel1', data: {} }

  it('reads a failure response with its error code and the echoed request', () => {
    const payload = {
      command: 'channel.ready',
      target: 'sess1.tel1',
      result: 'failure',
      failure: { code: 'CHANNEL_NOT_ACTIVE', message: 'Channel tel1 is INACTIVE' },
      original,
    }
    const result = checkPayload(HarmonyResponseSchema, payload, { mode: 'strict' })
    expect(result.ok).toBe(true)
    if (result.ok && result.value.result === 'failure') {
      expect(result.value.failure.code).toBe('CHANNEL_NOT_ACTIVE')
      expect(result.value.original.command).toBe('channel.ready')
    } else {
      expect.unreachable('expected a failure response')
    }
  })

  it('rejects a failure response without its failure code, naming failure.code', () => {
    const result = checkPayload(HarmonyFailureResponseSchema, {
      command: 'channel.ready',
      target: 'sess1.tel1',
      result: 'failure',
      failure: { message: 'no' },
      original,
    })
    expect(result.issues.map((i) => i.path)).toEqual(['failure.code'])
  })

  it('rejects a failure response that does not echo the original request', () => {
    const result = checkPayload(HarmonyFailureResponseSchema, {
      command: 'channel.ready',
      target: 'sess1.tel1',
      result: 'failure',
      failure: { code: 'CTI_ERROR', message: 'no' },
    })
    expect(result.issues.map((i) => i.path)).toEqual(['original'])
  })

  it('rejects a result other than success or failure, naming result', () => {
    const result = checkPayload(HarmonyResponseSchema, {
      command: 'channel.ready',
      target: 's.c',
      result: 'ok',
    })
    expect(result.issues[0]?.path).toBe('result')
  })

  it('accepts the leading-space command of the documents only in tolerant mode', () => {
    const payload = {
      command: ' session.request.incontact.addressbook',
      target: 'sess1',
      result: 'success',
      data: { addressbooks: [] },
    }
    expect(checkPayload(HarmonySessionRequestInContactAddressBookResponseSchema, payload).ok).toBe(
      true,
    )
    expect(checkPayload(HarmonyCommandSuccessResponseSchema, payload).ok).toBe(true)
    const strict = checkPayload(HarmonySessionRequestInContactAddressBookResponseSchema, payload, {
      mode: 'strict',
    })
    expect(strict.issues.map((i) => i.path)).toEqual(['command'])
  })

  it('checks nested address-book groups recursively, naming the deep path', () => {
    const book = (entries: unknown[]) => ({ name: 'g', groups: [], entries })
    const payload = {
      command: 'session.request.incontact.addressbook',
      target: 'sess1',
      result: 'success',
      data: {
        addressbooks: [
          {
            name: 'Main',
            entries: [],
            groups: [
              {
                name: 'Sales',
                entries: [],
                groups: [book([{ name: 'x', type: 'robot', destinations: [], properties: {} }])],
              },
            ],
          },
        ],
      },
    }
    const result = checkPayload(HarmonySessionRequestInContactAddressBookResponseSchema, payload, {
      mode: 'strict',
    })
    expect(result.issues.map((i) => i.path)).toEqual([
      'data.addressbooks[0].groups[0].groups[0].entries[0].type',
    ])
  })
})

describe('Harmony target forms', () => {
  it('accepts the documented target forms', () => {
    expect(HarmonySessionTargetSchema.safeParse('sess1').success).toBe(true)
    expect(HarmonyChannelTargetSchema.safeParse('sess1.tel1').success).toBe(true)
    expect(HarmonyChannelTargetSchema.safeParse('sess1.group1.tel1').success).toBe(true)
    expect(HarmonyInteractionTargetSchema.safeParse('sess1.tel1.int9').success).toBe(true)
    expect(HarmonyInteractionTargetSchema.safeParse('sess1.group1.tel1.int9').success).toBe(true)
    expect(HarmonyConversationTargetSchema.safeParse('sess1.tel1.int9.conv2').success).toBe(true)
    expect(HarmonyTargetSchema.safeParse('<session-id>.<channel-id>').success).toBe(true)
  })

  it.each([
    ['', 'empty'],
    ['.tel1', 'leading dot'],
    ['sess1.', 'trailing dot'],
    ['sess1..tel1', 'empty segment'],
    ['sess 1.tel1', 'whitespace inside an id'],
  ])('rejects %j (%s)', (target) => {
    expect(HarmonyTargetSchema.safeParse(target).success).toBe(false)
    expect(HarmonyChannelTargetSchema.safeParse(target).success).toBe(false)
  })

  it('rejects targets of the wrong depth', () => {
    expect(HarmonySessionTargetSchema.safeParse('sess1.tel1').success).toBe(false)
    expect(HarmonyChannelTargetSchema.safeParse('sess1').success).toBe(false)
    expect(HarmonyChannelTargetSchema.safeParse('sess1.g.tel1.int9').success).toBe(false)
    expect(HarmonyInteractionTargetSchema.safeParse('sess1.tel1').success).toBe(false)
    expect(HarmonyInteractionTargetSchema.safeParse('a.b.c.d.e').success).toBe(false)
    expect(HARMONY_TARGET_PATTERNS.channelGroup.test('sess1.group1.tel1')).toBe(false)
  })

  it('names target and the expected form when a target is wrong', () => {
    const result = checkPayload(HarmonyCommandSchema, {
      command: 'session.start',
      target: 'sess1.tel1',
    })
    expect(result.issues).toHaveLength(1)
    expect(result.issues[0]?.path).toBe('target')
    expect(result.issues[0]?.message).toMatch(
      /^target: expected a string matching .*received string "sess1.tel1"$/,
    )
  })

  it('splits a target into its ids, session first', () => {
    expect(harmonyTargetSegments('sess1.group1.tel1')).toEqual(['sess1', 'group1', 'tel1'])
  })
})

describe('Harmony events', () => {
  const infochanged = {
    messageType: 'objectEvent',
    target: 'sess1.tel1',
    name: 'channel.infochanged',
    data: {
      state: 'ACTIVE',
      agentStatus: { status: 'not_ready', lastReasonCode: 'acw', lastReasonName: '' },
    },
  }

  it('picks the event schema by name', () => {
    const result = checkPayload(HarmonyEventSchema, infochanged, { mode: 'strict' })
    expect(result.ok && result.value.name).toBe('channel.infochanged')
  })

  it('rejects an event envelope without messageType, naming it', () => {
    const { messageType: _dropped, ...withoutType } = infochanged
    for (const schema of [HarmonyEventSchema, HarmonyObjectEventSchema]) {
      const result = checkPayload(schema, withoutType)
      expect(result.ok).toBe(false)
      expect(result.issues.map((i) => i.path)).toEqual(['messageType'])
      expect(result.issues[0]?.message).toMatch(
        /^messageType: expected "objectEvent", received nothing/,
      )
    }
  })

  it('rejects a messageType other than objectEvent', () => {
    const result = checkPayload(HarmonyEventSchema, {
      ...infochanged,
      messageType: 'resourceEvent',
    })
    expect(result.issues.map((i) => i.path)).toEqual(['messageType'])
  })

  it('rejects an unknown event name, naming name', () => {
    const result = checkPayload(HarmonyEventSchema, { ...infochanged, name: 'channel.exploded' })
    expect(result.issues.map((i) => i.path)).toEqual(['name'])
  })

  it('rejects an undocumented channel state and agent status, naming each path', () => {
    const result = checkPayload(HarmonyEventSchema, {
      ...infochanged,
      data: { state: 'BUSY', agentStatus: { status: 'away' } },
    })
    expect(result.issues.map((i) => i.path).sort()).toEqual([
      'data.agentStatus.status',
      'data.state',
    ])
  })

  it('accepts a custom channel type but not a missing one on channel.created', () => {
    const base = { messageType: 'objectEvent', target: 'sess1.group1', name: 'channel.created' }
    const custom = {
      ...base,
      data: { channel: { id: 'c', name: '4001', type: 'SMS', modelType: 'SMS' } },
    }
    expect(checkPayload(HarmonyChannelCreatedEventSchema, custom, { mode: 'strict' }).ok).toBe(true)
    const missing = { ...base, data: { channel: { id: 'c', name: '4001', modelType: 'SMS' } } }
    expect(
      checkPayload(HarmonyChannelCreatedEventSchema, missing).issues.map((i) => i.path),
    ).toEqual(['data.channel.type'])
  })
})

describe('Harmony contracts and golden examples', () => {
  it('uses unique ids in the harmony family', () => {
    const ids = HARMONY_CONTRACTS.map((c) => c.id)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids.every((id) => id.startsWith('harmony.'))).toBe(true)
    expect(HARMONY_CONTRACTS.every((c) => c.family === 'harmony')).toBe(true)
  })

  it('sends commands app → host and responses and events host → app', () => {
    expect(contract('harmony.session.request.incontact.addressbook').direction).toEqual({
      from: 'harmony-app',
      to: 'harmony-host',
    })
    for (const id of [
      'harmony.response.success',
      'harmony.response.failure',
      'harmony.event.channel.created',
    ]) {
      expect(contract(id).direction).toEqual({ from: 'harmony-host', to: 'harmony-app' })
    }
  })

  it('catalogs the telephony commands the documents name only as bridge features, marked inferred', () => {
    // Before the peer these had no client-side contract (reference §1.5.4: "not retrieved").
    for (const name of [
      'interaction.accept',
      'interaction.reject',
      'interaction.consult',
      'conversation.answer',
      'conversation.hold',
      'conversation.retrieve',
      'conversation.release',
    ]) {
      const c = contract(`harmony.${name}`)
      expect(c.direction, name).toEqual({ from: 'harmony-app', to: 'harmony-host' })
      expect(c.confidence, name).toBe('inferred')
      const target = name.startsWith('conversation.')
        ? 'sess1.tel1.call1.conn1'
        : 'sess1.tel1.call1'
      const data = name === 'interaction.consult' ? { destination: '42' } : {}
      expect(
        checkPayload(HarmonyCommandSchema, { command: name, target, data }, { mode: 'strict' })
          .issues,
        name,
      ).toEqual([])
    }
  })

  it('has at least one golden example per contract and none for an unknown contract', () => {
    const ids = new Set(HARMONY_CONTRACTS.map((c) => c.id))
    expect(
      HARMONY_CONTRACTS.filter((c) => !GOLDEN.some((g) => g.contract === c.id)).map((c) => c.id),
    ).toEqual([])
    expect(GOLDEN.filter((g) => !ids.has(g.contract)).map((g) => g.contract)).toEqual([])
  })

  it.each(GOLDEN.map((g) => [g.contract, g.name, g] as const))(
    '%s — %s passes',
    (_id, _name, example) => {
      const schema = contract(example.contract).schema
      const tolerant = checkPayload(schema, example.payload)
      expect(tolerant.issues).toEqual([])
      expect(tolerant.notes).toEqual([])
      const strict = checkPayload(schema, example.payload, { mode: 'strict' })
      expect(strict.ok).toBe(example.strict !== false)
    },
  )

  it('exports every contract schema as JSON Schema', () => {
    for (const c of HARMONY_CONTRACTS) expect(() => z.toJSONSchema(c.schema)).not.toThrow()
  })
})
