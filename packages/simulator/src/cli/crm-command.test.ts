import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { generateStory, projectCrmVariables } from '@ccai-sim/fixtures'
import { getContract, type CrmIntegrationSettings } from '@ccai-sim/schemas'
import { afterEach, describe, expect, it } from 'vitest'
import type { CrmFlowReport } from '../crm/flow-engine.js'
import { defaultMockCrmSettings, type MockCrmSnapshot } from '../crm/mock-crm/index.js'
import { startSimulator, type RunningSimulator } from '../server.js'
import type { CliIo } from './io.js'
import { CCAI_SIM_SOURCE_ARGS } from '../../test/support/cli-source.js'
import { runCli } from './main.js'

const exec = promisify(execFile)

/** The golden complete settings of the crm.settings contract (OAuth, containers, every endpoint). */
function goldenSettings(): CrmIntegrationSettings {
  const payload = getContract('crm.settings').examples[0]?.payload
  if (payload === undefined) throw new Error('crm.settings has no golden example')
  return structuredClone(payload) as CrmIntegrationSettings
}

const dirs: string[] = []
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

/** A fresh folder holding `settings.json` with `content` (a value as JSON, or raw text). */
async function settingsDir(content: unknown): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ccai-sim-crm-cli-'))
  dirs.push(dir)
  const text = typeof content === 'string' ? content : JSON.stringify(content, null, 2)
  await writeFile(join(dir, 'settings.json'), text)
  return dir
}

async function cli(args: readonly string[], cwd = process.cwd()) {
  const out: string[] = []
  const err: string[] = []
  const io: CliIo = {
    cwd,
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    readStdin: () => Promise.resolve(''),
  }
  const code = await runCli(args, io)
  return { code, stdout: out.join(''), stderr: err.join('') }
}

/** The dry run's requests: step name, method and URL of each, in printed order. */
function printedRequests(stdout: string): { step: string; method: string; url: string }[] {
  const blocks = stdout.split('\n\n# ').slice(1)
  return blocks.map((block) => {
    const step = /^\d+\. (\w+) at /.exec(block)?.[1]
    const curl = /^curl -X (\w+) '([^']+)'/m.exec(block)
    if (step === undefined || !curl?.[1] || !curl[2]) throw new Error(`unreadable block: ${block}`)
    return { step, method: curl[1], url: curl[2] }
  })
}

const SIM_CONFIG = {
  port: 0,
  clock: { mode: 'manual' },
  email: { enabled: false },
  storage: { enabled: false },
} as const

async function withSimulator<T>(body: (sim: RunningSimulator) => Promise<T>): Promise<T> {
  const sim = await startSimulator({ config: SIM_CONFIG })
  try {
    return await body(sim)
  } finally {
    await sim.close()
  }
}

/** The settings the running simulator serves: its own mock CRM over real HTTP. */
async function simulatorSettingsDir(sim: RunningSimulator): Promise<string> {
  const response = await fetch(`${sim.url}/_sim/crm/settings?secrets=include`)
  expect(response.status).toBe(200)
  return settingsDir((await response.json()) as unknown)
}

async function crmState(sim: RunningSimulator): Promise<MockCrmSnapshot> {
  return (await (await fetch(`${sim.url}/_sim/crm/state`)).json()) as MockCrmSnapshot
}

async function addFault(sim: RunningSimulator, rule: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${sim.url}/_sim/crm/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(rule),
  })
  expect(response.status).toBe(201)
}

