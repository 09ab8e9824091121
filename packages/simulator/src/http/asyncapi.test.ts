import type { Emission } from '@ccai-sim/fixtures'
import { CATALOG, detectContract, getContract } from '@ccai-sim/schemas'
import { Document, Spectral } from '@stoplight/spectral-core'
import parsers from '@stoplight/spectral-parsers'
import { asyncapi } from '@stoplight/spectral-rulesets'
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { describe, expect, it } from 'vitest'
import { createSimulatorApp } from '../app.js'
import type { HarmonyOutgoing } from '../harmony/peer.js'
import { asyncApiDocument } from './asyncapi.js'
import { streamMessageOf } from './streams.js'

type Json = Record<string, unknown>

const HOUR = 3_600_000
const STREAM_CHANNELS = ['events', 'ws'] as const
/** The channels of what clients send the simulator: the agent-desktop peers' commands. */
const RECEIVING = [
  'expertflowCommands',
  'harmonyCommands',
  'harmonyTcpCommands',
  'harmonyHttpSessions',
  'harmonyHttpCommands',
]
/** Every transport of the Harmony peer carries the same messages: [sent, received] channels. */
const HARMONY_CHANNELS = [
  ['harmonyEvents', 'harmonyCommands'],
  ['harmonyTcpEvents', 'harmonyTcpCommands'],
  ['harmonyHttpPoll', 'harmonyHttpCommands'],
] as const

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Harmony messages the catalog has host → app that the peer never sends (asyncapi.ts says why). */
const HARMONY_UNSENT = [
  'harmony.service.info',
  'harmony.channel.dial.response',
  'harmony.event.session.incontact.agentleg.failed',
].sort()

function doc(): Json {
  return asyncApiDocument()
}

function section(name: string, from: Json = doc()): Json {
  const value = from[name]
  if (!isObject(value)) throw new Error(`${name} is not an object`)
  return value
}

/** Follows a JSON pointer (`#/a/b`) from `root`; undefined when it leads nowhere. */
function resolvePointer(root: unknown, pointer: string): unknown {
  if (pointer === '#') return root
  let at: unknown = root
  for (const raw of pointer.replace(/^#\//, '').split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    if (!isObject(at) && !Array.isArray(at)) return undefined
    at = (at as Json)[key]
  }
  return at
}

/** Every `$ref` in `value`, with the resource it is relative to (the nearest `$id` schema, or the document). */
function refsOf(value: unknown, base: unknown, found: { ref: string; base: unknown }[] = []) {
  if (Array.isArray(value)) {
    for (const item of value) refsOf(item, base, found)
  } else if (isObject(value)) {
    const here = typeof value['$id'] === 'string' ? value : base
    if (typeof value['$ref'] === 'string') found.push({ ref: value['$ref'], base: here })
    for (const item of Object.values(value)) refsOf(item, here, found)
  }
  return found
}

/** The channel's messages: contract id → message component. */
function channelMessages(channel: string): Map<string, Json> {
  const document = doc()
  const messages = section('messages', section(channel, section('channels')))
  const out = new Map<string, Json>()
  for (const [id, reference] of Object.entries(messages)) {
    const target = resolvePointer(document, String((reference as Json)['$ref']))
    if (!isObject(target)) throw new Error(`${channel}/${id} does not resolve`)
    out.set(id, target)
  }
  return out
}

/** An ajv (draft 2020-12) that knows the document's component schemas by their `$id`. */
function validators(): { compile: (schema: unknown) => ValidateFunction } {
  const ajv = new Ajv2020({ strict: false, allErrors: true })
  addFormats(ajv)
  const schemas = section('schemas', section('components'))
  const idOf = new Map<string, string>()
  for (const [name, schema] of Object.entries(schemas)) {
    const own = (schema as Json)['$id']
    if (typeof own === 'string') {
      ajv.addSchema(schema as Json)
      idOf.set(`#/components/schemas/${name}`, own)
      continue
    }
    // A schema whose refs point into the document (recursive ones): its own pointers, under a key.
    const here = `#/components/schemas/${name}/`
    const key = `urn:asyncapi:${name}`
    ajv.addSchema(
      JSON.parse(JSON.stringify(schema).replaceAll(`"$ref":"${here}`, '"$ref":"#/')) as Json,
      key,
    )
    idOf.set(`#/components/schemas/${name}`, key)
  }
  // The document's own refs point into components; ajv reaches the same schemas by their $id.
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite)
    if (!isObject(value)) return value
    const out: Json = {}
    for (const [key, item] of Object.entries(value)) {
      out[key] =
        key === '$ref' && typeof item === 'string' ? (idOf.get(item) ?? item) : rewrite(item)
    }
    return out
  }
  return { compile: (schema) => ajv.compile(rewrite(schema) as Json) }
}

