import { checkContract, HARMONY_BRIDGE_MESSAGE_TYPES } from '@ccai-sim/schemas'
import { runSuite, type RunSuiteOptions } from '../core/runner.js'
import type {
  ClauseDefinition,
  ClauseFailureDetail,
  ClauseTools,
  SuiteDefinition,
  SuiteResult,
} from '../core/types.js'
import { ContractTestsError } from '../errors.js'
import { BridgeConnection, type BridgeMessage, type Received } from './bridge-connection.js'

/*
 * The Harmony Processor Bridge plug-in suite: the suite plays HIS's Processor Bridge, connects to
 * a CTI plug-in over TCP and drives it as the bridge would (reference §1.5.6 and §1.6, from
 * OpenMethods' "Processor Bridge" and destination pages): 4-byte length + UTF-8 JSON
 * `{header: {type, name, target, requestId?, result?, errorMessage?}, body}`; `cti.query` and
 * `cti.request` go down, `cti.response` and `cti.event` come back; per destination, setup → the
 * bridge's `*.query.init` → the plug-in's response → only then events. Each clause opens its own
 * connection.
 *
 * Decisions where the documents are silent (README "Certify a Harmony Processor Bridge plug-in"):
 * - The length prefix is big-endian (network order), as the simulator's `~!OM` transport reads it.
 * - Targets are dot paths as on the Session Resource (reference §1.3): the channel group's target
 *   (`--channel-group`, default `group1`), then `<group>.<end-point>` for a channel,
 *   `<channel>.<interaction id>`, `<interaction>.<conversation id>`.
 * - A dial "must result in a new interaction on the channel": the plug-in announces it with a
 *   `cti.event` on the channel whose body names it in `interaction-id` (kebab-case, like the
 *   documented `end-point` and `interaction-state`).
 * - The conversation features' request names are not retrieved: release is
 *   `conversation.request.release`, after the documented `channel.request.dial` form.
 * - A request the plug-in does not support gets a `FAILURE` response with an `errorMessage`
 *   (HIS waits for a response to every request; the bridge's errors are FAILURE + errorMessage).
 * - TLS (optional in the documents) is not driven.
 */

/** What the bridge clauses work with. */
export interface HarmonyBridgeSuiteContext {
  readonly host: string
  readonly port: number
  /** The channel group destination's target. */
  readonly channelGroup: string
  /** What `channel.request.dial` dials. */
  readonly dialDestination: string
  /** How long to wait for a response or an announced event. */
  readonly timeoutMs: number
  /** How long to watch for events the plug-in raises on its own (before and after init). */
  readonly quietMs: number
}

/** A channel of the group, as the group's init response lists it. */
interface Channel {
  readonly endPoint: string
  readonly type: string
  readonly target: string
}

type Context = HarmonyBridgeSuiteContext
type Tools = ClauseTools

/** The clause a probe works for: its context, its tools and its id. */
interface ClauseAt {
  readonly context: Context
  readonly tools: Tools
  readonly self: string
}

const json = (value: unknown): string => JSON.stringify(value) ?? String(value)

/** One clause's connection with the helpers that block on the clause a step depends on. */
class Probe {
  private readonly context: Context
  private readonly tools: Tools
  private readonly self: string

  private constructor(
    readonly connection: BridgeConnection,
    at: ClauseAt,
  ) {
    this.context = at.context
    this.tools = at.tools
    this.self = at.self
  }

  static async open(at: ClauseAt): Promise<Probe> {
    const context = at.context
    const tools: Tools = at.tools
    let connection: BridgeConnection
    try {
      connection = await BridgeConnection.open(context.host, context.port, context.timeoutMs)
    } catch (error) {
      tools.fail({
        message: 'the suite could not connect to the plug-in',
        expected: `a CTI plug-in listening on ${context.host}:${String(context.port)}`,
        actual: error instanceof Error ? error.message : String(error),
      })
    }
    return new Probe(connection, at)
  }

  /** Fails when this clause is `by`, else stops it as blocked by `by`. */
  stop(by: string, failure: ClauseFailureDetail): never {
    if (by === this.self) this.tools.fail(failure)
    this.tools.block(by, failure)
  }

