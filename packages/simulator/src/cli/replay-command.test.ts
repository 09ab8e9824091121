import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSimulatorApp } from '../app.js'
import { runCli } from './main.js'

/*
 * `ccai-sim replay <journal>`: a journal saved from a running simulator (GET /_sim/journal) is
 * re-run offline from its inputs, and each replayed emission is compared with the published one.
 */

const MINUTE = 60_000

function memoryIo(cwd: string, stdin = '') {
  const out: string[] = []
  const err: string[] = []
  return {
    io: {
      cwd,
      stdout: (t: string) => out.push(t),
      stderr: (t: string) => err.push(t),
      readStdin: () => Promise.resolve(stdin),
    },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  }
}

let dir = ''
/** The journal page of a simulator that played a scripted session and a manual one by hand. */
let journal = ''
let manualId = 0

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ccai-replay-'))
  const sim = createSimulatorApp({
    config: {
      clock: { mode: 'manual', start: '2026-01-15T14:00:00.000Z' },
      crm: { enabled: false },
    },
  })
  const post = (path: string, body: unknown = {}) =>
    sim.app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  expect((await post('/_sim/sessions', { scenario: 'inbound-ivr-call', seed: 5 })).status).toBe(201)
  expect((await post('/_sim/agents/7/login')).status).toBe(200)
  expect((await post('/_sim/agents/7/available')).status).toBe(200)
  const started = await post('/_sim/sessions', {
    scenario: 'sms-chat-dismissed',
    seed: 3,
    agent: 'manual',
  })
  manualId = ((await started.json()) as { id: number }).id
  const session = sim.runtime.getSession(manualId)
  for (let i = 0; i < 300 && session?.machine.offeredTo === null; i += 1) {
    await sim.runtime.advance(1000)
  }
  expect((await post(`/_sim/sessions/${manualId}/accept`, { agentId: 7 })).status).toBe(200)
  expect(
    (await post(`/_sim/sessions/${manualId}/message`, { agentId: 7, text: 'Hi from the CLI test' }))
      .status,
  ).toBe(200)
  await sim.runtime.advance(MINUTE)
  expect((await post(`/_sim/sessions/${manualId}/end`, { agentId: 7 })).status).toBe(200)
  expect((await post(`/_sim/sessions/${manualId}/finish_wrapup`, { agentId: 7 })).status).toBe(200)
  await sim.runtime.advance(3 * 60 * MINUTE)
  journal = await (await sim.app.request('/_sim/journal?limit=5000')).text()
  await sim.close()
}, 120_000)

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('ccai-sim replay', () => {
  it('replays every session of a saved journal identically, the manual one with its agent commands, and exits 0', async () => {
    await writeFile(join(dir, 'journal.json'), journal)
    const run = memoryIo(dir)
    expect(await runCli(['replay', 'journal.json'], run.io), run.stderr()).toBe(0)
    expect(run.stdout()).toMatch(
      /^ok {4}session \d+ \(inbound-ivr-call, seed 5\): \d+ inputs, \d+ emissions, replayed identically$/m,
    )
    expect(run.stdout()).toMatch(
      new RegExp(`^ok {4}session ${manualId} \\(sms-chat-dismissed, seed 3\\): \\d+ inputs`, 'm'),
    )
    expect(run.stdout()).toContain('2 sessions: 2 identical, 0 not')
  })

  it('reads JSON Lines from stdin and answers one JSON document with --json for one session', async () => {
    const page = JSON.parse(journal) as { entries: unknown[] }
    const lines = page.entries.map((e) => JSON.stringify(e)).join('\n')
    const run = memoryIo(dir, lines)
    expect(await runCli(['replay', '-', '--session', String(manualId), '--json'], run.io)).toBe(0)
    const report = JSON.parse(run.stdout()) as {
      identical: boolean
      sessions: { sessionId: number; inputs: number; emissions: number }[]
    }
    expect(report.identical).toBe(true)
    expect(report.sessions).toHaveLength(1)
    expect(report.sessions[0]?.sessionId).toBe(manualId)
    expect(report.sessions[0]?.emissions).toBeGreaterThan(3)
  })

  it('names the session and the first emission that differs when a journal was altered, and exits 1', async () => {
    const page = JSON.parse(journal) as { entries: Record<string, unknown>[] }
    const message = page.entries.find(
      (e) =>
        e['type'] === 'emitted' &&
        e['sessionId'] === manualId &&
        e['contract'] === 'adapter.Chat_Outbound_Message',
    )
    expect(message).toBeDefined()
    message!['payload'] = { ...(message!['payload'] as object), message: 'edited after the fact' }
    await writeFile(join(dir, 'edited.json'), JSON.stringify(page))
    const run = memoryIo(dir)
    expect(await runCli(['replay', 'edited.json'], run.io)).toBe(1)
    expect(run.stdout()).toMatch(
      new RegExp(`^FAIL  session ${manualId} .*: emission \\d+ differs$`, 'm'),
    )
    expect(run.stdout()).toContain('edited after the fact')
    expect(run.stdout()).toContain('2 sessions: 1 identical, 1 not')
  })

  it('says a session cannot be replayed when the journal lost its start, and exits 1', async () => {
    const page = JSON.parse(journal) as { entries: Record<string, unknown>[] }
    const cut = page.entries.filter(
      (e) => !(e['type'] === 'session-started' && e['sessionId'] === manualId),
    )
    await writeFile(join(dir, 'cut.json'), JSON.stringify({ entries: cut }))
    const run = memoryIo(dir)
    expect(await runCli(['replay', 'cut.json'], run.io)).toBe(1)
    expect(run.stdout()).toContain('does not hold its session-started entry')
  })

  it('exits 2 naming the problem for a missing file, bad JSON, a bad entry and a bad --session', async () => {
    await writeFile(join(dir, 'broken.jsonl'), '{"type":"input"}\nnot json\n')
    await writeFile(
      join(dir, 'bad-entry.json'),
      JSON.stringify([{ type: 'input', sessionId: 'x' }]),
    )
    const cases: [string[], RegExp][] = [
      [['replay', 'nope.json'], /nope\.json: cannot read \(ENOENT\)/],
      [['replay', 'broken.jsonl'], /broken\.jsonl:2: not JSON/],
      [['replay', 'bad-entry.json'], /entry 1 \(input\): at: .*expected number/],
      [
        ['replay', 'journal.json', '--session', 'one'],
        /--session: expected a session id \(a positive integer\), received "one"/,
      ],
      [['replay'], /replay needs a journal file/],
    ]
    for (const [args, says] of cases) {
      const run = memoryIo(dir)
      expect(await runCli(args, run.io), args.join(' ')).toBe(2)
      expect(run.stderr(), args.join(' ')).toMatch(says)
    }
  })
})
