import { createServer, Socket, type AddressInfo, type Server } from 'node:net'
import { checkContract } from '@ccai-sim/schemas'
import { Hono } from 'hono'
import { afterEach, describe, expect, it } from 'vitest'
import { createSimulatorApp } from '../app.js'
import { problemFromError } from '../http/problem.js'
import {
  MemoryMail,
  type Mailbox,
  type MailboxMessage,
  type OutgoingMail,
} from '../runtime/sinks.js'
import { startBuiltinSmtpServer, type BuiltinSmtpServer } from './builtin-smtp-server.js'
import { mailRoutes } from './routes.js'
import { SmtpMailTransport } from './smtp-transport.js'
import { planned } from '../../test/support/planned.js'

const HOST = '127.0.0.1'

/** Things to release after each test, last opened first. */
const cleanups: (() => Promise<void>)[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function startServer(
  options: Partial<Parameters<typeof startBuiltinSmtpServer>[0]> = {},
): Promise<BuiltinSmtpServer> {
  const server = await startBuiltinSmtpServer({ host: HOST, port: 0, ...options })
  cleanups.push(() => server.close())
  return server
}

function transportTo(port: number, timeoutMs?: number): SmtpMailTransport {
  const transport = new SmtpMailTransport({
    host: HOST,
    port,
    secure: false,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  })
  cleanups.push(() => transport.close())
  return transport
}

const TRANSCRIPT = [
  '2025-01-15 10:00:03 UTC  Virtual agent: Hi! How can I help?',
  '2025-01-15 10:00:09 UTC  Ana Ruiz: My parcel is late — order nº 4711 ✓',
  '',
].join('\n')

function outcomeMail(overrides: Partial<OutgoingMail> = {}): OutgoingMail {
  const metadata = { id: 123456, type: 'chat', status: 'finished', note: 'x'.repeat(300) }
  return {
    from: 'no-reply@ccaiplatform.com',
    to: 'crm-inbox@example.com',
    subject: 'Session outcome: chat 123456',
    date: '2025-01-15T10:30:00.000Z',
    text: JSON.stringify(metadata, null, 2),
    attachments: [
      {
        filename: 'chat-123456.txt',
        contentType: 'text/plain; charset=utf-8',
        content: TRANSCRIPT,
      },
    ],
    headers: { 'X-CCAI-Session-Id': '123456', 'X-CCAI-Session-Type': 'chat' },
    ...overrides,
  }
}

/** Polls until `read` returns a value, or fails at the deadline. */
async function eventually<T>(
  read: () => Promise<T | undefined>,
  what: string,
  ms = 5_000,
): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await read()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

async function only(mailbox: Mailbox): Promise<MailboxMessage> {
  const messages = await mailbox.list()
  expect(messages).toHaveLength(1)
  const [message] = messages
  if (!message) throw new Error('no message')
  return message
}

function mailApp(mailbox: Mailbox | undefined): Hono {
  const app = new Hono()
  app.onError((error, c) => problemFromError(c, error))
  app.route('/mail', mailRoutes(mailbox))
  return app
}

async function freePort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, HOST, resolve))
  const { port } = probe.address() as AddressInfo
  await new Promise<void>((resolve) => {
    probe.close(() => {
      resolve()
    })
  })
  return port
}

function connect(port: number): Promise<'connected' | 'refused'> {
  return new Promise((resolve, reject) => {
    const socket = new Socket()
    socket.once('connect', () => {
      socket.destroy()
      resolve('connected')
    })
    socket.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') resolve('refused')
      else reject(error)
    })
    socket.connect(port, HOST)
  })
}

