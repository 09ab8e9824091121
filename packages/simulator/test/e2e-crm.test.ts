import { mkdtemp, readFile, rm } from 'node:fs/promises'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { UPLOAD_FILE_KINDS, type CrmIntegrationSettings } from '@ccai-sim/schemas'
import { afterEach, describe, expect, it } from 'vitest'
import type { MockCrmSnapshot } from '../src/crm/mock-crm/index.js'
import type { SimulatorConfigInput } from '../src/config.js'
import { startSimulator, type RunningSimulator } from '../src/server.js'

/*
 * The generic API end to end, over real HTTP: the simulator plays a call and its CRM client calls
 * (1) the simulator's own mock CRM at /crm, with the default settings and the default API-key
 * auth, and (2) a third-party REST server from npm (json-server), with settings written for its
 * API. Time is a manual virtual clock moved through the control API, which waits for the CRM
 * requests each move sets off.
 */

const MINUTE = 60_000
const START = '2026-01-15T14:00:00.000Z'

type Json = Record<string, unknown>

interface StepJson {
  readonly step: string
  readonly outcome: string
  readonly comment?: string
  readonly file?: string
  readonly link?: string
  readonly attempts: number
}

interface ReportJson {
  readonly state: string
  readonly accountId: string | null
  readonly recordId: string | null
  readonly steps: readonly StepJson[]
}

