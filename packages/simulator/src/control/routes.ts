import { SCENARIOS } from '@ccai-sim/fixtures'
import type { CrmIntegrationSettings } from '@ccai-sim/schemas'
import type { Context, Hono } from 'hono'
import { z } from 'zod'
import type { CrmFlowReport } from '../crm/flow-engine.js'
import { mockCrmControlDeclarations } from '../crm/mock-crm/control.js'
import type { FaultController } from '../crm/mock-crm/faults.js'
import type { MockCrmStore } from '../crm/mock-crm/store.js'
import type { OutboxStats } from '../delivery/outbox.js'
import type { WebhookTargets } from '../delivery/webhook-dispatcher.js'
import { SimulatorError } from '../errors.js'
import {
  atPath,
  empty,
  json,
  problems,
  route,
  routesApp,
  type DeclaredRoute,
} from '../http/declare-routes.js'
import { problem } from '../http/problem.js'
import { jsonBody } from '../http/validate.js'
import type { RosterAgent } from '../runtime/roster.js'
import type { LiveSession, SimulatorRuntime } from '../runtime/simulator-runtime.js'
import {
  AGENT_COMMAND_SCHEMAS,
  agentInput,
  AgentSummarySchema,
  ClockRequestSchema,
  ClockStateSchema,
  CUSTOMER_ACTION_SCHEMAS,
  customerInput,
  PRESENCE_COMMANDS,
  PresenceRequestSchema,
  ReplayReportSchema,
  CrmFlowReportSchema,
  DeliveriesSchema,
  DeliveryIdParamsSchema,
  DeliveryRetrySchema,
  WebhooksSavedSchema,
  WebhooksSchema,
  PeersSchema,
  JournalPageSchema,
  JournalQuerySchema,
  ScenarioSummarySchema,
  SessionDetailSchema,
  SessionIdParamsSchema,
  SessionSummarySchema,
  StartSessionRequestSchema,
  type AgentCommandName,
  type CustomerActionName,
  type SessionSummary,
} from './schemas.js'

function summary(session: LiveSession): SessionSummary {
  return {
    id: session.id,
    scenario: session.scenario,
    seed: session.seed,
    kind: session.story.kind,
    state: session.state,
    agent: session.agent,
    phase: session.machine.phase,
    startedAt: new Date(session.startedAt).toISOString(),
    delivered: session.delivered,
    total: session.total,
  }
}

function iso(at: number): string {
  return new Date(at).toISOString()
}

/** The backlog as `GET /_sim/deliveries` answers it: its times ISO-8601, as the rest of the API. */
function deliveriesBody(backlog: {
  readonly runId: string
  readonly webhooks: OutboxStats
  readonly mail: OutboxStats
}): z.output<typeof DeliveriesSchema> {
  const outbox = (stats: OutboxStats): z.output<typeof DeliveriesSchema>['mail'] => ({
    ...stats,
    lanes: stats.lanes.map((lane) => ({
      ...lane,
      oldestAcceptedAt: lane.oldestAcceptedAt === null ? null : iso(lane.oldestAcceptedAt),
      nextAttemptAt: lane.nextAttemptAt === null ? null : iso(lane.nextAttemptAt),
      givenUp: lane.givenUp.map((given) => ({
        ...given,
        acceptedAt: iso(given.acceptedAt),
        gaveUpAt: iso(given.gaveUpAt),
      })),
    })),
  })
  return { runId: backlog.runId, webhooks: outbox(backlog.webhooks), mail: outbox(backlog.mail) }
}

function agentSummary(agent: RosterAgent): z.output<typeof AgentSummarySchema> {
  return {
    id: agent.entity.id,
    name: agent.entity.name,
    email: agent.entity.email,
    presence: agent.state.presence,
    since: new Date(agent.state.since).toISOString(),
    reason: agent.state.reason,
    sessions: [...agent.state.sessions],
    manual: agent.manual,
  }
}

