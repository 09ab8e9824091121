import { SCENARIOS } from '@ccai-sim/fixtures'
import type { Hono } from 'hono'
import { routePath } from 'hono/route'
import { z } from 'zod'
import { SimulatorError } from '../errors.js'
import { json, problems, route, routesApp } from '../http/declare-routes.js'
import { queryParams } from '../http/validate.js'
import type { SimulatorRuntime } from '../runtime/simulator-runtime.js'
import { adapterPageHtml } from './page.js'

/** The adapter page's query: `type` and `from` as the platform's adapter URL has them, plus `agent`. */
export const AdapterPageQuerySchema = z.object({
  type: z.enum(['call', 'chat']),
  /** The documented value for a custom CRM integration. */
  from: z.literal('custom'),
  agent: z
    .string()
    .regex(/^[1-9]\d{0,14}$/)
    .optional(),
  /** `1`: sessions started from the page are manual (`"agent": "manual"`): the agent's part waits for you. */
  manual: z.enum(['0', '1']).optional(),
})

/** What the page shows about a session (a small subset of `/_sim/sessions/:id`). */
export interface AdapterSessionInfo {
  readonly id: number
  readonly kind: 'call' | 'chat'
  readonly scenario: string
  readonly state: string
  readonly endUser: { readonly name: string; readonly phone: string; readonly email: string }
  readonly queue: { readonly id: number; readonly path: string }
}

const AdapterSessionInfoSchema = z
  .object({
    id: z.int(),
    kind: z.enum(['call', 'chat']),
    scenario: z.string(),
    state: z.string(),
    endUser: z.object({ name: z.string(), phone: z.string(), email: z.string() }),
    queue: z.object({ id: z.int(), path: z.string() }),
  })
  .meta({ id: 'AdapterSessionInfo' })

/** Where the page is: other paths under `/agent/` answer 404 with this hint. */
export function adapterPageHint(path: string): string | undefined {
  return path.startsWith('/agent/')
    ? 'the adapter page is /agent/?type=call|chat&from=custom'
    : undefined
}

/** A session an agent holds, as the page's agent controls need it (enable a button or not). */
export interface AdapterAgentSession {
  readonly id: number
  readonly kind: 'call' | 'chat'
  readonly scenario: string
  readonly agent: 'scripted' | 'manual'
  readonly phase: string
  /** The session rings for this agent: accept or decline. */
  readonly offered: boolean
  /** The agent is connected to it: hold, transfer, message, end. */
  readonly connected: boolean
  readonly onHold: boolean
  /** A transfer to this agent waits for them to join. */
  readonly transferToMe: boolean
  /** The session ended and this agent still has to finish wrap-up. */
  readonly wrapUp: boolean
  readonly ended: boolean
  readonly endUser: { readonly name: string }
  readonly queue: { readonly id: number; readonly path: string }
}

const AdapterAgentInfoSchema = z
  .object({
    id: z.int(),
    presence: z.string(),
    reason: z.string().nullable(),
    sessions: z.array(
      z.object({
        id: z.int(),
        kind: z.enum(['call', 'chat']),
        scenario: z.string(),
        agent: z.enum(['scripted', 'manual']),
        phase: z.string(),
        offered: z.boolean(),
        connected: z.boolean(),
        onHold: z.boolean(),
        transferToMe: z.boolean(),
        wrapUp: z.boolean(),
        ended: z.boolean(),
        endUser: z.object({ name: z.string() }),
        queue: z.object({ id: z.int(), path: z.string() }),
      }),
    ),
  })
  .meta({ id: 'AdapterAgentInfo' })

/** What the agent controls show about an agent: presence and the sessions they hold. */
export interface AdapterAgentInfo {
  readonly id: number
  readonly presence: string
  readonly reason: string | null
  readonly sessions: readonly AdapterAgentSession[]
}

/**
 * The agent adapter page (`/agent/?type=call|chat&from=custom[&agent=<id>]`), meant to be embedded as
 * an iframe in a CRM page: it posts each adapter and VTA event of its type to `window.parent` as a
 * JSON string. `/agent/sessions/:id` tells the page a session's kind, end user and queue.
 */