describe('ccai-sim crm-requests', () => {
  it('prints the golden settings’ requests in the documented order, values substituted, ids 1001/2001/3001', async () => {
    const dir = await settingsDir(goldenSettings())
    const { code, stdout, stderr } = await cli(['crm-requests', '--settings', 'settings.json'], dir)
    expect(stderr).toBe('')
    expect(code).toBe(0)
    const story = generateStory('inbound-ivr-call', { seed: 1 })
    const values = projectCrmVariables(story)
    const requests = printedRequests(stdout)
    expect(stdout.split('\n')[0]).toBe(
      `# inbound-ivr-call (seed 1): session ${String(story.id)}, ${String(requests.length)} requests`,
    )

    // find account → create account → find record → create record → comments → uploads → update
    const steps = requests.map((r) => r.step)
    expect(steps.slice(0, 5)).toEqual([
      'find_account_by_query',
      'create_account',
      'find_record_by_query',
      'create_record',
      'comment',
    ])
    expect(steps.at(-1)).toBe('update_record')
    const firstUpload = steps.indexOf('upload_file')
    expect(firstUpload).toBeGreaterThan(4)
    // During the session: comments, and record updates on its events (the finish, the CSAT).
    expect(steps.slice(4, firstUpload).every((s) => s === 'comment' || s === 'update_record')).toBe(
      true,
    )
    expect(steps.slice(4, firstUpload).filter((s) => s === 'update_record').length).toBeGreaterThan(
      0,
    )
    // Each upload is followed by its upload comment (add_comment_to_record).
    expect(steps.slice(firstUpload, -1)).toEqual(
      steps.slice(firstUpload, -1).map((_, i) => (i % 2 === 0 ? 'upload_file' : 'comment')),
    )
    expect(steps.filter((s) => s === 'upload_file')).toHaveLength(2)

    // find account: GET, CONCAT_OR without the empty {ACCOUNT_ID} part, phone in E.164.
    const [findAccount, createAccount, findRecord, createRecord] = requests
    expect(findAccount?.method).toBe('GET')
    const query = new URL(findAccount?.url ?? '').searchParams
    expect(query.get('criteria')).toBe(
      `(Phone:equals:${values.PHONE_NUMBER ?? ''}) or (Email:equals:${values.EMAIL ?? ''})`,
    )
    expect(query.get('per_page')).toBe('1')
    expect(createAccount).toEqual({
      step: 'create_account',
      method: 'POST',
      url: 'https://api.acme-support.example/v2/contacts',
    })
    expect(stdout).toContain(`"first_name": "${values.FIRST_NAME ?? ''}"`)
    expect(stdout).toContain(`"phone": "${values.PHONE_NUMBER ?? ''}"`)
    // find record carries the created account id, create record too.
    expect(new URL(findRecord?.url ?? '').searchParams.get('contact_id')).toBe('1001')
    expect(createRecord?.method).toBe('POST')
    // A value that is one numeric id variable goes out as a number, as in the document's example.
    expect(stdout).toContain('"contact_id": 1001')
    expect(stdout).toContain(`"session_ref": "${String(story.id)}"`)
    // Everything after the record goes to record 2001.
    for (const r of requests.slice(4)) {
      if (r.step === 'update_record') {
        expect(r).toEqual({
          step: 'update_record',
          method: 'PATCH',
          url: 'https://api.acme-support.example/v2/tickets/2001',
        })
      } else expect(r.url).toContain('/v2/tickets/2001/')
    }
    expect(requests.at(-1)?.step).toBe('update_record')
    expect(stdout).toContain('https://desk.acme-support.example/tickets/2001/attachments/3001')
    expect(stdout).toContain("-F 'file=@call-")
    expect(stdout).toContain('"body": "<p>Call ')
    // Auth is not printed (and no secret leaks): it is added when sent.
    expect(stdout).not.toContain('7f2c9a41-demo-secret')
    expect(stdout).toContain('auth added when sent')
  })

  it('plans the session --scenario and --seed choose', async () => {
    const dir = await settingsDir(goldenSettings())
    const args = ['crm-requests', '--settings', 'settings.json']
    const { code, stdout } = await cli(
      [...args, '--scenario', 'web-chat-va-escalation', '--seed', '7'],
      dir,
    )
    expect(code).toBe(0)
    const story = generateStory('web-chat-va-escalation', { seed: 7 })
    expect(stdout).toMatch(
      new RegExp(
        `^# web-chat-va-escalation \\(seed 7\\): session ${String(story.id)}, \\d+ requests\n`,
      ),
    )
    expect(printedRequests(stdout)[0]?.step).toBe('find_account_by_query')
  })

  it('links uploads by the attachment URL when the settings say Attachment URL', async () => {
    const settings = goldenSettings()
    const upload = settings.endpoints.upload_file
    if (!upload) throw new Error('the golden settings have an upload endpoint')
    const withUrl = {
      ...settings,
      endpoints: {
        ...settings.endpoints,
        upload_file: {
          ...upload,
          attachment_type: { type: 'attachment_url', attachment_url_location: 'file.url' },
        },
        comment: { ...settings.endpoints.comment, convert_text_to_html: false },
      },
    }
    const dir = await settingsDir(withUrl)
    const { code, stdout } = await cli(['crm-requests', '--settings', 'settings.json'], dir)
    expect(code).toBe(0)
    expect(stdout).toContain('https://crm.example.com/files/3001')
  })

  it.each([
    {
      name: 'an unknown key',
      content: { ...goldenSettings(), colour: 'blue' },
      says: /colour: expected no such key/,
    },
    {
      name: 'an endpoint without its URL',
      content: (() => {
        const s = goldenSettings() as unknown as {
          endpoints: Record<string, Record<string, unknown>>
        }
        delete s.endpoints['create_account']?.['url']
        return s
      })(),
      says: /endpoints\.create_account\.url: expected string/,
    },
    {
      name: 'a timeout of 11 s',
      content: { ...goldenSettings(), request_timeout: 11 },
      says: /request_timeout: expected one of 1, 2, .* 10, received integer 11/,
    },
    { name: 'malformed JSON', content: '{ "crm_lookup_method": ', says: /is not valid JSON/ },
  ])('exits 2 naming the problem for settings with $name', async ({ content, says }) => {
    const dir = await settingsDir(content)
    for (const args of [
      ['crm-requests', '--settings', 'settings.json'],
      ['run', 'inbound-ivr-call', '--settings', 'settings.json'],
    ]) {
      const { code, stdout, stderr } = await cli(args, dir)
      expect(code).toBe(2)
      expect(stdout).toBe('')
      expect(stderr).toMatch(says)
      expect(stderr).toContain('--settings: settings.json')
      expect(stderr).toContain(`Usage: ccai-sim ${args[0] ?? ''}`)
    }
  })

  it('exits 2 for a settings file that is not there, or no --settings at all', async () => {
    const dir = await settingsDir({})
    const missing = await cli(['crm-requests', '--settings', 'nope.json'], dir)
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('--settings: cannot read nope.json (ENOENT)')
    const none = await cli(['crm-requests'], dir)
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('--settings: expected the integration settings JSON file')
    const runNone = await cli(['run', 'inbound-ivr-call'], dir)
    expect(runNone.code).toBe(2)
    expect(runNone.stderr).toContain('--settings: expected')
  })

  it('exits 2 for an unknown scenario, a bad seed or stray arguments', async () => {
    const dir = await settingsDir(goldenSettings())
    const settings = ['--settings', 'settings.json']
    const cases: [readonly string[], RegExp][] = [
      [['crm-requests', ...settings, '--scenario', 'nope'], /scenario: expected one of .*"nope"/],
      [['run', 'nope', ...settings], /scenario: expected one of .*"nope"/],
      // The scenario is named even when the settings are missing too.
      [['run', 'nope'], /scenario: expected one of .*"nope"/],
      [['run', ...settings], /run needs one scenario/],
      [['run', 'inbound-ivr-call', 'outbound-call', ...settings], /run needs one scenario/],
      [['crm-requests', ...settings, 'extra'], /takes no positional arguments/],
      [['crm-requests', ...settings, '--seed=-1'], /--seed: expected a non-negative integer/],
      [['crm-requests', ...settings, '--seed', ''], /--seed: expected a non-negative integer/],
      [['crm-requests', ...settings, '--seed', '0x10'], /--seed: expected a non-negative integer/],
      [['crm-requests', ...settings, '--colour'], /--colour: unknown option/],
    ]
    for (const [args, says] of cases) {
      const { code, stdout, stderr } = await cli(args, dir)
      expect({ args, code, stdout }).toEqual({ args, code: 2, stdout: '' })
      expect(stderr).toMatch(says)
    }
  })
})