  /** Sends a query or request and returns its response (blocking on BRIDGE-001/002 when none comes). */
  async ask(message: {
    readonly type: 'cti.query' | 'cti.request'
    readonly name: string
    readonly target: string
    readonly body?: unknown
  }): Promise<BridgeMessage> {
    const { type, name, target } = message
    const body = message.body ?? {}
    const started = performance.now()
    const sent = this.connection.send({ type, name, target, body })
    const response = await this.connection.responseTo(sent)
    this.tools.record(this.connection.exchange(sent, response, started))
    if (this.connection.framingError !== undefined) {
      this.stop('BRIDGE-001', {
        message: `the plug-in's answer to ${name} could not be read as a frame`,
        expected: 'a 4-byte big-endian length and then that many bytes of UTF-8 JSON',
        actual: this.connection.framingError,
      })
    }
    if (!response?.message) {
      const misfiled = this.connection.misfiled(sent)
      if (misfiled.length > 0) {
        this.stop('BRIDGE-002', {
          message: `the response to ${name} does not carry the query's requestId`,
          expected: `requestId ${sent.requestId}`,
          actual: `requestId ${json(misfiled[0]?.message?.header.requestId)}`,
        })
      }
      this.tools.fail({
        message: `no response to ${name} on ${target}`,
        expected: `a cti.response with requestId ${sent.requestId} within ${String(this.context.timeoutMs)} ms`,
        actual: this.connection.closed
          ? 'the plug-in closed the connection'
          : `nothing (${String(this.connection.received.length)} other message(s) came)`,
      })
    }
    return response.message
  }

  /** Fails or blocks (on `by`) unless the response says SUCCESS. */
  succeeded(response: BridgeMessage, by: string, what: string): void {
    if (response.header.result !== 'SUCCESS') {
      this.stop(by, {
        message: `${what} was refused`,
        expected: 'result SUCCESS',
        actual: `result ${json(response.header.result)}${typeof response.header.errorMessage === 'string' ? `: ${response.header.errorMessage}` : ''}`,
      })
    }
  }

  /** `channelgroup.query.init` and the group's channels (blocking on BRIDGE-003). */
  async channels(): Promise<Channel[]> {
    const group = this.context.channelGroup
    const response = await this.ask({
      type: 'cti.query',
      name: 'channelgroup.query.init',
      target: group,
    })
    this.succeeded(response, 'BRIDGE-003', 'channelgroup.query.init')
    const check = checkContract('harmony.bridge.channelgroup.query.init.response', response, {
      mode: 'strict',
    })
    if (!check.ok) {
      this.stop('BRIDGE-003', {
        message: `the channelgroup.query.init response does not list the group's channels (${check.issues.length} issue(s))`,
        expected:
          'body {channels: [{"end-point": string, type: string}]}, the array always present',
        actual: check.issues.map((i) => i.message).join('\n'),
      })
    }
    const body = response.body as { channels: { 'end-point': string; type: string }[] }
    return body.channels.map((c) => ({
      endPoint: c['end-point'],
      type: c.type,
      target: `${group}.${c['end-point']}`,
    }))
  }

  /** The group's channels after `channel.query.init` on the one given (blocking on BRIDGE-004). */
  async initChannel(channel: Channel): Promise<void> {
    const response = await this.ask({
      type: 'cti.query',
      name: 'channel.query.init',
      target: channel.target,
    })
    this.succeeded(response, 'BRIDGE-004', `channel.query.init on ${channel.target}`)
  }

  /** The group's telephony channel, initialised; skips the clause when there is none. */
  async telephony(): Promise<Channel> {
    const channel = (await this.channels()).find((c) => c.type.toUpperCase() === 'TELEPHONY')
    if (!channel) this.tools.skip('the channel group lists no TELEPHONY channel to dial on')
    await this.initChannel(channel)
    return channel
  }

  /** Dials on the channel; the new interaction's target (blocking on BRIDGE-007). */
  async dial(channel: Channel): Promise<string> {
    const from = this.connection.received.length
    const response = await this.ask({
      type: 'cti.request',
      name: 'channel.request.dial',
      target: channel.target,
      body: {
        destination: this.context.dialDestination,
      },
    })
    this.succeeded(response, 'BRIDGE-007', 'channel.request.dial')
    const announced = await this.connection.waitFor(
      (r) =>
        r.message?.header.type === 'cti.event' &&
        r.message.header.target === channel.target &&
        typeof interactionIdOf(r.message) === 'string',
      { from },
    )
    if (!announced?.message) {
      this.stop('BRIDGE-007', {
        message: 'the dial announced no new interaction on the channel',
        expected: `a cti.event on ${channel.target} whose body names the interaction ("interaction-id") within ${String(this.context.timeoutMs)} ms`,
        actual: describeEvents(this.connection.received.slice(from)),
      })
    }
    this.tools.record(this.connection.unsolicited(announced))
    return `${channel.target}.${interactionIdOf(announced.message) ?? ''}`
  }

