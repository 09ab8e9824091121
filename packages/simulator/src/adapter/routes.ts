import { Hono } from 'hono'
import { routePath } from 'hono/route'
import { z } from 'zod'
import { SimulatorError } from '../errors.js'
import { problem } from '../http/problem.js'
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

/**
 * The agent adapter page (`/agent/?type=call|chat&from=custom[&agent=<id>]`), meant to be embedded as
 * an iframe in a CRM page: it posts each adapter and VTA event of its type to `window.parent` as a
 * JSON string. `/agent/sessions/:id` tells the page a session's kind, end user and queue.
 */
export function adapterRoutes(runtime: SimulatorRuntime): Hono {
  const app = new Hono()

  app.get('/sessions/:id', (c) => {
    const id = Number(c.req.param('id'))
    const session = Number.isInteger(id) ? runtime.getSession(id) : undefined
    if (!session)
      throw new SimulatorError('unknown_session', `no session with id ${c.req.param('id')}`)
    const { story } = session
    const info: AdapterSessionInfo = {
      id: session.id,
      kind: story.kind,
      scenario: session.scenario,
      state: session.state,
      endUser: { name: story.endUser.name, phone: story.endUser.phone, email: story.endUser.email },
      queue: { id: story.queue.id, path: story.queue.path },
    }
    return c.json(info)
  })

  app.get('/*', (c) => {
    // The mount point is not known here: the route pattern (`/agent/*`) names it.
    const base = routePath(c).replace(/\*$/, '')
    const url = new URL(c.req.url)
    // The page resolves its relative URLs against `/agent/`, so the slash-less form redirects there.
    if (c.req.path === base.replace(/\/$/, '')) return c.redirect(`${base}${url.search}`, 308)
    if (c.req.path !== base)
      return problem(
        c,
        'not_found',
        `no route for GET ${c.req.path}; the adapter page is ${base}?type=call|chat&from=custom`,
      )
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
    })
    return c.html(html, 200, { 'cache-control': 'no-store' })
  })

  return app
}
