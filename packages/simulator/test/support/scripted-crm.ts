import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { CrmIntegrationSettings } from '@ccai-sim/schemas'
import { defaultMockCrmSettings } from '../../src/crm/mock-crm/index.js'

/*
 * An in-test CRM on a real port (0): the generic dialect's routes answered by a few lines each
 * (accounts and records are never found, creates answer an id), every request recorded with its
 * body, and a script per endpoint of what to answer next — a status, a dropped connection or no
 * answer at all — so a test decides each answer the platform gets without the mock CRM's rules.
 */

/** What the CRM does with one request. */
export type ScriptedAnswer =
  | { readonly status: number; readonly body?: unknown; readonly headers?: Record<string, string> }
  | { readonly reset: true }
  | { readonly hang: true }

export type ScriptedEndpoint =
  | 'find_account_by_query'
  | 'create_account'
  | 'find_record_by_query'
  | 'create_record'
  | 'update_record'
  | 'upload_file'
  | 'comment'

export interface ScriptedCall {
  readonly endpoint: ScriptedEndpoint
  readonly method: string
  readonly path: string
  /** JSON bodies parsed; multipart bodies as text. */
  readonly body: unknown
  /** What it was answered: a status, `reset` or `hang`. */
  readonly answer: number | 'reset' | 'hang'
}

export interface ScriptedCrm {
  readonly url: string
  readonly calls: ScriptedCall[]
  /** Answers the next requests to `endpoint` with these, in order; then the normal answer again. */
  script(endpoint: ScriptedEndpoint, ...answers: ScriptedAnswer[]): void
  /** The settings of the default mock CRM, pointed here (no auth checked), with `timeoutSeconds`. */
  settings(timeoutSeconds?: CrmIntegrationSettings['request_timeout']): CrmIntegrationSettings
  close(): Promise<void>
}

function endpointOf(method: string, path: string): ScriptedEndpoint | undefined {
  if (path === '/crm/api/accounts')
    return method === 'GET' ? 'find_account_by_query' : 'create_account'
  if (path === '/crm/api/records')
    return method === 'GET' ? 'find_record_by_query' : 'create_record'
  if (/^\/crm\/api\/records\/[^/]+\/attachments$/.test(path)) return 'upload_file'
  if (/^\/crm\/api\/records\/[^/]+\/comments$/.test(path)) return 'comment'
  if (/^\/crm\/api\/records\/[^/]+$/.test(path)) return 'update_record'
  return undefined
}

const NORMAL: Record<ScriptedEndpoint, ScriptedAnswer & { readonly status: number }> = {
  find_account_by_query: { status: 200, body: [] },
  create_account: { status: 201, body: { id: 'acc-1' } },
  find_record_by_query: { status: 200, body: [] },
  create_record: { status: 201, body: { id: 'rec-1' } },
  update_record: { status: 200, body: { id: 'rec-1' } },
  upload_file: { status: 201, body: { id: 'att-1', url: 'https://crm.test/att-1' } },
  comment: { status: 201, body: { id: 'com-1' } },
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  const text = Buffer.concat(chunks).toString('utf8')
  if (text === '') return undefined
  if ((request.headers['content-type'] ?? '').includes('json')) return JSON.parse(text) as unknown
  return text
}

/** Starts a scripted CRM on 127.0.0.1, port 0. */
export async function startScriptedCrm(): Promise<ScriptedCrm> {
  const calls: ScriptedCall[] = []
  const scripts = new Map<ScriptedEndpoint, ScriptedAnswer[]>()
  const hanging = new Set<IncomingMessage>()
  const server: Server = createServer((request, response) => {
    void (async () => {
      const method = request.method ?? 'GET'
      const path = new URL(request.url ?? '/', 'http://crm.test').pathname
      const body = await readBody(request)
      const endpoint = endpointOf(method, path)
      if (endpoint === undefined) {
        response.writeHead(404, { 'content-type': 'application/json' })
        response.end(JSON.stringify({ error: `no route ${method} ${path}` }))
        return
      }
      const answer = scripts.get(endpoint)?.shift() ?? NORMAL[endpoint]
      if ('reset' in answer) {
        calls.push({ endpoint, method, path, body, answer: 'reset' })
        request.socket.destroy()
        return
      }
      if ('hang' in answer) {
        calls.push({ endpoint, method, path, body, answer: 'hang' })
        hanging.add(request)
        return
      }
      calls.push({ endpoint, method, path, body, answer: answer.status })
      response.writeHead(answer.status, {
        'content-type': 'application/json',
        ...answer.headers,
      })
      response.end(JSON.stringify(answer.body ?? {}))
    })()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`
  return {
    url,
    calls,
    script(endpoint, ...answers) {
      scripts.set(endpoint, [...(scripts.get(endpoint) ?? []), ...answers])
    },
    settings(timeoutSeconds = 2) {
      return {
        ...defaultMockCrmSettings(`${url}/crm`, { auth: { mode: 'none' } }),
        request_timeout: timeoutSeconds,
      }
    },
    async close() {
      for (const request of hanging) request.socket.destroy()
      server.closeAllConnections()
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve()
        }),
      )
    },
  }
}
