import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerOptions,
  type ServerResponse,
} from 'node:http'
import type { CrmAnswer } from './core.js'
import { JSON_HEADERS, JSON_TYPE, rawHeader, sameHeaderName } from './core.js'
import type { MockCrmCore } from './dispatch.js'

/*
 * The mock CRM's GET routes answered straight from Node's request, below Hono: no WHATWG Request
 * or Response, no routing through the app (issue 18: Hono's dispatch and the adapter's objects
 * were a fifth of the find route's time). Only what the core answers exactly as the Hono route
 * would, byte for byte (fast-path.test.ts proves it), goes this way; everything else, and every
 * request while a fault rule is set, goes to the Hono listener as before.
 */

/**
 * Which ASCII characters may stand as they are: in the path, those the URL parser leaves alone
 * and Hono's router needs not decode (`[A-Za-z0-9_~/-]`); in the query, those the URL parser
 * leaves alone (its query percent-encode set excluded: `[A-Za-z0-9\-._~%+=&!$()*,;:@/?[\]]`).
 * One table, read in one pass over the target (two regular expressions and two slices before).
 */
const PATH_OK = 1
const QUERY_OK = 2
const PLAIN = new Uint8Array(128)
for (let ch = 0; ch < 128; ch++) {
  const c = String.fromCharCode(ch)
  if (/[A-Za-z0-9_~/-]/.test(c)) PLAIN[ch] = PATH_OK | QUERY_OK
  else if (/[.%+=&!$()*,;:@?[\]]/.test(c)) PLAIN[ch] = QUERY_OK
}

/**
 * Where the query of a request target starts (the index of its first `?`; the target's length
 * when it has none), looking from `from`; -1 when the path or the query holds a character that
 * needs the URL parser.
 */
export function plainTargetQuery(target: string, from: number): number {
  let i = from
  for (; i < target.length; i++) {
    const ch = target.charCodeAt(i)
    if (ch === 63 /* ? */) break
    if (ch >= 128 || ((PLAIN[ch] ?? 0) & PATH_OK) === 0) return -1
  }
  const query = i
  for (i++; i < target.length; i++) {
    const ch = target.charCodeAt(i)
    if (ch >= 128 || ((PLAIN[ch] ?? 0) & QUERY_OK) === 0) return -1
  }
  return query
}

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

/**
 * Whether a header sends the request to Hono: one for a body (`content-length`,
 * `transfer-encoding`), or something only Hono handles (`expect`, `upgrade`). By length first:
 * most names are none of these and cost one comparison.
 */
function honoHeader(name: string): boolean {
  switch (name.length) {
    case 6:
      return sameHeaderName(name, 'expect')
    case 7:
      return sameHeaderName(name, 'upgrade')
    case 14:
      return sameHeaderName(name, 'content-length')
    case 17:
      return sameHeaderName(name, 'transfer-encoding')
    default:
      return false
  }
}

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
  // `${mount}/…`
  if (target.charCodeAt(mount.length) !== 47 /* / */ || !target.startsWith(mount)) return undefined
  const raw = req.rawHeaders
  let host: string | undefined
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] ?? ''
    if (name.length === 4 && sameHeaderName(name, 'host')) {
      if (host !== undefined) return undefined
      host = raw[i + 1]
    } else if (honoHeader(name)) return undefined
  }
  if (host === undefined || !plainHost(host)) return undefined
  const q = plainTargetQuery(target, mount.length)
  if (q === -1) return undefined
  return core.dispatch({
    method: 'GET',
    path: target.slice(mount.length, q),
    url: `http://${host}${target}`,
    header: (name) => rawHeader(raw, name),
  })
}

/** The answer as `@hono/node-server` writes a Hono Response of the same status, headers and text. */
function write(res: ServerResponse, answer: CrmAnswer): void {
  const body = answer.body
  // The usual answer (JSON, no other header): its header list as the general case below makes it.
  if (answer.headers === JSON_HEADERS) {
    res.writeHead(answer.status, [
      'content-type',
      JSON_TYPE,
      'content-length',
      Buffer.byteLength(body),
    ])
    res.end(body)
    return
  }
  const names = Object.keys(answer.headers)
  // One header goes as it is; several go through a Headers object, which sorts them.
  if (names.length > 1) names.sort()
  const headers: Record<string, string | number> = {}
  for (const name of names) headers[name] = answer.headers[name] ?? ''
  headers['content-length'] = Buffer.byteLength(body)
  res.writeHead(answer.status, headers)
  res.end(body)
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
