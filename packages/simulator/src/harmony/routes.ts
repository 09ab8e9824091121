import {
  HarmonyHttpSessionRequestSchema,
  HarmonyHttpStartSessionResponseSchema,
  HarmonyRequestSchema,
} from '@ccai-sim/schemas'
import type { Context, Hono } from 'hono'
import type { UpgradeWebSocket } from 'hono/ws'
import { z } from 'zod'
import { json, problems, route, routesApp } from '../http/declare-routes.js'
import { problem } from '../http/problem.js'
import { queryParams } from '../http/validate.js'
import type { HarmonyLink, HarmonyOutgoing, HarmonyPeer } from './peer.js'

/*
 * The Harmony peer on the simulator's HTTP port (mounted at /harmony):
 * - `GET /harmony/ws`: one JSON Session Resource message per WebSocket text frame, both ways (our
 *   transport: the documents name none over WebSocket, reference §4.1);
 * - the documented HTTP transport: `POST /harmony/sessions` (`startSession` / `endSession`),
 *   `POST /harmony/direct/processRequest?clientId=` for requests, and the polling service
 *   `GET /harmony/direct/poll?clientId=` handing out the responses and events queued since.
 */

interface HttpClient {
  readonly id: string
  readonly name: string
  readonly link: HarmonyLink
  readonly queue: HarmonyOutgoing[]
}

const ClientQuerySchema = z.object({
  clientId: z.string().min(1).describe('The id startSession returned'),
})

const PollResponseSchema = z
  .object({
    messages: z
      .array(z.record(z.string(), z.unknown()))
      .describe('Responses and object events, oldest first; each is handed out once'),
  })
  .meta({ id: 'HarmonyPollResponse' })

const AcceptedSchema = z
  .object({ pending: z.int().describe('Messages waiting for the next poll') })
  .meta({ id: 'HarmonyProcessRequestAccepted' })

function textOf(data: unknown): string {
  if (typeof data === 'string') return data
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8')
  if (ArrayBuffer.isView(data))
    return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8')
  return String(data)
}

/** A frame that is not JSON reaches the peer as its text: the peer answers the failure. */
function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

export function harmonyRoutes(
  peer: HarmonyPeer,
  upgradeWebSocket: UpgradeWebSocket | undefined,
): Hono {
  const clients = new Map<string, HttpClient>()
  let counter = 0

  const upgrade = upgradeWebSocket?.(() => {
    let link: HarmonyLink | undefined
    return {
      onOpen(_event, ws) {
        link = peer.connect({
          transport: 'ws',
          send: (message) => {
            ws.send(JSON.stringify(message))
          },
        })
      },
      onMessage(event) {
        link?.receive(parse(textOf(event.data)))
      },
      onClose() {
        link?.close()
      },
      onError() {
        link?.close()
      },
    }
  })

  const ws = async (c: Context): Promise<Response> => {
    if (!upgrade || c.req.header('upgrade')?.toLowerCase() !== 'websocket') {
      return problem(
        c,
        'upgrade_required',
        upgrade
          ? 'GET /harmony/ws needs a WebSocket upgrade (Upgrade: websocket); over plain HTTP use POST /harmony/sessions and /harmony/direct/*'
          : 'this host serves no WebSockets; use POST /harmony/sessions and /harmony/direct/*',
      )
    }
    const wsContext = c as Parameters<typeof upgrade>[0]
    const response = await upgrade(wsContext, () => Promise.resolve())
    return response ?? problem(c, 'upgrade_required', 'the WebSocket upgrade did not happen')
  }

  const clientOf = (c: Context): HttpClient | Response => {
    const { clientId } = queryParams(c, ClientQuerySchema)
    const client = clients.get(clientId)
    if (client) return client
    return problem(
      c,
      'not_found',
      `clientId: no HTTP client "${clientId}"; POST /harmony/sessions { "messageType": "startSession" } first`,
    )
  }

  return routesApp('harmony', [
    route({
      method: 'get',
      path: '/ws',
      summary: 'Harmony Session Resource over WebSocket',
      description:
        "Each text frame is one JSON message: prepareSession and Session Resource requests in, responses and objectEvent messages out (the simulator's transport; the documents name TCP and HTTP only).",
      responses: {
        101: { description: 'Switching protocols' },
        ...problems('upgrade_required'),
      },
      handler: ws,
    }),
    route({
      method: 'post',
      path: '/sessions',
      summary: 'Harmony HTTP transport: startSession / endSession',
      description:
        'startSession opens an HTTP client and answers its id (use it as clientId); endSession closes it (404 when unknown). The session resource itself is made by prepareSession, sent to processRequest.',
      request: { body: HarmonyHttpSessionRequestSchema },
      responses: {
        200: json(
          'startSession: the client id; endSession: {}',
          HarmonyHttpStartSessionResponseSchema,
        ),
        ...problems('invalid_request', 'not_found'),
      },
      handler: (c, { body }) => {
        if (body.messageType === 'endSession') {
          const id = body.client.id ?? ''
          const client = clients.get(id)
          if (!client) return problem(c, 'not_found', `client.id: no HTTP client "${id}"`)
          client.link.close()
          clients.delete(id)
          return c.json({})
        }
        counter += 1
        const wanted = body.client.id
        const id = wanted && !clients.has(wanted) ? wanted : `hc${String(counter)}`
        const queue: HarmonyOutgoing[] = []
        const link = peer.connect({ transport: 'http', send: (message) => queue.push(message) })
        clients.set(id, { id, name: body.client.name, link, queue })
        return c.json({ id })
      },
    }),
    route({
      method: 'post',
      path: '/direct/processRequest',
      summary: 'Harmony HTTP transport: one request (prepareSession or a Session Resource command)',
      description:
        'The answer only acknowledges: the response and its secondary events wait for GET /harmony/direct/poll.',
      request: {
        query: ClientQuerySchema,
        content: { 'application/json': HarmonyRequestSchema },
      },
      responses: {
        202: json('Accepted; read the outcome with the polling service', AcceptedSchema),
        ...problems('invalid_request', 'not_found'),
      },
      handler: async (c) => {
        const client = clientOf(c)
        if (client instanceof Response) return client
        const message = parse(await c.req.text())
        client.link.receive(message)
        return c.json({ pending: client.queue.length }, 202)
      },
    }),
    route({
      method: 'get',
      path: '/direct/poll',
      summary: 'Harmony HTTP transport: the polling service',
      description: 'Hands out the responses and events queued for the client since the last poll.',
      request: { query: ClientQuerySchema },
      responses: {
        200: json('The queued messages', PollResponseSchema),
        ...problems('invalid_request', 'not_found'),
      },
      handler: async (c) => {
        // Reconciles run after the runtime's publishing loop (a microtask): let them land first.
        await Promise.resolve()
        const client = clientOf(c)
        if (client instanceof Response) return client
        return c.json({ messages: client.queue.splice(0) })
      },
    }),
  ])
}