/** A path segment that names nothing we know: the problem says what would have been accepted. */
function unknownName(field: string, received: string, expected: readonly string[]): SimulatorError {
  // One description (an agent id) reads as itself; a list of names as "one of …".
  const wanted = expected.length === 1 ? String(expected[0]) : `one of ${expected.join(', ')}`
  const message = `${field}: expected ${wanted}, received "${received}"`
  return new SimulatorError('not_found', message, {
    issues: [
      {
        path: field,
        code: 'invalid_value',
        expected: expected.join(', '),
        received: `"${received}"`,
        message,
      },
    ],
  })
}

/** What the control API needs besides the runtime: the mock CRM's state, faults and settings. */
export interface ControlRoutesOptions {
  readonly runtime: SimulatorRuntime
  readonly crm: {
    readonly store: MockCrmStore
    readonly faults: FaultController
    /** The settings sessions use, secrets masked unless `includeSecrets` (`?secrets=include`). */
    readonly settings: (options: { readonly includeSecrets: boolean }) => CrmIntegrationSettings
    /** Answers a request for the settings that may not see them (beyond loopback), else undefined. */
    readonly guard?: ((c: Context) => Response | undefined) | undefined
  }
  /** The delivery backlog (`GET /_sim/deliveries`); without it the route is not served. */
  readonly deliveries?:
    | (() => { readonly runId: string; readonly webhooks: OutboxStats; readonly mail: OutboxStats })
    | undefined
  /** Sends a kept given-up delivery again (`POST /_sim/deliveries/{id}/retry`): its new id, or undefined. */
  readonly retryDelivery?: ((id: string) => string | undefined) | undefined
  /** Who is connected to the peers (`GET /_sim/peers`); without it the route is not served. */
  readonly peers?: (() => z.output<typeof PeersSchema>) | undefined
  /** The webhook targets, editable at run time (`GET|PUT /_sim/webhooks`); without it not served. */
  readonly webhooks?:
    | {
        readonly get: () => WebhookTargets
        readonly set: (targets: WebhookTargets) => void
        /** Writes the targets of now into the configuration file; its path. Throws `conflict`. */
        readonly save?: (() => Promise<string>) | undefined
      }
    | undefined
}

/** A session by its path id, or `unknown_session` naming the id (digits only: `Number()` reads "1e5"). */
function sessionOf(runtime: SimulatorRuntime, param: string): LiveSession {
  const session = /^\d{1,15}$/.test(param) ? runtime.getSession(Number(param)) : undefined
  if (!session) {
    const message = `id: expected the id of a session (GET /_sim/sessions lists them), received "${param}"`
    throw new SimulatorError('unknown_session', `no session with id ${param}`, {
      issues: [
        {
          path: 'id',
          code: 'unknown_session',
          expected: 'the id of a session (GET /_sim/sessions lists them)',
          received: `"${param}"`,
          message,
        },
      ],
    })
  }
  return session
}

/** A flow report with ISO-8601 times, as `GET /_sim/sessions/:id/crm` answers it. */
function crmReportJson(report: CrmFlowReport): unknown {
  return {
    ...report,
    actions: report.actions.map((a) => ({ ...a, at: iso(a.at) })),
    steps: report.steps.map((s) => ({
      ...s,
      ...(s.startedAt === undefined ? {} : { startedAt: iso(s.startedAt) }),
      ...(s.finishedAt === undefined ? {} : { finishedAt: iso(s.finishedAt) }),
      ...(s.nextAttemptAt === undefined ? {} : { nextAttemptAt: iso(s.nextAttemptAt) }),
    })),
  }
}

function clockState(runtime: SimulatorRuntime): z.output<typeof ClockStateSchema> {
  return {
    mode: runtime.clock.mode,
    now: iso(runtime.clock.now()),
    scale: runtime.clock.scale,
    pendingTimers: runtime.clock.pending,
  }
}

