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
