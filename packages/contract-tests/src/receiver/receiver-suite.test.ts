import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { ANY_ADAPTER_EVENT_TYPES, checkContract, QM_CHAT_STATES } from '@ccai-sim/schemas'
import { afterEach, describe, expect, it } from 'vitest'
import type { SuiteResult } from '../core/types.js'
import { ADAPTER_RECEIVER_SUITE, QM_RECEIVER_SUITE, runReceiverSuite } from './receiver-suite.js'

interface Received {
  readonly headers: IncomingHttpHeaders
  readonly body: unknown
}

type Answer = { readonly status: number; readonly body?: string }
type Handler = (request: Received) => Answer

const servers: (() => Promise<void>)[] = []

afterEach(async () => {
  await Promise.all(servers.splice(0).map((close) => close()))
})

/** A real receiver on an ephemeral port; `handler` decides each answer. */
async function startReceiver(handler: Handler): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      let body: unknown
      try {
        body = JSON.parse(text) as unknown
      } catch {
        res.writeHead(400).end('not JSON')
        return
      }
      const request = { headers: req.headers, body }
      received.push(request)
      const answer = handler(request)
      res.writeHead(answer.status, { 'content-type': 'application/json' })
      res.end(answer.body ?? JSON.stringify({ received: true }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  servers.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve()
        })
        server.closeAllConnections()
      }),
  )
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}/events`, received }
}

function header(request: Received, name: string): string {
  const value = request.headers[name]
  return Array.isArray(value) ? value.join(',') : (value ?? '')
}

/** A receiver doing it right: it validates tolerantly by the contract header and acknowledges. */
const conforming: Handler = (request) => {
  const result = checkContract(header(request, 'x-ccai-contract'), request.body)
  return result.ok
    ? { status: 202 }
    : { status: 422, body: JSON.stringify({ issues: result.issues.map((i) => i.message) }) }
}

function failedIds(result: SuiteResult): string[] {
  return result.clauses.filter((c) => c.status === 'failed').map((c) => c.id)
}

function item(body: unknown): Record<string, unknown> {
  const value = (body as { item?: unknown }).item
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {}
}

describe('QM receiver suite', () => {
  it('passes every clause against a receiver that acknowledges every documented variant', async () => {
    const { url } = await startReceiver(conforming)
    const result = await runReceiverSuite({ url, kind: 'qm' })
    expect(result.suite).toBe('receiver')
    expect(result.target).toBe(url)
    expect(result.clauses.map((c) => [c.id, c.status, c.failure?.message])).toEqual(
      QM_RECEIVER_SUITE.clauses.map((c) => [c.id, 'passed', undefined]),
    )
    expect(result.summary).toEqual({
      passed: QM_RECEIVER_SUITE.clauses.length,
      failed: 0,
      skipped: 0,
      blocked: 0,
      warnings: 0,
      total: QM_RECEIVER_SUITE.clauses.length,
    })
  })

  it('sends the headers the webhook dispatcher sends, with configured headers under the protocol ones', async () => {
    const { url, received } = await startReceiver(conforming)
    await runReceiverSuite({
      url,
      kind: 'qm',
      headers: { Authorization: 'Bearer qm-key', 'Idempotency-Key': 'overridden' },
      only: ['QM-003'],
    })
    expect(received.length).toBeGreaterThan(3)
    for (const request of received) {
      expect(header(request, 'content-type')).toBe('application/json')
      expect(header(request, 'authorization')).toBe('Bearer qm-key')
      expect(header(request, 'idempotency-key')).toMatch(/^\d+:qm:\d+$/)
      expect(header(request, 'x-ccai-contract')).toBe('qm.CallState')
      expect(header(request, 'x-ccai-session-id')).toMatch(/^\d+$/)
      expect(header(request, 'idempotency-key').split(':')[0]).toBe(
        header(request, 'x-ccai-session-id'),
      )
      expect(header(request, 'x-ccai-attempt')).toBe('1')
    }
  })

  it('sends every call and chat state, PascalCase call keys, "" connected_at and a transfer', async () => {
    const { url, received } = await startReceiver(conforming)
    await runReceiverSuite({ url, kind: 'qm' })
    const calls = received.filter((r) => (r.body as { type: string }).type === 'CallState')
    const chats = received.filter((r) => (r.body as { type: string }).type === 'ChatState')
    const agents = received.filter((r) => (r.body as { type: string }).type === 'AgentState')
    expect(new Set(calls.map((r) => item(r.body).State))).toEqual(
      new Set(['ringing', 'connected', 'disconnected']),
    )
    expect(calls.every((r) => typeof item(r.body).CallID === 'string')).toBe(true)
    expect(new Set(chats.map((r) => item(r.body).state))).toEqual(new Set(QM_CHAT_STATES))
    expect(chats.some((r) => item(r.body).connected_at === '')).toBe(true)
    expect(new Set(agents.map((r) => item(r.body).State))).toEqual(new Set(['login', 'logout']))
    expect(chats.some((r) => !('queue_uuid' in item(r.body)))).toBe(true)
    expect(chats.some((r) => item(r.body).queue_uuid === null)).toBe(true)
  })

  it('fails only QM-009 when the receiver refuses keys the documents do not list', async () => {
    const { url } = await startReceiver((request) => {
      const result = checkContract(header(request, 'x-ccai-contract'), request.body)
      return result.ok && result.notes.length === 0 ? { status: 200 } : { status: 400 }
    })
    const result = await runReceiverSuite({ url, kind: 'qm' })
    expect(failedIds(result)).toEqual(['QM-009'])
  })

  it('fails only QM-006 when the receiver answers 500 to a "" connected_at', async () => {
    const { url } = await startReceiver((request) =>
      item(request.body).connected_at === ''
        ? { status: 500, body: '{"error":"Invalid time value"}' }
        : { status: 204, body: '' },
    )
    const result = await runReceiverSuite({ url, kind: 'qm' })
    expect(failedIds(result)).toEqual(['QM-006'])
    const failed = result.clauses.find((c) => c.id === 'QM-006')
    expect(failed?.failure?.message).toMatch(/^3 of 3 deliveries were not acknowledged/)
    const exchange = failed?.exchanges[0]
    expect(exchange?.request.method).toBe('POST')
    expect(exchange?.request.headers['x-ccai-contract']).toBe('qm.ChatState')
    expect(JSON.parse(exchange?.request.body ?? '{}')).toMatchObject({
      item: { connected_at: '' },
    })
    expect(exchange?.response).toMatchObject({
      status: 500,
      body: '{"error":"Invalid time value"}',
    })
  })

  it('fails the PascalCase clause, and only CallState clauses, when the receiver wants snake_case call_id', async () => {
    const { url } = await startReceiver((request) =>
      (request.body as { type: string }).type === 'CallState' &&
      typeof item(request.body).call_id !== 'string'
        ? { status: 400, body: '{"error":"item.call_id is required"}' }
        : { status: 200 },
    )
    const result = await runReceiverSuite({ url, kind: 'qm' })
    const failed = failedIds(result)
    expect(failed).toContain('QM-002')
    // Every clause that sends a CallState fails; the AgentState and ChatState ones pass.
    expect(failed).toEqual(['QM-002', 'QM-003', 'QM-004', 'QM-009'])
    const pascal = result.clauses.find((c) => c.id === 'QM-002')
    expect(pascal?.failure?.expected).toMatch(/2xx acknowledgement/)
    expect(pascal?.exchanges.every((e) => e.response?.status === 400)).toBe(true)
  })

  it('fails only QM-010 when the receiver refuses an idempotency-key it has already acknowledged', async () => {
    const seen = new Set<string>()
    const { url } = await startReceiver((request) => {
      const key = header(request, 'idempotency-key')
      if (seen.has(key)) return { status: 409, body: '{"error":"duplicate"}' }
      seen.add(key)
      return { status: 200 }
    })
    const result = await runReceiverSuite({ url, kind: 'qm' })
    expect(failedIds(result)).toEqual(['QM-010'])
    const clause = result.clauses.find((c) => c.id === 'QM-010')
    expect(clause?.exchanges.map((e) => e.request.headers['x-ccai-attempt'])).toEqual(['1', '2'])
    expect(new Set(clause?.exchanges.map((e) => e.request.headers['idempotency-key'])).size).toBe(1)
  })

  it('fails every clause, recording the error, when nothing listens', async () => {
    const { url } = await startReceiver(conforming)
    await Promise.all(servers.splice(0).map((close) => close()))
    const result = await runReceiverSuite({ url, kind: 'qm', only: ['QM-001'] })
    expect(failedIds(result)).toEqual(['QM-001'])
    expect(result.clauses[0]?.exchanges[0]?.error).toMatch(/fetch failed|ECONNREFUSED/)
  })

  it('sends the same requests for the same seed and different sessions for another', async () => {
    const first = await startReceiver(conforming)
    const second = await startReceiver(conforming)
    const third = await startReceiver(conforming)
    await runReceiverSuite({ url: first.url, kind: 'qm', seed: 7, only: ['QM-003', 'QM-005'] })
    await runReceiverSuite({ url: second.url, kind: 'qm', seed: 7, only: ['QM-003', 'QM-005'] })
    await runReceiverSuite({ url: third.url, kind: 'qm', seed: 8, only: ['QM-003', 'QM-005'] })
    const bodies = (r: Received[]): string[] => r.map((x) => JSON.stringify(x.body))
    expect(bodies(second.received)).toEqual(bodies(first.received))
    expect(bodies(third.received)).not.toEqual(bodies(first.received))
  })
})

describe('the receiver suites over many seeds', () => {
  it.each(['qm', 'adapter'] as const)(
    'generates payloads for every %s clause with every seed, so no clause ever has nothing to send',
    async (kind) => {
      const { url } = await startReceiver(conforming)
      for (let seed = 1; seed <= 12; seed += 1) {
        const result = await runReceiverSuite({ url, kind, seed })
        expect(result.summary, `seed ${seed}`).toMatchObject({ failed: 0, skipped: 0 })
      }
    },
  )
})

describe('adapter receiver suite', () => {
  it('passes every clause against a receiver that acknowledges every documented variant', async () => {
    const { url } = await startReceiver(conforming)
    const result = await runReceiverSuite({ url, kind: 'adapter' })
    expect(result.clauses.map((c) => [c.id, c.status, c.failure?.message])).toEqual(
      ADAPTER_RECEIVER_SUITE.clauses.map((c) => [c.id, 'passed', undefined]),
    )
  })

  it('sends every adapter and Task_VA_* event type with the dispatcher headers', async () => {
    const { url, received } = await startReceiver(conforming)
    await runReceiverSuite({ url, kind: 'adapter' })
    const types = new Set(received.map((r) => (r.body as { type: string }).type))
    expect([...types].sort()).toEqual([...ANY_ADAPTER_EVENT_TYPES].sort())
    for (const request of received) {
      const contract = header(request, 'x-ccai-contract')
      const surface = contract.startsWith('vta.') ? 'vta' : 'adapter'
      expect(header(request, 'idempotency-key')).toMatch(new RegExp(`^\\d+:${surface}:\\d+$`))
      expect(contract.split('.')[1]).toBe((request.body as { type: string }).type)
    }
  })

  it('fails only ADAPTER-009 when the receiver refuses keys the documents do not list', async () => {
    const { url } = await startReceiver((request) => {
      const result = checkContract(header(request, 'x-ccai-contract'), request.body)
      return result.ok && result.notes.length === 0 ? { status: 200 } : { status: 422 }
    })
    const result = await runReceiverSuite({ url, kind: 'adapter' })
    expect(failedIds(result)).toEqual(['ADAPTER-009'])
  })

  it('fails only ADAPTER-008 when the receiver chokes on End_Chat nulls', async () => {
    const { url } = await startReceiver((request) => {
      const body = request.body as { type: string; data: Record<string, unknown> }
      return body.type === 'End_Chat' && Object.values(body.data).includes(null)
        ? { status: 500 }
        : { status: 200 }
    })
    const result = await runReceiverSuite({ url, kind: 'adapter' })
    expect(failedIds(result)).toEqual(['ADAPTER-008'])
  })

  it('fails only ADAPTER-005 when the receiver knows no Task_VA_* events', async () => {
    const { url } = await startReceiver((request) =>
      (request.body as { type: string }).type.startsWith('Task_VA_')
        ? { status: 400, body: '{"error":"unknown event type"}' }
        : { status: 200 },
    )
    const result = await runReceiverSuite({ url, kind: 'adapter' })
    expect(failedIds(result)).toEqual(['ADAPTER-005'])
  })

  it('fails only ADAPTER-006 when the receiver wants a snake_case record_url', async () => {
    const { url } = await startReceiver((request) => {
      const body = request.body as { type: string; data: Record<string, unknown> }
      return body.type === 'CRM_Record_Pop' && !('record_url' in body.data)
        ? { status: 400 }
        : { status: 200 }
    })
    const result = await runReceiverSuite({ url, kind: 'adapter' })
    expect(failedIds(result)).toEqual(['ADAPTER-006'])
  })

  it('fails a clause when the receiver redirects instead of acknowledging', async () => {
    const { url } = await startReceiver(() => ({ status: 307 }))
    const result = await runReceiverSuite({ url, kind: 'adapter', only: ['ADAPTER-001'] })
    expect(failedIds(result)).toEqual(['ADAPTER-001'])
    expect(result.clauses[0]?.exchanges.every((e) => e.response?.status === 307)).toBe(true)
  })
})

describe('receiver suite clauses', () => {
  it('have stable ids, titles starting with their id, and a rationale citing a document', () => {
    for (const suite of [QM_RECEIVER_SUITE, ADAPTER_RECEIVER_SUITE]) {
      const prefix = suite === QM_RECEIVER_SUITE ? 'QM' : 'ADAPTER'
      suite.clauses.forEach((clause, index) => {
        expect(clause.id).toBe(`${prefix}-${String(index + 1).padStart(3, '0')}`)
        expect(clause.title.startsWith(`${clause.id} `)).toBe(true)
        expect(clause.rationale).toMatch(/seed 00\d|reference §|DESIGN\.md|dispatcher|qm-/)
      })
    }
  })
})