/** The control API's own routes, relative to `/_sim`. */
function controlDeclarations(runtime: SimulatorRuntime): DeclaredRoute[] {
  return [
    route({
      method: 'get',
      path: '/scenarios',
      summary: 'List the scenario presets',
      responses: { 200: json('Scenarios', z.array(ScenarioSummarySchema)) },
      handler: (c) =>
        c.json(
          SCENARIOS.map((s) => ({
            name: s.name,
            title: s.title,
            description: s.description,
            kind: s.kind,
            channel: s.channel,
          })),
        ),
    }),
    route({
      method: 'post',
      path: '/sessions',
      summary: 'Start a scenario now (virtual time)',
      request: { body: StartSessionRequestSchema },
      responses: {
        201: {
          ...json('Started', SessionSummarySchema),
          headers: {
            location: {
              description: 'The session (`/_sim/sessions/{id}`)',
              schema: { type: 'string' },
            },
          },
        },
        ...problems('invalid_request'),
      },
      handler: (c, { body }) => {
        const session = runtime.startSession({
          scenario: body.scenario,
          seed: body.seed,
          params: body.params,
          agent: body.agent,
          overrides: { agentId: body.agentId },
        })
        return c.json(summary(session), 201, { location: `/_sim/sessions/${session.id}` })
      },
    }),
    route({
      method: 'get',
      path: '/sessions',
      summary: 'List sessions',
      responses: { 200: json('Sessions', z.array(SessionSummarySchema)) },
      handler: (c) => c.json(runtime.listSessions().map(summary)),
    }),
    route({
      method: 'get',
      path: '/sessions/:id',
      summary: "A session's story, timeline across surfaces, emissions and files",
      request: { params: SessionIdParamsSchema },
      responses: { 200: json('The session', SessionDetailSchema), ...problems('unknown_session') },
      handler: (c) => {
        const session = sessionOf(runtime, c.req.param('id') ?? '')
        const { story, emissions, files } = session
        return c.json({
          ...summary(session),
          story: {
            kind: story.kind,
            channel: story.channel,
            legacyType: story.legacyType,
            sessionTypeV2: story.sessionTypeV2,
            outcome: story.outcome,
            endUser: story.endUser,
            queue: story.queue,
            agents: story.agents,
            virtualAgent: story.virtualAgent,
            ticket: story.ticket,
          },
          machine: {
            phase: session.machine.phase,
            offeredTo: session.machine.offeredTo,
            connected: session.machine.connected,
            wrappingUp: session.machine.wrappingUp,
            onHold: session.machine.onHold,
            crm: session.machine.crm,
          },
          inputs: session.inputs.map((input) => ({ ...input, at: iso(input.at) })),
          timeline: story.steps.map((step) => ({ ...step, at: iso(step.at) })),
          emissions: emissions.map((e) => ({
            at: iso(e.at),
            surface: e.surface,
            contract: e.contract,
            key: e.key,
            ...(e.agentId === undefined ? {} : { agentId: e.agentId }),
            published: true,
            payload: e.payload,
          })),
          files: files.map((f) => ({
            at: iso(f.at),
            path: f.path,
            contentType: f.contentType,
            contract: f.contract ?? null,
            written: true,
          })),
        })
      },
    }),
    route({
      method: 'get',
      path: '/sessions/:id/crm',
      summary: "The session's generic-API flow",
      description:
        "Planned actions and each step's outcome (succeeded, warning, failed, skipped, retrying, queued).",
      request: { params: SessionIdParamsSchema },
      responses: {
        200: json('The flow report', CrmFlowReportSchema),
        ...problems('unknown_session', 'not_found'),
      },
      handler: (c) => {
        const param = c.req.param('id') ?? ''
        const session = sessionOf(runtime, param)
        const report = runtime.crmReport(session.id)
        if (!report) {
          return problem(
            c,
            'not_found',
            `session ${param} has no CRM flow (configuration crm.enabled is false)`,
          )
        }
        return c.json(crmReportJson(report))
      },
    }),
    route({
      method: 'post',
      path: '/sessions/:id/customer/:action',
      summary: 'A customer action on the session',
      description: `The end user's side by hand: ${Object.keys(CUSTOMER_ACTION_SCHEMAS).join(', ')}. The body depends on the action (\`message\`: \`{text}\`, \`csat\`: \`{rating, feedback}\`…).`,
      request: {
        params: SessionIdParamsSchema.extend({
          action: z.enum(Object.keys(CUSTOMER_ACTION_SCHEMAS) as [CustomerActionName]),
        }),
        content: { 'application/json': { type: 'object' } },
      },
      responses: {
        200: json('The session after the action', SessionSummarySchema),
        ...problems('unknown_session', 'not_found', 'invalid_command', 'invalid_request'),
      },
      handler: async (c) => {
        const session = sessionOf(runtime, c.req.param('id') ?? '')
        const action = c.req.param('action') ?? ''
        // Own keys only: `toString` or `__proto__` are not actions (they answered 500).
        const schema = Object.hasOwn(CUSTOMER_ACTION_SCHEMAS, action)
          ? CUSTOMER_ACTION_SCHEMAS[action as CustomerActionName]
          : undefined
        if (schema === undefined) {
          throw unknownName('action', action, Object.keys(CUSTOMER_ACTION_SCHEMAS))
        }
        const body = await jsonBody(c, schema)
        const after = runtime.command(session.id, customerInput(action as CustomerActionName, body))
        return c.json(summary(after))
      },
    }),
    route({
      method: 'post',
      path: '/sessions/:id/replay',
      summary: 'Re-run the session from its recorded inputs and compare',
      description:
        'Runs the recorded inputs (script, agent commands, customer actions, CRM answers, timers) through the machine and the projections, with no I/O, and compares the emissions with what was published.',
      request: { params: SessionIdParamsSchema },
      responses: {
        200: json('The replay report', ReplayReportSchema),
        ...problems('unknown_session'),
      },
      handler: (c) => {
        const session = sessionOf(runtime, c.req.param('id') ?? '')
        return c.json(runtime.replay(session.id))
      },
    }),
    route({
      method: 'post',
      path: '/sessions/:id/:command',
      summary: 'An agent command on the session',
      description: `What an agent does in the adapter, applied to the session machine: ${Object.keys(AGENT_COMMAND_SCHEMAS).join(', ')}. The body names the acting agent (\`agentId\`); a command the machine refuses in the session's state answers 409 \`invalid_command\`.`,
      request: {
        params: SessionIdParamsSchema.extend({
          command: z.enum(Object.keys(AGENT_COMMAND_SCHEMAS) as [AgentCommandName]),
        }),
        content: { 'application/json': { type: 'object', required: ['agentId'] } },
      },
      responses: {
        200: json('The session after the command', SessionSummarySchema),
        ...problems('unknown_session', 'not_found', 'invalid_command', 'invalid_request'),
      },
      handler: async (c) => {
        const session = sessionOf(runtime, c.req.param('id') ?? '')
        const command = c.req.param('command') ?? ''
        const schema = Object.hasOwn(AGENT_COMMAND_SCHEMAS, command)
          ? AGENT_COMMAND_SCHEMAS[command as AgentCommandName]
          : undefined
        if (schema === undefined) {
          throw unknownName('command', command, Object.keys(AGENT_COMMAND_SCHEMAS))
        }
        const body = await jsonBody(c, schema)
        const after = runtime.command(session.id, agentInput(command as AgentCommandName, body))
        return c.json(summary(after))
      },
    }),
    route({
      method: 'get',
      path: '/agents',
      summary: 'The agents roster: presence, reason, the sessions each holds',
      responses: { 200: json('The roster', z.array(AgentSummarySchema)) },
      handler: (c) => c.json(runtime.roster.list().map(agentSummary)),
    }),
    route({
      method: 'post',
      path: '/agents/:id/:command',
      summary: "Set an agent's presence: login, logout, available, unavailable",
      request: {
        params: z.object({
          id: z
            .string()
            .regex(/^[1-9]\d{0,8}$/)
            .describe('An agent id (GET /_sim/agents)'),
          command: z.enum(PRESENCE_COMMANDS),
        }),
        body: PresenceRequestSchema,
        bodyRequired: false,
      },
      responses: {
        200: json('The agent after the command', AgentSummarySchema),
        ...problems('not_found', 'invalid_command', 'invalid_request'),
      },
      handler: (c, { body }) => {
        const param = c.req.param('id') ?? ''
        if (!/^[1-9]\d{0,8}$/.test(param)) {
          throw unknownName('id', param, [
            'a positive agent id (GET /_sim/agents lists the roster)',
          ])
        }
        const command = c.req.param('command') ?? ''
        if (!(PRESENCE_COMMANDS as readonly string[]).includes(command)) {
          throw unknownName('command', command, [...PRESENCE_COMMANDS])
        }
        const agent = runtime.roster.command(
          Number(param),
          command as (typeof PRESENCE_COMMANDS)[number],
          body.reason,
        )
        return c.json(agentSummary(agent))
      },
    }),
    route({
      method: 'get',
      path: '/clock',
      summary: 'Read the virtual clock',
      responses: { 200: json('Clock', ClockStateSchema) },
      handler: (c) => c.json(clockState(runtime)),
    }),
    route({
      method: 'post',
      path: '/clock',
      summary: 'Advance or set the manual clock',
      description: 'Runs everything due on the way. Exactly one of `advanceMs` or `set`.',
      request: { body: ClockRequestSchema },
      responses: {
        200: json('Clock after the move', ClockStateSchema),
        ...problems('clock_not_manual', 'invalid_request'),
      },
      handler: async (c, { body }) => {
        if (runtime.clock.mode !== 'manual') {
          // Named here (not only in the clock) so the problem says which field cannot be honoured.
          const field = body.advanceMs === undefined ? 'set' : 'advanceMs'
          const expected = 'a manual clock (configuration clock.mode: "manual", or --clock manual)'
          const received = `a ${runtime.clock.mode} clock`
          throw new SimulatorError(
            'clock_not_manual',
            `${field}: the clock is ${runtime.clock.mode}; only a manual clock can be moved`,
            {
              issues: [
                {
                  path: field,
                  code: 'clock_not_manual',
                  expected,
                  received,
                  message: `${field}: expected ${expected}, received ${received}`,
                },
              ],
            },
          )
        }
        if (body.advanceMs !== undefined) await runtime.advance(body.advanceMs)
        else if (body.set !== undefined) {
          const at = Date.parse(body.set)
          const now = runtime.clock.now()
          // Checked here rather than in the clock so the problem names the field.
          if (at < now) {
            const message = `set: expected a time at or after ${iso(now)} (the clock never goes backwards), received "${body.set}"`
            throw new SimulatorError('invalid_request', message, {
              issues: [
                {
                  path: 'set',
                  code: 'too_small',
                  expected: `a time at or after ${iso(now)}`,
                  received: `string "${body.set}"`,
                  message,
                },
              ],
            })
          }
          await runtime.advanceTo(at)
        }
        await runtime.settle()
        return c.json(clockState(runtime))
      },
    }),
    route({
      method: 'post',
      path: '/reset',
      summary: 'Forget every session, timer and stored file',
      description: 'Also empties the mock CRM (its fault rules stay).',
      responses: { 204: empty('Reset') },
      handler: async (c) => {
        await runtime.reset()
        return c.body(null, 204)
      },
    }),
    route({
      method: 'get',
      path: '/journal',
      summary: 'Read the journal',
      description: 'Every payload delivered and every delivery attempt (bounded, oldest first).',
      request: { query: JournalQuerySchema },
      responses: { 200: json('Entries', JournalPageSchema), ...problems('invalid_request') },
      handler: (c, { query }) =>
        c.json(
          runtime.journal.read({
            ...(query.since === undefined ? {} : { since: Number(query.since) }),
            ...(query.limit === undefined ? {} : { limit: Math.min(5000, Number(query.limit)) }),
            ...(query.type === undefined ? {} : { type: query.type }),
            ...(query.session === undefined ? {} : { sessionId: Number(query.session) }),
          }),
        ),
    }),
  ]
}

