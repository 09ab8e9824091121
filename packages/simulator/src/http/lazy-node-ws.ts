import type { IncomingMessage, Server } from 'node:http'
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
  let loading: Promise<LoadedNodeWebSocket> | undefined
  const load = (): Promise<LoadedNodeWebSocket> =>
    (loading ??= import('@hono/node-ws').then(({ createNodeWebSocket }) => {
      const nodeWs = createNodeWebSocket(init)
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
