import { CATALOG, contractJsonSchema, type Contract } from '@ccai-sim/schemas'
import { z } from 'zod'
import { EXPERTFLOW_PATH } from '../peers/expertflow-path.js'
import { STREAM_SURFACES, StreamQuerySchema } from './streams.js'

/*
 * The AsyncAPI 3.0 document of what the simulator emits and where, generated from the contract
 * catalog: a contract appears on a channel only when its family, direction and transport say the
 * simulator sends it there. Every payload schema is the contract's strict JSON Schema (draft
 * 2020-12, the same as `json-schema/strict/<id>.json`), kept once under `components.schemas`.
 */

type Json = Record<string, unknown>

/** Which catalog contracts a channel carries, and how each message looks on it. */
interface ChannelSpec {
  readonly id: string
  /** The message component prefix: `<kind>.<contract id>`. */
  readonly kind: string
  readonly channel: Json
  readonly operation: {
    readonly id: string
    readonly summary: string
    readonly bindings?: Json
    /** `receive` for what clients send the simulator (the agent-desktop peers); default `send`. */
    readonly action?: 'send' | 'receive'
  }
  readonly carries: (contract: Contract) => boolean
  readonly message: (contract: Contract) => Json
  readonly example: (contract: Contract, payload: unknown) => Json
}

const EXAMPLE_AT = '2026-03-02T09:00:00.000Z'
const EXAMPLE_SESSION_ID = 1_000_001
const EXAMPLE_AGENT_ID = 1
const MAX_EXAMPLES = 3
const ID_PATTERN = '^[1-9]\\d{0,14}$'
const STREAM_FAMILIES: ReadonlySet<string> = new Set(STREAM_SURFACES)

/** The generic-API endpoint (`crm.settings` → `endpoints.<name>`) each request contract is sent to. */
const CRM_ENDPOINT_OF: Readonly<Record<string, string>> = {
  'crm.createRecord.request': 'create_record',
  'crm.upload.request': 'upload_file',
  'crm.comment.request': 'comment',
}

const ref = (pointer: string): Json => ({ $ref: pointer })
const schemaRef = (contract: Contract): Json => ref(`#/components/schemas/${contract.id}`)

