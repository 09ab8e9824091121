import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import { startSimulator, type RunningSimulator } from '../server.js'
import { json, problems, route, routesApp, unmatchedRoute } from './declare-routes.js'
import { openApiDocument } from './openapi.js'

interface ProblemBody {
  type: string
  status: number
  detail: string
  instance: string
}

describe('unknown routes and methods on the real server', () => {
  let sim: RunningSimulator
  let dir: string

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ccai-sim-unmatched-'))
    sim = await startSimulator({
      config: {
        port: 0,
        clock: { mode: 'manual' },
        storage: { dir: join(dir, 'storage') },
        email: { enabled: false },
      },
    })
  })
  afterAll(async () => {
    await sim.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('answers an unknown route 404 problem+json naming the method and path', async () => {
    const response = await fetch(`${sim.url}/no/such/route?x=1`)
    expect(response.status).toBe(404)
    expect(response.headers.get('content-type')).toBe('application/problem+json')
    const body = (await response.json()) as ProblemBody
    expect(body).toMatchObject({
      type: 'not_found',
      status: 404,
      detail: 'no route for GET /no/such/route',
      instance: '/no/such/route',
    })
  })

  it('answers a known path with another method 405 problem+json with Allow', async () => {
    const response = await fetch(`${sim.url}/_sim/sessions/1`, { method: 'DELETE' })
    expect(response.status).toBe(405)
    expect(response.headers.get('content-type')).toBe('application/problem+json')
    expect(response.headers.get('allow')).toBe('GET, HEAD')
    const body = (await response.json()) as ProblemBody
    expect(body.type).toBe('method_not_allowed')
    expect(body.detail).toBe('DELETE is not allowed on /_sim/sessions/1; allowed: GET, HEAD')
    const clock = await fetch(`${sim.url}/_sim/clock`, { method: 'PUT', body: '{}' })
    expect(clock.status).toBe(405)
    expect(clock.headers.get('allow')).toBe('GET, POST, HEAD')
  })

  it('answers HEAD on a POST-only path 405 without a body, and HEAD on a GET route 200', async () => {
    const head = await fetch(`${sim.url}/_sim/reset`, { method: 'HEAD' })
    expect(head.status).toBe(405)
    expect(head.headers.get('allow')).toBe('POST')
    expect(await head.text()).toBe('')
    expect((await fetch(`${sim.url}/_sim/clock`, { method: 'HEAD' })).status).toBe(200)
  })

  it('keeps the hint for a wrong path under /agent/', async () => {
    const response = await fetch(`${sim.url}/agent/other`)
    expect(response.status).toBe(404)
    expect(((await response.json()) as ProblemBody).detail).toBe(
      'no route for GET /agent/other; the adapter page is /agent/?type=call|chat&from=custom',
    )
  })
})

