import type { Hono } from 'hono'
import { route, routesApp } from '../http/declare-routes.js'
import type { SimulatorRuntime } from '../runtime/simulator-runtime.js'
import { consoleClientScript } from './bundle.js'
import { CONSOLE_STYLE, consolePage } from './page.js'

async function sha256Base64(text: string): Promise<string> {
  // Web Crypto rather than node:crypto: the app stays a value any runtime can host.
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  let binary = ''
  for (const byte of new Uint8Array(digest)) binary += String.fromCharCode(byte)
  return btoa(binary)
}

let policy: Promise<string> | undefined

/**
 * The page's Content-Security-Policy: only its own inline script and style (by hash) run, and it
 * talks only to this origin, so a payload string that slipped into markup still could not execute.
 */
export function consoleContentSecurityPolicy(): Promise<string> {
  policy ??= consoleClientScript()
    .then((script) => Promise.all([sha256Base64(script), sha256Base64(CONSOLE_STYLE)]))
    .then(([script, style]) =>
      [
        "default-src 'none'",
        `script-src 'sha256-${script}'`,
        `style-src 'sha256-${style}'`,
        "connect-src 'self'",
        "img-src 'self' data:",
        // Recordings and videos from /storage play in the storage preview.
        "media-src 'self'",
        "frame-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
      ].join('; '),
    )
  return policy
}

/** The console at `/`: the simulator's front page (only `GET /`; every other path falls through). */
export function consoleRoutes(runtime: SimulatorRuntime): Hono {
  return routesApp('console', [
    route({
      method: 'get',
      path: '/',
      summary: 'The console: sessions, clock, journal and streams in a browser',
      responses: { 200: { description: 'The page', content: { 'text/html': { type: 'string' } } } },
      handler: async (c) =>
        c.html(
          consolePage({ clockMode: runtime.clock.mode, script: await consoleClientScript() }),
          200,
          {
            'content-security-policy': await consoleContentSecurityPolicy(),
            'cache-control': 'no-store',
            'x-content-type-options': 'nosniff',
          },
        ),
    }),
  ])
}
