import { copyFile, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createSimulatorApp } from '../app.js'
import type { MailTransport, OutgoingMail } from '../runtime/sinks.js'
import { MAIL_LOG_FILE } from './mail-outbox.js'

/* Outcome mail is retried with backoff and journaled ahead like webhooks (issues 11 and 13). */

const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** A transport that refuses the first `failures` sends, then accepts; it records what it accepted. */
function flakyTransport(failures: number): MailTransport & { sent: OutgoingMail[] } {
  let left = failures
  const sent: OutgoingMail[] = []
  return {
    sent,
    send: (mail) => {
      if (left > 0) {
        left -= 1
        return Promise.reject(new Error('SMTP delivery to 127.0.0.1:25 failed: ECONNREFUSED'))
      }
      sent.push(mail)
      return Promise.resolve({ messageId: `<m${String(sent.length)}@test>` })
    },
  }
}

function app(transport: MailTransport, runId = 'run1') {
  const sim = createSimulatorApp({
    config: {
      clock: { mode: 'manual', start: '2025-01-15T10:00:00.000Z' },
      crm: { enabled: false },
    },
    mail: transport,
    runId,
  })
  cleanups.push(() => sim.close())
  return sim
}

describe('outcome mail', () => {
  it('retries a failed send with backoff on the virtual clock and sends it once, with its idempotency key', async () => {
    const transport = flakyTransport(2)
    const sim = app(transport)
    const { runtime } = sim
    const session = runtime.startSession({ scenario: 'web-chat-va-escalation', seed: 1 })
    runtime.clock.advance(60 * 60_000)
    await runtime.settle()
    const failed = runtime.journal.read({ type: 'mail-failed' }).entries
    expect(failed).toEqual([
      expect.objectContaining({ attempt: 1, outcome: 'failed', nextAttemptInMs: 500 }),
    ])
    // The first retry (500 ms) fails too; the second (1 s later) goes through.
    runtime.clock.advance(500)
    await runtime.settle()
    runtime.clock.advance(1_000)
    await runtime.settle()
    expect(transport.sent).toHaveLength(1)
    const key = transport.sent[0]?.headers['X-CCAI-Idempotency-Key']
    expect(key).toMatch(new RegExp(`^run1:${String(session.id)}:email:\\d+$`))
    const sent = runtime.journal.read({ type: 'mail-sent' }).entries
    expect(sent).toEqual([expect.objectContaining({ attempt: 3, key, sessionId: session.id })])
    expect(sim.deliveries().mail).toMatchObject({ pending: 0, delivered: 1, failed: 2 })
  })

  it('keeps an unsent mail in mail.wal across a crash; the next start sends it under its first key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ccai-sim-mail-'))
    const crashed = await mkdtemp(join(tmpdir(), 'ccai-sim-mail-'))
    cleanups.push(() => rm(dir, { recursive: true, force: true }))
    cleanups.push(() => rm(crashed, { recursive: true, force: true }))
    const first = app(flakyTransport(1_000), 'first')
    await first.openState(dir)
    first.runtime.startSession({ scenario: 'web-chat-va-escalation', seed: 1 })
    first.runtime.clock.advance(60 * 60_000)
    await first.runtime.settle()
    expect(first.deliveries().mail.pending).toBe(1)
    await copyFile(join(dir, MAIL_LOG_FILE), join(crashed, MAIL_LOG_FILE))

    const transport = flakyTransport(0)
    const second = app(transport, 'second')
    await second.openState(crashed)
    await second.runtime.settle()
    expect(transport.sent).toHaveLength(1)
    expect(transport.sent[0]?.headers['X-CCAI-Idempotency-Key']).toMatch(/^first:/)
  })
})
