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
