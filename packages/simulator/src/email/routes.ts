import type { Hono } from 'hono'
import { z } from 'zod'
import { SimulatorError } from '../errors.js'
import { empty, json, problems, route, routesApp } from '../http/declare-routes.js'
import type { Mailbox, MailboxMessage } from '../runtime/sinks.js'

const SESSION_HEADER = 'x-ccai-session-id'

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

const AttachmentSummarySchema = z.object({
  filename: z.string(),
  contentType: z.string(),
  size: z.int(),
})
const MailSummarySchema = z
  .object({
    id: z.string(),
    receivedAt: z.string(),
    from: z.string(),
    to: z.array(z.string()),
    subject: z.string(),
    text: z.string(),
    headers: z.record(z.string(), z.string()),
    /** The `X-CCAI-Session-Id` header: the session the mail is about. */
    sessionId: z.string().nullable(),
    attachments: z.array(AttachmentSummarySchema),
  })
  .meta({ id: 'MailSummary' })
const MailMessageSchema = z
  .object({
    id: z.string(),
    receivedAt: z.string(),
    from: z.string(),
    to: z.array(z.string()),
    subject: z.string(),
    text: z.string(),
    headers: z.record(z.string(), z.string()),
    attachments: z.array(AttachmentSummarySchema.extend({ content: z.string() })),
    /** The message exactly as it came over SMTP (empty when stored in memory). */
    raw: z.string(),
  })
  .meta({ id: 'MailMessage' })
const MessageParamsSchema = z.object({ id: z.string().describe('A message id') })

const NO_MAILBOX =
  'there is no mailbox: mail goes to an external SMTP server; the mailbox at /mail exists only with the built-in SMTP server (email.smtp: "builtin")'

/**
 * The built-in mailbox, read-only (plus clearing): `/mail/` lists the messages newest first, then
 * each message, its raw source and its attachments. Without a mailbox (an external SMTP server)
 * every route answers 404 saying so.
 */
export function mailRoutes(mailbox: Mailbox | undefined): Hono {
  const box = (): Mailbox => {
    if (!mailbox) throw new SimulatorError('not_found', NO_MAILBOX)
    return mailbox
  }
  return routesApp('mail', [
    route({
      method: 'get',
      path: '/',
      trailingSlash: true,
      summary: 'The messages, newest first (without raw sources and attachment contents)',
      description: 'Also at `/mail/`.',
      request: { query: MailListQuerySchema },
      responses: {
        200: json('Messages', z.array(MailSummarySchema)),
        ...problems('not_found', 'invalid_request'),
      },
      handler: async (c, { query }) => {
        const messages = await box().list()
        const selected =
          query.session === undefined
            ? messages
            : messages.filter((m) => header(m, SESSION_HEADER) === query.session)
        return c.json(selected.reverse().map(summaryOf))
      },
    }),
    route({
      method: 'delete',
      path: '/',
      trailingSlash: true,
      summary: 'Empty the mailbox',
      description: 'Also at `/mail/`.',
      responses: { 204: empty('Emptied'), ...problems('not_found') },
      handler: async (c) => {
        await box().clear()
        return c.body(null, 204)
      },
    }),
    route({
      method: 'get',
      path: '/:id',
      summary: 'One message, with its raw source and attachment contents',
      request: { params: MessageParamsSchema },
      responses: { 200: json('The message', MailMessageSchema), ...problems('not_found') },
      handler: async (c) => c.json(await messageOrThrow(box(), c.req.param('id') ?? '')),
    }),
    route({
      method: 'get',
      path: '/:id/raw',
      summary: 'The message as it came over SMTP',
      request: { params: MessageParamsSchema },
      responses: {
        200: { description: 'The raw message', content: { 'message/rfc822': { type: 'string' } } },
        ...problems('not_found'),
      },
      handler: async (c) => {
        const id = c.req.param('id') ?? ''
        const message = await messageOrThrow(box(), id)
        if (message.raw === '') {
          throw new SimulatorError(
            'not_found',
            `message "${id}" has no raw source: it was stored in memory, not received over SMTP`,
          )
        }
        return c.body(message.raw, 200, { 'content-type': 'message/rfc822' })
      },
    }),
    route({
      method: 'get',
      path: '/:id/attachments/:filename',
      summary: 'One attachment of a message, with its content type',
      request: {
        params: z.object({ id: z.string().describe('A message id'), filename: z.string() }),
      },
      responses: {
        200: {
          description: 'The attachment',
          content: { 'application/octet-stream': { type: 'string' } },
        },
        ...problems('not_found'),
      },
      handler: async (c) => {
        const id = c.req.param('id') ?? ''
        const filename = c.req.param('filename') ?? ''
        const message = await messageOrThrow(box(), id)
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
      },
    }),
  ])
}
