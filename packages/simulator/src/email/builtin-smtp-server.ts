import type { AddressInfo } from 'node:net'
import PostalMime, { type Address, type Email } from 'postal-mime'
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server'
import type { Mailbox, MailboxMessage } from '../runtime/sinks.js'

/** The simulator's own SMTP server and the mailbox it fills (shown at `/mail`). */
export interface BuiltinSmtpServer {
  /** The real port (the one picked when asked for 0). */
  readonly port: number
  readonly mailbox: Mailbox
  /** Stops accepting, drops lingering connections, and releases the port. */
  close(): Promise<void>
}

export interface BuiltinSmtpServerOptions {
  readonly host: string
  /** 0 picks a free port. */
  readonly port: number
  /** Largest accepted message in bytes (default 10 MiB); larger ones are refused with 552. */
  readonly maxMessageBytes?: number | undefined
  /** Messages kept; the oldest drop off first (default 1000). */
  readonly limit?: number | undefined
  /**
   * The time a message is stamped as received, epoch ms. Default: the message's own `Date` header
   * (the simulator's virtual send time), else the moment it arrived.
   */
  readonly now?: (() => number) | undefined
}

const DEFAULT_MAX_BYTES = 10 * 1024 * 1024
const DEFAULT_LIMIT = 1_000
/** How long `close()` lets a client finish before its connection is dropped. */
const CLOSE_GRACE_MS = 500

type Attachment = MailboxMessage['attachments'][number]

/** The received messages, oldest first, bounded. */
class MemoryMailbox implements Mailbox {
  private messages: MailboxMessage[] = []

  constructor(private readonly limit: number) {}

  add(message: MailboxMessage): void {
    this.messages.push(message)
    if (this.messages.length > this.limit)
      this.messages.splice(0, this.messages.length - this.limit)
  }

  list(): Promise<MailboxMessage[]> {
    return Promise.resolve([...this.messages])
  }

  get(id: string): Promise<MailboxMessage | undefined> {
    return Promise.resolve(this.messages.find((m) => m.id === id))
  }

  clear(): Promise<void> {
    this.messages = []
    return Promise.resolve()
  }
}

function formatAddress(address: Address): string[] {
  if (address.group) return address.group.flatMap(formatAddress)
  return [address.name ? `${address.name} <${address.address}>` : address.address]
}

/**
 * Header names are case-insensitive and senders rewrite them (nodemailer sends `X-CCAI-Session-Id` as
 * `X-Ccai-Session-ID`), so the simulator's own headers are shown spelt the way the simulator names them.
 */
function headerName(originalKey: string): string {
  const match = /^x-ccai-(.+)$/i.exec(originalKey)
  if (!match?.[1]) return originalKey
  const rest = match[1]
    .toLowerCase()
    .replace(/(^|-)([a-z])/g, (_all, dash: string, c: string) => `${dash}${c.toUpperCase()}`)
  return `X-CCAI-${rest}`
}

function headersOf(email: Email): Record<string, string> {
  const out: Record<string, string> = {}
  for (const header of email.headers) {
    const key = headerName(header.originalKey)
    // Repeated headers (Received, …) are kept together rather than the last one winning.
    const previous = out[key]
    out[key] = previous === undefined ? header.value : `${previous}\n${header.value}`
  }
  return out
}

function attachmentOf(attachment: Email['attachments'][number], index: number): Attachment {
  const bytes =
    typeof attachment.content === 'string'
      ? new TextEncoder().encode(attachment.content)
      : new Uint8Array(attachment.content)
  return {
    filename: attachment.filename ?? `attachment-${String(index + 1)}`,
    contentType: attachment.mimeType,
    size: bytes.byteLength,
    // The simulator only sends text attachments (TXT transcripts); they are kept as UTF-8 text.
    content: new TextDecoder().decode(bytes),
  }
}

function envelopeRecipients(session: SMTPServerSession): string[] {
  return session.envelope.rcptTo.map((r) => r.address)
}

function receivedAt(email: Email, now: (() => number) | undefined): string {
  if (now) return new Date(now()).toISOString()
  const stamped = email.date === undefined ? Number.NaN : Date.parse(email.date)
  // A message from an outside client without a usable Date has no virtual time to borrow.
  return new Date(Number.isNaN(stamped) ? Date.now() : stamped).toISOString()
}

function readStream(stream: SMTPServerDataStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    stream.on('data', (chunk: Buffer) => {
      // Past the size limit the rest is drained, not kept: the message will be refused anyway.
      if (!stream.sizeExceeded) chunks.push(chunk)
    })
    stream.once('end', () => {
      resolve(Buffer.concat(chunks))
    })
    stream.once('error', reject)
  })
}

function smtpError(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode })
}

/**
 * Starts the built-in SMTP server (no TLS, no authentication: a local sink, not a relay). Each
 * message is parsed into the in-memory mailbox that `/mail` shows.
 */
export async function startBuiltinSmtpServer(
  options: BuiltinSmtpServerOptions,
): Promise<BuiltinSmtpServer> {
  const maxBytes = options.maxMessageBytes ?? DEFAULT_MAX_BYTES
  const mailbox = new MemoryMailbox(options.limit ?? DEFAULT_LIMIT)
  let counter = 0

  const receive = async (
    stream: SMTPServerDataStream,
    session: SMTPServerSession,
  ): Promise<string> => {
    const raw = await readStream(stream)
    if (stream.sizeExceeded) {
      throw smtpError(`message exceeds the maximum size of ${String(maxBytes)} bytes`, 552)
    }
    let email: Email
    try {
      email = await PostalMime.parse(raw, { attachmentEncoding: 'arraybuffer' })
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error)
      throw smtpError(`message could not be parsed as MIME: ${detail}`, 554)
    }
    counter += 1
    const id = `m${String(counter)}`
    const headerTo = (email.to ?? []).flatMap(formatAddress)
    mailbox.add({
      id,
      receivedAt: receivedAt(email, options.now),
      from: email.from
        ? (formatAddress(email.from)[0] ?? '')
        : session.envelope.mailFrom
          ? session.envelope.mailFrom.address
          : '',
      to: headerTo.length > 0 ? headerTo : envelopeRecipients(session),
      subject: email.subject ?? '',
      text: email.text ?? '',
      headers: headersOf(email),
      attachments: email.attachments.map(attachmentOf),
      raw: raw.toString('utf8'),
    })
    return id
  }

  const server = new SMTPServer({
    name: 'ccai-sim',
    banner: 'ccai-sim built-in SMTP sink',
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    hideSTARTTLS: true,
    size: maxBytes,
    closeTimeout: CLOSE_GRACE_MS,
    // Never log to the console from library code.
    logger: false,
    onData(stream, session, callback) {
      receive(stream, session).then(
        (id) => {
          callback(null, `queued as ${id}`)
        },
        (error: unknown) => {
          callback(error instanceof Error ? error : new Error(String(error)))
        },
      )
    },
  })
  // A client's broken connection is the client's problem; without a listener it would crash the host.
  server.on('error', () => undefined)

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error): void => {
      reject(error)
    }
    server.server.once('error', onError)
    server.listen(options.port, options.host, () => {
      server.server.off('error', onError)
      resolve()
    })
  })
  const port = (server.server.address() as AddressInfo).port

  let closing: Promise<void> | undefined
  return {
    port,
    mailbox,
    close() {
      // Resolve on the listening socket's own close, not smtp-server's callback (which can fire
      // after the grace period while the port is still held): afterwards the port is free.
      closing ??= new Promise<void>((resolve) => {
        server.server.once('close', () => {
          resolve()
        })
        server.close()
      })
      return closing
    },
  }
}
