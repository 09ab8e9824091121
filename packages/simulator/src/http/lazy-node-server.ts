import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http'
import type { getRequestListener } from '@hono/node-server'

type FetchCallback = (request: Request) => Response | Promise<Response>
type NodeServerListener = ReturnType<typeof getRequestListener>

/**
 * `@hono/node-server`'s request listener, loaded on the first request instead of at start-up: its
 * module reads the global `Request`, `Response` and `crypto` (on Node 20 that loads undici and
 * WebCrypto) and imports `http2` (and with it `tls`), which together cost about a tenth of
 * `ccai-sim serve`'s start-up and serve nothing before a request comes (issue "Performance",
 * start-up). Behaviour is `@hono/node-server`'s own once loaded (`serve` builds the same listener);
 * a request that comes while it loads waits for it (its body stays buffered in the socket), and
 * one that finds the load failed gets a 500 with an empty body, as `@hono/node-server` answers a
 * handler that throws.
 */
export function lazyRequestListener(fetch: FetchCallback, hostname: string): RequestListener {
  let listener: NodeServerListener | undefined
  let loading: Promise<NodeServerListener> | undefined
  const load = (): Promise<NodeServerListener> =>
    (loading ??= import('@hono/node-server').then(({ getRequestListener }) => {
      listener = getRequestListener(fetch, { hostname })
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
      () => {
        response.writeHead(500).end()
      },
    )
  }
}
