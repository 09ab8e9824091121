import { describe, expect, it } from 'vitest'
import { createSimulatorApp } from '../app.js'
import type { JournalEntry } from '../runtime/journal.js'

/*
 * With a manual clock, one large advance runs every due timer in order and lets each CRM request
 * finish at its own virtual time: each step is stamped when the platform would have sent it, not
 * with the time after the advance.
 */

type Exchange = Extract<JournalEntry, { type: 'crm-exchange' }>
const START = Date.parse('2026-01-15T14:00:00.000Z')
const MINUTE = 60_000

describe('CRM step times under one large advance', () => {
  it('stamps each step, retries included, with its own virtual time', async () => {
    const sim = createSimulatorApp({
      config: {
        clock: { mode: 'manual', start: new Date(START).toISOString() },
        email: { enabled: false },
      },
    })
    sim.crm.faults.set({ route: 'create_record', kind: 'status', status: 400, times: 1 })
    const session = sim.runtime.startSession({ scenario: 'inbound-ivr-call' })
    const end = START + 3 * 60 * MINUTE
    await sim.runtime.advance(end - START)
    const entries = sim.runtime.journal
      .read({ type: 'crm-exchange', limit: 1_000 })
      .entries.filter((e): e is Exchange => e.type === 'crm-exchange')
    const report = sim.crm.report(session.id)!
    expect(report.state).toBe('done')
    // Each step starts at its action's time, or when the step before it is over (the 400 retry
    // a minute later holds the session's later requests: they need its id, and order is kept).
    let previous = 0
    for (const step of report.steps) {
      const action = report.actions.find((a) => a.ordinal === step.action)!
      const startedAt = Math.max(action.at, previous)
      const retried = step.step === 'create_record'
      expect(step.startedAt, step.step).toBe(startedAt)
      expect(step.finishedAt, step.step).toBe(retried ? startedAt + MINUTE : startedAt)
      previous = step.finishedAt!
    }
    const times = new Set(entries.map((e) => e.at))
    expect(times.size).toBeGreaterThan(4)
    expect(entries.every((e) => e.at > START && e.at < end)).toBe(true)
    const record = entries.filter((e) => e.step === 'create_record')
    expect(record.map((e) => [e.status, e.outcome, e.at - record[0]!.at])).toEqual([
      [400, 'retrying', 0],
      [201, 'ok', MINUTE],
    ])
    // Journal times follow the session: the first comment at the setup, uploads ~15 min later.
    const story = sim.runtime.getSession(session.id)!.story
    const connected = story.steps.find((s) => s.kind === 'connected')!.at
    const filesReady = story.steps.find((s) => s.kind === 'files_ready')!.at
    expect(entries[0]!.at).toBe(connected)
    expect(entries.filter((e) => e.step === 'upload_file').every((e) => e.at <= filesReady)).toBe(
      true,
    )
    expect(entries.at(-1)!.at).toBe(filesReady)
    await sim.close()
  })
})