/**
 * The control API at `/_sim`: start scenarios, inspect sessions, drive the clock, read the journal,
 * reset; and the mock CRM's control routes at `/_sim/crm/…` (declared in crm/mock-crm/control.ts).
 */
export function controlRoutes(options: ControlRoutesOptions): Hono {
  const crm = mockCrmControlDeclarations(options.crm).map((r) => atPath(r, `/crm${r.path}`))
  const deliveries = options.deliveries
  const retryDelivery = options.retryDelivery
  const delivery = deliveries
    ? [
        route({
          method: 'get',
          path: '/deliveries',
          summary: 'The delivery backlog of webhooks and mail',
          description:
            'Per webhook target and for mail: pending, in flight, spilled to the write-ahead log, failing or not, when the next attempt is due, and the drain rate (acknowledgements per second over the last 10 s); `runId` is the first part of every idempotency key.',
          responses: { 200: json('The backlog', DeliveriesSchema) },
          handler: (c) => c.json(deliveriesBody(deliveries())),
        }),
        ...(retryDelivery
          ? [
              route({
                method: 'post',
                path: '/deliveries/:id/retry',
                summary: 'Send a given-up delivery again',
                description:
                  "Accepts the payload of a given-up delivery again, with its original idempotency key, at the back of its target's queue and with a fresh give-up clock. `GET /_sim/deliveries` lists the given-up deliveries kept (`givenUp` per target, the last `webhooks.keepGivenUp` per webhook target, the last 20 mails).",
                request: { params: DeliveryIdParamsSchema },
                responses: {
                  202: json('Accepted again', DeliveryRetrySchema),
                  ...problems('not_found'),
                },
                handler: (c) => {
                  const id = c.req.param('id') ?? ''
                  const retried = retryDelivery(id)
                  if (retried === undefined)
                    return problem(
                      c,
                      'not_found',
                      `id: expected a given-up delivery kept for a retry (GET /_sim/deliveries lists them under givenUp), received "${id}"`,
                    )
                  return c.json({ id: retried, retried: id }, 202)
                },
              }),
            ]
          : []),
      ]
    : []
  const hooks = options.webhooks
  const webhooks = hooks
    ? [
        route({
          method: 'get',
          path: '/webhooks',
          summary: 'The webhook targets of now',
          description:
            "Where adapter and VTA emissions (`adapter`) and QM emissions (`qm`) are POSTed: the configuration's `webhooks.adapter` and `webhooks.qm` until replaced with `PUT`.",
          responses: { 200: json('The targets', WebhooksSchema) },
          handler: (c) => c.json(hooks.get()),
        }),
        route({
          method: 'put',
          path: '/webhooks',
          summary: 'Replace the webhook targets at run time',
          description:
            'Emissions from now on go to these targets; deliveries already accepted stay queued for theirs. The configuration file is not changed (a restart goes back to it) unless `POST /_sim/webhooks/save` is asked.',
          request: { body: WebhooksSchema },
          responses: {
            200: json('The targets now', WebhooksSchema),
            ...problems('invalid_request'),
          },
          handler: (c, { body }) => {
            hooks.set(body)
            return c.json(hooks.get())
          },
        }),
        ...(hooks.save
          ? [
              route({
                method: 'post',
                path: '/webhooks/save',
                summary: 'Save the webhook targets of now into the configuration file',
                description:
                  'Writes `webhooks.adapter` and `webhooks.qm` into the configuration file the simulator was started with (`--config` or `CCAI_SIM_CONFIG`), editing it in place: its comments and formatting stay, and a restart from it has these targets. 409 `conflict` when it was started without a file, or the file cannot be read or is no longer valid.',
                responses: {
                  200: json('The file and the targets saved', WebhooksSavedSchema),
                  ...problems('conflict'),
                },
                handler: async (c) => {
                  const save = hooks.save
                  const file = save ? await save() : ''
                  return c.json({ file, webhooks: hooks.get() })
                },
              }),
            ]
          : []),
      ]
    : []
  const peersNow = options.peers
  const peers = peersNow
    ? [
        route({
          method: 'get',
          path: '/peers',
          summary: "Who is connected to the simulator's peers",
          description:
            'The Harmony session resources alive now, and the agents connected to the Expertflow agent API (null when that peer is off).',
          responses: { 200: json('The peers', PeersSchema) },
          handler: (c) => c.json(peersNow()),
        }),
      ]
    : []
  return routesApp('control', [
    ...controlDeclarations(options.runtime),
    ...delivery,
    ...webhooks,
    ...peers,
    ...crm,
  ])
}
