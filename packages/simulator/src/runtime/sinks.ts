import { storageFileByteLength, type StorageFile } from '@ccai-sim/fixtures'

/** Where storage files go: a local folder by default, memory in the pure app. */
export interface StorageSink {
  write(file: StorageFile): Promise<void>
  /** Every stored path, relative to the storage root, sorted. */
  list(): Promise<StoredFileInfo[]>
  read(path: string): Promise<Uint8Array | undefined>
  clear(): Promise<void>
}

export interface StoredFileInfo {
  readonly path: string
  readonly bytes: number
  readonly contentType: string
}

/** An email the simulator sends (the session outcome email). */
export interface OutgoingMail {
  readonly from: string
  readonly to: string
  readonly subject: string
  /** Virtual send time, ISO 8601. */
  readonly date: string
  readonly text: string
  readonly attachments: readonly {
    readonly filename: string
    readonly contentType: string
    readonly content: string
  }[]
  /** Headers that tie the mail to its session. */
  readonly headers: Readonly<Record<string, string>>
}

/** Sends mail: over SMTP in the real host, into memory in the pure app. */
export interface MailTransport {
  send(mail: OutgoingMail): Promise<{ messageId?: string }>
  close?(): Promise<void>
}

/** A received message as the mailbox shows it. */
export interface MailboxMessage {
  readonly id: string
  readonly receivedAt: string
  readonly from: string
  readonly to: readonly string[]
  readonly subject: string
  readonly text: string
  readonly headers: Readonly<Record<string, string>>
  readonly attachments: readonly {
    readonly filename: string
    readonly contentType: string
    readonly size: number
    readonly content: string
  }[]
  /** The message exactly as it came over SMTP. */
  readonly raw: string
}

/** The built-in inbox (`/mail/…`): what the built-in SMTP server received. */
export interface Mailbox {
  list(): Promise<MailboxMessage[]>
  get(id: string): Promise<MailboxMessage | undefined>
  clear(): Promise<void>
}

/**
 * In-memory storage: the pure app's default, and the fastest sink for benchmarks. It keeps each
 * file as it came: a recording (whose bytes the fixtures make when read, the same bytes each time)
 * stays a few hundred bytes of options instead of ~1 KB per second of call, and text stays text.
 */
export class MemoryStorageSink implements StorageSink {
  private readonly files = new Map<string, StorageFile>()

  write(file: StorageFile): Promise<void> {
    // The size is counted when listed, not per write (a text file's count is a pass over it).
    this.files.set(file.path, file)
    return Promise.resolve()
  }

  list(): Promise<StoredFileInfo[]> {
    return Promise.resolve(
      [...this.files.entries()]
        .map(([path, file]) => ({
          path,
          bytes: storageFileByteLength(file),
          contentType: file.contentType,
        }))
        .sort((a, b) => a.path.localeCompare(b.path)),
    )
  }

  read(path: string): Promise<Uint8Array | undefined> {
    const content = this.files.get(path)?.content
    return Promise.resolve(
      typeof content === 'string' ? new TextEncoder().encode(content) : content,
    )
  }

  clear(): Promise<void> {
    this.files.clear()
    return Promise.resolve()
  }
}

/** Messages the in-memory mail keeps (the oldest go first), like the built-in SMTP mailbox. */
const MEMORY_MAIL_LIMIT = 1_000

/** In-memory mail: sending stores the message in the mailbox directly (no SMTP); bounded. */
export class MemoryMail implements MailTransport, Mailbox {
  private readonly messages: MailboxMessage[] = []
  private counter = 0

  send(mail: OutgoingMail): Promise<{ messageId?: string }> {
    this.counter += 1
    const id = `m${this.counter}`
    this.messages.push({
      id,
      receivedAt: mail.date,
      from: mail.from,
      to: [mail.to],
      subject: mail.subject,
      text: mail.text,
      headers: mail.headers,
      attachments: mail.attachments.map((a) => ({
        ...a,
        // Counted, not encoded: the same UTF-8 length without making the bytes.
        size: Buffer.byteLength(a.content, 'utf8'),
      })),
      raw: '',
    })
    if (this.messages.length > MEMORY_MAIL_LIMIT)
      this.messages.splice(0, this.messages.length - MEMORY_MAIL_LIMIT)
    return Promise.resolve({ messageId: id })
  }

  list(): Promise<MailboxMessage[]> {
    return Promise.resolve([...this.messages])
  }

  get(id: string): Promise<MailboxMessage | undefined> {
    return Promise.resolve(this.messages.find((m) => m.id === id))
  }

  clear(): Promise<void> {
    this.messages.length = 0
    return Promise.resolve()
  }
}
