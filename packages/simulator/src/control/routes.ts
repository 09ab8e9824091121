import { SCENARIOS } from '@ccai-sim/fixtures'
import { Hono } from 'hono'
import { SimulatorError } from '../errors.js'
import { jsonBody, queryParams } from '../http/validate.js'
import type { LiveSession, SimulatorRuntime } from '../runtime/simulator-runtime.js'
import {
  ClockRequestSchema,
  JournalQuerySchema,
  StartSessionRequestSchema,
  type SessionSummary,
} from './schemas.js'

function summary(session: LiveSession): SessionSummary {
  return {
    id: session.id,
    scenario: session.scenario,
    seed: session.seed,
    kind: session.projection.story.kind,
    state: session.state,
    startedAt: new Date(session.startedAt).toISOString(),
    delivered: session.delivered,
    total: session.total,
  }
}

function iso(at: number): string {
  return new Date(at).toISOString()
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
    const session = runtime.startSession(body)
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
    const { story, emissions, files } = session.projection
    const now = runtime.clock.now()
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
      timeline: story.steps.map((step) => ({ ...step, at: iso(step.at) })),
      emissions: emissions.map((e) => ({
        at: iso(e.at),
        surface: e.surface,
        contract: e.contract,
        key: e.key,
        ...(e.agentId === undefined ? {} : { agentId: e.agentId }),
        published: e.at <= now,
        payload: e.payload,
      })),
      files: files.map((f) => ({
        at: iso(f.at),
        path: f.path,
        contentType: f.contentType,
        contract: f.contract ?? null,
        written: f.at <= now,
      })),
    })
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
    if (body.advanceMs !== undefined) runtime.clock.advance(body.advanceMs)
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
      runtime.clock.set(at)
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
