import { createServer } from 'node:http'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { useNodeServers } from '../../test/support/node-server.js'
import { lazyRequestListener } from './lazy-node-server.js'

const listen = useNodeServers()
/** The process's own classes, before any test here has served a request. */
const globals = { Request: globalThis.Request, Response: globalThis.Response }

/** A node:http server over the lazy listener of a small Hono app; answers its base URL. */
async function start(): Promise<string> {
  const app = new Hono()
  app.get('/hello', (c) => c.json({ hello: c.req.query('name') ?? 'world', host: c.req.url }))
  app.post('/echo', async (c) => c.text(`got ${await c.req.text()}`, 201))
  app.get('/fail', () => {
    throw new Error('handler failed')
  })
  app.onError((error, c) => c.text(error.message, 500))
  return `http://${await listen(createServer(lazyRequestListener(app.fetch, '127.0.0.1')))}`
}

describe('lazyRequestListener', () => {
  it('answers requests that arrive together while @hono/node-server loads, each with its own answer', async () => {
    const url = await start()
    const answers = await Promise.all(
      ['a', 'b', 'c'].map(async (name) => {
        const response = await fetch(`${url}/hello?name=${name}`)
        return { status: response.status, body: (await response.json()) as unknown }
      }),
    )
    expect(answers).toEqual(
      ['a', 'b', 'c'].map((name) => ({
        status: 200,
        body: { hello: name, host: `${url}/hello?name=${name}` },
      })),
    )
  })

  it('passes a request body to the app, on the first request and later ones', async () => {
    const url = await start()
    for (const text of ['first', 'second']) {
      const response = await fetch(`${url}/echo`, { method: 'POST', body: text })
      expect(response.status).toBe(201)
      expect(await response.text()).toBe(`got ${text}`)
    }
  })

  it("leaves the process's global Request and Response as they were once it has served", async () => {
    const url = await start()
    expect((await fetch(`${url}/hello`)).status).toBe(200)
    expect(globalThis.Request).toBe(globals.Request)
    expect(globalThis.Response).toBe(globals.Response)
  })

  it('answers what the app answers when a handler throws, and keeps serving', async () => {
    const url = await start()
    const failed = await fetch(`${url}/fail`)
    expect(failed.status).toBe(500)
    expect(await failed.text()).toBe('handler failed')
    const ok = await fetch(`${url}/hello`)
    expect(ok.status).toBe(200)
  })

  it('answers problem+json naming the failure when @hono/node-server does not load', async () => {
    const listener = lazyRequestListener(
      () => new Response('never'),
      '127.0.0.1',
      () => Promise.reject(new Error('Cannot find module @hono/node-server')),
    )
    const url = `http://${await listen(createServer(listener))}`
    const response = await fetch(`${url}/_sim/clock?x=1`)
    expect(response.status).toBe(500)
    expect(response.headers.get('content-type')).toBe('application/problem+json')
    expect(await response.json()).toMatchObject({
      type: 'internal',
      status: 500,
      instance: '/_sim/clock',
      detail:
        'the HTTP adapter (@hono/node-server) did not load: Cannot find module @hono/node-server',
    })
  })
})
