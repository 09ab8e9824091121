import { Hono } from 'hono'
import { z } from 'zod'
import { SimulatorError } from '../errors.js'
import { queryParams } from '../http/validate.js'
import type { Mailbox, MailboxMessage } from '../runtime/sinks.js'

const SESSION_HEADER = 'x-ccai-session-id'

/**
 * The mailbox itself. Mounted at `/mail`, `'/'` answers `/mail` only (Hono's strict paths); the
 * empty-segment pattern also answers `/mail/`, the address the docs and the console use.
 */
const ROOT = ['/', '/:root{$}']

const MailListQuerySchema = z.object({
  /** Only the mail of this session (its `X-CCAI-Session-Id` header). */
  session: z.string().regex(/^\d+$/, 'expected a session id (digits)').optional(),
})

/** A message in the list: everything but the raw source and the attachment contents. */
export interface MailboxSummary extends Omit<MailboxMessage, 'raw' | 'attachments'> {
  readonly sessionId: string | null
  readonly attachments: readonly Omit<MailboxMessage['attachments'][number], 'content'>[]
}

function header(message: MailboxMessage, name: string): string | undefined {
  const lower = name.toLowerCase()
  for (const [key, value] of Object.entries(message.headers)) {
    if (key.toLowerCase() === lower) return value
  }
  return undefined
}

function summaryOf(message: MailboxMessage): MailboxSummary {
  const { raw: _raw, attachments, ...rest } = message
  return {
    ...rest,
    sessionId: header(message, SESSION_HEADER) ?? null,
    attachments: attachments.map(({ content: _content, ...a }) => a),
  }
}

/** Text without a declared charset is served as UTF-8, which is how the mailbox keeps it. */
function withCharset(contentType: string): string {
  return contentType.startsWith('text/') && !/;\s*charset=/i.test(contentType)
    ? `${contentType}; charset=utf-8`
    : contentType
}

async function messageOrThrow(mailbox: Mailbox, id: string): Promise<MailboxMessage> {
  const message = await mailbox.get(id)
  if (!message) throw new SimulatorError('not_found', `no message with id "${id}" in the mailbox`)
  return message
}

/**
 * The built-in mailbox, read-only (plus clearing): `/mail/` lists the messages newest first, then
 * each message, its raw source and its attachments.
 */
export function mailRoutes(mailbox: Mailbox | undefined): Hono {
  const app = new Hono()

  if (!mailbox) {
    app.all('*', () => {
      throw new SimulatorError(
        'not_found',
        'there is no mailbox: mail goes to an external SMTP server; the mailbox at /mail exists only with the built-in SMTP server (email.smtp: "builtin")',
      )
    })
    return app
  }

  app.on('GET', ROOT, async (c) => {
    const query = queryParams(c, MailListQuerySchema)
    const messages = await mailbox.list()
    const selected =
      query.session === undefined
        ? messages
        : messages.filter((m) => header(m, SESSION_HEADER) === query.session)
    return c.json(selected.reverse().map(summaryOf))
  })

  app.on('DELETE', ROOT, async (c) => {
    await mailbox.clear()
    return c.body(null, 204)
  })

  app.get('/:id', async (c) => c.json(await messageOrThrow(mailbox, c.req.param('id'))))

  app.get('/:id/raw', async (c) => {
    const id = c.req.param('id')
    const message = await messageOrThrow(mailbox, id)
    if (message.raw === '') {
      throw new SimulatorError(
        'not_found',
        `message "${id}" has no raw source: it was stored in memory, not received over SMTP`,
      )
    }
    return c.body(message.raw, 200, { 'content-type': 'message/rfc822' })
  })

  app.get('/:id/attachments/:filename', async (c) => {
    const id = c.req.param('id')
    const filename = c.req.param('filename')
    const message = await messageOrThrow(mailbox, id)
    const attachment = message.attachments.find((a) => a.filename === filename)
    if (!attachment) {
      const names = message.attachments.map((a) => `"${a.filename}"`).join(', ')
      throw new SimulatorError(
        'not_found',
        `message "${id}" has no attachment "${filename}" (it has ${names === '' ? 'none' : names})`,
      )
    }
    return c.body(new TextEncoder().encode(attachment.content), 200, {
      'content-type': withCharset(attachment.contentType),
      'content-disposition': `inline; filename="${attachment.filename.replace(/["\\\r\n]/g, '_')}"`,
    })
  })

  return app
}