describe('ccai-sim run', () => {
  it('runs the flow against the simulator’s mock CRM, exits 0, and the CRM holds what was sent', async () => {
    await withSimulator(async (sim) => {
      const dir = await simulatorSettingsDir(sim)
      const { code, stdout, stderr } = await cli(
        ['run', 'inbound-ivr-call', '--settings', 'settings.json'],
        dir,
      )
      expect(stderr).toBe('')
      expect(code).toBe(0)
      const lines = stdout.trimEnd().split('\n')
      const story = generateStory('inbound-ivr-call', { seed: 1 })
      expect(lines[0]).toBe(
        `inbound-ivr-call (seed 1), session ${String(story.id)}: account 1, record 1`,
      )
      const stepLines = lines.slice(1, -1)
      expect(stepLines.map((l) => l.split(/\s+/)[1])).toEqual([
        'find_account_by_query',
        'create_account',
        'find_record_by_query',
        'create_record',
        ...stepLines
          .slice(4, -1)
          .map((l) =>
            l.includes('upload_file')
              ? 'upload_file'
              : l.includes('update_record')
                ? 'update_record'
                : 'comment',
          ),
        'update_record',
      ])
      // The record is updated on the session's finish, and last after the files (wrap-up).
      expect(stepLines.filter((l) => l.includes(' update_record ('))).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^ok {4}update_record \(session_end\)  HTTP 200/),
          expect.stringMatching(/^ok {4}update_record \(wrap_up\)  HTTP 200/),
        ]),
      )
      expect(stepLines.every((l) => l.startsWith('ok    '))).toBe(true)
      expect(stepLines[1]).toBe('ok    create_account  HTTP 201, id 1')
      expect(stepLines[3]).toBe('ok    create_record  HTTP 201, id 1')
      expect(lines.at(-1)).toBe(`${String(stepLines.length)} passed, 0 failed`)

      const state = await crmState(sim)
      const values = projectCrmVariables(story)
      expect(state.accounts).toHaveLength(1)
      expect(state.accounts[0]?.fields).toEqual(
        expect.objectContaining({ phone: values.PHONE_NUMBER, first_name: values.FIRST_NAME }),
      )
      expect(state.records).toHaveLength(1)
      expect(state.records[0]?.accountId).toBe('1')
      const commentLines = stepLines.filter((l) => l.includes(' comment ('))
      expect(state.comments).toHaveLength(commentLines.length)
      expect(state.comments.every((c) => c.recordId === '1')).toBe(true)
      expect(state.comments[0]?.body).toContain(`started`)
      const uploadLines = stepLines.filter((l) => l.includes(' upload_file ('))
      expect(uploadLines.length).toBeGreaterThan(0)
      expect(state.attachments).toHaveLength(uploadLines.length)
      expect(state.attachments.every((a) => a.recordId === '1' && a.size > 0)).toBe(true)
      expect(uploadLines[0]).toContain(`${sim.url}/crm/attachments/1`)
    })
  })

  it('warns when a find went without its only filter because the variable was empty, naming the setting', async () => {
    await withSimulator(async (sim) => {
      const response = await fetch(`${sim.url}/_sim/crm/settings?secrets=include`)
      const settings = (await response.json()) as CrmIntegrationSettings
      // The default settings fall back to a value nothing matches; an administrator's plain filter:
      const plain = settings.endpoints.find_record_by_query
      if (plain == null) throw new Error('the default settings have no record search')
      const endpoints = {
        ...settings.endpoints,
        find_record_by_query: {
          ...plain,
          parameters: (plain.parameters ?? []).map((p) =>
            p.key === 'account_id' ? { ...p, value: '{ACCOUNT_ID}' } : p,
          ),
        },
      }
      // A new caller with skip_account_creation: no account id for Find a record by query.
      const dir = await settingsDir({ ...settings, endpoints, skip_account_creation: true })
      const { code, stdout } = await cli(
        ['run', 'inbound-ivr-call', '--settings', 'settings.json'],
        dir,
      )
      expect(code).toBe(0)
      const warnings = stdout.split('\n').filter((l) => l.startsWith('WARN  find_'))
      expect(warnings).toHaveLength(1)
      expect(warnings[0]).toMatch(
        /^WARN {2}find_record_by_query went without its filter "account_id" \(\{ACCOUNT_ID\} was empty\).*skip_account_creation/,
      )
      const dry = await cli(['crm-requests', '--settings', 'settings.json'], dir)
      expect(dry.code).toBe(0)
      expect(dry.stdout).toContain(
        '# WARN  find_record_by_query went without its filter "account_id"',
      )
      // The default settings, the same caller: the search keeps its filter, nothing to warn about.
      const guarded = await settingsDir({ ...settings, skip_account_creation: true })
      const run = await cli(['run', 'inbound-ivr-call', '--settings', 'settings.json'], guarded)
      expect(run.code).toBe(0)
      expect(run.stdout).toContain('find_record_by_query')
      expect(run.stdout.split('\n').filter((l) => l.startsWith('WARN  '))).toEqual([])
    })
  })

  it('exits 1 and shows FAIL with the status when the CRM answers create_record with a 500', async () => {
    await withSimulator(async (sim) => {
      const dir = await simulatorSettingsDir(sim)
      await addFault(sim, { route: 'create_record', kind: 'status', status: 500 })
      const { code, stdout } = await cli(
        ['run', 'inbound-ivr-call', '--settings', 'settings.json'],
        dir,
      )
      expect(code).toBe(1)
      const lines = stdout.trimEnd().split('\n')
      // Retried once at once (the error-handling page), then given up.
      expect(lines).toContain('FAIL  create_record  HTTP 500, 2 attempts')
      expect(lines[0]).toMatch(/: account 1, record -$/)
      // Without a record id the rest is skipped, not failed (500 is not retried on a schedule).
      expect(lines.filter((l) => l.startsWith('skip  ')).length).toBeGreaterThan(0)
      expect(lines.at(-1)).toBe('3 passed, 1 failed')
      const state = await crmState(sim)
      expect(state.accounts).toHaveLength(1)
      expect(state.records).toEqual([])
      expect(state.comments).toEqual([])
      const faults = (await (await fetch(`${sim.url}/_sim/crm/faults`)).json()) as {
        fired: number
      }[]
      expect(faults[0]?.fired).toBe(2)
    })
  })

  it('prints the report as one JSON document with --json, the summary on stderr', async () => {
    await withSimulator(async (sim) => {
      const dir = await simulatorSettingsDir(sim)
      const { code, stdout, stderr } = await cli(
        ['run', 'outbound-call', '--settings', 'settings.json', '--seed', '3', '--json'],
        dir,
      )
      expect(code).toBe(0)
      const report = JSON.parse(stdout) as CrmFlowReport
      const story = generateStory('outbound-call', { seed: 3 })
      expect(report).toEqual(
        expect.objectContaining({
          sessionId: story.id,
          state: 'done',
          accountId: '1',
          recordId: '1',
        }),
      )
      expect(report.steps[0]).toEqual(
        expect.objectContaining({
          step: 'find_account_by_query',
          outcome: 'succeeded',
          status: 200,
        }),
      )
      expect(report.steps.every((s) => s.outcome === 'succeeded')).toBe(true)
      expect(stderr).toBe(`${String(report.steps.length)} passed, 0 failed\n`)
    })
  })

  it('exits 1 with the connection error when nothing listens at the CRM’s address', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer()
      server.listen(0, '127.0.0.1', () => {
        const address = server.address()
        server.close(() => {
          resolve(typeof address === 'object' && address ? address.port : 0)
        })
      })
    })
    const dir = await settingsDir(defaultMockCrmSettings(`http://127.0.0.1:${String(port)}/crm`))
    const { code, stdout } = await cli(
      ['run', 'inbound-ivr-call', '--settings', 'settings.json'],
      dir,
    )
    expect(code).toBe(1)
    const lines = stdout.trimEnd().split('\n')
    expect(lines[1]).toMatch(/^FAIL {2}find_account_by_query {2}\S/)
    expect(lines[1]).toMatch(/refused/i)
    // No account, so no record search (records are attached to accounts, seed 000); the rest is skipped.
    expect(lines[2]).toMatch(/^skip {2}find_record_by_query {2}find_account_by_query failed/)
    const rest = lines.slice(3, -1)
    expect(rest.every((l) => l.startsWith('skip  '))).toBe(true)
    expect(lines.at(-1)).toBe('0 passed, 1 failed')
  })
})

