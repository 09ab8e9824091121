import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { CrmIntegrationSettings } from '@ccai-sim/schemas'
import {
  createMockCrmApp,
  defaultMockCrmSettings,
  FaultController,
  MockCrmStore,
  type MockCrmAuth,
  type MockCrmDialect,
} from '@ccai-sim/simulator'

/*
 * The simulator's mock CRM over real HTTP (port 0), optionally behind a breaker that changes one
 * behaviour: what the suite's own tests and the bench run the CRM suite against.
 */

/** Answers one request (the mock CRM's `fetch`). */
export type CrmHandler = (request: Request) => Promise<Response>

/** Changes one behaviour of the CRM: sees each request, may forward it, and shapes the answer. */
export type CrmBreaker = (request: Request, forward: CrmHandler) => Promise<Response>

export interface StartLocalCrmOptions {
  /** Only this dialect answers (default `generic`). */
  readonly dialect?: MockCrmDialect | undefined
  /** What the CRM checks; the settings carry the same credentials. Default `none`. */
  readonly auth?: MockCrmAuth | undefined
  readonly breaker?: CrmBreaker | undefined
  /**
   * Answers `DELETE /api/accounts/:id` and `/api/records/:id` (204 for an id the store has, else
   * 404) and remembers them, for the suite's `cleanup`; the mock CRM itself has no DELETE routes.
   */
  readonly deletable?: boolean | undefined
}

/** A running mock CRM. */
export interface LocalCrm {
  /** `http://127.0.0.1:<port>`: the mock CRM's mount point. */
  readonly url: string
  /** `defaultMockCrmSettings(url)` for the dialect and auth. */
  readonly settings: CrmIntegrationSettings
  readonly store: MockCrmStore
  readonly faults: FaultController
  /** The paths of the DELETE requests a `deletable` CRM accepted, in order. */
  deleted(): readonly string[]
  /** Stops listening and drops open connections; calling it again waits for the same close. */
  close(): Promise<void>
}

const BODYLESS = new Set(['GET', 'HEAD'])

async function toRequest(req: IncomingMessage): Promise<Request> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one)
  }
  const method = req.method ?? 'GET'
  return new Request(`http://${req.headers.host ?? '127.0.0.1'}${req.url ?? '/'}`, {
    method,
    headers,
    ...(BODYLESS.has(method) ? {} : { body: Buffer.concat(chunks) }),
  })
}

async function serve(input: {
  readonly req: IncomingMessage
  readonly res: ServerResponse
  readonly handle: CrmHandler
}): Promise<void> {
  const { req, res } = input
  try {
    const response = await input.handle(await toRequest(req))
    const bytes = Buffer.from(await response.arrayBuffer())
    const headers: Record<string, string> = {}
    response.headers.forEach((value, name) => {
      if (name !== 'content-length' && name !== 'transfer-encoding') headers[name] = value
    })
    headers['content-length'] = String(bytes.byteLength)
    res.writeHead(response.status, headers)
    res.end(bytes)
  } catch (error) {
    res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' })
    res.end(error instanceof Error ? error.message : String(error))
  }
}

/**
 * Starts the simulator's mock CRM (`createMockCrmApp`, an in-memory `MockCrmStore`, a
 * `FaultController`) on `127.0.0.1`, port 0, behind `breaker` when given.
 *
 * @example
 * const crm = await startLocalCrm({ dialect: 'espocrm', auth: { mode: 'api-key', header: 'X-Api-Key', value: key } })
 * const result = await runCrmSuite({ settings: crm.settings })
 * await crm.close()
 */
export async function startLocalCrm(options: StartLocalCrmOptions = {}): Promise<LocalCrm> {
  const dialect = options.dialect ?? 'generic'
  const auth = options.auth ?? { mode: 'none' }
  const store = new MockCrmStore({ now: () => Date.now() })
  const faults = new FaultController()
  const app = createMockCrmApp({ store, auth, dialect, faults, now: () => Date.now() })
  const deleted: string[] = []
  const remove = (path: string): boolean => {
    const match = /^\/api\/(accounts|records)\/([^/]+)$/.exec(path)
    if (!match?.[2]) return false
    const exists = match[1] === 'accounts' ? store.getAccount(match[2]) : store.getRecord(match[2])
    return exists !== undefined && !deleted.includes(path)
  }
  const forward: CrmHandler = async (request) => {
    const path = new URL(request.url).pathname
    if (options.deletable === true && request.method === 'DELETE') {
      if (!remove(path)) return new Response(null, { status: 404 })
      deleted.push(path)
      return new Response(null, { status: 204 })
    }
    return app.fetch(request)
  }
  const breaker = options.breaker
  const handle: CrmHandler =
    breaker === undefined ? forward : async (request) => breaker(request, forward)
  const server = createServer((req, res) => {
    void serve({ req, res, handle })
  })
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve)
  })
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  let closed: Promise<void> | undefined
  return {
    url,
    settings: defaultMockCrmSettings(url, { dialect, auth }),
    store,
    faults,
    deleted: () => [...deleted],
    async close() {
      closed ??= new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (error) reject(error)
          else resolve()
        })
        server.closeAllConnections()
      })
      return closed
    },
  }
}