  /** `interaction.query.init` on a dialled call; its primary conversation's target (blocking on BRIDGE-008). */
  async initDialled(target: string): Promise<string> {
    const response = await this.ask({
      type: 'cti.query',
      name: 'interaction.query.init',
      target: target,
    })
    this.succeeded(response, 'BRIDGE-008', 'interaction.query.init')
    const check = checkContract(
      'harmony.bridge.interaction.query.init.response.telephony',
      response,
      {
        mode: 'strict',
      },
    )
    const body = response.body as
      | { 'interaction-state'?: unknown; conversations?: { primary?: { id?: unknown } | null } }
      | undefined
    const problems = check.issues.map((i) => i.message)
    const state = body?.['interaction-state']
    if (check.ok && state !== 'DIALING' && state !== 'STARTED')
      problems.push(
        `interaction-state: expected DIALING or STARTED for a dialled call, received ${json(state)}`,
      )
    const primary = body?.conversations?.primary?.id
    if (check.ok && typeof primary !== 'string')
      problems.push('conversations.primary: expected the call leg, received none')
    if (problems.length > 0) {
      this.stop('BRIDGE-008', {
        message: `the dialled interaction's init response is not a telephony interaction in DIALING/STARTED with its primary conversation (${problems.length} issue(s))`,
        expected:
          'body {"interaction-state": DIALING|STARTED, "interaction-data": {…}, conversations: {primary: {id}}}',
        actual: problems.join('\n'),
      })
    }
    return `${target}.${String(primary)}`
  }
}

function interactionIdOf(message: BridgeMessage): string | undefined {
  const body = message.body
  if (typeof body !== 'object' || body === null) return undefined
  const id = (body as Record<string, unknown>)['interaction-id']
  return typeof id === 'string' && id !== '' ? id : undefined
}

function describeEvents(received: readonly Received[]): string {
  const events = received.filter((r) => r.message?.header.type === 'cti.event')
  if (events.length === 0) return 'no event came'
  return events.map((r) => json(r.value)).join('\n')
}

async function withProbe(at: ClauseAt, body: (probe: Probe) => Promise<void>): Promise<void> {
  const probe = await Probe.open(at)
  try {
    await body(probe)
  } finally {
    probe.connection.close()
  }
}

function clause(definition: {
  readonly id: string
  readonly title: string
  readonly rationale: string
  readonly run: (probe: Probe, context: Context, tools: Tools) => Promise<void>
}): ClauseDefinition<Context> {
  return {
    id: definition.id,
    title: `${definition.id} ${definition.title}`,
    rationale: definition.rationale,
    run: (context, tools) =>
      withProbe({ context, tools, self: definition.id }, (probe) =>
        definition.run(probe, context, tools),
      ),
  }
}

const BRIDGE_DOC =
  'OpenMethods Harmony, Processor Bridge (openmethodsdev.atlassian.net/wiki/spaces/HAR/pages/2445869057); reference §1.5.6'

/** Sends the group's and its channels' init queries, ignoring what they answer. */
async function initEverything(probe: Probe, context: Context): Promise<void> {
  const c = probe.connection
  const group = c.send({
    type: 'cti.query',
    name: 'channelgroup.query.init',
    target: context.channelGroup,
  })
  const answer = await c.responseTo(group)
  const channels = (answer?.message?.body as { channels?: unknown } | undefined)?.channels
  if (!Array.isArray(channels)) return
  for (const channel of channels as { 'end-point'?: unknown }[]) {
    if (typeof channel['end-point'] !== 'string') continue
    await c.responseTo(
      c.send({
        type: 'cti.query',
        name: 'channel.query.init',
        target: `${context.channelGroup}.${channel['end-point']}`,
      }),
    )
  }
}