export function adapterRoutes(runtime: SimulatorRuntime): Hono {
  return routesApp('agent page', [
    route({
      method: 'get',
      path: '/sessions/:id',
      summary: 'What the page shows about a session: kind, end user, queue, state',
      request: { params: z.object({ id: z.string().describe('A session id') }) },
      responses: {
        200: json('The session, for the page', AdapterSessionInfoSchema),
        ...problems('unknown_session'),
      },
      handler: (c) => {
        const param = c.req.param('id') ?? ''
        const id = Number(param)
        const session = Number.isInteger(id) ? runtime.getSession(id) : undefined
        if (!session) throw new SimulatorError('unknown_session', `no session with id ${param}`)
        const { story } = session
        const info: AdapterSessionInfo = {
          id: session.id,
          kind: story.kind,
          scenario: session.scenario,
          state: session.state,
          endUser: {
            name: story.endUser.name,
            phone: story.endUser.phone,
            email: story.endUser.email,
          },
          queue: { id: story.queue.id, path: story.queue.path },
        }
        return c.json(info)
      },
    }),
    route({
      method: 'get',
      path: '/agents/:id',
      summary:
        "What the page's agent controls show about an agent: presence and the sessions they hold",
      description:
        'For each session the agent holds: what fits now (offered, connected, on hold, a transfer waiting for them, wrap-up). An agent the roster never saw is logged out.',
      request: { params: z.object({ id: z.string().describe('An agent id') }) },
      responses: {
        200: json('The agent, for the page', AdapterAgentInfoSchema),
        ...problems('not_found'),
      },
      handler: (c) => {
        const param = c.req.param('id') ?? ''
        if (!/^[1-9]\d{0,8}$/.test(param)) {
          throw new SimulatorError(
            'not_found',
            `id: expected a positive agent id, received "${param}"`,
          )
        }
        const agentId = Number(param)
        const agent = runtime.roster.get(agentId)
        const sessions: AdapterAgentSession[] = []
        for (const sessionId of agent?.state.sessions ?? []) {
          const session = runtime.getSession(sessionId)
          // Completed sessions are forgotten after a while (sessions.keepCompleted).
          if (!session) continue
          const { machine, story } = session
          sessions.push({
            id: session.id,
            kind: story.kind,
            scenario: session.scenario,
            agent: session.agent,
            phase: machine.phase,
            offered: machine.offeredTo === agentId,
            connected: machine.connected.includes(agentId),
            onHold: machine.onHold,
            transferToMe: machine.transfer?.to === agentId,
            wrapUp: machine.wrappingUp.includes(agentId),
            ended: machine.endedAt !== null,
            endUser: { name: story.endUser.name },
            queue: { id: story.queue.id, path: story.queue.path },
          })
        }
        const info: AdapterAgentInfo = {
          id: agentId,
          presence: agent?.state.presence ?? 'logged_out',
          reason: agent?.state.reason ?? null,
          sessions,
        }
        return c.json(info)
      },
    }),
    route({
      method: 'get',
      path: '/',
      trailingSlash: true,
      summary: 'The agent adapter page, to embed as an iframe',
      description:
        'Served at `/agent/` (its relative URLs resolve there); `/agent` redirects (308) to it with the same query. It posts each adapter and VTA event of its type to `window.parent`. Query: `type=call|chat&from=custom`, optional `agent=<id>`, `manual=1`; its agent controls post to `/_sim`.',
      request: { query: AdapterPageQuerySchema, validate: false },
      responses: {
        200: { description: 'The page', content: { 'text/html': { type: 'string' } } },
        308: {
          description: 'From `/agent` to `/agent/`',
          headers: {
            location: { description: '`/agent/` and the query', schema: { type: 'string' } },
          },
        },
        ...problems('invalid_request'),
      },
      handler: (c) => {
        // The mount point is not known here: the route pattern (`/agent` or `/agent/:slash{$}`) names it.
        const base = `${routePath(c).replace(/\/:slash\{\$\}$/, '')}/`
        const url = new URL(c.req.url)
        // The page resolves its relative URLs against `/agent/`, so the slash-less form redirects there.
        if (!c.req.path.endsWith('/')) return c.redirect(`${base}${url.search}`, 308)
        const query = queryParams(c, AdapterPageQuerySchema)
        const configured = runtime.config.adapter.agentId
        const agentId = query.agent === undefined ? configured : Number(query.agent)
        const agentSource =
          query.agent !== undefined ? 'query' : configured !== undefined ? 'config' : 'all'
        const events = new URLSearchParams({ surface: 'adapter,vta' })
        if (agentId !== undefined) events.set('agent', String(agentId))
        const html = adapterPageHtml({
          type: query.type,
          agentId,
          agentSource,
          eventsUrl: `../events?${events.toString()}`,
          sessionsUrl: 'sessions/',
          agentsUrl: 'agents/',
          controlUrl: '../_sim/',
          manual: query.manual === '1',
          // The page starts sessions of its own kind.
          scenarios: SCENARIOS.filter((s) => s.kind === query.type).map((s) => ({
            name: s.name,
            title: s.title,
          })),
        })
        return c.html(html, 200, { 'cache-control': 'no-store' })
      },
    }),
  ])
}
