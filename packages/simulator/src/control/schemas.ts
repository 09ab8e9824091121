import {
  ScenarioParamsSchema,
  SCENARIO_NAMES,
  type AgentCommandName,
  type SessionInputBody,
} from '@ccai-sim/fixtures'
import { z } from 'zod'

/** Request and response bodies of the control API (`/_sim`), the source of `/openapi.json`. */

export const StartSessionRequestSchema = z
  .object({
    scenario: z.enum(SCENARIO_NAMES as [string, ...string[]]),
    /** Default: the simulator's seed. The same seed and scenario replay the same session. */
    seed: z
      .int()
      .min(0)
      .max(2 ** 31)
      .optional(),
    params: ScenarioParamsSchema.optional(),
    /** `manual`: the agent's part waits for a person or a client (control API, adapter page). */
    agent: z.enum(['scripted', 'manual']).optional(),
    /** The agent who handles the session instead of the drawn one. */
    agentId: z.int().min(1).max(999_999_999).optional(),
  })
  .meta({ id: 'StartSessionRequest' })
export type StartSessionRequest = z.infer<typeof StartSessionRequestSchema>

const AgentId = z.int().min(1).max(999_999_999)
const WithAgent = { agentId: AgentId }

/**
 * Agent commands (`POST /_sim/sessions/{id}/{command}`): what an agent does in the adapter, applied
 * to the session machine. Each body names the acting agent.
 */
export const AGENT_COMMAND_SCHEMAS = {
  accept: z.object(WithAgent),
  decline: z.object(WithAgent),
  activate: z.object(WithAgent),
  message: z.object({ ...WithAgent, text: z.string().min(1).max(10_000) }),
  hold: z.object(WithAgent),
  resume: z.object(WithAgent),
  transfer: z.object({
    ...WithAgent,
    toAgentId: AgentId,
    toQueueId: z.int().min(1).max(999_999),
    warm: z.boolean().default(true),
  }),
  join: z.object(WithAgent),
  leave: z.object(WithAgent),
  add_party: z.object({ ...WithAgent, toAgentId: AgentId }),
  cobrowse_start: z.object({
    ...WithAgent,
    cobrowseId: z
      .string()
      .regex(/^[a-z0-9]{6,32}$/)
      .default('cobrowse0001'),
  }),
  cobrowse_request: z.object({ ...WithAgent, control: z.enum(['remote_control', 'full_device']) }),
  cobrowse_end: z.object(WithAgent),
  redaction_start: z.object(WithAgent),
  redaction_stop: z.object(WithAgent),
  smart_action: z.object({
    ...WithAgent,
    media: z.enum(['photo', 'video']),
    delivery: z.enum(['in_app', 'sms_link']).default('in_app'),
  }),
  end: z.object(WithAgent),
  dismiss: z.object(WithAgent),
  finish_wrapup: z.object({
    ...WithAgent,
    disposition: z.string().min(1).max(200).default('Resolved'),
  }),
} as const satisfies Record<AgentCommandName, z.ZodType>
export type { AgentCommandName }

/** The session input an agent command's body becomes. */
export function agentInput(
  command: AgentCommandName,
  body: z.output<(typeof AGENT_COMMAND_SCHEMAS)[AgentCommandName]>,
): SessionInputBody {
  return { ...body, type: `agent.${command}` } as SessionInputBody
}

/** Customer actions (`POST /_sim/sessions/{id}/customer/{action}`): the end user's side by hand. */
export const CUSTOMER_ACTION_SCHEMAS = {
  message: z.object({ text: z.string().min(1).max(10_000) }),
  end: z.object({}),
  abandon: z.object({
    voicemailSeconds: z
      .int()
      .min(1)
      .max(3600)
      .optional()
      .describe('Leave a voicemail this long before hanging up (a call in queue only).'),
  }),
  escalate: z.object({}),
  csat: z.object({
    rating: z.int().min(1).max(5),
    feedback: z.string().max(2_000).nullable().default(null),
  }),
  media_upload: z.object({ media: z.enum(['photo', 'video']) }),
  cobrowse_answer: z.object({
    control: z.enum(['remote_control', 'full_device']),
    state: z.enum(['on', 'rejected', 'off']),
  }),
  cobrowse_end: z.object({}),
} as const
export type CustomerActionName = keyof typeof CUSTOMER_ACTION_SCHEMAS