const framing = clause({
  id: 'BRIDGE-001',
  title: 'frames every message as a 4-byte length and UTF-8 JSON {header, body}',
  rationale: `The bridge protocol is "a 4-byte length followed by UTF-8 JSON" of {header: {type, name, target, …}, body}, type one of cti.query|cti.request|cti.response|cti.event (${BRIDGE_DOC}). Byte order is not stated: read big-endian (network order).`,
  run: async (probe: Probe, context: Context, tools: Tools) => {
    await initEverything(probe, context)
    await probe.connection.quiet(context.quietMs)
    const c = probe.connection
    for (const r of c.received) tools.record(c.unsolicited(r))
    if (c.framingError !== undefined) {
      tools.fail({
        message: 'a message from the plug-in is not a well-formed frame',
        expected: 'a 4-byte big-endian length and then exactly that many bytes of UTF-8 JSON',
        actual: c.framingError,
      })
    }
    tools.check(c.received.length > 0, {
      message: 'the plug-in sent nothing to judge',
      expected: 'at least the response to channelgroup.query.init',
      actual: c.closed ? 'the plug-in closed the connection' : 'no message',
    })
    const bad = c.received.flatMap((r) => {
      const m = r.message
      const problems: string[] = []
      if (!m) problems.push('not an object with a header object')
      else {
        if (!(HARMONY_BRIDGE_MESSAGE_TYPES as readonly unknown[]).includes(m.header.type))
          problems.push(
            `header.type ${json(m.header.type)} is none of ${HARMONY_BRIDGE_MESSAGE_TYPES.join('|')}`,
          )
        if (typeof m.header.name !== 'string' || m.header.name === '')
          problems.push('header.name: expected a name')
        if (typeof m.header.target !== 'string' || m.header.target === '')
          problems.push('header.target: expected the destination')
        if (!Object.hasOwn(r.value as object, 'body')) problems.push('no body')
      }
      return problems.length === 0 ? [] : [`${json(r.value).slice(0, 300)}: ${problems.join('; ')}`]
    })
    tools.check(bad.length === 0, {
      message: `${String(bad.length)} message(s) are not {header: {type, name, target, …}, body}`,
      expected: '{header: {type: cti.response|cti.event, name, target, …}, body}',
      actual: bad.join('\n'),
    })
  },
})

const correlation = clause({
  id: 'BRIDGE-002',
  title: 'answers each query once, echoing its requestId, name and target',
  rationale: `A response carries the requestId (a GUID) of the query or request it answers (${BRIDGE_DOC}); HIS pairs them by it, so each gets exactly one, of type cti.response with result SUCCESS or FAILURE.`,
  run: async (probe: Probe, context: Context, tools: Tools) => {
    const c = probe.connection
    const groupQuery = c.send({
      type: 'cti.query',
      name: 'channelgroup.query.init',
      target: context.channelGroup,
    })
    const queries = [groupQuery]
    const first = await c.responseTo(groupQuery)
    const channels = (first?.message?.body as { channels?: unknown } | undefined)?.channels
    if (Array.isArray(channels)) {
      for (const channel of channels as { 'end-point'?: unknown }[]) {
        if (typeof channel['end-point'] === 'string')
          queries.push(
            c.send({
              type: 'cti.query',
              name: 'channel.query.init',
              target: `${context.channelGroup}.${channel['end-point']}`,
            }),
          )
      }
    }
    const problems: string[] = []
    for (const sent of queries) {
      const started = performance.now()
      const response = await c.responseTo(sent)
      tools.record(c.exchange(sent, response, started))
      if (c.framingError !== undefined)
        tools.block('BRIDGE-001', {
          message: 'the plug-in’s answers could not be read as frames',
          expected: 'well-formed frames',
          actual: c.framingError,
        })
      if (!response?.message) {
        const other = c.misfiled(sent)
        problems.push(
          other.length > 0
            ? `${sent.name} ${sent.target}: answered under requestId ${json(other[0]?.message?.header.requestId)}, not ${sent.requestId}`
            : `${sent.name} ${sent.target}: no response within ${String(context.timeoutMs)} ms`,
        )
        continue
      }
      const h = response.message.header
      if (h.name !== sent.name) problems.push(`${sent.name}: the response names ${json(h.name)}`)
      if (h.target !== sent.target)
        problems.push(`${sent.name}: the response targets ${json(h.target)}, not ${sent.target}`)
      if (h.result !== 'SUCCESS' && h.result !== 'FAILURE')
        problems.push(`${sent.name}: result ${json(h.result)}, expected SUCCESS or FAILURE`)
    }
    await c.quiet(context.quietMs)
    for (const sent of queries) {
      const answers = c.received.filter(
        (r) =>
          r.message?.header.type === 'cti.response' &&
          r.message.header.requestId === sent.requestId,
      )
      if (answers.length > 1)
        problems.push(`${sent.name} ${sent.target}: ${String(answers.length)} responses`)
    }
    tools.check(problems.length === 0, {
      message: `${String(problems.length)} query/response pairing problem(s) (first: ${problems[0] ?? ''})`,
      expected:
        'one cti.response per query, with its requestId, name and target, result SUCCESS|FAILURE',
      actual: problems.join('\n'),
    })
  },
})

