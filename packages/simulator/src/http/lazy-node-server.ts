import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http'
import type { getRequestListener } from '@hono/node-server'
import { problemBody } from './problem.js'

type FetchCallback = (request: Request) => Response | Promise<Response>
type NodeServerListener = ReturnType<typeof getRequestListener>

/**
 * `@hono/node-server`'s request listener, loaded on the first request instead of at start-up: its
 * module reads the global `Request`, `Response` and `crypto` (on Node 20 that loads undici and
 * WebCrypto) and imports `http2` (and with it `tls`), which together cost about a tenth of
 * `ccai-sim serve`'s start-up and serve nothing before a request comes (issue "Performance",
 * start-up). Behaviour is `@hono/node-server`'s own once loaded (`serve` builds the same listener);
 * a request that comes while it loads waits for it (its body stays buffered in the socket), and
 * one that finds the load failed gets the `internal` problem+json naming why. `loadModule` is the
 * import, replaceable in tests.
 *
 * `overrideGlobalObjects: false`: by default `@hono/node-server` replaces the process's global
 * `Request` and `Response` with its own lighter classes. The simulator runs inside its users' test
 * processes (`startSimulator()` next to MSW handlers), where that broke other code: a `Response`
 * made by the replaced class wraps a real one and reports `type: 'default'`, so MSW's
 * `HttpResponse.error()` (the mock CRM handlers' `connection-reset` fault) became a status-0
 * answer instead of a failed fetch. A library does not patch its host's globals.
 */
export function lazyRequestListener(
  fetch: FetchCallback,
  hostname: string,
  loadModule: () => Promise<{ readonly getRequestListener: typeof getRequestListener }> = () =>
    import('@hono/node-server'),
): RequestListener {
  let listener: NodeServerListener | undefined
  let loading: Promise<NodeServerListener> | undefined
  const load = (): Promise<NodeServerListener> =>
    (loading ??= loadModule().then(({ getRequestListener }) => {
      listener = getRequestListener(fetch, { hostname, overrideGlobalObjects: false })
      return listener
    }))
  return (request: IncomingMessage, response: ServerResponse) => {
    if (listener !== undefined) {
      void listener(request, response)
      return
    }
    load().then(
      (loaded) => {
        void loaded(request, response)
      },
      (error: unknown) => {
        const body = problemBody(
          'internal',
          `the HTTP adapter (@hono/node-server) did not load: ${error instanceof Error ? error.message : String(error)}`,
          (request.url ?? '/').split('?')[0] ?? '/',
        )
        response
          .writeHead(body.status, { 'content-type': 'application/problem+json' })
          .end(JSON.stringify(body))
      },
    )
  }
}
