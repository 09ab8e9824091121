import { readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The example CRM page's folder (`packages/contract-tests/examples/crm-page`). */
export const EXAMPLE_PAGE_DIR = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'examples',
  'crm-page',
)

/** The adapter origin the example page uses by default. */
export const EXAMPLE_ADAPTER_ORIGIN = 'https://acme.uc1.ccaiplatform.com'

/** The example page's script, as written. */
export function exampleScript(): Promise<string> {
  return readFile(join(EXAMPLE_PAGE_DIR, 'crm-page.js'), 'utf8')
}

/** A served copy of the example page. */
export interface ServedPage {
  /** `http://127.0.0.1:<port>/index.html` */
  readonly url: string
  close(): Promise<void>
}

/**
 * Serves the example page on 127.0.0.1, port 0, with `script` in place of `crm-page.js` when given
 * (a broken variant). Everything else answers 404.
 */
export async function serveExamplePage(script?: string): Promise<ServedPage> {
  const html = await readFile(join(EXAMPLE_PAGE_DIR, 'index.html'), 'utf8')
  const js = script ?? (await exampleScript())
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    if (path === '/' || path === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      res.end(html)
    } else if (path === '/crm-page.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' })
      res.end(js)
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' })
      res.end('not found')
    }
  })
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve)
  })
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}/index.html`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (error) reject(error)
          else resolve()
        })
        server.closeAllConnections()
      }),
  }
}
