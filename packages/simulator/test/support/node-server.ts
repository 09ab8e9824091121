import { serve } from '@hono/node-server'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach } from 'vitest'

/**
 * For a test file that runs its own `node:http` servers: returns `listen(server)`, which binds the
 * server to port 0 on 127.0.0.1 and answers its `host:port`; after each test every server it
 * listened is closed, open connections (and upgraded sockets' servers) cut.
 */
export function useNodeServers(): (server: Server) => Promise<string> {
  const servers: Server[] = []
  afterEach(async () => {
    const running = servers.splice(0)
    await Promise.all(
      running.map(
        (server) =>
          new Promise<void>((done) => {
            server.closeAllConnections()
            server.close(() => {
              done()
            })
          }),
      ),
    )
  })
  return async (server) => {
    servers.push(server)
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening))
    return `127.0.0.1:${String((server.address() as AddressInfo).port)}`
  }
}

/**
 * Serves `app` with `@hono/node-server` on 127.0.0.1, port 0, for a test that needs real HTTP.
 * Not with the adapter's global Request and Response (`overrideGlobalObjects`): a worker's test
 * files share the globals (isolate: false), and the simulator's host doesn't replace them either.
 * `close` cuts open connections.
 */
export function serveHono(app: {
  fetch: (request: Request) => Response | Promise<Response>
}): Promise<{ url: string; port: number; close: () => Promise<void> }> {
  return new Promise((resolve) => {
    const server = serve(
      { fetch: app.fetch, port: 0, hostname: '127.0.0.1', overrideGlobalObjects: false },
      (info) => {
        resolve({
          url: `http://127.0.0.1:${String(info.port)}`,
          port: info.port,
          close: () =>
            new Promise<void>((done) => {
              server.close(() => {
                done()
              })
              if ('closeAllConnections' in server) server.closeAllConnections()
            }),
        })
      },
    )
  })
}
