import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerOptions,
  type ServerResponse,
} from 'node:http'
import type { CrmAnswer } from './core.js'
import { rawHeader } from './core.js'
import type { MockCrmCore } from './dispatch.js'

/*
 * The mock CRM's GET routes answered straight from Node's request, below Hono: no WHATWG Request
 * or Response, no routing through the app (issue 18: Hono's dispatch and the adapter's objects
 * were a fifth of the find route's time). Only what the core answers exactly as the Hono route
 * would, byte for byte (fast-path.test.ts proves it), goes this way; everything else, and every
 * request while a fault rule is set, goes to the Hono listener as before.
 */

/** Path characters the URL parser leaves as they are and Hono's router needs not decode. */
const PLAIN_PATH = /^[A-Za-z0-9_~/-]*$/
/** Query characters the URL parser leaves as they are (its query percent-encode set excluded). */
const PLAIN_QUERY = /^[A-Za-z0-9\-._~%+=&!$()*,;:@/?[\]]*$/

/** Host headers already checked: `new URL` keeps them as sent (no case, port or IP rewriting). */
const plainHosts = new Map<string, boolean>()

function plainHost(host: string): boolean {
  let plain = plainHosts.get(host)
  if (plain === undefined) {
    try {
      const url = new URL(`http://${host}/`)
      plain = url.host === host && url.hostname.length > 0
    } catch {
      plain = false
    }
    if (plainHosts.size >= 100) plainHosts.clear()
    plainHosts.set(host, plain)
  }
  return plain
}

/** Headers whose presence sends a request to Hono: a body, or something only it handles. */
const HONO_HEADERS = new Set(['content-length', 'transfer-encoding', 'expect', 'upgrade'])

/**
 * A `node:http` request listener that answers the mock CRM's GET API routes under `mount`
 * (`/crm` in the simulator, `''` for a mock CRM served alone) through `core`, and hands every
 * other request to `next` (the `@hono/node-server` listener).
 */
export function mockCrmFastPath(options: {
  readonly core: MockCrmCore
  readonly mount: string
  readonly next: (req: IncomingMessage, res: ServerResponse) => unknown
}): (req: IncomingMessage, res: ServerResponse) => void {
  const { core, next } = options
  const mount = options.mount.replace(/\/+$/, '')
  return (req, res) => {
    const answer = req.method === 'GET' && core.ready ? tryCore(core, mount, req) : undefined
    if (answer === undefined) {
      void next(req, res)
      return
    }
    if (answer instanceof Promise) {
      answer.then(
        (a) => {
          write(res, a)
        },
        () => {
          res.destroy()
        },
      )
      return
    }
    write(res, answer)
  }
}

function tryCore(
  core: MockCrmCore,
  mount: string,
  req: IncomingMessage,
): CrmAnswer | Promise<CrmAnswer> | undefined {
  const target = req.url ?? ''
  if (!target.startsWith(`${mount}/`)) return undefined
  const raw = req.rawHeaders
  let host: string | undefined
  for (let i = 0; i < raw.length; i += 2) {
    const name = (raw[i] ?? '').toLowerCase()
    if (HONO_HEADERS.has(name)) return undefined
    if (name === 'host') {
      if (host !== undefined) return undefined
      host = raw[i + 1]
    }
  }
  if (host === undefined || !plainHost(host)) return undefined
  const q = target.indexOf('?')
  const path = target.slice(mount.length, q === -1 ? undefined : q)
  if (!PLAIN_PATH.test(path)) return undefined
  if (q !== -1 && !PLAIN_QUERY.test(target.slice(q + 1))) return undefined
  return core.dispatch({
    method: 'GET',
    path,
    url: `http://${host}${target}`,
    header: (name) => rawHeader(raw, name),
  })
}

/** The answer as `@hono/node-server` writes a Hono Response of the same status, headers and text. */
function write(res: ServerResponse, answer: CrmAnswer): void {
  const names = Object.keys(answer.headers)
  // One header goes as it is; several go through a Headers object, which sorts them.
  if (names.length > 1) names.sort()
  const headers: Record<string, string | number> = {}
  for (const name of names) headers[name] = answer.headers[name] ?? ''
  headers['Content-Length'] = Buffer.byteLength(answer.body)
  res.writeHead(answer.status, headers)
  res.end(answer.body)
}

/**
 * `createServer` for `@hono/node-server`'s `serve` (its `createServer` option): a `node:http`
 * server whose listener tries the mock CRM's fast path before the adapter's own.
 */
export function fastPathServer(options: {
  readonly core: MockCrmCore
  readonly mount: string
}): typeof createServer {
  const make = (serverOptions: ServerOptions, listener: RequestListener): Server =>
    createServer(
      serverOptions,
      mockCrmFastPath({
        core: options.core,
        mount: options.mount,
        next: (req, res) => {
          listener(req, res)
        },
      }),
    )
  return make as typeof createServer
}