function envelope(contract: string, payload: unknown): Json {
  const family = getContract(contract).family
  return {
    at: '2026-03-02T09:00:00.000Z',
    surface: family,
    contract,
    sessionId: 42,
    ...(family === 'adapter' || family === 'vta' ? { agentId: 7 } : {}),
    key: `42:${family}:3`,
    payload,
  }
}

describe('the AsyncAPI document', () => {
  it('is an AsyncAPI 3.0.0 document with servers, channels, operations and messages', () => {
    const document = doc()
    expect(document['asyncapi']).toBe('3.0.0')
    expect(typeof section('info')['title']).toBe('string')
    expect(section('info')['version']).toBe('0.1.0')
    const servers = section('servers')
    expect(Object.keys(servers)).toEqual(
      expect.arrayContaining(['simulator', 'simulatorWebSocket', 'builtinSmtp', 'storage', 'crm']),
    )
    for (const [name, server] of Object.entries(servers)) {
      expect(typeof (server as Json)['host'], name).toBe('string')
      expect(typeof (server as Json)['protocol'], name).toBe('string')
    }
    const channels = section('channels')
    expect(Object.keys(channels)).toEqual(
      expect.arrayContaining([
        'events',
        'ws',
        'adapterPostMessage',
        'adapterWebhook',
        'qmWebhook',
        'storageMetadata',
        'outcomeEmail',
        'crm.createRecord',
        'crm.upload',
        'crm.comment',
        'expertflowEvents',
        'expertflowCommands',
        ...HARMONY_CHANNELS.flat(),
        'harmonyHttpSessions',
      ]),
    )
    expect(section('events', channels)['address']).toBe('/events')
    expect(section('harmonyEvents', channels)['address']).toBe('/harmony/ws')
    expect(section('ws', channels)['address']).toBe('/ws')
    const operations = section('operations')
    const operated = Object.values(operations).map((op) => {
      const channel = String(((op as Json)['channel'] as Json)['$ref'])
      // Only the agent-desktop peers' commands come in; everything else goes out.
      expect((op as Json)['action'], channel).toBe(
        RECEIVING.includes(channel.replace('#/channels/', '')) ? 'receive' : 'send',
      )
      return channel
    })
    // One operation per channel, each sending every message of its channel.
    expect(operated.sort()).toEqual(
      Object.keys(channels)
        .map((c) => `#/channels/${c}`)
        .sort(),
    )
    for (const op of Object.values(operations)) {
      const channel = String(((op as Json)['channel'] as Json)['$ref']).replace('#/channels/', '')
      const refs = ((op as Json)['messages'] as Json[]).map((m) => m['$ref'])
      expect(refs.sort()).toEqual(
        [...channelMessages(channel).keys()]
          .map((id) => `#/channels/${channel}/messages/${id}`)
          .sort(),
      )
    }
    expect(Object.keys(section('messages', section('components'))).length).toBeGreaterThan(0)
  })

  it('names every message after its contract, with the catalog title, confidence and source', () => {
    for (const [key, message] of Object.entries(section('messages', section('components')))) {
      const m = message as Json
      const contract = getContract(String(m['name']))
      expect(key.endsWith(`.${contract.id}`), key).toBe(true)
      expect(m).toMatchObject({
        title: contract.title,
        summary: contract.title,
        'x-confidence': contract.confidence,
        'x-source': contract.source,
      })
      expect(isObject(m['payload']), key).toBe(true)
      // Up to three of the contract's strict golden examples (a few have only tolerant ones).
      const strict = contract.examples.filter((e) => e.strict !== false).length
      expect((m['examples'] as Json[] | undefined)?.length ?? 0, key).toBe(Math.min(3, strict))
      if (!contract.id.startsWith('harmony.')) expect(strict, key).toBeGreaterThan(0)
    }
  })

  it('resolves every $ref it contains', () => {
    const document = doc()
    const refs = refsOf(document, document)
    expect(refs.length).toBeGreaterThan(100)
    const broken = refs.filter(({ ref, base }) => resolvePointer(base, ref) === undefined)
    expect(broken.map((b) => b.ref)).toEqual([])
  })

  it('gives every message a payload schema that accepts its contract’s strict golden examples', () => {
    const { compile } = validators()
    for (const [key, message] of Object.entries(section('messages', section('components')))) {
      const m = message as Json
      const id = String(m['name'])
      const validate = compile(m['payload'])
      const wrap = key.startsWith('stream.')
        ? (p: unknown): unknown => envelope(id, p)
        : (p: unknown): unknown => p
      for (const example of getContract(id).examples.filter((e) => e.strict !== false)) {
        expect(validate(wrap(example.payload)), `${key} ${example.name}`).toBe(true)
      }
      // The document's own examples pass their message's payload and header schemas too.
      const headers = m['headers'] === undefined ? undefined : compile(m['headers'])
      for (const example of (m['examples'] as Json[] | undefined) ?? []) {
        expect(validate(example['payload']), `${key} example ${String(example['name'])}`).toBe(true)
        if (headers && example['headers'] !== undefined) {
          expect(headers(example['headers']), `${key} headers`).toBe(true)
        }
      }
    }
  })

  it('describes the headers real webhook deliveries carry, run id in the idempotency key', async () => {
    const sent: { contract: string; headers: Record<string, string> }[] = []
    const sim = createSimulatorApp({
      config: {
        clock: { mode: 'manual' },
        crm: { enabled: false },
        email: { enabled: false },
        webhooks: { adapter: [{ url: 'http://receiver.test/hook' }] },
      },
      runId: 'run7',
      fetch: (_input, init) => {
        const headers = Object.fromEntries(new Headers(init?.headers).entries())
        sent.push({ contract: headers['x-ccai-contract'] ?? '', headers })
        return Promise.resolve(new Response(null, { status: 204 }))
      },
    })
    sim.runtime.startSession({ scenario: 'inbound-ivr-call', seed: 1 })
    await sim.runtime.advance(HOUR)
    await sim.runtime.settle()
    await sim.close()
    expect(sent.length).toBeGreaterThan(3)
    const { compile } = validators()
    const messages = channelMessages('adapterWebhook')
    for (const { contract, headers } of sent) {
      expect(headers['idempotency-key']).toMatch(/^run7:/)
      const validate = compile(messages.get(contract)?.['headers'])
      expect(validate(headers), `${contract} ${headers['idempotency-key'] ?? ''}`).toBe(true)
    }
    // Without the run id the key is not what a delivery carries.
    const first = sent[0]
    const bare = first?.headers['idempotency-key']?.replace(/^run7:/, '')
    const validate = compile(messages.get(first?.contract ?? '')?.['headers'])
    expect(validate({ ...first?.headers, 'idempotency-key': bare })).toBe(false)
  })

  it('rejects a stream message whose envelope disagrees with its contract or has extra keys', () => {
    const { compile } = validators()
    const message = channelMessages('events').get('adapter.New_Call')
    const validate = compile(message?.['payload'])
    const golden = getContract('adapter.New_Call').examples[0]?.payload
    expect(validate(envelope('adapter.New_Call', golden))).toBe(true)
    expect(
      validate({ ...envelope('adapter.New_Call', golden), contract: 'adapter.End_Call' }),
    ).toBe(false)
    expect(validate({ ...envelope('adapter.New_Call', golden), extra: 1 })).toBe(false)
    expect(validate({ ...envelope('adapter.New_Call', golden), key: '42:qm:3' })).toBe(false)
    const other = getContract('qm.CallState').examples[0]?.payload
    expect(validate(envelope('adapter.New_Call', other))).toBe(false)
  })

  it('puts each contract only on the channels its family, direction and transport lead to', () => {
    const ids = (channel: string): string[] => [...channelMessages(channel).keys()].sort()
    const platform = CATALOG.filter((c) => c.direction.from === 'ccai-platform')
    const adapterEvents = platform
      .filter(
        (c) => (c.family === 'adapter' || c.family === 'vta') && c.transport === 'postMessage',
      )
      .map((c) => c.id)
      .sort()
    expect(adapterEvents.length).toBeGreaterThan(20)
    expect(ids('adapterPostMessage')).toEqual(adapterEvents)
    expect(ids('adapterWebhook')).toEqual(adapterEvents)
    expect(ids('qmWebhook')).toEqual(['qm.AgentState', 'qm.CallState', 'qm.ChatState'])
    expect(ids('storageMetadata')).toEqual(['metadata.call', 'metadata.chat'])
    expect(ids('outcomeEmail')).toEqual(['email.sessionOutcome'])
    expect(ids('crm.createRecord')).toEqual(['crm.createRecord.request'])
    expect(ids('crm.upload')).toEqual(['crm.upload.request'])
    expect(ids('crm.comment')).toEqual(['crm.comment.request'])
    for (const channel of STREAM_CHANNELS) {
      expect(ids(channel)).toEqual(
        [...adapterEvents, 'qm.AgentState', 'qm.CallState', 'qm.ChatState', 'metadata.call']
          .concat(['metadata.chat', 'transcript.chat', 'email.sessionOutcome'])
          .sort(),
      )
    }
    // The Expertflow peer: its server events out, its clients' commands in.
    const expertflow = CATALOG.filter((c) => c.family === 'expertflow')
    expect(ids('expertflowCommands')).toEqual(
      expertflow
        .filter((c) => c.direction.to === 'expertflow-server')
        .map((c) => c.id)
        .sort(),
    )
    expect(ids('expertflowEvents')).toEqual(
      [
        'expertflow.amq-msg',
        'expertflow.messageArrived',
        'expertflow.conversationInfo',
        'expertflow.teamInfo',
        'expertflow.RoleUpdated',
        'expertflow.endConversation',
      ].sort(),
    )
    // The Harmony peer: the same session-resource messages on each transport, both ways.
    const harmony = CATALOG.filter((c) => c.family === 'harmony' && c.transport === 'websocket')
    for (const [sent, received] of HARMONY_CHANNELS) {
      expect(ids(received), received).toEqual(
        harmony
          .filter((c) => c.direction.to === 'harmony-host')
          .map((c) => c.id)
          .sort(),
      )
      expect(ids(sent), sent).toEqual(
        harmony
          .filter((c) => c.direction.from === 'harmony-host')
          .map((c) => c.id)
          .filter((id) => !HARMONY_UNSENT.includes(id))
          .sort(),
      )
    }
    expect(ids('harmonyHttpSessions')).toEqual(['harmony.endSession', 'harmony.startSession'])
    // Nothing else the simulator does not send: no Dialogflow payloads, no CRM responses, no
    // Processor Bridge messages (the simulator is no CTI plug-in), no Apps API requests.
    const everywhere = Object.values(section('messages', section('components'))).map((m) =>
      getContract(String((m as Json)['name'])),
    )
    expect(
      everywhere.filter(
        (c) =>
          c.direction.from !== 'ccai-platform' && !['expertflow', 'harmony'].includes(c.family),
      ),
    ).toEqual([])
    expect(everywhere.filter((c) => c.id.startsWith('harmony.bridge.'))).toEqual([])
    expect(everywhere.filter((c) => c.family === 'apps-api')).toEqual([])
  })

  it('carries every peer message type of the catalog, except the Harmony ones the peer never sends', () => {
    const carried = new Set(
      Object.values(section('messages', section('components'))).map((m) =>
        String((m as Json)['name']),
      ),
    )
    const peerMessages = CATALOG.filter(
      (c) =>
        c.id !== 'expertflow.conversationList' &&
        (c.family === 'expertflow' ||
          (c.family === 'harmony' && !c.id.startsWith('harmony.bridge.'))),
    ).map((c) => c.id)
    expect(peerMessages.length).toBeGreaterThan(80)
    expect(peerMessages.filter((id) => !carried.has(id)).sort()).toEqual(HARMONY_UNSENT)
  })

  it('validates every message a real Harmony session sends against its harmonyEvents payload', async () => {
    const sim = createSimulatorApp({
      config: {
        clock: { mode: 'manual', start: '2026-03-02T09:00:00.000Z' },
        crm: { enabled: false },
      },
    })
    const received: HarmonyOutgoing[] = []
    const link = sim.harmony.connect({ send: (m) => received.push(m) })
    const send = async (message: unknown): Promise<void> => {
      link.receive(message)
      await Promise.resolve()
    }
    await send({
      command: 'prepareSession',
      data: { model: 'AvayaTelephony', override: false, agent: { id: '7', password: 'pw' } },
    })
    const sid = (received[0]?.['data'] as { id: string }).id
    const channel = `${sid}.mediabar.tel-7`
    await send({ command: 'session.start', target: sid })
    await send({ command: 'session.request.externallogoutreasons', target: sid })
    await send({
      command: 'session.request.incontact.addressbook',
      target: sid,
      data: { realtime: false },
    })
    await send({
      command: 'channel.activate',
      target: channel,
      data: { channeloptions: { queue: 'Support' } },
    })
    await send({ command: 'channel.notready', target: channel, data: { reasoncode: 'acw' } })
    await send({ command: 'channel.dial', target: channel, data: { destination: '100' } })
    await send({ command: 'session.request.logout', target: sid })
    link.close()
    await sim.close()
    const { compile } = validators()
    const messages = channelMessages('harmonyEvents')
    const contracts = new Set<string>()
    for (const message of received) {
      const id =
        detectContract(message, { mode: 'strict', families: ['harmony'] })?.contract.id ?? ''
      contracts.add(id)
      const schema = messages.get(id)?.['payload']
      expect(schema, `${id} ${JSON.stringify(message)}`).toBeDefined()
      expect(compile(schema)(message), id).toBe(true)
    }
    expect(contracts).toEqual(
      new Set([
        'harmony.prepareSession.response',
        'harmony.response.success',
        'harmony.response.failure',
        'harmony.session.request.incontact.addressbook.response',
        'harmony.channel.activate.response',
        'harmony.channel.notready.response',
        'harmony.event.session.initialized',
        'harmony.event.session.externallogoutreasons.updated',
        'harmony.event.session.incontact.addressbook.updated',
        'harmony.event.session.disposed',
        'harmony.event.channel.created',
        'harmony.event.channel.infochanged',
        'harmony.event.channel.initialized',
        'harmony.event.channel.disposed',
        'harmony.event.channelgroup.created',
        'harmony.event.channelgroup.disposed',
        'harmony.event.state.updated',
      ]),
    )
  })

  it(
    'has no Spectral error (spectral:asyncapi, which checks it against the AsyncAPI 3.0 schema)',
    { timeout: 120_000 },
    async () => {
      const spectral = new Spectral()
      spectral.setRuleset({ extends: [[asyncapi, 'recommended']] } as Parameters<
        Spectral['setRuleset']
      >[0])
      const results = await spectral.run(
        new Document(JSON.stringify(doc(), null, 2), parsers.Json, '/asyncapi.json'),
      )
      // Severity 0 is an error (1 warn, 2 info, 3 hint).
      const errors = results
        .filter((r) => (r.severity as number) === 0)
        .map((r) => `${String(r.code)}: ${r.message} at ${r.path.join('.')}`)
      expect(errors).toEqual([])
      // The same check catches a document that breaks the AsyncAPI 3.0 schema.
      const broken = structuredClone(doc()) as { operations: Record<string, Json> }
      const first = Object.keys(broken.operations)[0] ?? ''
      broken.operations[first] = { ...broken.operations[first], action: 'publish' }
      const found = await spectral.run(
        new Document(JSON.stringify(broken, null, 2), parsers.Json, '/asyncapi.json'),
      )
      expect(
        found.filter((r) => (r.severity as number) === 0).map((r) => String(r.code)),
      ).toContain('asyncapi-3-document-resolved')
    },
  )

  it('lists every contract a real call and chat emit, and their stream messages validate', async () => {
    const sim = createSimulatorApp({
      config: { clock: { mode: 'manual', start: '2026-03-02T09:00:00.000Z' } },
    })
    const emitted: Emission[] = []
    sim.runtime.bus.subscribe({}, (emission) => emitted.push(emission))
    sim.runtime.startSession({ scenario: 'inbound-ivr-call', seed: 3 })
    sim.runtime.startSession({ scenario: 'chat-vta-capture', seed: 3 })
    await sim.runtime.advance(2 * HOUR)
    const journal = sim.runtime.journal.read({ limit: 100_000 }).entries
    const contracts = new Set(journal.flatMap((e) => (e.type === 'emitted' ? [e.contract] : [])))
    expect(contracts.size).toBeGreaterThan(10)
    expect([...contracts].some((c) => c.startsWith('vta.'))).toBe(true)
    for (const channel of STREAM_CHANNELS) {
      const messages = channelMessages(channel)
      expect(
        [...contracts].filter((c) => !messages.has(c)),
        channel,
      ).toEqual([])
    }
    const { compile } = validators()
    const events = channelMessages('events')
    const postMessage = channelMessages('adapterPostMessage')
    for (const emission of emitted) {
      const validate = compile(events.get(emission.contract)?.['payload'])
      expect(validate(streamMessageOf(emission)), emission.key).toBe(true)
      if (emission.surface === 'adapter' || emission.surface === 'vta') {
        expect(postMessage.has(emission.contract), emission.contract).toBe(true)
      }
    }
    // The files it wrote (closing waits for the writes) match the storage channel's path schema.
    await sim.close()
    const storage = section('storageMetadata', section('channels'))
    const pathSchema = compile(storage['x-path-schema'])
    const paths = sim.runtime.journal
      .read({ limit: 100_000, type: 'file-written' })
      .entries.flatMap((e) => (e.type === 'file-written' ? [e.path] : []))
    expect(paths.filter((p) => p.startsWith('ujet-metadata/'))).toHaveLength(2)
    for (const path of paths) expect(pathSchema(path), path).toBe(true)
  })

  it('is served at GET /asyncapi.json', async () => {
    const sim = createSimulatorApp({ config: { clock: { mode: 'manual' } } })
    const response = await sim.app.request('/asyncapi.json')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
    expect(await response.json()).toEqual(JSON.parse(JSON.stringify(asyncApiDocument())))
    await sim.close()
  })
})
