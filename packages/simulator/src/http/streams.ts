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
  /**
   * Bytes a client may leave unread (SSE: written but not yet taken by the socket; WebSocket: the
   * socket's `bufferedAmount`) before it is dropped. Default `MAX_CLIENT_BUFFER_BYTES`.
   */
  readonly maxBufferBytes?: number | undefined
}

/** A client that does not read is dropped once this much waits for it (4 MiB: minutes of a busy run). */
export const MAX_CLIENT_BUFFER_BYTES = 4 * 1024 * 1024

export interface StreamRoutes {
  readonly app: Hono
  /** Ends every open stream (SSE and WebSocket): the host is shutting down. */
  closeAll(): void
}

interface NodeSocketBindings {
  readonly incoming?: { readonly socket?: { destroy?: () => void } }
}

/** The raw `ws` socket behind Hono's WebSocket context (`@hono/node-ws`), as far as we use it. */
interface RawWebSocket {
  readonly bufferedAmount?: number
  terminate?: () => void
}

/**
 * Live streams of every emission for headless consumers: `GET /events` (Server-Sent Events) and
 * `GET /ws` (WebSocket, when the host provides `upgradeWebSocket`), both filtered by `surface`,
 * `session` and `agent`. A client that stops reading is dropped once `maxBufferBytes` wait for it
 * (the simulator never buffers without bound for one client); `HEAD /events` answers the headers
 * and opens nothing.
 */
export function streamRoutes(
  runtime: SimulatorRuntime,
  upgradeWebSocket: UpgradeWebSocket | undefined,
  options: StreamRoutesOptions = {},
): StreamRoutes {
  const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS
  const maxBuffer = options.maxBufferBytes ?? MAX_CLIENT_BUFFER_BYTES
  /** How to end each open stream, for `closeAll`. */
  const open = new Set<() => void>()

  const events = (c: Context): Response => {
    const filter = streamFilterOf(c)
    // Hono answers HEAD with the GET handler and drops the body unread: a stream opened here would
    // never end. The headers are the answer.
    if (c.req.method === 'HEAD') {
      return c.body(null, 200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
    }
    const socket = (c.env as NodeSocketBindings | undefined)?.incoming?.socket
    return streamSSE(c, async (stream) => {
      let end: () => void = () => undefined
      const closed = new Promise<void>((resolve) => {
        end = resolve
        stream.onAbort(resolve)
      })
      /** Bytes handed to the stream that the client has not taken yet. */
      let unread = 0
      const drop = (): void => {
        end()
        stream.abort()
        // The client does not read: a polite end would wait behind everything it left unread.
        socket?.destroy?.()
      }
      const send = (text: string): void => {
        if (stream.aborted || stream.closed) return
        const bytes = Buffer.byteLength(text)
        if (unread + bytes > maxBuffer) {
          drop()
          return
        }
        unread += bytes
        void stream.write(text).then(() => {
          unread -= bytes
        })
      }
      // Subscribed before the first await: once the response starts, nothing emitted is missed.
      const unsubscribe = runtime.bus.subscribe(filter, (emission) => {
        send(
          `event: ${emission.surface}\ndata: ${JSON.stringify(streamMessageOf(emission))}\nid: ${emission.key}\n\n`,
        )
      })
      // Wall time on purpose: the keep-alive is for proxies, which live in real time.
      const heartbeat = setInterval(() => {
        send(': heartbeat\n\n')
      }, heartbeatMs)
      const closeThis = (): void => {
        end()
      }
      open.add(closeThis)
      try {
        send(': connected\n\n')
        await closed
      } finally {
        open.delete(closeThis)
        clearInterval(heartbeat)
        unsubscribe()
      }
    })
  }

  const upgrade = upgradeWebSocket?.((c) => {
    const filter = streamFilterOf(c)
    let unsubscribe: (() => void) | undefined
    let closeThis: (() => void) | undefined
    const stop = (): void => {
      unsubscribe?.()
      unsubscribe = undefined
      if (closeThis) open.delete(closeThis)
    }
    return {
      onOpen(_event, ws) {
        const raw = ws.raw as RawWebSocket | undefined
        closeThis = () => {
          stop()
          // 1001 "going away": the server is shutting down.
          ws.close(1001, 'the simulator is stopping')
          raw?.terminate?.()
        }
        open.add(closeThis)
        unsubscribe = runtime.bus.subscribe(filter, (emission) => {
          if ((raw?.bufferedAmount ?? 0) > maxBuffer) {
            // The client does not read: drop it rather than buffer without bound.
            stop()
            ws.close(1008, `the client left more than ${maxBuffer} bytes unread`)
            raw?.terminate?.()
            return
          }
          // A listener that throws would stop the bus for every other subscriber: drop this one instead.
          try {
            ws.send(JSON.stringify(streamMessageOf(emission)))
          } catch {
            stop()
          }
        })
      },
      onClose() {
        stop()
      },
      onError() {
        stop()
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

  const app = routesApp('streams', [
    route({
      method: 'get',
      path: '/events',
      summary: 'Server-Sent Events: every emission',
      description:
        'Each event is named by its surface, its id is the emission key, its data a StreamMessage (JSON). A comment line every 15 s keeps proxies from closing the stream. A client that leaves more than 4 MiB unread is disconnected. `HEAD /events` answers the headers and opens no stream.',
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
      description:
        'Each message is a StreamMessage (JSON). A client that leaves more than 4 MiB unread is closed (1008).',
      request: { query: StreamQuerySchema, validate: false },
      responses: {
        101: { description: 'Switching protocols' },
        ...problems('invalid_request', 'upgrade_required'),
      },
      handler: ws,
    }),
  ])
  return {
    app,
    closeAll() {
      for (const close of [...open]) close()
    },
  }
}