export function customerInput(
  action: CustomerActionName,
  body: z.output<(typeof CUSTOMER_ACTION_SCHEMAS)[CustomerActionName]>,
): SessionInputBody {
  return { ...body, type: `customer.${action}` } as SessionInputBody
}

/** Presence commands (`POST /_sim/agents/{id}/{command}`). */
export const PRESENCE_COMMANDS = ['login', 'logout', 'available', 'unavailable'] as const
export const PresenceRequestSchema = z.object({ reason: z.string().min(1).max(200).optional() })

export const ClockRequestSchema = z
  .object({
    /** Milliseconds to move the manual clock on by. */
    advanceMs: z
      .int()
      .min(0)
      .max(365 * 86_400_000)
      .optional(),
    /** A time to set the manual clock to (never backwards). */
    set: z.iso.datetime({ offset: true }).optional(),
  })
  // The issue sits on a field (not on `$`) so a client sees which key to add or drop.
  .superRefine((body, ctx) => {
    if (body.advanceMs !== undefined && body.set !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['set'],
        input: body.set,
        message: 'no set when advanceMs is given (exactly one of advanceMs or set)',
      })
    } else if (body.advanceMs === undefined && body.set === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['advanceMs'],
        input: undefined,
        message: 'exactly one of advanceMs or set',
      })
    }
  })
  .meta({ id: 'ClockRequest', description: 'Exactly one of advanceMs or set.' })
export type ClockRequest = z.infer<typeof ClockRequestSchema>

export const JournalQuerySchema = z.object({
  since: z.string().regex(/^\d+$/, 'a journal sequence number').optional(),
  limit: z.string().regex(/^\d+$/, 'a number of entries').optional(),
  type: z
    .enum([
      'session-started',
      'emitted',
      'file-written',
      'file-failed',
      'delivery-attempt',
      'mail-sent',
      'mail-failed',
      'crm-exchange',
      'upload',
      'backlog',
      'reset',
      'speech',
      'input',
      'input-refused',
      'agent',
    ])
    .optional(),
  /** Only the entries about this session (a session id). */
  session: z
    .string()
    .regex(/^\d{1,15}$/, 'a session id (digits)')
    .optional(),
})

export const SessionSummarySchema = z
  .object({
    id: z.int(),
    scenario: z.string(),
    seed: z.int(),
    kind: z.enum(['call', 'chat']),
    state: z.enum(['live', 'ended', 'complete']),
    agent: z.enum(['scripted', 'manual']),
    phase: z.enum(['new', 'routing', 'offered', 'connected', 'ended', 'wrapup', 'done']),
    startedAt: z.string(),
    delivered: z.int(),
    total: z.int(),
  })
  .meta({ id: 'SessionSummary' })
export type SessionSummary = z.infer<typeof SessionSummarySchema>

export const ClockStateSchema = z
  .object({
    mode: z.enum(['realtime', 'scaled', 'manual']),
    now: z.string(),
    scale: z.number(),
    pendingTimers: z.int(),
  })
  .meta({ id: 'ClockState' })

/** A session id in a path: digits (anything else names no session: 404 `unknown_session`). */
export const SessionIdParamsSchema = z.object({
  id: z
    .string()
    .regex(/^\d{1,15}$/)
    .describe('A session id (GET /_sim/sessions lists them).'),
})

export const ScenarioSummarySchema = z
  .object({
    name: z.string(),
    title: z.string(),
    description: z.string(),
    kind: z.enum(['call', 'chat']),
    channel: z.string(),
  })
  .meta({ id: 'ScenarioSummary' })

/** `GET /_sim/sessions/:id`: the summary, the story's entities, the timeline, emissions, files. */
export const SessionDetailSchema = SessionSummarySchema.extend({
  story: z.object({
    kind: z.enum(['call', 'chat']),
    channel: z.string(),
    legacyType: z.string(),
    sessionTypeV2: z.string(),
    outcome: z.enum(['finished', 'abandoned', 'dismissed']),
    endUser: z.looseObject({}).describe('The end user (fixtures EndUserEntity).'),
    queue: z.looseObject({}).describe('The queue (fixtures QueueEntity).'),
    agents: z.array(z.looseObject({})).describe('Every human agent, the first one answering.'),
    virtualAgent: z.looseObject({}).nullable(),
    ticket: z
      .looseObject({})
      .nullable()
      .describe('The CRM ticket (fixtures TicketEntity); null until the CRM answered.'),
  }),
  machine: z
    .looseObject({ phase: z.string() })
    .describe('The session machine: phase, offered to, connected agents, hold, the CRM answer.'),
  inputs: z
    .array(z.looseObject({ type: z.string(), at: z.string() }))
    .describe('Every input applied so far (script, agent, customer, CRM, timers), in order.'),
  timeline: z.array(
    z.looseObject({ kind: z.string(), at: z.string(), seq: z.int() }).describe('A story step.'),
  ),
  emissions: z.array(
    z.object({
      at: z.string(),
      surface: z.string(),
      contract: z.string(),
      key: z.string(),
      agentId: z.int().optional(),
      /** Whether the virtual clock has reached it. */
      published: z.boolean(),
      payload: z.unknown(),
    }),
  ),
  files: z.array(
    z.object({
      at: z.string(),
      path: z.string(),
      contentType: z.string(),
      contract: z.string().nullable(),
      written: z.boolean(),
    }),
  ),
}).meta({ id: 'SessionDetail' })

