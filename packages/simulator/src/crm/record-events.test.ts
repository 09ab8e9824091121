import { generateStory, type SessionStory } from '@ccai-sim/fixtures'
import { afterEach, describe, expect, it } from 'vitest'
import { startScriptedCrm, type ScriptedCrm } from '../../test/support/scripted-crm.js'
import { createSimulatorApp, type SimulatorApp } from '../app.js'
import type { SimulatorConfigInput } from '../config.js'
import type { JournalEntry } from '../runtime/journal.js'
import { planCrmFlow, type CrmFlowAction } from './flow-engine.js'
import { defaultMockCrmSettings } from './mock-crm/index.js'
import { SURVEY_QUESTIONS } from './record-events.js'

/*
 * Update a record on the documented events (seed 000: "save CSAT rating, call or chat finish
 * events, selected queues"), and the survey's questions and answers as a comment — planned, then
 * end to end against the mock CRM and against an in-test CRM.
 */

type Exchange = Extract<JournalEntry, { type: 'crm-exchange' }>
const START = '2026-01-15T14:00:00.000Z'

const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

function chat(seed = 1): SessionStory {
  return generateStory('web-chat-va-escalation', { seed, params: { csat: true } })
}

function stepAt(story: SessionStory, kind: string): number {
  const step = story.steps.find((s) => s.kind === kind)
  if (!step) throw new Error(`the story has no ${kind} step`)
  return step.at
}

function updates(actions: readonly CrmFlowAction[]) {
  return actions.flatMap((a) => (a.kind === 'update' ? [a] : []))
}

describe('planning record updates', () => {
  it('updates a chat’s record when its queue is selected, when it ends, on its CSAT and after the files', () => {
    const story = chat()
    const csat = story.steps.find((s) => s.kind === 'csat')
    if (csat?.kind !== 'csat') throw new Error('the chat has a CSAT')
    const plan = planCrmFlow({ settings: defaultMockCrmSettings('http://crm.test/crm'), story })
    const planned = updates(plan.actions)
    expect(planned.map((u) => [u.event, u.trigger, u.at])).toEqual([
      ['queue_selected', 'queued', stepAt(story, 'queued')],
      ['session_end', 'ended', stepAt(story, 'ended')],
      ['csat', 'csat', stepAt(story, 'csat')],
      ['wrap_up', 'files_ready', stepAt(story, 'files_ready')],
    ])
    // Each carries the values of its moment: no rating before the CSAT, no duration before the end.
    const [queue, end, rated] = planned
    expect(queue!.variables.QUEUE_NAME).not.toBe('')
    expect(queue!.variables.CALL_DURATION).toBe('')
    expect(end!.variables.CALL_DURATION).toMatch(/^\d\d:\d\d$/)
    expect(end!.variables.RATING).toBe('')
    expect(rated!.variables.RATING).toBe(String(csat.rating))
  })

  it('posts the survey’s questions and answers as a comment with the CSAT', () => {
    const story = chat()
    const csat = story.steps.find((s) => s.kind === 'csat')
    if (csat?.kind !== 'csat') throw new Error('the chat has a CSAT')
    const plan = planCrmFlow({ settings: defaultMockCrmSettings('http://crm.test/crm'), story })
    const survey = plan.actions.find(
      (a) => a.kind === 'comment' && a.event === 'survey_questions_and_answers',
    )
    expect(survey?.at).toBe(csat.at)
    expect(survey?.kind === 'comment' && survey.text).toBe(
      [
        `Survey questions and answers (Chat ${String(story.id)}):`,
        `Q: ${SURVEY_QUESTIONS.rating}`,
        `A: ${String(csat.rating)}`,
        `Q: ${SURVEY_QUESTIONS.feedback}`,
        `A: ${csat.feedback ?? '(no answer)'}`,
      ].join('\n'),
    )
  })

  it('updates nothing before a call’s record exists, and only the configured events', () => {
    const call = generateStory('inbound-ivr-call', { seed: 1, params: { csat: true } })
    const settings = defaultMockCrmSettings('http://crm.test/crm')
    // The queue is chosen before the agent answers, and the record is created at the answer.
    expect(updates(planCrmFlow({ settings, story: call }).actions).map((u) => u.event)).toEqual([
      'session_end',
      'csat',
      'wrap_up',
    ])
    const only = planCrmFlow({ settings, story: chat(), updateRecordOn: ['csat'] })
    expect(updates(only.actions).map((u) => u.event)).toEqual(['csat', 'wrap_up'])
    const none = planCrmFlow({ settings, story: chat(), updateRecordOn: [] })
    expect(updates(none.actions).map((u) => u.event)).toEqual(['wrap_up'])
  })
})

function simulator(config: SimulatorConfigInput = {}): SimulatorApp {
  const sim = createSimulatorApp({
    config: { clock: { mode: 'manual', start: START }, email: { enabled: false }, ...config },
  })
  cleanups.push(() => sim.close())
  return sim
}

