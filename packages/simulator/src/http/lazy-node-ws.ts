import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http'
import type { Duplex } from 'node:stream'
import type { NodeWebSocket, NodeWebSocketInit } from '@hono/node-ws'
import { defineWebSocketHelper, type UpgradeWebSocket } from 'hono/ws'

type UpgradeListener = (request: IncomingMessage, socket: Duplex, head: Buffer) => void

interface LoadedNodeWebSocket {
  readonly nodeWs: NodeWebSocket
  readonly onUpgrade: UpgradeListener
}

export interface LazyNodeWebSocket {
  /** Hono's WebSocket helper; an upgrade request is answered by `@hono/node-ws`, loaded by then. */
  readonly upgradeWebSocket: UpgradeWebSocket
  /** Listens for HTTP upgrades on `server`; the first one loads `@hono/node-ws` and `ws`. */
  injectWebSocket(server: Server): void
}

/**
 * `@hono/node-ws`, loaded on the first WebSocket upgrade instead of at start-up: it loads `ws`,
 * which costs about a tenth of `ccai-sim serve`'s start-up and serves nothing until a client opens
 * `/ws` or `/harmony/ws` (issue "Performance", start-up). Behaviour is `@hono/node-ws`'s own: its
 * upgrade listener and helper do the work once loaded; until then a plain request to a WebSocket
 * route passes on as it did, and an upgrade waits for the load.
 */
export function createLazyNodeWebSocket(init: NodeWebSocketInit): LazyNodeWebSocket {
  // `@hono/node-ws` answers a refused upgrade with the status line alone (`Content-Length: 0`): the
  // route's answer, kept here per request, is written in its place, so a refused `/ws` (a bad
  // filter) is problem+json like every other refusal.
  const refusals = new WeakMap<IncomingMessage, string>()
  const app = {
    request: async (...args: Parameters<NodeWebSocketInit['app']['request']>) => {
      const response = await init.app.request(...args)
      const incoming = (args[2] as { incoming?: unknown } | undefined)?.incoming
      if (response.status >= 300 && incoming !== undefined) {
        const body = Buffer.from(await response.clone().arrayBuffer())
        const lines = [`HTTP/1.1 ${String(response.status)} ${STATUS_CODES[response.status] ?? ''}`]
        for (const [name, value] of response.headers) {
          if (!/^(connection|content-length|transfer-encoding)$/i.test(name))
            lines.push(`${name}: ${value}`)
        }
        lines.push('Connection: close', `Content-Length: ${String(body.byteLength)}`)
        refusals.set(
          incoming as IncomingMessage,
          `${lines.join('\r\n')}\r\n\r\n${body.toString('latin1')}`,
        )
      }
      return response
    },
  } as unknown as NodeWebSocketInit['app']
  let loading: Promise<LoadedNodeWebSocket> | undefined
  const load = (): Promise<LoadedNodeWebSocket> =>
    (loading ??= import('@hono/node-ws').then(({ createNodeWebSocket }) => {
      const nodeWs = createNodeWebSocket({ ...init, app })
      let onUpgrade: UpgradeListener | undefined
      // `injectWebSocket` only adds its `upgrade` listener: capture it to call from ours.
      nodeWs.injectWebSocket({
        on: (event: string, listener: UpgradeListener) => {
          if (event === 'upgrade') onUpgrade = listener
        },
      } as unknown as Server)
      if (onUpgrade === undefined) throw new Error('@hono/node-ws added no upgrade listener')
      return { nodeWs, onUpgrade }
    }))
  return {
    upgradeWebSocket: defineWebSocketHelper(async (c, events, options) => {
      // What `@hono/node-ws` checks first: anything else is not its request (the route goes on).
      if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') return undefined
      const { nodeWs } = await load()
      return nodeWs.upgradeWebSocket(c, events, options as { onError: (err: unknown) => void })
    }),
    injectWebSocket(server) {
      server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
        load().then(
          ({ onUpgrade }) => {
            const end = socket.end.bind(socket)
            // Only the refusal's own `end` is replaced: the socket gets its `end` back at once.
            socket.end = ((...args: Parameters<Duplex['end']>) => {
              socket.end = end
              const refusal = refusals.get(request)
              refusals.delete(request)
              return refusal !== undefined && typeof args[0] === 'string'
                ? end(refusal, 'latin1')
                : end(...args)
            }) as Duplex['end']
            onUpgrade(request, socket, head)
          },
          () => {
            socket.destroy()
          },
        )
      })
    },
  }
}
