import { createConfig, lintFromString } from '@redocly/openapi-core'
import { Document, Spectral } from '@stoplight/spectral-core'
import parsers from '@stoplight/spectral-parsers'
import { oas } from '@stoplight/spectral-rulesets'
import type { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { createSimulatorApp, type SimulatorAppOptions } from '../app.js'
import { SIMULATOR_ERROR_CODES } from '../errors.js'

type Json = Record<string, unknown>
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']

/**
 * A Hono route path as the document writes it: `:id` and `:path{.+}` are `{id}`, `{path}`; a
 * trailing-slash alias (`/x/`, `/x/:slash{$}`) is `/x` (declare-routes.ts: `trailingSlash`).
 */
function documentPath(honoPath: string): string {
  const path = honoPath.replace(/\/:\w+\{\$\}$/, '/').replace(/:(\w+)(\{[^}]*\})?/g, '{$1}')
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path
}

function realRoutes(app: Hono): string[] {
  const routes = app.routes
    .filter((r) => r.method !== 'ALL')
    .map((r) => `${r.method} ${documentPath(r.path)}`)
  return [...new Set(routes)].sort()
}

function documentedRoutes(document: Json): string[] {
  const paths = document['paths'] as Record<string, Json>
  return Object.entries(paths)
    .flatMap(([path, item]) =>
      Object.keys(item)
        .filter((key) => METHODS.includes(key))
        .map((method) => `${method.toUpperCase()} ${path}`),
    )
    .sort()
}

async function documentOf(
  options: SimulatorAppOptions = {},
): Promise<{ app: Hono; document: Json }> {
  const sim = createSimulatorApp({
    ...options,
    config: { clock: { mode: 'manual' }, ...options.config },
  })
  const response = await sim.app.request('/openapi.json')
  expect(response.status).toBe(200)
  const document = (await response.json()) as Json
  await sim.close()
  return { app: sim.app, document }
}

describe('/openapi.json lists exactly the routes the app has', () => {
  it.each([
    ['the default app', {}],
    [
      'the generic dialect only, without a mailbox',
      {
        config: { crm: { mock: { dialect: 'generic' } } },
        mail: { send: () => Promise.resolve() },
      },
    ],
  ] as const)('for %s', async (_name, options) => {
    const { app, document } = await documentOf(options as SimulatorAppOptions)
    const real = realRoutes(app)
    const documented = documentedRoutes(document)
    // Both ways: a route registered without a declaration, and a declaration no route serves.
    expect(
      real.filter((r) => !documented.includes(r)),
      'routes missing from /openapi.json',
    ).toEqual([])
    expect(
      documented.filter((r) => !real.includes(r)),
      'documented but not served',
    ).toEqual([])
    expect(real.length).toBeGreaterThan(40)
  })

  it('fails for a route registered without a declaration', async () => {
    const sim = createSimulatorApp({ config: { clock: { mode: 'manual' } } })
    sim.app.get('/_sim/undeclared', (c) => c.text('x'))
    const document = (await (await sim.app.request('/openapi.json')).json()) as Json
    const documented = documentedRoutes(document)
    expect(realRoutes(sim.app).filter((r) => !documented.includes(r))).toEqual([
      'GET /_sim/undeclared',
    ])
    await sim.close()
  })

  it('gives every operation a schema for each JSON response, and problem+json for each 4xx/5xx', async () => {
    const { document } = await documentOf()
    const paths = document['paths'] as Record<string, Record<string, Json>>
    for (const [path, item] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const responses = operation['responses'] as Record<string, Json>
        expect(Object.keys(responses).length, `${method} ${path}`).toBeGreaterThan(0)
        for (const [status, response] of Object.entries(responses)) {
          const where = `${method} ${path} ${status}`
          expect(typeof response['description'], where).toBe('string')
          const content = (response['content'] ?? {}) as Record<string, Json>
          for (const media of Object.values(content)) expect(media['schema'], where).toBeDefined()
          if (/^[45]\d\d$/.test(status)) {
            // The emulated wire formats are the exceptions: OAuth 2.0 (RFC 6749 §5.2) and the
            // Apps API's `{ message }` (reference §7.1).
            const emulated = path.startsWith('/crm/oauth/') || path.startsWith('/apps/api/v1/')
            expect(Object.keys(content), where).toEqual([
              emulated ? 'application/json' : 'application/problem+json',
            ])
          }
        }
      }
    }
  })

  it("types problems' `type` as the closed list of error codes", async () => {
    const { document } = await documentOf()
    const schemas = (document['components'] as Json)['schemas'] as Record<string, Json>
    const problem = schemas['Problem']!
    const type = (problem['properties'] as Record<string, Json>)['type']!
    expect(type['enum']).toEqual(Object.keys(SIMULATOR_ERROR_CODES))
    expect(problem['required']).toEqual(expect.arrayContaining(['type', 'title', 'status']))
  })
})

describe('/openapi.json passes the linters', () => {
  it('has no Redocly error (recommended rules)', { timeout: 60_000 }, async () => {
    const { document } = await documentOf()
    const config = await createConfig({ extends: ['recommended'] })
    const problems = await lintFromString({
      source: JSON.stringify(document, null, 2),
      absoluteRef: '/openapi.json',
      config,
    })
    const errors = problems
      .filter((p) => p.severity === 'error')
      .map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? '?'}`)
    expect(errors).toEqual([])
  })

  it('has no Spectral error (spectral:oas)', { timeout: 60_000 }, async () => {
    const { document } = await documentOf()
    const spectral = new Spectral()
    spectral.setRuleset({ extends: [[oas, 'recommended']] } as Parameters<
      Spectral['setRuleset']
    >[0])
    const results = await spectral.run(
      new Document(JSON.stringify(document, null, 2), parsers.Json, '/openapi.json'),
    )
    // Severity 0 is an error (1 warn, 2 info, 3 hint).
    const errors = results
      .filter((r) => (r.severity as number) === 0)
      .map((r) => `${String(r.code)}: ${r.message} at ${r.path.join('.')}`)
    expect(errors).toEqual([])
  })
})
