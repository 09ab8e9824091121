import { createServer } from 'node:http'
import { getRequestListener } from '@hono/node-server'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { useNodeServers } from '../../test/support/node-server.js'
import { createLazyNodeWebSocket } from './lazy-node-ws.js'

const listen = useNodeServers()

/** A node:http server for a Hono app with an echo WebSocket at /ws; answers its base URL. */
async function start(): Promise<string> {
  const app = new Hono()
  const webSockets = createLazyNodeWebSocket({ app })
  app.get(
    '/ws',
    webSockets.upgradeWebSocket(() => ({
      onMessage: (event, ws) => {
        ws.send(`echo ${typeof event.data === 'string' ? event.data : 'binary'}`)
      },
    })),
    (c) => c.text('not a WebSocket request', 426),
  )
  app.get('/refused', (c) =>
    c.body('{"type":"invalid_request"}', 422, { 'content-type': 'application/problem+json' }),
  )
  // The simulator's Vitest files share one process per worker (isolate: false): the listener must
  // not replace the global Request and Response for the files after this one (see lazy-node-server.ts).
  const listener = getRequestListener(app.fetch, { overrideGlobalObjects: false })
  const running = createServer((request, response) => {
    void listener(request, response)
  })
  webSockets.injectWebSocket(running)
  return listen(running)
}

describe('createLazyNodeWebSocket', () => {
  it('passes a plain request to a WebSocket route on to the next handler', async () => {
    const host = await start()
    const response = await fetch(`http://${host}/ws`)
    expect(response.status).toBe(426)
    expect(await response.text()).toBe('not a WebSocket request')
  })

  it('opens a WebSocket on the first upgrade and carries messages both ways', async () => {
    const host = await start()
    const ws = new WebSocket(`ws://${host}/ws`)
    const reply = new Promise<string>((resolve, reject) => {
      ws.once('message', (data: Buffer) => {
        resolve(data.toString('utf8'))
      })
      ws.once('error', reject)
    })
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => {
        resolve()
      })
      ws.once('error', reject)
    })
    ws.send('hello')
    expect(await reply).toBe('echo hello')
    ws.close()
  })

  it('refuses an upgrade to a route without a WebSocket with that route’s status', async () => {
    const host = await start()
    const ws = new WebSocket(`ws://${host}/elsewhere`)
    const status = await new Promise<number>((resolve) => {
      ws.once('unexpected-response', (_request, response) => {
        resolve(response.statusCode ?? 0)
      })
      ws.once('error', () => {
        resolve(-1)
      })
    })
    expect(status).toBe(404)
  })

  it('refuses an upgrade with the route’s whole answer: status, content type and body', async () => {
    const host = await start()
    const ws = new WebSocket(`ws://${host}/refused`)
    const answer = await new Promise<{ status: number; type: string; body: string }>(
      (resolve, reject) => {
        ws.once('unexpected-response', (request, response) => {
          let body = ''
          response.setEncoding('utf8')
          response.on('data', (chunk: string) => (body += chunk))
          response.on('end', () => {
            request.destroy()
            resolve({
              status: response.statusCode ?? 0,
              type: response.headers['content-type'] ?? '',
              body,
            })
          })
        })
        ws.once('open', () => {
          reject(new Error('the socket opened'))
        })
      },
    )
    expect(answer).toEqual({
      status: 422,
      type: 'application/problem+json',
      body: '{"type":"invalid_request"}',
    })
  })
})
