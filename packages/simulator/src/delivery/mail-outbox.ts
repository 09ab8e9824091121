import { join } from 'node:path'
import type { SessionStory } from '@ccai-sim/fixtures'
import { z } from 'zod'
import type { VirtualClock, WallClock } from '../clock/virtual-clock.js'
import type { SimulatorConfig } from '../config.js'
import type { EmissionBus } from '../runtime/bus.js'
import type { Journal } from '../runtime/journal.js'
import { outcomeMailOf } from '../runtime/outcome-mail.js'
import type { MailTransport, OutgoingMail } from '../runtime/sinks.js'
import { Outbox, type OutboxStats } from './outbox.js'

/*
 * Outcome emails, at least once: an `Outbox` (outbox.ts) with one lane, the SMTP server. A send that
 * fails (connection refused, a 4xx/5xx reply, a timeout) is retried with backoff like a webhook
 * (`email.retry`), and with a state folder every accepted mail is in `mail.wal` before it is sent,
 * so a restart sends what a crash left. Each message carries `X-CCAI-Idempotency-Key`
 * (`<runId>:<emission key>`), the same on every retry, so a mailbox that dedupes can.
 */

/** The mail's write-ahead log, inside the state folder the host names. */
export const MAIL_LOG_FILE = 'mail.wal'
export const MAIL_LANE = 'smtp'

const OutgoingMailSchema = z.object({
  from: z.string(),
  to: z.string(),
  subject: z.string(),
  date: z.string(),
  text: z.string(),
  attachments: z.array(
    z.object({ filename: z.string(), contentType: z.string(), content: z.string() }),
  ),
  headers: z.record(z.string(), z.string()),
}) as z.ZodType<OutgoingMail>

export interface MailOutboxOptions {
  readonly config: SimulatorConfig['email']
  readonly transport: MailTransport
  readonly journal: Journal
  readonly clock: VirtualClock
  readonly wall?: WallClock | undefined
  /** The run id of a session's keys (a resumed session keeps the one it started under). */
  readonly runId: (sessionId: number) => string
  /** The session's story, for the headers that tie a mail to its session. */
  readonly storyOf: (sessionId: number) => SessionStory | undefined
  readonly fsync?: boolean | undefined
  readonly onAttempt?: ((work: Promise<void>) => void) | undefined
}

/** Sends every `email` emission as an outcome email through the transport, retried and journaled ahead. */
export class MailOutbox {
  private readonly options: MailOutboxOptions
  private readonly outbox: Outbox<OutgoingMail>

  constructor(options: MailOutboxOptions) {
    this.options = options
    const { journal, clock } = options
    this.outbox = new Outbox<OutgoingMail>({
      name: 'mail',
      payloadSchema: OutgoingMailSchema,
      retry: options.config.retry,
      clock,
      wall: options.wall,
      concurrency: options.config.concurrency,
      fsync: options.fsync,
      send: async (delivery) => {
        const sent = await options.transport.send(delivery.payload)
        return { ok: true, ...(sent.messageId ? { info: sent.messageId } : {}) }
      },
      onSettled: (delivery, detail) => {
        const mail = delivery.payload
        if (detail.outcome === 'delivered') {
          journal.add({
            at: clock.now(),
            type: 'mail-sent',
            sessionId: delivery.session,
            to: mail.to,
            subject: mail.subject,
            ...(detail.info === undefined ? {} : { messageId: detail.info }),
            key: delivery.key,
            attempt: delivery.attempt,
          })
          return
        }
        journal.add({
          at: clock.now(),
          type: 'mail-failed',
          sessionId: delivery.session,
          error: detail.error ?? 'not sent',
          key: delivery.key,
          attempt: delivery.attempt,
          outcome: detail.outcome,
          ...(detail.nextAttemptInMs === undefined
            ? {}
            : { nextAttemptInMs: detail.nextAttemptInMs }),
        })
      },
      onLane: (event, lane) => {
        journal.add({
          at: clock.now(),
          type: 'backlog',
          channel: 'mail',
          event,
          target: lane.lane,
          pending: lane.pending,
          spilled: lane.spilled,
          drainPerSecond: lane.drainPerSecond,
        })
      },
      onAttempt: options.onAttempt,
    })
  }

  /** Subscribes to the bus's `email` emissions (when `email.enabled`). */
  attach(bus: EmissionBus): void {
    if (!this.options.config.enabled) return
    bus.subscribe({ surfaces: ['email'] }, (emission) => {
      const story = this.options.storyOf(emission.sessionId)
      if (!story) return
      const run = this.options.runId(emission.sessionId)
      const key = run === '' ? emission.key : `${run}:${emission.key}`
      const mail = outcomeMailOf(emission, story)
      this.outbox.enqueue({
        lane: MAIL_LANE,
        key,
        session: emission.sessionId,
        payload: { ...mail, headers: { ...mail.headers, 'X-CCAI-Idempotency-Key': key } },
      })
    })
  }

  /** Opens `mail.wal` in `dir` and sends what it holds; without a folder mail lives in memory only. */
  open(dir?: string): void {
    if (dir !== undefined) this.outbox.open(join(dir, MAIL_LOG_FILE))
  }

  /** Sends a kept given-up mail again (see `Outbox.retry`): its new id, or undefined. */
  retry(id: string): string | undefined {
    return this.outbox.retry(id)
  }

  /** Resolves once every mail accepted so far is in the log (the session log's barrier). */
  flushed(): Promise<void> {
    return this.outbox.flushed()
  }

  backlog(): OutboxStats {
    return this.outbox.stats()
  }

  close(): Promise<void> {
    return this.outbox.close()
  }

  /** During `close`: ends the last call now (in-flight attempts are cut short and stay pending). */
  hurry(): void {
    this.outbox.hurry()
  }
}