/** One journal entry (`type` decides the other fields; times are virtual epoch milliseconds). */
export const JournalEntrySchema = z
  .looseObject({
    seq: z.int(),
    at: z.number(),
    type: JournalQuerySchema.shape.type.unwrap(),
    sessionId: z.int().optional(),
  })
  .meta({ id: 'JournalEntry' })

export const JournalPageSchema = z
  .object({
    entries: z.array(JournalEntrySchema),
    /** Entries the bounded journal let go of. */
    dropped: z.int(),
    /** The seq to pass as `since` for the next page. */
    next: z.int(),
  })
  .meta({ id: 'JournalPage' })

/** `GET /_sim/sessions/:id/crm`: the generic-API flow of a session (times ISO 8601). */
export const CrmFlowReportSchema = z
  .looseObject({
    sessionId: z.int(),
    state: z.enum(['waiting', 'running', 'done']),
    accountId: z.string().nullable(),
    recordId: z.string().nullable(),
    actions: z.array(
      z.looseObject({
        ordinal: z.int(),
        kind: z.string(),
        at: z.string(),
        trigger: z.string(),
        state: z.enum(['planned', 'released', 'done']),
      }),
    ),
    steps: z.array(
      z.looseObject({
        startedAt: z.string().optional(),
        finishedAt: z.string().optional(),
        nextAttemptAt: z.string().optional(),
      }),
    ),
    notes: z.array(z.string()),
  })
  .meta({ id: 'CrmFlowReport' })

/** `GET /_sim/agents`: one agent of the roster and its presence. */
export const AgentSummarySchema = z
  .object({
    id: z.int(),
    name: z.string(),
    email: z.string(),
    presence: z.enum(['logged_out', 'available', 'unavailable', 'busy', 'wrap_up']),
    since: z.string(),
    reason: z.string().nullable(),
    sessions: z.array(z.int()).describe('The sessions the agent holds'),
    manual: z.boolean().describe('Whether a person or a client drives this agent'),
  })
  .meta({ id: 'AgentSummary' })

/** `POST /_sim/sessions/:id/replay`: the session re-run from its inputs, compared with what went out. */
export const ReplayReportSchema = z
  .object({
    sessionId: z.int(),
    inputs: z.int(),
    steps: z.int(),
    emissions: z.int(),
    identical: z.boolean(),
    firstDifference: z
      .object({ published: z.string().nullable(), replayed: z.string().nullable() })
      .optional(),
  })
  .meta({ id: 'ReplayReport' })

/** One delivery lane (a webhook target, or the SMTP server): its backlog and drain rate. */
const DeliveryLaneSchema = z.object({
  lane: z.string(),
  /** Accepted and neither acknowledged nor given up (in flight included). */
  pending: z.int(),
  inFlight: z.int(),
  /** Pending deliveries whose payload waits in the write-ahead log only. */
  spilled: z.int(),
  failing: z.boolean(),
  delivered: z.int(),
  failed: z.int(),
  gaveUp: z.int(),
  /** Acknowledgements per second over the last ten seconds. */
  drainPerSecond: z.number(),
  /** When the oldest pending delivery was accepted (ISO-8601, real time). */
  oldestAcceptedAt: z.string().nullable(),
  /** When the next attempt is due after a failure (ISO-8601, real time). */
  nextAttemptAt: z.string().nullable(),
  givenUp: z
    .array(
      z.object({
        id: z.string().describe('For `POST /_sim/deliveries/{id}/retry`'),
        key: z.string().describe('The idempotency key, kept by a retry'),
        session: z.number(),
        acceptedAt: z.string().describe('ISO-8601, real time'),
        gaveUpAt: z.string().describe('ISO-8601, real time'),
        attempts: z.int(),
        status: z.int().optional(),
        error: z.string().optional(),
      }),
    )
    .describe('The last given-up deliveries (oldest first) that can be retried'),
})

