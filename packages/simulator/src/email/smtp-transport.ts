import nodemailer from 'nodemailer'
import type { Transporter } from 'nodemailer'
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js'
import { SimulatorError } from '../errors.js'
import type { MailTransport, OutgoingMail } from '../runtime/sinks.js'

/** Where outcome emails go: the configuration's SMTP server shape, plus an optional timeout. */
export interface SmtpMailTransportOptions {
  readonly host: string
  readonly port: number
  /** Implicit TLS (port 465 style); otherwise STARTTLS is used when the server offers it. */
  readonly secure: boolean
  readonly user?: string | undefined
  readonly pass?: string | undefined
  /**
   * Connecting and waiting for the greeting each give up after this long (default 5 s); an idle or
   * stalled socket after three times as long. A dead server then fails a send in seconds.
   */
  readonly timeoutMs?: number | undefined
}

const DEFAULT_TIMEOUT_MS = 5_000

function describeSmtpError(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const code = (error as { code?: unknown }).code
  const response = (error as { response?: unknown }).response
  const parts = [error.message]
  if (typeof code === 'string' && !error.message.includes(code)) parts.push(`(${code})`)
  if (typeof response === 'string' && !error.message.includes(response)) {
    parts.push(`server said: ${response}`)
  }
  return parts.join(' ')
}

/**
 * Sends mail over real SMTP with nodemailer (a small connection pool): the JSON text body, the TXT
 * attachments, the session headers and the virtual `Date`.
 */
export class SmtpMailTransport implements MailTransport {
  private readonly transporter: Transporter<SMTPPool.SentMessageInfo, SMTPPool.Options>
  private readonly target: string
  private closed = false

  constructor(options: SmtpMailTransportOptions) {
    const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
    this.target = `${options.host}:${String(options.port)}`
    this.transporter = nodemailer.createTransport({
      pool: true,
      maxConnections: 3,
      host: options.host,
      port: options.port,
      secure: options.secure,
      ...(options.user === undefined
        ? {}
        : { auth: { user: options.user, pass: options.pass ?? '' } }),
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout * 3,
      dnsTimeout: timeout,
      // Never log to the console from library code.
      logger: false,
      debug: false,
    })
  }

  async send(mail: OutgoingMail): Promise<{ messageId?: string }> {
    if (this.closed) {
      throw new SimulatorError(
        'internal',
        `SMTP delivery to ${this.target} failed: the transport is closed`,
      )
    }
    try {
      const info = await this.transporter.sendMail({
        from: mail.from,
        to: mail.to,
        subject: mail.subject,
        // The virtual send time, not the wall clock: the mail's Date lines up with every other surface.
        date: new Date(mail.date),
        text: mail.text,
        headers: { ...mail.headers },
        attachments: mail.attachments.map((a) => ({
          filename: a.filename,
          contentType: a.contentType,
          content: a.content,
        })),
      })
      return typeof info.messageId === 'string' ? { messageId: info.messageId } : {}
    } catch (error) {
      throw new SimulatorError(
        'internal',
        `SMTP delivery to ${this.target} failed: ${describeSmtpError(error)}`,
        { cause: error },
      )
    }
  }

  close(): Promise<void> {
    this.closed = true
    this.transporter.close()
    return Promise.resolve()
  }
}