describe('route()', () => {
  const Query = z.object({ n: z.string().regex(/^\d+$/).optional() })
  const Body = z.object({ name: z.string().min(1) })
  function app(): ReturnType<typeof routesApp> {
    const sub = routesApp('test', [
      route({
        method: 'get',
        path: '/',
        trailingSlash: true,
        summary: 'root',
        request: { query: Query },
        responses: { 200: json('n', z.object({ n: z.number() })), ...problems('invalid_request') },
        handler: (c, { query }) => c.json({ n: Number(query.n ?? 0) }),
      }),
      route({
        method: 'post',
        path: '/things',
        summary: 'create',
        request: { body: Body },
        responses: { 201: json('thing', Body), ...problems('invalid_request') },
        handler: (c, { body }) => c.json(body, 201),
      }),
    ])
    const root = routesApp('root', [])
    root.route('/t', sub)
    root.notFound(unmatchedRoute(root))
    return root
  }

  it('validates the query and a JSON body strictly, naming each field', async () => {
    const hono = app()
    expect(await (await hono.request('/t?n=4')).json()).toEqual({ n: 4 })
    const badQuery = await hono.request('/t?n=x&extra=1')
    expect(badQuery.status).toBe(422)
    const query = (await badQuery.json()) as { issues: { path: string }[] }
    expect(query.issues.map((i) => i.path).sort()).toEqual(['extra', 'n'])
    const badBody = await hono.request('/t/things', { method: 'POST', body: '{"name":""}' })
    expect(badBody.status).toBe(422)
    expect(badBody.headers.get('content-type')).toBe('application/problem+json')
    const body = (await badBody.json()) as { issues: { path: string }[] }
    expect(body.issues.map((i) => i.path)).toEqual(['name'])
    const created = await hono.request('/t/things', { method: 'POST', body: '{"name":"a"}' })
    expect(created.status).toBe(201)
  })

  it('refuses a body past the limits with payload_too_large or body_too_deep, and documents both on routes that read a body', async () => {
    const hono = app()
    const big = await hono.request('/t/things', {
      method: 'POST',
      body: JSON.stringify({ name: 'x'.repeat(2 << 20) }),
    })
    expect(big.status).toBe(413)
    expect(big.headers.get('content-type')).toBe('application/problem+json')
    expect(await big.json()).toMatchObject({ type: 'payload_too_large', status: 413 })
    const deep = await hono.request('/t/things', {
      method: 'POST',
      body: `${'['.repeat(100)}${']'.repeat(100)}`,
    })
    expect(deep.status).toBe(422)
    expect(await deep.json()).toMatchObject({ type: 'body_too_deep' })

    const create = route({
      method: 'post',
      path: '/things',
      summary: 'create',
      request: { body: z.object({ name: z.string() }) },
      responses: { 201: json('thing', z.object({})), ...problems('invalid_request') },
      handler: (c) => c.body(null, 201),
    })
    const read = route({
      method: 'get',
      path: '/things',
      summary: 'list',
      responses: { 200: json('things', z.object({})) },
      handler: (c) => c.json({}),
    })
    const responsesOf = (r: typeof create) =>
      r.operation['responses'] as Record<string, { description: string }>
    expect(responsesOf(create)['413']?.description).toBe('Problem: payload_too_large')
    expect(responsesOf(create)['422']?.description).toBe(
      'Problem: invalid_request or body_too_deep',
    )
    expect(Object.keys(responsesOf(read))).toEqual(['200'])
  })

  it('describes a route for the OpenAPI document on its first request, not when it is declared or answers', async () => {
    // Documenting a query parameter asks its schema whether it accepts undefined (required or not).
    const field = z.string().optional()
    const asked = vi.spyOn(field, 'safeParse')
    const declared = route({
      method: 'get',
      path: '/search',
      summary: 'search',
      request: { query: z.object({ q: field }), validate: false },
      responses: { 200: json('found', z.object({})) },
      handler: (c) => c.json({}),
    })
    const hono = routesApp('lazy', [declared])
    expect((await hono.request('/search?q=a')).status).toBe(200)
    expect(asked).not.toHaveBeenCalled()

    const document = await openApiDocument(hono)
    const paths = document['paths'] as Record<string, Record<string, Record<string, unknown>>>
    expect(paths['/search']?.['get']).toMatchObject({
      tags: ['lazy'],
      summary: 'search',
      parameters: [{ name: 'q', in: 'query', required: false, schema: { type: 'string' } }],
    })
    expect(asked).toHaveBeenCalledTimes(1)
    // Built once: the declaration and the document read the same operation.
    expect(declared.operation).toBe(declared.operation)
    expect(asked).toHaveBeenCalledTimes(1)
  })

  it('answers the trailing-slash alias with the same handler, and nothing else', async () => {
    const hono = app()
    expect(await (await hono.request('/t/?n=2')).json()).toEqual({ n: 2 })
    expect((await hono.request('/t//')).status).toBe(404)
    const wrong = await hono.request('/t/', { method: 'POST' })
    expect(wrong.status).toBe(405)
    expect(wrong.headers.get('allow')).toBe('GET, HEAD')
  })
})