describe('the ccai-sim binary', () => {
  it('prints the dry run and runs a flow as a real process, with the documented exit codes', async () => {
    const dir = await settingsDir(goldenSettings())
    const dry = await exec(
      process.execPath,
      [...CCAI_SIM_SOURCE_ARGS, 'crm-requests', '--settings', 'settings.json'],
      {
        cwd: dir,
      },
    )
    expect(dry.stderr).toBe('')
    expect(printedRequests(dry.stdout).map((r) => r.step)[0]).toBe('find_account_by_query')
    const bad = await exec(
      process.execPath,
      [...CCAI_SIM_SOURCE_ARGS, 'crm-requests', '--settings', 'x.json'],
      {
        cwd: dir,
      },
    ).catch((e: unknown) => e as { code: number; stderr: string })
    expect(bad).toEqual(expect.objectContaining({ code: 2 }))

    await withSimulator(async (sim) => {
      const simDir = await simulatorSettingsDir(sim)
      await addFault(sim, { route: 'create_record', kind: 'status', status: 500 })
      const failed = await exec(
        process.execPath,
        [...CCAI_SIM_SOURCE_ARGS, 'run', 'inbound-ivr-call', '--settings', 'settings.json'],
        { cwd: simDir },
      ).catch((e: unknown) => e as { code: number; stdout: string })
      expect(failed).toEqual(expect.objectContaining({ code: 1 }))
      expect(failed.stdout).toContain('\nFAIL  create_record  HTTP 500, 2 attempts\n')
      await fetch(`${sim.url}/_sim/crm/faults`, { method: 'DELETE' })
      const ok = await exec(
        process.execPath,
        [
          ...CCAI_SIM_SOURCE_ARGS,
          'run',
          'inbound-ivr-call',
          '--settings',
          'settings.json',
          '--seed',
          '2',
        ],
        { cwd: simDir },
      )
      expect(ok.stdout).toMatch(/\n\d+ passed, 0 failed\n$/)
      expect((await crmState(sim)).records).toHaveLength(1)
    })
  }, 120_000)
})