describe('SmtpMailTransport and the built-in SMTP server', () => {
  it('delivers an outcome email over SMTP with its JSON body, TXT attachment and session headers', async () => {
    const server = await startServer()
    const mail = outcomeMail()

    const sent = await transportTo(server.port).send(mail)

    const message = await only(server.mailbox)
    expect(sent.messageId).toMatch(/^<.+@.+>$/)
    expect(message.id).toMatch(/^m\d+$/)
    expect(message.from).toBe('no-reply@ccaiplatform.com')
    expect(message.to).toEqual(['crm-inbox@example.com'])
    expect(message.subject).toBe('Session outcome: chat 123456')
    expect(JSON.parse(message.text)).toEqual(JSON.parse(mail.text))
    expect(message.headers['X-CCAI-Session-Id']).toBe('123456')
    expect(message.headers['X-CCAI-Session-Type']).toBe('chat')
    expect(message.headers['Message-ID']).toBe(sent.messageId)
    // The virtual send time, not the wall clock.
    expect(new Date(message.headers['Date'] ?? '').toISOString()).toBe(mail.date)
    expect(message.receivedAt).toBe(mail.date)
    expect(message.attachments).toHaveLength(1)
    const [attachment] = message.attachments
    expect(attachment?.filename).toBe('chat-123456.txt')
    expect(attachment?.contentType).toBe('text/plain')
    expect(attachment?.size).toBe(Buffer.byteLength(TRANSCRIPT))
    expect(Buffer.from(attachment?.content ?? '')).toEqual(Buffer.from(TRANSCRIPT))
    expect(message.raw).toMatch(/^X-CCAI-Session-Id: 123456\r?$/im)
    expect(message.raw).toContain('Subject: Session outcome: chat 123456')
  })

  it('sends a mail without attachments as a plain text message', async () => {
    const server = await startServer()

    await transportTo(server.port).send(outcomeMail({ attachments: [] }))

    const message = await only(server.mailbox)
    expect(message.attachments).toEqual([])
    expect(message.raw).not.toContain('multipart/mixed')
  })

  it('refuses a message over the size limit with a 552 and keeps nothing', async () => {
    const server = await startServer({ maxMessageBytes: 2_000 })

    const sending = transportTo(server.port).send(outcomeMail({ text: 'y'.repeat(10_000) }))

    await expect(sending).rejects.toThrow(/SMTP delivery to 127\.0\.0\.1:\d+ failed: .*552/)
    expect(await server.mailbox.list()).toEqual([])
  })

  it('keeps only the newest messages when the mailbox limit is reached', async () => {
    const server = await startServer({ limit: 2 })
    const transport = transportTo(server.port)

    for (const n of [1, 2, 3]) await transport.send(outcomeMail({ subject: `mail ${String(n)}` }))

    const messages = await server.mailbox.list()
    expect(messages.map((m) => m.subject)).toEqual(['mail 2', 'mail 3'])
    expect(messages.map((m) => m.id)).toEqual(['m2', 'm3'])
  })

  it('stamps messages with the given clock when one is passed', async () => {
    const server = await startServer({ now: () => Date.parse('2030-01-01T00:00:00Z') })

    await transportTo(server.port).send(outcomeMail())

    expect((await only(server.mailbox)).receivedAt).toBe('2030-01-01T00:00:00.000Z')
  })

  it('fails fast with a clear error when nothing listens on the port', async () => {
    const port = await freePort()

    // Fast: the first refusal is the answer (no retry loop), so the test's own timeout bounds it.
    const sending = transportTo(port).send(outcomeMail())

    await expect(sending).rejects.toThrow(
      new RegExp(`SMTP delivery to 127\\.0\\.0\\.1:${String(port)} failed: .*ECONNREFUSED`),
    )
  })

  it('gives up within the timeout when the server accepts but never greets', async () => {
    const silent: Server = createServer(() => undefined)
    const sockets = new Set<Socket>()
    silent.on('connection', (socket) => {
      sockets.add(socket)
    })
    await new Promise<void>((resolve) => silent.listen(0, HOST, resolve))
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          for (const socket of sockets) socket.destroy()
          silent.close(() => {
            resolve()
          })
        }),
    )
    const { port } = silent.address() as AddressInfo

    // The error names the greeting timeout: the transport gave up on its own, it did not hang
    // (a hang would end in the test's timeout; no wall-clock bound a busy machine could break).
    const sending = transportTo(port, 300).send(outcomeMail())

    await expect(sending).rejects.toThrow(
      /SMTP delivery to 127\.0\.0\.1:\d+ failed: .*(greeting|timeout)/i,
    )
  })

  it('refuses to send after the transport is closed', async () => {
    const server = await startServer()
    const transport = transportTo(server.port)
    await transport.close()

    await expect(transport.send(outcomeMail())).rejects.toThrow(/the transport is closed/)
  })

  it('releases its port on close so the port can be bound again', async () => {
    const first = await startBuiltinSmtpServer({ host: HOST, port: 0 })
    const { port } = first
    // A client that delivered and then went away (closing the pool) before the server closes.
    const transport = new SmtpMailTransport({ host: HOST, port, secure: false })
    await transport.send(outcomeMail())
    await transport.close()

    await first.close()

    expect(await connect(port)).toBe('refused')
    const second = await startServer({ port })
    expect(second.port).toBe(port)
  })

  it('closes even while a client keeps its connection open', async () => {
    const server = await startBuiltinSmtpServer({ host: HOST, port: 0 })
    // Deliberately left open: its pooled connection lingers until the server drops it.
    const transport = new SmtpMailTransport({ host: HOST, port: server.port, secure: false })
    cleanups.push(() => transport.close())
    await transport.send(outcomeMail())

    await server.close()

    expect(await connect(server.port)).toBe('refused')
  })

  it('rejects starting on a port that is already taken', async () => {
    const first = await startServer()

    await expect(startBuiltinSmtpServer({ host: HOST, port: first.port })).rejects.toThrow(
      /EADDRINUSE/,
    )
  })
})

