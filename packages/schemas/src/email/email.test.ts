import { describe, expect, it } from 'vitest'
import { checkPayload } from '../check.js'
import {
  decideOutcomeEmail,
  EMAIL_CONTRACTS,
  isOutcomeEmailEnabled,
  OUTCOME_EMAIL_DELAY_SECONDS,
  OUTCOME_EMAIL_INHERITANCE,
  parseOutcomeEmailBody,
  resolveOutcomeEmail,
  SessionOutcomeEmailSchema,
  shouldSendOutcomeEmail,
  type OutcomeEmailSetting,
} from './index.js'

const email = {
  from: 'no-reply@ccaiplatform.com',
  to: 'crm-inbox@example.com',
  subject: 'Session outcome: chat 73522',
  body: '{"id":73522,"status":"finished"}',
  attachments: [
    { filename: 'chat-73522.txt', contentType: 'text/plain', content: 'End user: hi\n' },
  ],
}

describe('the session outcome email envelope', () => {
  it('accepts the documented content in strict mode', () => {
    expect(checkPayload(SessionOutcomeEmailSchema, email, { mode: 'strict' }).issues).toEqual([])
  })

  it('accepts a call email without attachments and a charset on the content type', () => {
    expect(
      checkPayload(SessionOutcomeEmailSchema, { ...email, attachments: [] }, { mode: 'strict' }).ok,
    ).toBe(true)
    const withCharset = {
      ...email,
      attachments: [{ ...email.attachments[0], contentType: 'text/plain; charset=utf-8' }],
    }
    expect(checkPayload(SessionOutcomeEmailSchema, withCharset, { mode: 'strict' }).ok).toBe(true)
  })

  it('rejects any sender but no-reply@ccaiplatform.com, naming from', () => {
    const result = checkPayload(SessionOutcomeEmailSchema, {
      ...email,
      from: 'noreply@example.com',
    })
    expect(result.issues.map((i) => [i.path, i.expected])).toEqual([
      ['from', '"no-reply@ccaiplatform.com"'],
    ])
  })

  it('rejects a recipient that is not an email address', () => {
    expect(
      checkPayload(SessionOutcomeEmailSchema, { ...email, to: 'crm inbox' }).issues.map(
        (i) => i.path,
      ),
    ).toEqual(['to'])
  })

  it('wants a subject line, even though its wording is undocumented', () => {
    expect(
      checkPayload(SessionOutcomeEmailSchema, { ...email, subject: '' }).issues.map((i) => i.path),
    ).toEqual(['subject'])
  })

  it('wants the body to be JSON object text, not an object or prose', () => {
    for (const body of [{ id: 1 }, 'Session finished', '[1,2]']) {
      const result = checkPayload(SessionOutcomeEmailSchema, { ...email, body })
      expect(
        result.issues.map((i) => i.path),
        JSON.stringify(body),
      ).toEqual(['body'])
    }
  })

  it('wants a TXT attachment and at most one', () => {
    const pdf = { ...email, attachments: [{ ...email.attachments[0], filename: 'chat-73522.pdf' }] }
    expect(checkPayload(SessionOutcomeEmailSchema, pdf).issues.map((i) => i.path)).toEqual([
      'attachments[0].filename',
    ])
    const html = { ...email, attachments: [{ ...email.attachments[0], contentType: 'text/html' }] }
    expect(checkPayload(SessionOutcomeEmailSchema, html).issues.map((i) => i.path)).toEqual([
      'attachments[0].contentType',
    ])
    const two = { ...email, attachments: [email.attachments[0], email.attachments[0]] }
    expect(checkPayload(SessionOutcomeEmailSchema, two).issues.map((i) => i.path)).toEqual([
      'attachments',
    ])
  })

  it('is registered as email.sessionOutcome over smtp to the inbox', () => {
    expect(EMAIL_CONTRACTS.map((c) => [c.id, c.transport, c.direction.to])).toEqual([
      ['email.sessionOutcome', 'smtp', 'inbox'],
    ])
    expect(OUTCOME_EMAIL_DELAY_SECONDS).toBe(900)
  })
})

describe('parseOutcomeEmailBody', () => {
  it('returns the metadata record of a JSON body', () => {
    expect(parseOutcomeEmailBody('{ "id": 73522 }')).toEqual({ ok: true, value: { id: 73522 } })
  })

  it('explains a body that is not JSON or not an object', () => {
    expect(parseOutcomeEmailBody('{id: 1}')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/not JSON/) as unknown,
    })
    expect(parseOutcomeEmailBody('[1]')).toEqual({
      ok: false,
      reason: 'expected the session metadata as a JSON object, got an array',
    })
    expect(parseOutcomeEmailBody('null')).toEqual({
      ok: false,
      reason: 'expected the session metadata as a JSON object, got null',
    })
  })
})