function querySchema(): Json {
  const json = z.toJSONSchema(StreamQuerySchema, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as Json
  delete json['$schema']
  // The surface list is a refinement, which JSON Schema cannot show: say it in words.
  const properties = json['properties'] as Record<string, Json> | undefined
  if (properties?.['surface']) {
    properties['surface']['description'] = `Comma-separated, of ${STREAM_SURFACES.join(', ')}.`
  }
  if (properties?.['session']) properties['session']['description'] = 'Only this session.'
  if (properties?.['agent']) properties['agent']['description'] = 'Only this agent’s events.'
  return json
}

const fromPlatform = (contract: Contract): boolean => contract.direction.from === 'ccai-platform'
/** Adapter and VTA events: what the adapter iframe posts (and the adapter webhooks repeat). */
const isAdapterEvent = (contract: Contract): boolean =>
  (contract.family === 'adapter' || contract.family === 'vta') &&
  contract.transport === 'postMessage' &&
  fromPlatform(contract)
/** The families the runner publishes on the bus (the streams' surfaces), sent by the platform. */
const isStreamed = (contract: Contract): boolean =>
  STREAM_FAMILIES.has(contract.family) &&
  fromPlatform(contract) &&
  contract.transport !== 'dialogflow-custom-payload'

/** The emission key, `<sessionId>:<surface>:<ordinal>`, for a contract's surface (its family). */
const keyPattern = (contract: Contract): string =>
  `^([1-9]\\d{0,14}|agent-[1-9]\\d{0,14}):${contract.family}:\\d+$`
const hasAgent = (contract: Contract): boolean =>
  contract.family === 'adapter' || contract.family === 'vta'

function streamEnvelope(contract: Contract): Json {
  return {
    type: 'object',
    description:
      'One emission as the streams send it (`streamMessageOf`): when, on which surface, which contract, for which session (and agent), its stable key, and the payload.',
    properties: {
      at: { type: 'string', format: 'date-time', description: 'Virtual time of the emission.' },
      surface: { const: contract.family },
      contract: { const: contract.id },
      sessionId: {
        type: 'integer',
        minimum: 0,
        description:
          'The session; 0 for an agent’s presence (login, logout), which belongs to no session.',
      },
      agentId: {
        type: 'integer',
        minimum: 1,
        description: 'Adapter and VTA events: the agent whose adapter iframe posts it.',
      },
      key: {
        type: 'string',
        pattern: keyPattern(contract),
        description: 'Stable across runs with the same seed; the webhooks’ idempotency-key.',
      },
      payload: schemaRef(contract),
    },
    required: ['at', 'surface', 'contract', 'sessionId', 'key', 'payload'],
    additionalProperties: false,
  }
}

/** A run id as a start draws it (8 hex digits; `.1`, `.2`… after resets). */
const EXAMPLE_RUN_ID = '3f9c2a71'

const exampleKey = (contract: Contract): string => `${EXAMPLE_SESSION_ID}:${contract.family}:0`

function webhookHeaders(contract: Contract): Json {
  return {
    type: 'object',
    description:
      'Protocol headers (they win over the target’s configured `headers`, which are sent too).',
    properties: {
      'content-type': { const: 'application/json' },
      'idempotency-key': {
        type: 'string',
        // The run id, then the emission key (without its anchor).
        pattern: `^[^:]+:${keyPattern(contract).slice(1)}`,
        description:
          '`<runId>:<emission key>`: the same on every retry, after a restart and for every target; the run id is new for each start and each reset, so a new run of the same seed is new work, while a live session resumed after a restart keeps the run id it started under (its later events carry the keys an uninterrupted run would). Dedupe on it.',
      },
      'x-ccai-contract': { const: contract.id },
      'x-ccai-session-id': {
        type: 'string',
        pattern: '^(0|[1-9]\\d{0,14})$',
        description: 'The session’s id; 0 for an agent’s presence events (no session).',
      },
      'x-ccai-attempt': {
        type: 'string',
        pattern: '^[1-9]\\d*$',
        description: '1 on the first attempt, one more on each retry.',
      },
    },
    required: [
      'content-type',
      'idempotency-key',
      'x-ccai-contract',
      'x-ccai-session-id',
      'x-ccai-attempt',
    ],
    additionalProperties: { type: 'string' },
  }
}

function webhookChannel(surface: 'adapter' | 'qm'): ChannelSpec {
  const families = surface === 'qm' ? 'QM' : 'adapter and VTA'
  return {
    id: `${surface}Webhook`,
    kind: 'webhook',
    channel: {
      address: null,
      title: `${surface === 'qm' ? 'QM' : 'Adapter'} webhooks`,
      description: `Each ${families} payload is POSTed as JSON to every URL in the configuration's \`webhooks.${surface}[]\` (a URL listed twice gets it once). At least once: per URL up to \`webhooks.concurrency\` requests at once, one session's payloads one at a time in emission order; any answer but 2xx is retried with exponential backoff (\`webhooks.retry\`) until acknowledged or given up; every accepted payload is in a write-ahead log before its first attempt, so a restart resends it under the same key; every attempt is journaled (\`GET /_sim/journal\`, type \`delivery-attempt\`).`,
      servers: [ref(`#/servers/${surface}WebhookReceiver`)],
    },
    operation: {
      id: `deliver${surface === 'qm' ? 'Qm' : 'Adapter'}Webhooks`,
      summary: `POST each ${families} payload to the configured webhook URLs`,
      bindings: { http: { method: 'POST', bindingVersion: '0.3.0' } },
    },
    carries:
      surface === 'qm'
        ? (c) => c.family === 'qm' && c.transport === 'http-webhook' && fromPlatform(c)
        : isAdapterEvent,
    message: (contract) => ({
      contentType: 'application/json',
      headers: webhookHeaders(contract),
      payload: schemaRef(contract),
    }),
    example: (contract, payload) => ({
      headers: {
        'content-type': 'application/json',
        'idempotency-key': `${EXAMPLE_RUN_ID}:${exampleKey(contract)}`,
        'x-ccai-contract': contract.id,
        'x-ccai-session-id': String(EXAMPLE_SESSION_ID),
        'x-ccai-attempt': '1',
      },
      payload,
    }),
  }
}

function crmChannel(contract: Contract): ChannelSpec {
  const endpoint = CRM_ENDPOINT_OF[contract.id]
  const where = endpoint
    ? `the \`endpoints.${endpoint}\` URL of \`crm.settings\` (its method and headers too)`
    : 'the endpoint of `crm.settings` this request belongs to'
  const name = contract.id.replace(/\.request$/, '')
  const operationName = name.replace(/^crm\./, '').replace(/^./, (c) => c.toUpperCase())
  return {
    id: name,
    kind: 'request',
    channel: {
      address: null,
      title: `Generic API: ${contract.title}`,
      description: `Requests the platform's generic-API client sends to the CRM, at ${where}; default: the built-in mock CRM at \`<simulator>/crm\`. Each exchange is journaled (type \`crm-exchange\`) and reported per session at \`GET /_sim/sessions/{id}/crm\`; 400 is retried for up to a week, 429 waits (\`crm.retry\`).`,
      servers: [ref('#/servers/crm')],
    },
    operation: {
      id: `crm${operationName}`,
      summary: `Send ${contract.id} to the CRM (method, URL and headers from the settings)`,
    },
    carries: (c) => c.id === contract.id,
    message: (c) => ({
      contentType:
        c.id === 'crm.upload.request'
          ? 'application/json, multipart/form-data'
          : 'application/json',
      payload: schemaRef(c),
    }),
    example: (_c, payload) => ({ payload }),
  }
}

/** The channels, in the order the document lists them. */
function channelSpecs(): ChannelSpec[] {
  const specs: ChannelSpec[] = [
    {
      id: 'events',
      kind: 'stream',
      channel: {
        address: '/events',
        title: 'Server-sent events',
        description:
          'Every emission as Server-Sent Events: `event: <surface>`, `id: <key>`, `data: <the message as JSON>`; a `: heartbeat` comment every 15 s. Filters (query): `surface` (comma-separated), `session`, `agent`.',
        servers: [ref('#/servers/simulator')],
      },
      operation: {
        id: 'streamEvents',
        summary: 'Send every emission to each open `GET /events` stream',
        bindings: { http: { method: 'GET', query: querySchema(), bindingVersion: '0.3.0' } },
      },
      carries: isStreamed,
      message: (contract) => ({
        contentType: 'application/json',
        payload: streamEnvelope(contract),
      }),
      example: (contract, payload) => ({ payload: streamExample(contract, payload) }),
    },
    {
      id: 'ws',
      kind: 'stream',
      channel: {
        address: '/ws',
        title: 'WebSocket stream',
        description:
          'Every emission as one WebSocket text message (the message as JSON); same filters as `/events`. Served by `startSimulator` (the pure app answers 426 `upgrade_required`).',
        servers: [ref('#/servers/simulatorWebSocket')],
        bindings: { ws: { method: 'GET', query: querySchema(), bindingVersion: '0.1.0' } },
      },
      operation: {
        id: 'streamWebSocket',
        summary: 'Send every emission to each open `/ws` socket',
      },
      carries: isStreamed,
      message: (contract) => ({
        contentType: 'application/json',
        payload: streamEnvelope(contract),
      }),
      example: (contract, payload) => ({ payload: streamExample(contract, payload) }),
    },
    {
      id: 'adapterPostMessage',
      kind: 'postMessage',
      channel: {
        address: null,
        title: 'Adapter iframe → window.parent',
        description:
          'The agent adapter page (`GET /agent/?type=call|chat&from=custom`, embedded as an iframe in the CRM page) calls `window.parent.postMessage(JSON.stringify(event), "*")` for each adapter and VTA event of its agent: the parent receives a JSON **string** and must `JSON.parse` it; the payload schemas below describe the parsed value.',
        servers: [ref('#/servers/crmPage')],
      },
      operation: {
        id: 'postAdapterEvents',
        summary: 'Post each adapter and VTA event to the embedding page as a JSON string',
      },
      carries: isAdapterEvent,
      message: (contract) => ({
        contentType: 'application/json',
        payload: schemaRef(contract),
        'x-wire-format': 'JSON string (JSON.stringify of the payload)',
      }),
      example: (_c, payload) => ({ payload }),
    },
    webhookChannel('adapter'),
    webhookChannel('qm'),
    {
      id: 'storageMetadata',
      kind: 'file',
      channel: {
        address: 'ujet-metadata/{sessionType}-{sessionId}.json',
        title: 'External storage: session metadata files',
        description:
          'The session metadata record, written as JSON to external storage (the built-in storage sink: a local folder, readable at `GET /storage/…`) when the platform publishes it (15 minutes after the session ends). The simulator also writes files with no JSON contract: `ujet-chat-transcripts/chat-{id}.txt` (the chat transcript as text), `ujet-voice-recordings/call-{id}.mp3` and `ujet-media/{call|chat}-{id}-{photo|video}-{n}.{jpg|mp4}`. Every path matches `storage.path` (`x-path-schema`). The JSON transcript (`transcript.chat`) is published on the streams, not written as a file.',
        parameters: {
          sessionType: { enum: ['call', 'chat'], description: 'The session kind.' },
          sessionId: { description: 'The session id (digits).' },
        },
        servers: [ref('#/servers/storage')],
        'x-path-contract': 'storage.path',
        'x-path-schema': ref('#/components/schemas/storage.path'),
      },
      operation: {
        id: 'writeMetadataFiles',
        summary: 'Write each session’s metadata JSON to external storage',
      },
      carries: (c) => c.family === 'metadata' && c.transport === 'file' && fromPlatform(c),
      message: (contract) => ({ contentType: 'application/json', payload: schemaRef(contract) }),
      example: (_c, payload) => ({ payload }),
    },
    {
      id: 'outcomeEmail',
      kind: 'smtp',
      channel: {
        address: '{recipient}',
        title: 'Session outcome email',
        description:
          'The session outcome email, sent over SMTP: the text body is the session metadata record as JSON, a chat’s transcript is attached as TXT. The payload schema describes the mail’s fields (from, to, subject, body, attachments).',
        parameters: {
          recipient: {
            description:
              'The portal’s outcome-email address: `email.outcome.queues[<queue id>].address`, else `email.outcome.global.address` (default `crm-inbox@example.com`).',
          },
        },
        servers: [ref('#/servers/builtinSmtp'), ref('#/servers/smtpRelay')],
      },
      operation: { id: 'sendOutcomeEmail', summary: 'Mail each session’s outcome' },
      carries: (c) => c.family === 'email' && c.transport === 'smtp' && fromPlatform(c),
      message: (contract) => ({
        contentType: 'message/rfc822',
        headers: {
          type: 'object',
          properties: {
            'X-CCAI-Session-Id': { type: 'string', pattern: ID_PATTERN },
            'X-CCAI-Session-Type': { enum: ['call', 'chat'] },
          },
          required: ['X-CCAI-Session-Id', 'X-CCAI-Session-Type'],
        },
        payload: schemaRef(contract),
      }),
      example: (_c, payload) => ({ payload }),
    },
  ]
  specs.push(...expertflowChannels(), ...harmonyChannels())
  for (const contract of CATALOG) {
    if (contract.family === 'crm' && fromPlatform(contract) && contract.direction.to === 'crm') {
      specs.push(crmChannel(contract))
    }
  }
  return specs
}

/** The Expertflow peer (`peers.expertflow.enabled`): one socket.io endpoint, both directions. */
function expertflowChannels(): ChannelSpec[] {
  const channel = (title: string): Json => ({
    address: EXPERTFLOW_PATH,
    title,
    description:
      'socket.io (v4, and Engine.IO 3 for socket.io 2 clients) when `peers.expertflow.enabled`. Each message is a socket.io event `42["<event>", <payload>]`; the schema is the catalog frame `{event, payload}` (README "Expertflow peer").',
    servers: [ref('#/servers/simulatorWebSocket')],
  })
  const frame = (contract: Contract): Json => ({
    contentType: 'application/json',
    payload: schemaRef(contract),
  })
  const isExpertflow = (c: Contract): boolean => c.family === 'expertflow'
  return [
    {
      id: 'expertflowEvents',
      kind: 'expertflow',
      channel: channel('Expertflow agent API: server events'),
      operation: { id: 'sendExpertflowEvents', summary: 'Send agent gadgets their events' },
      // conversationList is for bot connectors, which the peer does not serve.
      carries: (c) =>
        isExpertflow(c) &&
        ((c.direction.from === 'expertflow-server' && c.id !== 'expertflow.conversationList') ||
          c.id === 'expertflow.endConversation'),
      message: frame,
      example: (_c, payload) => ({ payload }),
    },
    {
      id: 'expertflowCommands',
      kind: 'expertflow',
      channel: channel('Expertflow agent API: client commands'),
      operation: {
        id: 'receiveExpertflowCommands',
        summary: 'Receive agent and supervisor commands',
        action: 'receive',
      },
      carries: (c) => isExpertflow(c) && c.direction.to === 'expertflow-server',
      message: frame,
      example: (_c, payload) => ({ payload }),
    },
  ]
}

/**
 * Session Resource messages the Harmony peer never sends, though the catalog has them host → app:
 * service info travels in the undocumented getServices envelope, the inContact agent leg is not
 * simulated, and `channel.dial` is refused (`UNSUPPORTED`), so it has no success response.
 */
const HARMONY_NOT_SENT: ReadonlySet<string> = new Set([
  'harmony.service.info',
  'harmony.event.session.incontact.agentleg.failed',
  'harmony.channel.dial.response',
])

/**
 * The Harmony session-resource peer: the same JSON messages over WebSocket (`/harmony/ws`), the
 * `~!OM` framed TCP port and the HTTP transport. The southbound Processor Bridge (`harmony.bridge.*`)
 * is not a channel of the simulator: `ccai-contract harmony-bridge` plays it against a plug-in.
 */
function harmonyChannels(): ChannelSpec[] {
  const isSessionResource = (c: Contract): boolean =>
    c.family === 'harmony' && c.transport === 'websocket'
  const sent = (c: Contract): boolean =>
    isSessionResource(c) && c.direction.from === 'harmony-host' && !HARMONY_NOT_SENT.has(c.id)
  const received = (c: Contract): boolean =>
    isSessionResource(c) && c.direction.to === 'harmony-host'
  const frame = (contract: Contract): Json => ({
    contentType: 'application/json',
    payload: schemaRef(contract),
  })
  const example = (_c: Contract, payload: unknown): Json => ({ payload })
  const ws = (title: string): Json => ({
    address: '/harmony/ws',
    title,
    description:
      'One Session Resource message (JSON) per WebSocket text frame, both ways. The documents name no WebSocket transport: ours (README "The Harmony peer"). Responses carry no request id: match them by `command` + `target`.',
    servers: [ref('#/servers/simulatorWebSocket')],
  })
  const tcp = (title: string): Json => ({
    address: null,
    title,
    description:
      'The documented TCP/IP socket transport on its own port (`--harmony-tcp-port`, `harmony.tcpPort`): each frame is `~!OM`, a 1-byte protocol index (1: Session Resource messages; 0: the transport’s own `ERROR`), a 4-byte big-endian length, then the JSON message.',
    servers: [ref('#/servers/harmonyTcp')],
  })
  const clientId = {
    type: 'object',
    properties: { clientId: { type: 'string', description: 'The id `startSession` answered.' } },
    required: ['clientId'],
  }
  return [
    {
      id: 'harmonyEvents',
      kind: 'harmony',
      channel: ws('Harmony session resource: responses and events'),
      operation: { id: 'sendHarmonyEvents', summary: 'Send MediaBar clients responses and events' },
      carries: sent,
      message: frame,
      example,
    },
    {
      id: 'harmonyCommands',
      kind: 'harmony',
      channel: ws('Harmony session resource: client requests'),
      operation: {
        id: 'receiveHarmonyCommands',
        summary: 'Receive prepareSession and session, channel and telephony commands',
        action: 'receive',
      },
      carries: received,
      message: frame,
      example,
    },
    {
      id: 'harmonyTcpEvents',
      kind: 'harmony',
      channel: tcp('Harmony ~!OM TCP: responses and events'),
      operation: {
        id: 'sendHarmonyTcpEvents',
        summary: 'Send responses and events in ~!OM frames',
      },
      carries: sent,
      message: frame,
      example,
    },
    {
      id: 'harmonyTcpCommands',
      kind: 'harmony',
      channel: tcp('Harmony ~!OM TCP: client requests'),
      operation: {
        id: 'receiveHarmonyTcpCommands',
        summary: 'Receive requests in ~!OM frames',
        action: 'receive',
      },
      carries: received,
      message: frame,
      example,
    },
    {
      id: 'harmonyHttpSessions',
      kind: 'harmony',
      channel: {
        address: '/harmony/sessions',
        title: 'Harmony HTTP transport: startSession / endSession',
        description:
          '`startSession` answers `{id}` (the client id for processRequest and polling); `endSession` answers 200, or 404 (problem+json) for an unknown client.',
        servers: [ref('#/servers/simulator')],
      },
      operation: {
        id: 'receiveHarmonyHttpSessions',
        summary: 'Open and close HTTP transport clients',
        action: 'receive',
        bindings: { http: { method: 'POST', bindingVersion: '0.3.0' } },
      },
      carries: (c) =>
        c.family === 'harmony' &&
        c.transport === 'http-request' &&
        c.direction.to === 'harmony-host',
      message: frame,
      example,
    },
    {
      id: 'harmonyHttpCommands',
      kind: 'harmony',
      channel: {
        address: '/harmony/direct/processRequest',
        title: 'Harmony HTTP transport: client requests',
        description:
          'One Session Resource request per POST (`?clientId=`), answered 202; its response and events are collected by polling.',
        servers: [ref('#/servers/simulator')],
      },
      operation: {
        id: 'receiveHarmonyHttpCommands',
        summary: 'Receive requests posted by HTTP transport clients',
        action: 'receive',
        bindings: { http: { method: 'POST', query: clientId, bindingVersion: '0.3.0' } },
      },
      carries: received,
      message: frame,
      example,
    },
    {
      id: 'harmonyHttpPoll',
      kind: 'harmony',
      channel: {
        address: '/harmony/direct/poll',
        title: 'Harmony HTTP transport: polling',
        description:
          'The polling service (`?clientId=`; the path is ours, the documents do not name it): answers `{"messages": [...]}`, each item one of these messages, in the order the peer produced them.',
        servers: [ref('#/servers/simulator')],
      },
      operation: {
        id: 'sendHarmonyHttpPoll',
        summary: 'Hand HTTP transport clients their responses and events when they poll',
        bindings: { http: { method: 'GET', query: clientId, bindingVersion: '0.3.0' } },
      },
      carries: sent,
      message: (contract) => ({
        ...frame(contract),
        'x-wire-format': 'An item of the poll answer’s `messages` array',
      }),
      example,
    },
  ]
}

function streamExample(contract: Contract, payload: unknown): Json {
  return {
    at: EXAMPLE_AT,
    surface: contract.family,
    contract: contract.id,
    sessionId: EXAMPLE_SESSION_ID,
    ...(hasAgent(contract) ? { agentId: EXAMPLE_AGENT_ID } : {}),
    key: exampleKey(contract),
    payload,
  }
}

function messageOf(spec: ChannelSpec, contract: Contract): Json {
  const examples = contract.examples
    .filter((e) => e.strict !== false)
    .slice(0, MAX_EXAMPLES)
    .map((e) => ({ name: e.name, summary: e.source, ...spec.example(contract, e.payload) }))
  return {
    name: contract.id,
    title: contract.title,
    summary: contract.title,
    ...(contract.notes === undefined ? {} : { description: contract.notes }),
    ...spec.message(contract),
    tags: [{ name: contract.family }],
    ...(examples.length === 0 ? {} : { examples }),
    'x-confidence': contract.confidence,
    'x-source': contract.source,
  }
}

const SERVERS: Json = {
  simulator: {
    host: '127.0.0.1:4010',
    protocol: 'http',
    title: 'The simulator',
    description:
      'The simulator’s one HTTP port (`host` and `port` in the configuration; default 127.0.0.1:4010, port 0 picks a free one).',
  },
  simulatorWebSocket: {
    host: '127.0.0.1:4010',
    protocol: 'ws',
    title: 'The simulator (WebSocket)',
    description: 'The same port, upgraded to WebSocket.',
  },
  crmPage: {
    host: '{origin}',
    protocol: 'postMessage',
    title: 'The CRM page embedding the adapter iframe',
    description:
      'The browser window that embeds `GET /agent/` (the iframe’s `window.parent`); any origin (`targetOrigin` `*`).',
    variables: { origin: { description: 'The CRM page’s origin.' } },
  },
  adapterWebhookReceiver: {
    host: '{host}',
    protocol: 'http',
    title: 'Adapter webhook receivers',
    description: 'The hosts of `webhooks.adapter[].url`.',
    variables: { host: { description: 'Host (and port) of a configured URL.' } },
  },
  qmWebhookReceiver: {
    host: '{host}',
    protocol: 'http',
    title: 'QM webhook receivers',
    description: 'The hosts of `webhooks.qm[].url`.',
    variables: { host: { description: 'Host (and port) of a configured URL.' } },
  },
  storage: {
    host: 'localhost',
    pathname: '/{dir}',
    protocol: 'file',
    title: 'External storage (local folder)',
    description:
      'The built-in storage sink: the folder `storage.dir` (`storage.enabled`), read-only over HTTP at `GET /storage/…`.',
    variables: {
      dir: {
        default: '.ccai-sim/storage',
        description: '`storage.dir`, relative to the working directory.',
      },
    },
  },
  builtinSmtp: {
    host: '127.0.0.1:{port}',
    protocol: 'smtp',
    title: 'The built-in SMTP server',
    description:
      'With `email.smtp` `builtin` (the default): the simulator’s own SMTP server, whose mailbox is at `GET /mail/`.',
    variables: {
      port: { default: '0', description: '`email.builtinPort`; 0 picks a free port.' },
    },
  },
  smtpRelay: {
    host: '{host}:{port}',
    protocol: 'smtp',
    title: 'A configured SMTP server',
    description: 'When `email.smtp` names a server (`host`, `port`, `secure`, `user`, `pass`).',
    variables: {
      host: { description: '`email.smtp.host`' },
      port: { description: '`email.smtp.port`' },
    },
  },
  harmonyTcp: {
    host: '127.0.0.1:{port}',
    protocol: 'tcp',
    title: 'The Harmony peer’s ~!OM TCP transport',
    description:
      'With `--harmony-tcp-port` (or `harmony.tcpPort`): the ready line prints `harmony-tcp 127.0.0.1:<port>`.',
    variables: { port: { default: '0', description: '`harmony.tcpPort`; 0 picks a free port.' } },
  },
  crm: {
    host: '{host}',
    protocol: 'http',
    title: 'The CRM (generic API)',
    description:
      'The CRM the integration settings (`crm.settings`) point at; by default the built-in mock CRM at `<simulator>/crm` (`GET /_sim/crm/settings` shows the settings in use).',
    variables: { host: { default: '127.0.0.1:4010', description: 'The endpoints’ host.' } },
  },
}

/** Rewrites every `$ref` string in `value` with `map`. */
function mapRefs(value: unknown, map: (ref: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item) => mapRefs(item, map))
  if (typeof value !== 'object' || value === null) return value
  const out: Json = {}
  for (const [key, item] of Object.entries(value)) {
    out[key] = key === '$ref' && typeof item === 'string' ? map(item) : mapRefs(item, map)
  }
  return out
}