const groupInit = clause({
  id: 'BRIDGE-003',
  title: 'answers channelgroup.query.init with its channels (end-point and type)',
  rationale:
    'The channel group destination\'s init response body is {channels: [{"end-point": string, type: string}]}, the array always present (Channel Group Destination Messages, page 2445574231; reference §1.5.6). Checked strictly against harmony.bridge.channelgroup.query.init.response.',
  run: async (probe: Probe, _context: Context, tools: Tools) => {
    const channels = await probe.channels()
    tools.record({
      request: { method: 'NOTE', url: 'channels listed', headers: {} },
      response: { status: 0, headers: {}, body: json(channels) },
      durationMs: 0,
    })
  },
})

const channelInit = clause({
  id: 'BRIDGE-004',
  title: 'answers channel.query.init with SUCCESS for every channel it listed',
  rationale:
    "The bridge sets up a destination per channel of the group and sends it channel.query.init; the plug-in responds with the channel's state (Generic Channel Destination Messages, page 2445869144; reference §1.5.6).",
  run: async (probe: Probe, _context: Context, tools: Tools) => {
    const channels = await probe.channels()
    if (channels.length === 0) tools.skip('the channel group lists no channels')
    const refused: string[] = []
    for (const channel of channels) {
      const response = await probe.ask({
        type: 'cti.query',
        name: 'channel.query.init',
        target: channel.target,
      })
      if (response.header.result !== 'SUCCESS')
        refused.push(
          `${channel.target}: ${json(response.header.result)} ${json(response.header.errorMessage ?? '')}`,
        )
      else if (
        typeof response.body !== 'object' ||
        response.body === null ||
        Array.isArray(response.body)
      )
        refused.push(
          `${channel.target}: body ${json(response.body)} is not the channel's state object`,
        )
    }
    tools.check(refused.length === 0, {
      message: `${String(refused.length)} of ${String(channels.length)} listed channel(s) did not initialise`,
      expected: 'result SUCCESS and the channel state as a JSON object, for each listed channel',
      actual: refused.join('\n'),
    })
  },
})

const eventsAfterInit = clause({
  id: 'BRIDGE-005',
  title: 'raises events on a destination only after answering its init query',
  rationale: `Per destination: setup → the bridge sends *.query.init → the plug-in responds → only then may it raise events (${BRIDGE_DOC}).`,
  run: async (probe: Probe, context: Context, tools: Tools) => {
    const c = probe.connection
    await c.quiet(context.quietMs)
    const channels = await probe.channels()
    await c.quiet(context.quietMs)
    for (const channel of channels) {
      const started = performance.now()
      const sent = c.send({ type: 'cti.query', name: 'channel.query.init', target: channel.target })
      tools.record(c.exchange(sent, await c.responseTo(sent), started))
    }
    await c.quiet(context.quietMs)
    const early = c.received.filter(
      (r) =>
        r.message?.header.type === 'cti.event' &&
        !r.answeredBefore.has(String(r.message.header.target)),
    )
    for (const r of early) tools.record(c.unsolicited(r))
    tools.check(early.length === 0, {
      message: `${String(early.length)} event(s) came before their destination's init query was answered`,
      expected: 'cti.event only on destinations whose *.query.init the plug-in has answered',
      actual: early
        .map((r) => {
          const answered = [...r.answeredBefore]
          return `${json(r.message?.header.name)} on ${json(r.message?.header.target)} (answered by then: ${answered.length === 0 ? 'none' : answered.join(', ')})`
        })
        .join('\n'),
    })
  },
})

const UNKNOWN_REQUEST = 'channel.request.ccaicontractunsupported'