async function call(base: string, what: string, body?: unknown): Promise<Response> {
  const [method = 'GET', path = '/'] = what.split(' ')
  return fetch(`${base}${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  })
}

async function json<T = Json>(response: Response): Promise<T> {
  const text = await response.text()
  if (!response.ok) throw new Error(`HTTP ${String(response.status)}: ${text}`)
  return JSON.parse(text) as T
}

/** Starts a call, then moves the clock five minutes at a time until its CRM flow is done. */
async function playCall(sim: RunningSimulator): Promise<{ id: number; report: ReportJson }> {
  const started = await json<{ id: number }>(
    await call(sim.url, 'POST /_sim/sessions', { scenario: 'inbound-ivr-call', seed: 7 }),
  )
  for (let minutes = 0; minutes <= 120; minutes += 5) {
    const report = await json<ReportJson>(
      await call(sim.url, `GET /_sim/sessions/${started.id}/crm`),
    )
    if (report.state === 'done') return { id: started.id, report }
    await json(await call(sim.url, 'POST /_sim/clock', { advanceMs: 5 * MINUTE }))
  }
  throw new Error('the CRM flow did not finish within two virtual hours')
}

function baseConfig(extra: Partial<SimulatorConfigInput> = {}): SimulatorConfigInput {
  return {
    port: 0,
    clock: { mode: 'manual', start: START },
    email: { enabled: false },
    storage: { enabled: true, dir: 'storage' },
    ...extra,
  }
}

let dir: string | undefined
let sim: RunningSimulator | undefined
let jsonServer: Server | undefined

afterEach(async () => {
  await sim?.close()
  sim = undefined
  if (jsonServer) {
    const server = jsonServer
    await new Promise<void>((resolve) => {
      server.close(() => {
        resolve()
      })
      server.closeAllConnections()
    })
    jsonServer = undefined
  }
  if (dir) await rm(dir, { recursive: true, force: true })
  dir = undefined
})

describe('a call against the built-in mock CRM, over real HTTP', () => {
  it('leaves one account and one record with the comments in order, the files byte for byte and the final update', async () => {
    dir = await mkdtemp(join(tmpdir(), 'ccai-sim-e2e-crm-'))
    sim = await startSimulator({ config: baseConfig(), cwd: dir })
    const { id, report } = await playCall(sim)

    expect(report.steps.filter((s) => s.outcome !== 'succeeded')).toEqual([])
    const session = await json<{
      story: { endUser: { phone: string }; legacyType: string }
      files: { path: string }[]
    }>(await call(sim.url, `GET /_sim/sessions/${id}`))

    const state = await json<MockCrmSnapshot>(await call(sim.url, 'GET /_sim/crm/state'))
    expect(state.accounts).toHaveLength(1)
    expect(state.records).toHaveLength(1)
    const account = state.accounts[0]!
    const record = state.records[0]!
    expect(account.fields['phone']).toBe(session.story.endUser.phone)
    expect(record.accountId).toBe(account.id)
    expect(report).toMatchObject({ accountId: account.id, recordId: record.id })

    // Comments: start, end, CSAT (when left), disposition, then one per upload, in that order.
    const bodies = state.comments.filter((c) => c.recordId === record.id).map((c) => c.body)
    const events = report.steps.filter((s) => s.step === 'comment').map((s) => s.comment)
    expect(bodies).toHaveLength(events.length)
    expect(events.slice(0, 2)).toEqual(['session_start', 'session_end'])
    expect(events.at(-1)).toBe('file_uploaded')
    expect(bodies[0]).toBe(`Call ${id} started (${session.story.legacyType}).`)
    expect(bodies[1]).toMatch(
      new RegExp(`^Call ${id} ended by the (agent|end user) after \\d\\d:\\d\\d\\.$`),
    )
    expect(bodies.filter((b) => b.startsWith('Disposition: '))).toHaveLength(1)

    // Uploads: every storage file, the same bytes as the storage folder's copy.
    const uploads = report.steps.filter((s) => s.step === 'upload_file')
    // Files due at the same instant upload as each write finishes: compare the sets.
    expect(uploads.map((u) => u.file).sort()).toEqual(session.files.map((f) => f.path).sort())
    expect(state.attachments).toHaveLength(session.files.length)
    for (const upload of uploads) {
      expect(upload.link).toMatch(new RegExp(`^${sim.url}/crm/attachments/\\d+$`))
      const downloaded = Buffer.from(await (await fetch(upload.link!)).arrayBuffer())
      const stored = await readFile(join(sim.storageDir!, upload.file!))
      expect(downloaded.equals(stored)).toBe(true)
    }
    // The upload comments link to the files.
    expect(
      bodies.filter((b) => b.startsWith('File uploaded: ')).map((b) => b.split('\n')[1]),
    ).toEqual(uploads.map((u) => u.link))

    // The final update wrote what is only known at the end.
    expect(record.fields).toMatchObject({
      call_duration: expect.stringMatching(/^\d\d:\d\d$/) as unknown,
      disconnected_by: expect.stringMatching(/^disconnected_by_/) as unknown,
      wait_time: expect.stringMatching(/^\d\d:\d\d$/) as unknown,
    })
    expect(report.steps.at(-1)).toMatchObject({ step: 'update_record', outcome: 'succeeded' })

    // Every request went over the network to the simulator's own URL, with the API key, journaled.
    const journal = await json<{ entries: Json[] }>(
      await call(sim.url, 'GET /_sim/journal?type=crm-exchange&limit=1000'),
    )
    expect(journal.entries).toHaveLength(report.steps.length)
    for (const entry of journal.entries) {
      expect(entry['url']).toMatch(new RegExp(`^${sim.url}/crm/api/`))
      expect(entry['requestHeaders']).toMatchObject({ 'X-Api-Key': '***' })
      expect(entry['sessionId']).toBe(id)
    }
  })
})

/** The bits of json-server 0.17 the test uses (it has no types of its own). */
interface JsonServerModule {
  create(): {
    use(...handlers: unknown[]): void
    listen(port: number, host: string, done: () => void): Server
  }
  router(db: Json): { readonly db: { getState(): Json } }
  defaults(options: { logger: boolean }): unknown[]
}

/** Integration settings written for json-server's REST API (no dialect of ours involved). */
function jsonServerSettings(url: string): CrmIntegrationSettings {
  const p = (key: string, value: string): { key: string; value: string } => ({ key, value })
  return {
    crm_lookup_method: 'generic_api',
    authentication: {
      method: 'custom_header',
      fields: [{ field_key: 'X-Api-Key', field_value: 'json-server-ignores-it' }],
    },
    phone_number_format: 'e164',
    request_timeout: 5,
    account_lookup_url: `${url}/accounts/{ACCOUNT_ID}`,
    record_lookup_url: `${url}/records/{RECORD_ID}`,
    reuse_existing_records: true,
    endpoints: {
      find_account_by_query: {
        url: `${url}/accounts`,
        method: 'GET',
        parameters: [p('phone', '{PHONE_NUMBER}')],
        response_data_location: '0',
      },
      find_account_by_id: { url: `${url}/accounts/{ACCOUNT_ID}`, method: 'GET' },
      create_account: {
        url: `${url}/accounts`,
        method: 'POST',
        parameters: [
          p('name', '{NAME}'),
          p('phone', '{PHONE_NUMBER}'),
          p('email', '{EMAIL}'),
          p('ujetId', '{UJET_ID}'),
        ],
        custom_id_location: 'id',
      },
      find_record_by_query: {
        url: `${url}/records`,
        method: 'GET',
        parameters: [p('accountId', '{ACCOUNT_ID}'), p('status', 'open')],
        response_data_location: '0',
      },
      create_record: {
        url: `${url}/records`,
        method: 'POST',
        parameters: [
          p('subject', '{TICKET_SUBJECT}'),
          p('accountId', '{ACCOUNT_ID}'),
          p('status', 'open'),
          p('sessionId', '{SESSION_ID}'),
          p('agentEmail', '=DEFAULT_VALUE({AGENT_EMAIL}, unassigned)'),
        ],
        custom_id_location: 'id',
      },
      update_record: {
        url: `${url}/records/{RECORD_ID}`,
        method: 'PATCH',
        parameters: [
          p('description', '{TICKET_DESCRIPTION}'),
          p('callDuration', '{CALL_DURATION}'),
          p('rating', '{RATING}'),
          p('status', 'closed'),
        ],
      },
      upload_file: {
        url: `${url}/attachments`,
        method: 'POST',
        parameters: [p('recordId', '{RECORD_ID}'), p('data', '{FILE_DATA}')],
        upload_type: 'base64',
        files_to_attach: [...UPLOAD_FILE_KINDS],
        attachment_type: {
          type: 'id',
          attachment_id_location: 'id',
          attachment_builder_url: `${url}/attachments/{ATTACHMENT_ID}`,
        },
        add_comment_to_record: true,
      },
      comment: {
        url: `${url}/comments`,
        method: 'POST',
        parameters: [p('recordId', '{RECORD_ID}'), p('body', '{COMMENT_BODY}')],
        convert_text_to_html: true,
      },
    },
  }
}

describe('the same call against json-server, a third-party REST server', () => {
  it('leaves the account, the record, the comments and the base64 attachments in its database', async () => {
    const require = createRequire(import.meta.url)
    const jsonServerLib = require('json-server') as JsonServerModule
    const router = jsonServerLib.router({
      accounts: [],
      records: [],
      comments: [],
      attachments: [],
    })
    const app = jsonServerLib.create()
    app.use(jsonServerLib.defaults({ logger: false }))
    app.use(router)
    const server = await new Promise<Server>((resolve) => {
      const listening: Server = app.listen(0, '127.0.0.1', () => {
        resolve(listening)
      })
    })
    jsonServer = server
    const url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`

    dir = await mkdtemp(join(tmpdir(), 'ccai-sim-e2e-json-server-'))
    sim = await startSimulator({
      config: baseConfig({ crm: { settings: jsonServerSettings(url) } }),
      cwd: dir,
    })
    const { id, report } = await playCall(sim)
    expect(report.steps.filter((s) => s.outcome !== 'succeeded')).toEqual([])

    const db = router.db.getState() as {
      accounts: Json[]
      records: Json[]
      comments: Json[]
      attachments: Json[]
    }
    const session = await json<{
      story: { endUser: { phone: string } }
      files: { path: string }[]
    }>(await call(sim.url, `GET /_sim/sessions/${id}`))

    expect(db.accounts).toEqual([
      expect.objectContaining({ id: 1, phone: session.story.endUser.phone }),
    ])
    expect(db.records).toEqual([
      expect.objectContaining({
        id: 1,
        // One numeric id variable goes out as a number (the document's create-record example).
        accountId: 1,
        sessionId: id,
        // The final update.
        status: 'closed',
        callDuration: expect.stringMatching(/^\d\d:\d\d$/) as unknown,
      }),
    ])
    // Comments in order, as HTML (Convert text to HTML), each on the record.
    expect(db.comments.every((c) => c['recordId'] === 1)).toBe(true)
    const bodies = db.comments.map((c) => c['body'] as string)
    expect(bodies).toHaveLength(report.steps.filter((s) => s.step === 'comment').length)
    expect(bodies[0]).toMatch(/^<p>Call \d+ started/)
    expect(bodies[1]).toMatch(/^<p>Call \d+ ended/)
    expect(bodies.filter((b) => b.startsWith('<p>File uploaded: '))).toHaveLength(
      session.files.length,
    )

    expect(db.attachments).toHaveLength(session.files.length)
    // Files due at the same instant upload as each write finishes, so the database may hold them
    // in another order than the session lists them: each upload's link names its attachment,
    // which holds that file's bytes.
    const linkOf = (a: Json): string => `${url}/attachments/${String(a['id'])}`
    const uploads = report.steps.filter((s) => s.step === 'upload_file')
    expect(uploads.map((u) => u.file).sort()).toEqual(session.files.map((f) => f.path).sort())
    expect(uploads.map((u) => u.link).sort()).toEqual(db.attachments.map(linkOf).sort())
    for (const upload of uploads) {
      const attachment = db.attachments.find((a) => linkOf(a) === upload.link)!
      expect(attachment['recordId']).toBe(1)
      const stored = await readFile(join(sim.storageDir!, upload.file!))
      expect(Buffer.from(attachment['data'] as string, 'base64').equals(stored)).toBe(true)
    }
  })
})
