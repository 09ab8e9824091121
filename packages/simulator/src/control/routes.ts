import { SCENARIOS } from '@ccai-sim/fixtures'
import { Hono } from 'hono'
import { SimulatorError } from '../errors.js'
import { jsonBody, queryParams } from '../http/validate.js'
import type { RosterAgent } from '../runtime/roster.js'
import type { LiveSession, SimulatorRuntime } from '../runtime/simulator-runtime.js'
import {
  AGENT_COMMAND_SCHEMAS,
  agentInput,
  ClockRequestSchema,
  CUSTOMER_ACTION_SCHEMAS,
  customerInput,
  JournalQuerySchema,
  PRESENCE_COMMANDS,
  PresenceRequestSchema,
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

function agentSummary(agent: RosterAgent) {
  return {
    id: agent.entity.id,
    name: agent.entity.name,
    email: agent.entity.email,
    presence: agent.state.presence,
    since: new Date(agent.state.since).toISOString(),
    reason: agent.state.reason,
    sessions: agent.state.sessions,
    manual: agent.manual,
  }
}

function sessionIdParam(param: string): number {
  if (/^\d{1,15}$/.test(param)) return Number(param)
  throw new SimulatorError('unknown_session', `no session with id ${param}`)
}

/** A path segment that names nothing we know: the problem says what would have been accepted. */
function unknownName(field: string, received: string, expected: readonly string[]): SimulatorError {
  const message = `${field}: expected one of ${expected.join(', ')}, received "${received}"`
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

/** The control API: start scenarios, inspect sessions, drive the clock, read the journal, reset. */
export function controlRoutes(runtime: SimulatorRuntime): Hono {
  const app = new Hono()

  app.get('/scenarios', (c) =>
    c.json(
      SCENARIOS.map((s) => ({
        name: s.name,
        title: s.title,
        description: s.description,
        kind: s.kind,
        channel: s.channel,
      })),
    ),
  )

  app.post('/sessions', async (c) => {
    const body = await jsonBody(c, StartSessionRequestSchema)
    const session = runtime.startSession({
      scenario: body.scenario,
      seed: body.seed,
      params: body.params,
      agent: body.agent,
      overrides: { agentId: body.agentId },
    })
    return c.json(summary(session), 201, { location: `/_sim/sessions/${session.id}` })
  })

  app.get('/sessions', (c) => c.json(runtime.listSessions().map(summary)))

  app.get('/sessions/:id', (c) => {
    // Digits only: `Number()` would also read "1e5" or " 12" as an id.
    const param = c.req.param('id')
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
      timeline: story.steps.map((step) => ({ ...step, at: iso(step.at) })),
      inputs: session.inputs.map((input) => ({ ...input, at: iso(input.at) })),
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
  })

  // Drive a session by hand: the agent's commands and the customer's actions (reactive sessions).
  app.post('/sessions/:id/customer/:action', async (c) => {
    const id = sessionIdParam(c.req.param('id'))
    const action = c.req.param('action')
    const schema = CUSTOMER_ACTION_SCHEMAS[action as CustomerActionName]
    if (schema === undefined) {
      throw unknownName('action', action, Object.keys(CUSTOMER_ACTION_SCHEMAS))
    }
    const body = await jsonBody(c, schema)
    const session = runtime.command(id, customerInput(action as CustomerActionName, body))
    return c.json(summary(session))
  })

  app.post('/sessions/:id/replay', (c) => {
    const id = sessionIdParam(c.req.param('id'))
    return c.json(runtime.replay(id))
  })

  app.post('/sessions/:id/:command', async (c) => {
    const id = sessionIdParam(c.req.param('id'))
    const command = c.req.param('command')
    const schema = AGENT_COMMAND_SCHEMAS[command as AgentCommandName]
    if (schema === undefined) {
      throw unknownName('command', command, Object.keys(AGENT_COMMAND_SCHEMAS))
    }
    const body = await jsonBody(c, schema)
    const session = runtime.command(id, agentInput(command as AgentCommandName, body))
    return c.json(summary(session))
  })

  app.get('/agents', (c) => c.json(runtime.roster.list().map(agentSummary)))

  app.post('/agents/:id/:command', async (c) => {
    const param = c.req.param('id')
    if (!/^[1-9]\d{0,8}$/.test(param)) {
      throw unknownName('id', param, ['a positive agent id (GET /_sim/agents lists the roster)'])
    }
    const command = c.req.param('command')
    if (!(PRESENCE_COMMANDS as readonly string[]).includes(command)) {
      throw unknownName('command', command, [...PRESENCE_COMMANDS])
    }
    const body = await jsonBody(c, PresenceRequestSchema)
    const agent = runtime.roster.command(
      Number(param),
      command as (typeof PRESENCE_COMMANDS)[number],
      body.reason,
    )
    return c.json(agentSummary(agent))
  })

  app.get('/clock', (c) =>
    c.json({
      mode: runtime.clock.mode,
      now: iso(runtime.clock.now()),
      scale: runtime.clock.scale,
      pendingTimers: runtime.clock.pending,
    }),
  )

  app.post('/clock', async (c) => {
    const body = await jsonBody(c, ClockRequestSchema)
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
    return c.json({
      mode: runtime.clock.mode,
      now: iso(runtime.clock.now()),
      scale: runtime.clock.scale,
      pendingTimers: runtime.clock.pending,
    })
  })

  app.post('/reset', async (c) => {
    await runtime.reset()
    return c.body(null, 204)
  })

  app.get('/journal', (c) => {
    const query = queryParams(c, JournalQuerySchema)
    return c.json(
      runtime.journal.read({
        ...(query.since === undefined ? {} : { since: Number(query.since) }),
        ...(query.limit === undefined ? {} : { limit: Math.min(5000, Number(query.limit)) }),
        ...(query.type === undefined ? {} : { type: query.type }),
      }),
    )
  })

  return app
}