const unknownRequests = clause({
  id: 'BRIDGE-006',
  title: 'refuses a request it does not support with FAILURE and an errorMessage, and keeps going',
  rationale: `Bridge errors are result FAILURE with a human-readable errorMessage that may be shown to the agent (${BRIDGE_DOC}); HIS waits for a response to every request, so an unsupported one must be answered, not ignored or accepted.`,
  run: async (probe: Probe, _context: Context, tools: Tools) => {
    const channels = await probe.channels()
    const channel = channels.find((c) => c.type.toUpperCase() === 'TELEPHONY') ?? channels[0]
    if (!channel) tools.skip('the channel group lists no channels')
    await probe.initChannel(channel)
    const response = await probe.ask({
      type: 'cti.request',
      name: UNKNOWN_REQUEST,
      target: channel.target,
    })
    tools.check(response.header.result === 'FAILURE', {
      message: `an unsupported request (${UNKNOWN_REQUEST}) was not refused`,
      expected: 'result FAILURE',
      actual: `result ${json(response.header.result)}`,
    })
    const error = response.header.errorMessage
    tools.check(typeof error === 'string' && error.trim() !== '', {
      message: 'the refusal has no errorMessage to show the agent',
      expected: 'header.errorMessage: a human-readable reason',
      actual: json(error),
    })
    const again = await probe.ask({
      type: 'cti.query',
      name: 'channel.query.init',
      target: channel.target,
    })
    tools.check(again.header.result === 'SUCCESS', {
      message: 'after the refusal the channel no longer answers its init query',
      expected: 'result SUCCESS',
      actual: `result ${json(again.header.result)}`,
    })
  },
})

const dial = clause({
  id: 'BRIDGE-007',
  title: 'dials with channel.request.dial and announces the new interaction on the channel',
  rationale:
    'channel.request.dial {destination} on a telephony channel "must result in a new interaction on the channel" (Telephony Channel Destination Messages, page 2446098802; reference §1.5.6). The plug-in announces it with a cti.event on the channel naming it in body["interaction-id"] (our convention: the event name is not documented).',
  run: async (probe) => {
    const channel = await probe.telephony()
    await probe.dial(channel)
  },
})

const interactionInit = clause({
  id: 'BRIDGE-008',
  title:
    'answers interaction.query.init for a dialled call: DIALING or STARTED, with its primary conversation',
  rationale:
    'The interaction init response is {"interaction-state", "interaction-data"}, a telephony interaction adds conversations {primary?, consult?}; states ALERTING/DIALING → STARTED → ENDED → COMPLETED; the primary conversation exists in ALERTING, DIALING and STARTED (Generic and Telephony Interaction Destination Messages; reference §1.5.6, §1.6). Checked strictly against harmony.bridge.interaction.query.init.response.telephony.',
  run: async (probe) => {
    const channel = await probe.telephony()
    const interaction = await probe.dial(channel)
    await probe.initDialled(interaction)
  },
})

const conversationInit = clause({
  id: 'BRIDGE-009',
  title: 'answers conversation.query.init for the call’s primary conversation',
  rationale:
    'Each conversation (call leg) is a destination of its own: the bridge sends conversation.query.init and the plug-in responds before raising events on it (Conversation Destination Messages, page 2445901925; reference §1.5.6).',
  run: async (probe) => {
    const channel = await probe.telephony()
    const conversation = await probe.initDialled(await probe.dial(channel))
    const response = await probe.ask({
      type: 'cti.query',
      name: 'conversation.query.init',
      target: conversation,
    })
    probe.succeeded(response, 'BRIDGE-009', `conversation.query.init on ${conversation}`)
  },
})