function exchanges(sim: SimulatorApp, step?: string): Exchange[] {
  return sim.runtime.journal
    .read({ type: 'crm-exchange', limit: 10_000 })
    .entries.filter(
      (e): e is Exchange => e.type === 'crm-exchange' && (step === undefined || e.step === step),
    )
}

describe('record updates and the survey comment end to end', () => {
  it('against the mock CRM: one update per event at its time, the rating saved, the survey on the record', async () => {
    const sim = simulator()
    const session = sim.runtime.startSession({
      scenario: 'web-chat-va-escalation',
      params: { csat: true },
    })
    await sim.runtime.advance(60 * 60_000)
    const story = sim.runtime.getSession(session.id)!.story
    const csat = story.steps.find((s) => s.kind === 'csat')
    if (csat?.kind !== 'csat') throw new Error('the chat has a CSAT')

    const sent = exchanges(sim, 'update_record')
    expect(sent.map((e) => [e.at, e.method, e.status, e.outcome])).toEqual(
      ['queued', 'ended', 'csat', 'files_ready'].map((kind) => [
        stepAt(story, kind),
        'PATCH',
        200,
        'ok',
      ]),
    )
    // The CSAT update sends the rating; the ones before it do not have one yet.
    const bodies = sent.map((e) => JSON.parse(e.requestBody ?? '{}') as Record<string, unknown>)
    expect(bodies[0]).not.toHaveProperty('rating')
    expect(bodies[1]).not.toHaveProperty('rating')
    // A rating goes out as a number, as in the document's create-record example.
    expect(bodies[2]).toMatchObject({ rating: csat.rating })

    const report = sim.crm.report(session.id)!
    expect(
      report.steps.filter((s) => s.step === 'update_record').map((s) => [s.update, s.outcome]),
    ).toEqual([
      ['queue_selected', 'succeeded'],
      ['session_end', 'succeeded'],
      ['csat', 'succeeded'],
      ['wrap_up', 'succeeded'],
    ])
    const [record] = sim.crm.store.records()
    expect(record!.fields).toMatchObject({ rating: csat.rating })
    const survey = sim.crm.store
      .commentsOf(record!.id)
      .find((c) => c.body.startsWith('Survey questions and answers'))
    expect(survey?.body).toContain(`Q: ${SURVEY_QUESTIONS.rating}\nA: ${String(csat.rating)}`)
  })

  it('against an in-test CRM: the requests arrive in the session’s order, each with its values', async () => {
    const crm: ScriptedCrm = await startScriptedCrm()
    cleanups.push(() => crm.close())
    const sim = simulator({ crm: { settings: crm.settings() } })
    const session = sim.runtime.startSession({
      scenario: 'web-chat-va-escalation',
      params: { csat: true },
    })
    await sim.runtime.advance(60 * 60_000)
    const story = sim.runtime.getSession(session.id)!.story
    const csat = story.steps.find((s) => s.kind === 'csat')
    if (csat?.kind !== 'csat') throw new Error('the chat has a CSAT')

    const order = crm.calls
      .filter((c) => c.endpoint === 'update_record' || c.endpoint === 'comment')
      .map((c) =>
        c.endpoint === 'update_record'
          ? 'update'
          : String((c.body as { body?: string }).body).split(/[ (:]/)[0],
      )
      // The transcript is uploaded (and commented on) within seconds of the end: left out here.
      .filter((what) => what !== 'File')
    // start comment, queue update, end comment + update, CSAT comment + survey + update, …
    expect(order.slice(0, 8)).toEqual([
      'Chat',
      'update',
      'Chat',
      'update',
      'CSAT',
      'Survey',
      'update',
      'Disposition',
    ])
    expect(order.at(-1)).toBe('update')
    const patches = crm.calls.filter((c) => c.endpoint === 'update_record')
    expect(patches.every((c) => c.method === 'PATCH' && c.path === '/crm/api/records/rec-1')).toBe(
      true,
    )
    expect(patches[2]!.body).toMatchObject({ rating: csat.rating })
    expect((patches[1]!.body as { call_duration?: unknown }).call_duration).toMatch(/^\d\d:\d\d$/)
    const survey = crm.calls.find(
      (c) =>
        c.endpoint === 'comment' && String((c.body as { body?: string }).body).startsWith('Survey'),
    )
    expect((survey?.body as { body: string }).body).toContain(
      `Q: ${SURVEY_QUESTIONS.feedback}\nA: ${csat.feedback ?? '(no answer)'}`,
    )
  })

  it('with crm.updateRecordOn empty, updates the record once, after the files', async () => {
    const sim = simulator({ crm: { updateRecordOn: [] } })
    sim.runtime.startSession({ scenario: 'web-chat-va-escalation', params: { csat: true } })
    await sim.runtime.advance(60 * 60_000)
    expect(exchanges(sim, 'update_record')).toHaveLength(1)
  })
})
