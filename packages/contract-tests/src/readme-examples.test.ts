// The README's "Use the schemas in your tests" examples, kept runnable so the README stays true.
import {
  checkContract,
  checkPayload,
  detectContract,
  getContract,
  parseAdapterMessage,
  QmEventSchema,
} from '@ccai-sim/schemas'
import { expect, it } from 'vitest'

it('our CRM page understands the adapter events', () => {
  // What the adapter iframe posts: MessageEvent.data is a JSON *string*.
  const data =
    '{"type":"New_Chat","data":{"chat_id":73522,"session_type":"Messaging Inbound (Web Chat)","agent_id":1,"agent_email":"ariel@example.com"}}'
  const result = parseAdapterMessage(data, { mode: 'strict' })
  expect(result.ok && result.contract).toBe('adapter.New_Chat')
})

it('our QM receiver accepts what the platform sends', () => {
  const body =
    '{"type":"ChatState","item":{"chat_id":138,"session_type_v2":"In-web","state":"waiting","direction":"incoming","initiator":"end_user_5","participants":[{"state":"connected","type":"external","dn":"end_user_5"}],"extra":1}}'
  const result = checkPayload(QmEventSchema, JSON.parse(body), { mode: 'tolerant' })
  expect(result.issues).toEqual([])
  expect(result.notes.map((n) => n.path)).toEqual(['item.extra'])
})

it('the catalog detects, checks and lists examples', () => {
  const detection = detectContract({
    type: 'End_Chat',
    data: { chat_id: 1, agent_id: 2, agent_email: 'a@example.com' },
  })
  expect(detection?.contract.id).toBe('adapter.End_Chat')
  const record = getContract('metadata.call').examples[0]?.payload
  expect(checkContract('metadata.call', record, { mode: 'strict' }).ok).toBe(true)
  expect(getContract('crm.settings').examples.length).toBeGreaterThan(0)
})

it('the fixtures examples hold', async () => {
  const {
    buildChatSessionMetadata,
    buildContract,
    buildNewCallEvent,
    generateStory,
    projectSession,
    projectCrmVariables,
    adapterMessageData,
  } = await import('@ccai-sim/fixtures')
  const event = buildNewCallEvent({ data: { call_id: 4242 } }, { seed: 1 })
  expect(event.data.call_id).toBe(4242)
  expect(checkContract('adapter.New_Call', event, { mode: 'strict' }).ok).toBe(true)
  const record = buildChatSessionMetadata(
    { status: 'finished' },
    { seed: 7, refDate: '2026-03-01T09:00:00Z' },
  )
  expect(checkContract('metadata.chat', record, { mode: 'strict' }).ok).toBe(true)
  expect(
    checkContract('qm.ChatState', buildContract('qm.ChatState', undefined, { seed: 7 }), {
      mode: 'strict',
    }).ok,
  ).toBe(true)
  const story = generateStory('web-chat-va-escalation', { seed: 7, params: { csat: true } })
  const { emissions, files, email } = projectSession(story)
  expect(files.map((f) => f.path)).toContain(`ujet-metadata/chat-${story.id}.json`)
  expect(email?.contract).toBe('email.sessionOutcome')
  expect(projectCrmVariables(story).CALL_DURATION).toMatch(/^\d{2,}:\d{2}$/)
  const first = emissions.find((e) => e.surface === 'adapter')
  expect(
    first && parseAdapterMessage(adapterMessageData(first as never), { mode: 'strict' }).ok,
  ).toBe(true)
})

it('the simulator examples hold', async () => {
  const { startSimulator, createSimulatorApp } = await import('@ccai-sim/simulator')
  const sim = await startSimulator({
    config: {
      port: 0,
      clock: { mode: 'manual' },
      storage: { enabled: false },
      email: { enabled: false },
    },
  })
  try {
    const started = await fetch(`${sim.url}/_sim/sessions`, {
      method: 'POST',
      body: JSON.stringify({ scenario: 'outbound-call' }),
    })
    expect(started.status).toBe(201)
    const clock = await fetch(`${sim.url}/_sim/clock`, {
      method: 'POST',
      body: JSON.stringify({ advanceMs: 20 * 60_000 }),
    })
    expect(clock.status).toBe(200)
  } finally {
    await sim.close()
  }
  const { app } = createSimulatorApp({ config: { clock: { mode: 'manual' } } })
  const res = await app.request('/_sim/scenarios')
  expect(((await res.json()) as unknown[]).length).toBe(12)
})