/**
 * The contract's strict JSON Schema as `components.schemas` holds it. A recursive schema (the
 * Harmony address book's groups) refers to its own `$defs`: AsyncAPI tools resolve `#/…` against
 * the document, not the schema's `$id`, so those refs point into the document instead and the
 * schema drops its `$id` (its base is then the document, where the pointers resolve).
 */
function documentSchema(contract: Contract): Json {
  const schema = contractJsonSchema(contract, 'strict')
  if (!JSON.stringify(schema).includes('"#/$defs/')) return schema
  const { $id: _id, ...rest } = mapRefs(schema, (ref) =>
    ref.startsWith('#/$defs/') ? `#/components/schemas/${contract.id}/${ref.slice(2)}` : ref,
  ) as Json
  return rest
}

let cached: Record<string, unknown> | undefined

/** What the simulator emits and where, as AsyncAPI 3.0, generated from the contract catalog. */
export function asyncApiDocument(): Record<string, unknown> {
  if (cached) return cached
  const channels: Json = {}
  const operations: Json = {}
  const messages: Json = {}
  const used = new Map<string, Contract>()
  for (const spec of channelSpecs()) {
    const carried = CATALOG.filter(spec.carries)
    const channelMessages: Json = {}
    for (const contract of carried) {
      used.set(contract.id, contract)
      const component = `${spec.kind}.${contract.id}`
      messages[component] ??= messageOf(spec, contract)
      channelMessages[contract.id] = ref(`#/components/messages/${component}`)
    }
    channels[spec.id] = { ...spec.channel, messages: channelMessages }
    operations[spec.operation.id] = {
      action: spec.operation.action ?? 'send',
      channel: ref(`#/channels/${spec.id}`),
      summary: spec.operation.summary,
      messages: carried.map((c) => ref(`#/channels/${spec.id}/messages/${c.id}`)),
      ...(spec.operation.bindings ? { bindings: spec.operation.bindings } : {}),
    }
  }
  const storagePath = CATALOG.find((c) => c.id === 'storage.path')
  if (storagePath) used.set(storagePath.id, storagePath)
  const schemas: Json = {}
  for (const contract of CATALOG) {
    if (used.has(contract.id)) schemas[contract.id] = documentSchema(contract)
  }
  cached = {
    asyncapi: '3.0.0',
    id: 'urn:ccai-sim:simulator',
    info: {
      title: 'ccai-sim simulator',
      version: '0.1.0',
      description:
        'Everything the CCAI Platform simulator emits, on every surface: the live streams (`/events`, `/ws`), the adapter iframe’s postMessage, the adapter and QM webhooks, external storage files, the session outcome email and the generic-API requests to the CRM; and both agent-desktop peers, both ways: the Expertflow Hybrid Chat socket.io events and the OpenMethods Harmony session resource over WebSocket, `~!OM` TCP and HTTP. Generated from the contract catalog: each message is a catalog contract (`name` is its id) and its payload schema is the contract’s strict JSON Schema (draft 2020-12, `components.schemas`). The control API is in `/openapi.json`.',
      license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' },
    },
    defaultContentType: 'application/json',
    servers: SERVERS,
    channels,
    operations,
    components: { schemas, messages },
  }
  return cached
}
