import { createServer, type IncomingMessage, type Server } from 'node:http'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import type { Page } from 'playwright-core'

/** Polls `check` until it returns a value other than undefined/false, or fails at the deadline. */
export async function until<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last = ''
  for (;;) {
    try {
      const value = await check()
      if (value !== undefined && value !== false) return value
    } catch (error) {
      last = error instanceof Error ? error.message : JSON.stringify(error)
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last === '' ? '' : `: ${last}`}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** Moves the simulator's manual clock (and waits until everything due has run). */
export async function advance(url: string, ms: number): Promise<void> {
  const response = await fetch(`${url}/_sim/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ advanceMs: ms }),
  })
  if (!response.ok) throw new Error(`advancing the clock: HTTP ${String(response.status)}`)
}

export interface AxeViolation {
  readonly id: string
  readonly impact: string | null
  readonly help: string
  readonly nodes: readonly { readonly target: readonly string[] }[]
}

/**
 * Runs axe-core in the page (its source injected, so the page's CSP does not apply) and returns
 * the serious and critical violations of WCAG 2 A/AA.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  const require = createRequire(import.meta.url)
  const source = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8')
  await page.evaluate(source)
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run: (context: Document, options: unknown) => Promise<{ violations: AxeViolation[] }>
        }
      }
    ).axe
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    })
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }))
  })
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
}

/** A webhook receiver on a free port: it acknowledges every POST and remembers it. */
export async function webhookReceiver(): Promise<{
  url: string
  received: { headers: IncomingMessage['headers']; body: string }[]
  /** While true, every request is answered 500 and not recorded (a receiver that is down). */
  down: { value: boolean }
  close: () => Promise<void>
}> {
  const received: { headers: IncomingMessage['headers']; body: string }[] = []
  const down = { value: false }
  const server: Server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8')
    })
    req.on('end', () => {
      if (down.value) {
        res.writeHead(500).end('down')
        return
      }
      received.push({ headers: req.headers, body })
      res.writeHead(204).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${String(port)}/hook`,
    received,
    down,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => {
          resolve()
        })
      }),
  }
}
