import type { Emission } from '@ccai-sim/fixtures'
import type { Context, Hono } from 'hono'
import { streamSSE } from 'hono/streaming'
import type { UpgradeWebSocket } from 'hono/ws'
import { z } from 'zod'
import type { EmissionFilter } from '../runtime/bus.js'
import type { SimulatorRuntime } from '../runtime/simulator-runtime.js'
import { problems, route, routesApp } from './declare-routes.js'
import { problem } from './problem.js'
import { queryParams } from './validate.js'

/** The surfaces a stream can carry: the ones the runner publishes as emissions. */
export const STREAM_SURFACES = ['adapter', 'vta', 'qm', 'metadata', 'transcript', 'email'] as const

/** Wall-clock interval of the SSE keep-alive comment; proxies drop idle streams after ~30–60 s. */
export const HEARTBEAT_MS = 15_000

const ID_TEXT = /^[1-9]\d{0,14}$/

/** The filters of `/events` and `/ws` (query strings; every one optional). */
export const StreamQuerySchema = z.object({
  surface: z
    .string()
    .refine(
      (value) =>
        value.split(',').every((s) => (STREAM_SURFACES as readonly string[]).includes(s.trim())),
      `a comma-separated list of ${STREAM_SURFACES.join(', ')}`,
    )
    .optional(),
  session: z.string().regex(ID_TEXT).optional(),
  agent: z.string().regex(ID_TEXT).optional(),
})

/** One emission as the streams send it (the SSE `data` and each WebSocket message, as JSON). */
export interface StreamMessage {
  readonly at: string
  readonly surface: string
  readonly contract: string
  readonly sessionId: number
  readonly agentId?: number
  readonly key: string
  readonly payload: unknown
}

/** The wire form of an emission on `/events` and `/ws`. */
export function streamMessageOf(emission: Emission): StreamMessage {
  return {
    at: new Date(emission.at).toISOString(),
    surface: emission.surface,
    contract: emission.contract,
    sessionId: emission.sessionId,
    ...(emission.agentId === undefined ? {} : { agentId: emission.agentId }),
    key: emission.key,
    payload: emission.payload,
  }
}

/** Reads and validates the stream filters of a request (`invalid_request` names the parameter). */
export function streamFilterOf(c: Context): EmissionFilter {
  const query = queryParams(c, StreamQuerySchema)
  return {
    ...(query.surface === undefined
      ? {}
      : { surfaces: query.surface.split(',').map((s) => s.trim()) }),
    ...(query.session === undefined ? {} : { sessionId: Number(query.session) }),
    ...(query.agent === undefined ? {} : { agentId: Number(query.agent) }),
  }
}

export interface StreamRoutesOptions {
  /** Wall milliseconds between SSE keep-alive comments (default `HEARTBEAT_MS`). */
  readonly heartbeatMs?: number | undefined
}

/**
 * Live streams of every emission for headless consumers: `GET /events` (Server-Sent Events) and
 * `GET /ws` (WebSocket, when the host provides `upgradeWebSocket`), both filtered by `surface`,
 * `session` and `agent`.
 */
export function streamRoutes(
  runtime: SimulatorRuntime,
  upgradeWebSocket: UpgradeWebSocket | undefined,
  options: StreamRoutesOptions = {},
): Hono {
  const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS

  const events = (c: Context): Response => {
    const filter = streamFilterOf(c)
    return streamSSE(c, async (stream) => {
      const closed = new Promise<void>((resolve) => {
        stream.onAbort(resolve)
      })
      // Subscribed before the first await: once the response starts, nothing emitted is missed.
      const unsubscribe = runtime.bus.subscribe(filter, (emission) => {
        void stream.writeSSE({
          event: emission.surface,
          id: emission.key,
          data: JSON.stringify(streamMessageOf(emission)),
        })
      })
      // Wall time on purpose: the keep-alive is for proxies, which live in real time.
      const heartbeat = setInterval(() => {
        void stream.write(': heartbeat\n\n')
      }, heartbeatMs)
      try {
        await stream.write(': connected\n\n')
        await closed
      } finally {
        clearInterval(heartbeat)
        unsubscribe()
      }
    })
  }

  const upgrade = upgradeWebSocket?.((c) => {
    const filter = streamFilterOf(c)
    let unsubscribe: (() => void) | undefined
    return {
      onOpen(_event, ws) {
        unsubscribe = runtime.bus.subscribe(filter, (emission) => {
          // A listener that throws would stop the bus for every other subscriber: drop this one instead.
          try {
            ws.send(JSON.stringify(streamMessageOf(emission)))
          } catch {
            unsubscribe?.()
            unsubscribe = undefined
          }
        })
      },
      onClose() {
        unsubscribe?.()
        unsubscribe = undefined
      },
      onError() {
        unsubscribe?.()
        unsubscribe = undefined
      },
    }
  })

  const ws = async (c: Context): Promise<Response> => {
    // Validate before upgrading, so a bad filter is an HTTP error and not a socket that stays silent.
    streamFilterOf(c)
    if (!upgrade) {
      return problem(
        c,
        'upgrade_required',
        'this host serves no WebSocket streams; read GET /events (Server-Sent Events) instead',
      )
    }
    if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') {
      return problem(
        c,
        'upgrade_required',
        'GET /ws needs a WebSocket upgrade (Upgrade: websocket); for plain HTTP read GET /events',
      )
    }
    // The upgrade middleware's context type only adds the `ws` output format; `next` is never
    // called once the Upgrade header was checked above.
    const wsContext = c as Parameters<typeof upgrade>[0]
    const response = await upgrade(wsContext, () => Promise.resolve())
    return response ?? problem(c, 'upgrade_required', 'the WebSocket upgrade did not happen')
  }

  return routesApp('streams', [
    route({
      method: 'get',
      path: '/events',
      summary: 'Server-Sent Events: every emission',
      description:
        'Each event is named by its surface, its id is the emission key, its data a StreamMessage (JSON). A comment line every 15 s keeps proxies from closing the stream.',
      request: { query: StreamQuerySchema, validate: false },
      responses: {
        200: {
          description: 'An event stream',
          content: {
            'text/event-stream': { type: 'string', description: 'data: a StreamMessage' },
          },
        },
        ...problems('invalid_request'),
      },
      handler: events,
    }),
    route({
      method: 'get',
      path: '/ws',
      summary: 'WebSocket: every emission (same filters as /events)',
      description: 'Each message is a StreamMessage (JSON).',
      request: { query: StreamQuerySchema, validate: false },
      responses: {
        101: { description: 'Switching protocols' },
        ...problems('invalid_request', 'upgrade_required'),
      },
      handler: ws,
    }),
  ])
}