describe('settings inheritance (global vs per-queue)', () => {
  const on = (address: string | null): OutcomeEmailSetting => ({ enabled: true, address })
  const off = (address: string | null): OutcomeEmailSetting => ({ enabled: false, address })
  const G = 'global@example.com'
  const Q = 'queue@example.com'

  // Every combination of (global on/off, queue on/off, global address set/empty, queue address set/empty).
  const table = [
    // global off, queue off: don't send for all queues
    [off(G), off(Q), false, null, 'neither-enabled'],
    [off(G), off(''), false, null, 'neither-enabled'],
    [off(''), off(Q), false, null, 'neither-enabled'],
    [off(''), off(''), false, null, 'neither-enabled'],
    // global off, queue on: the queue's on/off overrides; sent to the queue's address
    [off(G), on(Q), true, Q, 'queue-overrides-global'],
    [off(''), on(Q), true, Q, 'queue-overrides-global'],
    [off(G), on(''), false, null, 'queue-overrides-global'],
    [off(''), on(''), false, null, 'queue-overrides-global'],
    // global on, queue off: the queue inherits; sent to the global address
    [on(G), off(Q), true, G, 'queue-inherits-global'],
    [on(G), off(''), true, G, 'queue-inherits-global'],
    [on(''), off(Q), false, null, 'queue-inherits-global'],
    [on(''), off(''), false, null, 'queue-inherits-global'],
    // global on, queue on: the queue's address overrides; empty queue address means no email
    [on(G), on(Q), true, Q, 'queue-address-overrides-global'],
    [on(''), on(Q), true, Q, 'queue-address-overrides-global'],
    [on(G), on(''), false, null, 'queue-address-overrides-global'],
    [on(''), on(''), false, null, 'queue-address-overrides-global'],
  ] as const

  const describeSetting = (s: OutcomeEmailSetting): string =>
    `${s.enabled ? 'on' : 'off'} (${s.address || 'no address'})`
  const rows = table.map(([global, queue, send, to, rule]) => ({
    title: `global ${describeSetting(global)} + queue ${describeSetting(queue)} → ${send ? `send to ${to ?? ''}` : 'no email'} (${rule})`,
    global,
    queue,
    expected: { send, to, rule },
  }))

  it.each(rows)('$title', ({ global, queue, expected }) => {
    expect(resolveOutcomeEmail({ global, queue })).toMatchObject(expected)
    expect(isOutcomeEmailEnabled({ global, queue })).toBe(expected.send)
  })

  it('has one data row per documented combination', () => {
    expect(OUTCOME_EMAIL_INHERITANCE.map((r) => [r.global, r.queue, r.addressFrom])).toEqual([
      [false, false, 'none'],
      [false, true, 'queue'],
      [true, false, 'global'],
      [true, true, 'queue'],
    ])
  })

  it('does not send to an empty queue address when both are on, even with a global address', () => {
    expect(resolveOutcomeEmail({ global: on(G), queue: on('   ') })).toMatchObject({
      send: false,
      reason: 'the queue setting applies but its email address is empty',
    })
  })

  it('treats a queue without a setting as not enabled (inherits the global setting)', () => {
    expect(resolveOutcomeEmail({ global: on(G) })).toMatchObject({
      send: true,
      to: G,
      rule: 'queue-inherits-global',
    })
    expect(resolveOutcomeEmail({ global: off(G), queue: null })).toMatchObject({ send: false })
  })
})

describe('finished sessions only', () => {
  it('sends for finished sessions', () => {
    expect(shouldSendOutcomeEmail('finished')).toBe(true)
  })

  it.each([
    'failed',
    'canceled',
    'no_response',
    'deflected',
    'recovered',
    'queued',
    'connected',
    'Finished',
    '',
  ])('does not send for status %j', (status) => {
    expect(shouldSendOutcomeEmail(status)).toBe(false)
  })

  it('combines status and settings', () => {
    const global = { enabled: true, address: 'g@example.com' }
    expect(decideOutcomeEmail({ status: 'finished', global })).toMatchObject({
      send: true,
      to: 'g@example.com',
    })
    expect(decideOutcomeEmail({ status: 'failed', global })).toMatchObject({
      send: false,
      to: null,
      reason: 'the session status is "failed"; only successfully finished sessions get an email',
    })
    expect(decideOutcomeEmail({ status: 'finished', global: { enabled: false } })).toMatchObject({
      send: false,
    })
  })
})