/** One outbox (webhooks, or mail): totals, lanes, and its write-ahead log (null: memory only). */
const OutboxStatsSchema = z.object({
  pending: z.int(),
  inFlight: z.int(),
  spilled: z.int(),
  delivered: z.int(),
  failed: z.int(),
  gaveUp: z.int(),
  lanes: z.array(DeliveryLaneSchema),
  log: z
    .object({
      path: z.string(),
      bytes: z.int(),
      appended: z.int(),
      syncs: z.int(),
      compactions: z.int(),
    })
    .nullable(),
})

/** `GET /_sim/deliveries`: the run id of the idempotency keys, and the backlog of webhooks and mail. */
export const DeliveriesSchema = z
  .object({ runId: z.string(), webhooks: OutboxStatsSchema, mail: OutboxStatsSchema })
  .meta({ id: 'Deliveries' })

const WebhookTargetSchema = z.object({
  url: z.url({ protocol: /^https?$/ }).describe('Where each payload is POSTed (JSON)'),
  headers: z
    .record(z.string().min(1).max(200), z.string().max(4_000))
    .default({})
    .describe('Extra headers, e.g. an API key the receiver checks'),
})

/** `POST /_sim/deliveries/{id}/retry`: a given-up delivery's id (`webhooks-12`, `mail-3`). */
export const DeliveryIdParamsSchema = z.object({
  id: z
    .string()
    .regex(/^(webhooks|mail)-\d{1,15}$/)
    .describe('A given-up delivery (GET /_sim/deliveries lists them under `givenUp`)'),
})

/** The answer to a retry: the new delivery's id; it keeps the original idempotency key. */
export const DeliveryRetrySchema = z
  .object({ id: z.string(), retried: z.string() })
  .meta({ id: 'DeliveryRetry' })

/** `GET|PUT /_sim/webhooks`: the webhook targets of now (configuration `webhooks.adapter`, `.qm`). */
export const WebhooksSchema = z
  .object({
    adapter: z.array(WebhookTargetSchema).max(50).default([]),
    qm: z.array(WebhookTargetSchema).max(50).default([]),
  })
  .meta({ id: 'Webhooks' })

/** `POST /_sim/webhooks/save`: where the targets were written, and the targets. */
export const WebhooksSavedSchema = z
  .object({
    file: z.string().describe('The configuration file written'),
    webhooks: WebhooksSchema,
  })
  .meta({ id: 'WebhooksSaved' })

/** `GET /_sim/peers`: who is connected to the simulator's peers (Harmony, Expertflow). */
const PeerTrafficSchema = z
  .object({
    messagesIn: z.int().describe('Messages from clients since start'),
    messagesOut: z.int().describe('Messages to clients since start'),
    recent: z
      .array(
        z.object({
          at: z.string().describe('Virtual time, ISO 8601'),
          direction: z.enum(['in', 'out']),
          client: z.string().describe('The connection: transport and number (ws#1, socket.io#2)'),
          name: z.string().describe("The request's command, or the event's or response's name"),
        }),
      )
      .describe('The newest messages (up to 50), oldest first'),
  })
  .meta({ id: 'PeerTraffic' })

export const PeersSchema = z
  .object({
    harmony: z.object({
      traffic: PeerTrafficSchema,
      sessions: z
        .array(
          z.object({
            id: z.string(),
            agentId: z.int(),
            started: z.boolean(),
            bound: z.boolean().describe('Whether a client holds the session resource now'),
          }),
        )
        .describe('The Harmony session resources (prepareSession) alive now'),
    }),
    expertflow: z
      .object({
        clients: z.int().describe('socket.io clients connected now'),
        traffic: PeerTrafficSchema,
        agents: z.array(
          z.object({
            agentId: z.string(),
            rosterId: z.int(),
            supervisor: z.boolean(),
            loggedIn: z.boolean(),
            conversations: z.array(z.int()).describe('Sessions the agent is in or monitors'),
          }),
        ),
      })
      .nullable()
      .describe('null: the Expertflow peer is off (peers.expertflow.enabled)'),
  })
  .meta({ id: 'Peers' })