describe('the /mail routes', () => {
  async function deliveredTo(): Promise<{ app: Hono; server: BuiltinSmtpServer }> {
    const server = await startServer()
    const transport = transportTo(server.port)
    await transport.send(outcomeMail())
    await transport.send(
      outcomeMail({
        subject: 'Session outcome: chat 777',
        headers: { 'X-CCAI-Session-Id': '777', 'X-CCAI-Session-Type': 'chat' },
        attachments: [{ filename: 'chat-777.txt', contentType: 'text/plain', content: 'hello\n' }],
      }),
    )
    return { app: mailApp(server.mailbox), server }
  }

  it('lists messages newest first, without raw source or attachment contents', async () => {
    const { app } = await deliveredTo()

    const response = await app.request('/mail/')

    expect(response.status).toBe(200)
    const list = (await response.json()) as Record<string, unknown>[]
    expect(list.map((m) => m['subject'])).toEqual([
      'Session outcome: chat 777',
      'Session outcome: chat 123456',
    ])
    expect(list.map((m) => m['sessionId'])).toEqual(['777', '123456'])
    for (const summary of list) {
      expect(summary).not.toHaveProperty('raw')
      for (const attachment of summary['attachments'] as Record<string, unknown>[]) {
        expect(attachment).not.toHaveProperty('content')
        expect(attachment).toHaveProperty('size')
      }
    }
  })

  it('answers at /mail without the trailing slash too', async () => {
    const { app } = await deliveredTo()

    const response = await app.request('/mail')

    expect(response.status).toBe(200)
    expect(await response.json()).toHaveLength(2)
  })

  it('filters the list by session id', async () => {
    const { app } = await deliveredTo()

    const list = (await (await app.request('/mail/?session=777')).json()) as { subject: string }[]
    const none = (await (await app.request('/mail/?session=1')).json()) as unknown[]

    expect(list.map((m) => m.subject)).toEqual(['Session outcome: chat 777'])
    expect(none).toEqual([])
  })

  it('answers invalid_request naming the field for a malformed session filter or an unknown parameter', async () => {
    const { app } = await deliveredTo()

    const bad = await app.request('/mail/?session=abc')
    const unknown = await app.request('/mail/?sesion=1')

    expect(bad.status).toBe(422)
    expect(bad.headers.get('content-type')).toBe('application/problem+json')
    expect(((await bad.json()) as { detail: string }).detail).toMatch(/session/)
    expect(unknown.status).toBe(422)
    expect(((await unknown.json()) as { detail: string }).detail).toMatch(/sesion/)
  })

  it('returns one message in full, with its raw source', async () => {
    const { app, server } = await deliveredTo()
    const [first] = await server.mailbox.list()

    const response = await app.request(`/mail/${first?.id ?? ''}`)

    expect(response.status).toBe(200)
    const message = (await response.json()) as MailboxMessage
    expect(message).toEqual(first)
    expect(JSON.parse(message.text)).toMatchObject({ id: 123456, status: 'finished' })
  })

  it('serves the raw source as message/rfc822', async () => {
    const { app, server } = await deliveredTo()
    const [first] = await server.mailbox.list()

    const response = await app.request(`/mail/${first?.id ?? ''}/raw`)

    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('message/rfc822')
    expect(await response.text()).toBe(first?.raw)
  })

  it('serves an attachment byte for byte with its content type', async () => {
    const { app, server } = await deliveredTo()
    const [first] = await server.mailbox.list()

    const response = await app.request(`/mail/${first?.id ?? ''}/attachments/chat-123456.txt`)

    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8')
    expect(response.headers.get('content-disposition')).toBe('inline; filename="chat-123456.txt"')
    expect(Buffer.from(await response.arrayBuffer())).toEqual(Buffer.from(TRANSCRIPT))
  })

  it('answers not_found naming the id for an unknown message on every message route', async () => {
    const { app } = await deliveredTo()

    for (const path of ['/mail/m999', '/mail/m999/raw', '/mail/m999/attachments/chat-1.txt']) {
      const response = await app.request(path)
      expect(response.status).toBe(404)
      expect(response.headers.get('content-type')).toBe('application/problem+json')
      const body = (await response.json()) as { type: string; detail: string }
      expect(body.type).toBe('not_found')
      expect(body.detail).toContain('"m999"')
    }
  })

  it('answers not_found listing the attachments a message has for an unknown file name', async () => {
    const { app, server } = await deliveredTo()
    const [first] = await server.mailbox.list()

    const response = await app.request(`/mail/${first?.id ?? ''}/attachments/nope.txt`)

    expect(response.status).toBe(404)
    const body = (await response.json()) as { detail: string }
    expect(body.detail).toContain('"nope.txt"')
    expect(body.detail).toContain('"chat-123456.txt"')
  })

  it('clears the mailbox on DELETE', async () => {
    const { app, server } = await deliveredTo()

    const response = await app.request('/mail/', { method: 'DELETE' })

    expect(response.status).toBe(204)
    expect(await server.mailbox.list()).toEqual([])
    expect(await (await app.request('/mail/')).json()).toEqual([])
  })

  it('answers not_found for a raw source the in-memory mail never had', async () => {
    const memory = new MemoryMail()
    const { messageId } = await memory.send(outcomeMail())

    const response = await mailApp(memory).request(`/mail/${messageId ?? ''}/raw`)

    expect(response.status).toBe(404)
    expect(((await response.json()) as { detail: string }).detail).toMatch(/no raw source/)
  })

  it('explains that there is no mailbox when mail goes to an external SMTP server', async () => {
    const app = mailApp(undefined)

    for (const [method, path] of [
      ['GET', '/mail/'],
      ['GET', '/mail'],
      ['GET', '/mail/m1'],
      ['GET', '/mail/m1/raw'],
      ['DELETE', '/mail/'],
    ] as const) {
      const response = await app.request(path, { method })
      expect(response.status).toBe(404)
      expect(response.headers.get('content-type')).toBe('application/problem+json')
      const body = (await response.json()) as { type: string; detail: string }
      expect(body.type).toBe('not_found')
      expect(body.detail).toMatch(/only with the built-in SMTP server/)
    }
  })
})