const release = clause({
  id: 'BRIDGE-010',
  title: 'releases the call: the interaction ends and has no conversations left',
  rationale:
    'Release is a conversation feature (page 2445901925); after it the interaction is ENDED (or COMPLETED) and "there are no conversations in ENDED or COMPLETED" (reference §1.6). The request name conversation.request.release is ours (feature names not retrieved).',
  run: async (probe: Probe, _context: Context, tools: Tools) => {
    const channel = await probe.telephony()
    const interaction = await probe.dial(channel)
    const conversation = await probe.initDialled(interaction)
    probe.succeeded(
      await probe.ask({ type: 'cti.query', name: 'conversation.query.init', target: conversation }),
      'BRIDGE-009',
      'conversation.query.init',
    )
    const released = await probe.ask({
      type: 'cti.request',
      name: 'conversation.request.release',
      target: conversation,
    })
    probe.succeeded(released, 'BRIDGE-010', 'conversation.request.release')
    const after = await probe.ask({
      type: 'cti.query',
      name: 'interaction.query.init',
      target: interaction,
    })
    const body = after.body as
      | {
          'interaction-state'?: unknown
          conversations?: { primary?: unknown; consult?: unknown } | null
        }
      | undefined
    const state = body?.['interaction-state']
    const left = Object.entries(body?.conversations ?? {}).filter(
      ([, v]) => v !== null && v !== undefined,
    )
    tools.check(
      after.header.result === 'SUCCESS' &&
        (state === 'ENDED' || state === 'COMPLETED') &&
        left.length === 0,
      {
        message: 'after the release the interaction is not ended without conversations',
        expected:
          'interaction.query.init: SUCCESS, interaction-state ENDED or COMPLETED, conversations {}',
        actual: `result ${json(after.header.result)}, interaction-state ${json(state)}, conversations ${json(body?.conversations)}`,
      },
    )
  },
})

/** The Processor Bridge plug-in suite: framing, pairing, init per destination, dial and release. */
export const HARMONY_BRIDGE_SUITE: SuiteDefinition<HarmonyBridgeSuiteContext> = {
  name: 'harmony-bridge',
  clauses: [
    framing,
    correlation,
    groupInit,
    channelInit,
    eventsAfterInit,
    unknownRequests,
    dial,
    interactionInit,
    conversationInit,
    release,
  ],
}

export const DEFAULT_BRIDGE_TIMEOUT_MS = 5000
export const DEFAULT_BRIDGE_QUIET_MS = 200

/** What `runHarmonyBridgeSuite` needs: where the plug-in listens, and optional run settings. */
export interface RunHarmonyBridgeSuiteOptions extends Omit<RunSuiteOptions, 'now'> {
  readonly host: string
  readonly port: number
  /** Default `group1`. */
  readonly channelGroup?: string
  /** Default `5550100`. */
  readonly dialDestination?: string
  /** Default {@link DEFAULT_BRIDGE_TIMEOUT_MS}. */
  readonly timeoutMs?: number
  /** Default {@link DEFAULT_BRIDGE_QUIET_MS}. */
  readonly quietMs?: number
}

function invalid(message: string): never {
  throw new ContractTestsError('invalid_options', message)
}

/**
 * Runs the Processor Bridge suite against a CTI plug-in listening on `host:port` and returns a
 * result per clause with the exact messages behind it.
 *
 * @example
 * const result = await runHarmonyBridgeSuite({ host: '127.0.0.1', port: 7010 })
 * for (const clause of result.clauses) if (clause.failure) console.log(clause.id, clause.failure.actual)
 */
export async function runHarmonyBridgeSuite(
  options: RunHarmonyBridgeSuiteOptions,
): Promise<SuiteResult> {
  const { host, port, only, onClause } = options
  if (typeof host !== 'string' || host.trim() === '')
    invalid(`host: expected the plug-in's host name or address, received ${json(host)}`)
  if (!Number.isInteger(port) || port < 1 || port > 65_535)
    invalid(`port: expected an integer 1–65535, received ${json(port)}`)
  const channelGroup = options.channelGroup ?? 'group1'
  if (channelGroup === '' || channelGroup.includes('.'))
    invalid(`channelGroup: expected a target without dots, received ${json(channelGroup)}`)
  const dialDestination = options.dialDestination ?? '5550100'
  if (dialDestination === '') invalid('dialDestination: expected a number to dial, received ""')
  const timeoutMs = options.timeoutMs ?? DEFAULT_BRIDGE_TIMEOUT_MS
  const quietMs = options.quietMs ?? DEFAULT_BRIDGE_QUIET_MS
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1)
    invalid(`timeoutMs: expected a positive integer, received ${json(timeoutMs)}`)
  if (!Number.isInteger(quietMs) || quietMs < 0)
    invalid(`quietMs: expected a non-negative integer, received ${json(quietMs)}`)
  return runSuite(
    HARMONY_BRIDGE_SUITE,
    { host, port, channelGroup, dialDestination, timeoutMs, quietMs },
    {
      target: `tcp://${host}:${String(port)}`,
      ...(only === undefined ? {} : { only }),
      ...(onClause === undefined ? {} : { onClause }),
    },
  )
}