describe('outcome email end to end through the simulator', () => {
  async function simulatorWithSmtp(): Promise<{
    server: BuiltinSmtpServer
    simulator: ReturnType<typeof createSimulatorApp>
  }> {
    const server = await startServer()
    const simulator = createSimulatorApp({
      config: { clock: { mode: 'manual', start: '2025-01-15T10:00:00.000Z' } },
      mail: new SmtpMailTransport({ host: HOST, port: server.port, secure: false }),
      mailbox: server.mailbox,
    })
    cleanups.push(() => simulator.close())
    return { server, simulator }
  }

  it('sends exactly one outcome email for a finished chat, with its metadata JSON and TXT transcript', async () => {
    const { server, simulator } = await simulatorWithSmtp()
    const { runtime } = simulator

    const session = runtime.startSession({
      scenario: 'web-chat-va-escalation',
      seed: 1,
      params: { csat: true },
    })
    await runtime.advance(60 * 60_000)
    await runtime.settle()

    const messages = await eventually(async () => {
      const list = await server.mailbox.list()
      return list.length > 0 ? list : undefined
    }, 'the outcome email')
    const mine = messages.filter((m) => m.headers['X-CCAI-Session-Id'] === String(session.id))
    expect(mine).toHaveLength(1)
    expect(messages).toHaveLength(1)
    const [message] = mine
    if (!message) throw new Error('no message')
    expect(message.from).toBe('no-reply@ccaiplatform.com')
    expect(message.to).toEqual(['crm-inbox@example.com'])
    expect(message.headers['X-CCAI-Session-Type']).toBe(planned(session).story.kind)
    const check = checkContract('metadata.chat', JSON.parse(message.text), { mode: 'strict' })
    expect(check.ok ? [] : check.issues).toEqual([])
    expect(message.attachments).toHaveLength(1)
    const [attachment] = message.attachments
    expect(attachment?.filename).toBe(`chat-${String(session.id)}.txt`)
    expect(attachment?.contentType).toBe('text/plain')
    expect(attachment?.content.length).toBeGreaterThan(0)
    const sent = runtime.journal.read({ type: 'mail-sent' }).entries
    expect(sent).toHaveLength(1)
    expect(runtime.journal.read({ type: 'mail-failed' }).entries).toEqual([])

    const listed = (await (
      await simulator.app.request(`/mail/?session=${String(session.id)}`)
    ).json()) as unknown[]
    expect(listed).toHaveLength(1)
  })

  it('sends no outcome email for an abandoned call', async () => {
    const { server, simulator } = await simulatorWithSmtp()
    const { runtime } = simulator

    runtime.startSession({ scenario: 'inbound-call-abandoned', seed: 1 })
    await runtime.advance(60 * 60_000)
    await runtime.settle()

    expect(runtime.journal.read({ type: 'mail-sent' }).entries).toEqual([])
    expect(runtime.journal.read({ type: 'mail-failed' }).entries).toEqual([])
    expect(await server.mailbox.list()).toEqual([])
  })

  it('journals a clear mail-failed entry for each attempt while the SMTP server is gone, retrying with backoff under one key', async () => {
    const port = await freePort()
    const simulator = createSimulatorApp({
      config: { clock: { mode: 'manual', start: '2025-01-15T10:00:00.000Z' } },
      mail: new SmtpMailTransport({ host: HOST, port, secure: false }),
    })
    cleanups.push(() => simulator.close())
    const { runtime } = simulator

    runtime.startSession({ scenario: 'web-chat-va-escalation', seed: 1 })
    await runtime.advance(60 * 60_000)
    await runtime.settle()

    const failed = runtime.journal.read({ type: 'mail-failed', limit: 5_000 }).entries
    // Retried (email.retry: 500 ms doubling up to 30 s) for as long as the hour lasts, never sent.
    expect(failed.length).toBeGreaterThan(3)
    expect(runtime.journal.read({ type: 'mail-sent' }).entries).toEqual([])
    for (const [i, entry] of failed.entries()) {
      expect(entry).toMatchObject({
        error: expect.stringMatching(/SMTP delivery to .* failed: .*ECONNREFUSED/) as unknown,
        key: failed[0]?.type === 'mail-failed' ? failed[0].key : '',
        attempt: i + 1,
        outcome: 'failed',
      })
    }
    expect(
      failed.slice(0, 3).map((e) => (e.type === 'mail-failed' ? e.nextAttemptInMs : undefined)),
    ).toEqual([500, 1_000, 2_000])
  })
})
