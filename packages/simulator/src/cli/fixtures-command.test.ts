import { execFile, spawn } from 'node:child_process'
import { promisify } from 'node:util'
import {
  buildContract,
  generateShift,
  generateStory,
  projectAdapterEvents,
  projectCrmVariables,
  projectSession,
  projectShift,
  projectTranscript,
  SCENARIO_NAMES,
  SURFACES,
  type Emission,
} from '@ccai-sim/fixtures'
import { checkContract } from '@ccai-sim/schemas'
import { describe, expect, it } from 'vitest'
import type { CliIo } from './io.js'
import { CCAI_SIM_SOURCE_ARGS } from '../../test/support/cli-source.js'
import { runCli } from './main.js'

function memoryIo() {
  const out: string[] = []
  const err: string[] = []
  const io: CliIo = {
    cwd: process.cwd(),
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    readStdin: () => Promise.resolve(''),
  }
  return { io, stdout: () => out.join(''), stderr: () => err.join('') }
}

async function cli(args: readonly string[]) {
  const run = memoryIo()
  const code = await runCli(args, run.io)
  return { code, stdout: run.stdout(), stderr: run.stderr() }
}

function lines(text: string): unknown[] {
  expect(text.endsWith('\n')).toBe(true)
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as unknown)
}

/** An emission as the CLI prints it: the time as ISO 8601, everything else as is. */
function printed(emission: Emission): unknown {
  return { ...emission, at: new Date(emission.at).toISOString() }
}

describe('ccai-sim fixtures', () => {
  it('prints --count strictly valid JSON lines, value i built with seed N+i', async () => {
    const { code, stdout, stderr } = await cli([
      'fixtures',
      'adapter.New_Call',
      '--seed',
      '3',
      '--count',
      '5',
    ])
    expect(stderr).toBe('')
    expect(code).toBe(0)
    const values = lines(stdout)
    expect(values).toHaveLength(5)
    values.forEach((value, i) => {
      expect(checkContract('adapter.New_Call', value, { mode: 'strict' }).issues).toEqual([])
      expect(value).toEqual(buildContract('adapter.New_Call', undefined, { seed: 3 + i }))
    })
    // Different seeds, different values.
    expect(new Set(stdout.split('\n')).size).toBe(6)
  })

  it('prints one value with seed 1 by default, and honours --ref-date', async () => {
    const plain = await cli(['fixtures', 'qm.CallState'])
    expect(plain.code).toBe(0)
    expect(lines(plain.stdout)).toEqual([buildContract('qm.CallState', undefined, { seed: 1 })])
    const dated = await cli(['fixtures', 'qm.CallState', '--ref-date', '2025-06-01T08:00:00Z'])
    expect(lines(dated.stdout)).toEqual([
      buildContract('qm.CallState', undefined, { seed: 1, refDate: '2025-06-01T08:00:00Z' }),
    ])
  })

  it('exits 2 naming what is wrong for bad usage', async () => {
    const cases: [string[], string][] = [
      [['fixtures', 'adapter.Nope'], 'contract: no contract with id "adapter.Nope"'],
      [
        ['fixtures', 'qm.callstate'],
        'contract: no contract with id "qm.callstate"; did you mean qm.CallState?',
      ],
      [
        ['fixtures', 'adapter.New_Call', '--count', '0'],
        '--count: expected an integer from 1 to 100000, received "0"',
      ],
      [['fixtures', 'adapter.New_Call', '--count', '1.5'], '--count: expected an integer'],
      [
        ['fixtures', 'adapter.New_Call', '--seed', 'abc'],
        '--seed: expected an integer from 0 to 2147483648, received "abc"',
      ],
      [['fixtures', 'adapter.New_Call', '--seed=-1'], '--seed: expected an integer'],
      [
        ['fixtures', 'adapter.New_Call', '--ref-date', 'soon'],
        '--ref-date: expected an ISO 8601 date-time, received "soon"',
      ],
      [['fixtures'], 'fixtures needs a contract id'],
      [['fixtures', 'adapter.New_Call', 'qm.CallState'], 'fixtures takes one contract id, got 2'],
      [['fixtures', 'adapter.New_Call', '--colour'], '--colour: unknown option'],
    ]
    for (const [args, message] of cases) {
      const run = await cli(args)
      expect(run.code, args.join(' ')).toBe(2)
      expect(run.stderr, args.join(' ')).toContain(message)
      expect(run.stderr, args.join(' ')).toContain('Usage: ccai-sim fixtures')
      expect(run.stdout, args.join(' ')).toBe('')
    }
  })

  it('runs as a real process with the same output and exit codes', async () => {
    const exec = promisify(execFile)
    const ok = await exec(process.execPath, [
      ...CCAI_SIM_SOURCE_ARGS,
      'fixtures',
      'adapter.New_Call',
      '--seed',
      '3',
      '--count',
      '5',
    ])
    expect(ok.stdout).toBe(
      (await cli(['fixtures', 'adapter.New_Call', '--seed', '3', '--count', '5'])).stdout,
    )
    const bad = await exec(process.execPath, [
      ...CCAI_SIM_SOURCE_ARGS,
      'fixtures',
      'adapter.New_Call',
      '--count',
      '0',
    ]).catch((error: unknown) => error as { code: number; stderr: string })
    expect(bad).toMatchObject({ code: 2 })
    expect((bad as { stderr: string }).stderr).toContain(
      '--count: expected an integer from 1 to 100000, received "0"',
    )
  }, 120_000)

  it('draws a progress line on stderr for a long export only when stdout is a terminal', async () => {
    const args = ['fixtures', 'adapter.New_Call', '--count', '1000']
    const piped = await cli(args)
    expect(piped.stderr).toBe('')
    const out: string[] = []
    const err: string[] = []
    const terminal: CliIo = {
      cwd: process.cwd(),
      stdout: (text) => out.push(text),
      stderr: (text) => err.push(text),
      readStdin: () => Promise.resolve(''),
      stdoutIsTerminal: true,
    }
    expect(await runCli(args, terminal)).toBe(0)
    // The first update always draws; the line is cleared before output and at the end.
    expect(err[0]).toBe('\r\u001b[Kccai-sim fixtures adapter.New_Call: 1/1000 (0%)')
    expect(err.at(-1)).toBe('\r\u001b[K')
    expect(out.join('')).toBe(piped.stdout)
  }, 60_000)

  it('ends quietly with exit 0 when the reader closes the pipe early (| head -1)', async () => {
    const child = spawn(
      process.execPath,
      [...CCAI_SIM_SOURCE_ARGS, 'fixtures', 'adapter.New_Call', '--count', '100000'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const exited = new Promise<number | null>((done) => child.once('exit', done))
    // Like `head -1`: read the first line, then close our end of the pipe.
    const first = await new Promise<string>((done) => {
      let text = ''
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        text += chunk
        if (text.includes('\n')) done(text.slice(0, text.indexOf('\n')))
      })
    })
    child.stdout.destroy()
    expect(JSON.parse(first)).toMatchObject({ type: 'New_Call' })
    expect(await exited).toBe(0)
    expect(stderr).toBe('')
  }, 60_000)
})

describe('ccai-sim story', () => {
  it('prints the adapter emissions as JSON Lines, equal to projectAdapterEvents', async () => {
    const { code, stdout, stderr } = await cli([
      'story',
      'web-chat-va-escalation',
      '--seed',
      '2',
      '--surface',
      'adapter',
    ])
    expect(stderr).toBe('')
    expect(code).toBe(0)
    const expected = projectAdapterEvents(generateStory('web-chat-va-escalation', { seed: 2 }))
    expect(expected.length).toBeGreaterThan(3)
    expect(lines(stdout)).toEqual(expected.map(printed))
    for (const e of expected)
      expect(checkContract(e.contract, e.payload, { mode: 'strict' }).issues, e.key).toEqual([])
  })

  it('prints the TXT transcript with --surface transcript --format txt, and its JSON without', async () => {
    const story = generateStory('web-chat-va-escalation', { seed: 2 })
    const transcript = projectTranscript(story)
    if (!transcript) throw new Error('a chat has a transcript')
    const txt = await cli([
      'story',
      'web-chat-va-escalation',
      '--seed',
      '2',
      '--surface',
      'transcript',
      '--format',
      'txt',
    ])
    expect(txt.code).toBe(0)
    expect(txt.stdout).toBe(transcript.txt.endsWith('\n') ? transcript.txt : `${transcript.txt}\n`)
    const json = await cli([
      'story',
      'web-chat-va-escalation',
      '--seed',
      '2',
      '--surface',
      'transcript',
    ])
    expect(lines(json.stdout)).toEqual([printed(transcript.json)])
  })

  it('prints every emission and every file in time order by default, and the timeline with --surface timeline', async () => {
    const story = generateStory('inbound-ivr-call', { seed: 6 })
    const projection = projectSession(story)
    const all = lines((await cli(['story', 'inbound-ivr-call', '--seed', '6'])).stdout) as {
      at: string
      surface: string
      path?: string
    }[]
    expect(all).toHaveLength(projection.emissions.length + projection.files.length)
    const times = all.map((l) => Date.parse(l.at))
    expect(times).toEqual([...times].sort((a, b) => a - b))
    expect(all.filter((l) => l.path === undefined)).toEqual(projection.emissions.map(printed))
    expect(all.filter((l) => l.path !== undefined).map((f) => f.path)).toEqual(
      projection.files.map((f) => f.path),
    )
    const timeline = lines(
      (await cli(['story', 'inbound-ivr-call', '--seed', '6', '--surface', 'timeline'])).stdout,
    )
    expect(timeline).toEqual(story.steps.map((s) => ({ ...s, at: new Date(s.at).toISOString() })))
    const crm = lines(
      (await cli(['story', 'inbound-ivr-call', '--seed', '6', '--surface', 'crm-variables']))
        .stdout,
    )
    expect(crm).toEqual([projectCrmVariables(story)])
  })

  it('prints only the emissions of the surface asked for', async () => {
    const projection = projectSession(generateStory('chat-vta-capture', { seed: 1 }))
    const emitting = SURFACES.filter((s) => projection.emissions.some((e) => e.surface === s))
    expect(emitting.length).toBeGreaterThanOrEqual(4)
    for (const surface of emitting) {
      const run = await cli(['story', 'chat-vta-capture', '--surface', surface])
      expect(run.code, surface).toBe(0)
      const expected = projection.emissions.filter((e) => e.surface === surface).map(printed)
      expect(lines(run.stdout), surface).toEqual(expected)
    }
    const storage = lines((await cli(['story', 'chat-vta-capture', '--surface', 'storage'])).stdout)
    expect(storage.map((f) => (f as { path: string; contentType: string }).path)).toEqual(
      projection.files.map((f) => f.path),
    )
    for (const [i, f] of projection.files.entries()) {
      expect(storage[i]).toMatchObject({ path: f.path, contentType: f.contentType })
    }
  })

  it('emits Agent_Login, Agent_Logout and QM AgentState for every scenario an agent takes part in', async () => {
    for (const scenario of [...SCENARIO_NAMES, 'agent-shift']) {
      const run = await cli(['story', scenario, '--seed', '3'])
      expect(run.code, scenario).toBe(0)
      const printedLines = lines(run.stdout) as { contract?: string; payload?: unknown }[]
      const contracts = printedLines.map((l) => l.contract)
      if (scenario === 'inbound-call-abandoned' || scenario === 'inbound-call-voicemail') {
        // The caller hangs up in queue (after a voicemail or not): no agent is ever offered the
        // call, so none signs in for it.
        expect(generateStory(scenario, { seed: 3 }).agents).toEqual([])
        expect(contracts).not.toContain('adapter.Agent_Login')
        continue
      }
      for (const contract of ['adapter.Agent_Login', 'adapter.Agent_Logout', 'qm.AgentState'])
        expect(contracts, `${scenario}: ${contract}`).toContain(contract)
      const states = printedLines
        .filter((l) => l.contract === 'qm.AgentState')
        .map((l) => (l.payload as { item: { State: string } }).item.State)
      expect(states, scenario).toContain('login')
      expect(states, scenario).toContain('logout')
    }
  })

  it('prints a whole agent shift: every session’s emissions and files in time order', async () => {
    const shift = generateShift({ seed: 2 })
    const projection = projectShift(shift)
    const run = await cli(['story', 'agent-shift', '--seed', '2'])
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const all = lines(run.stdout) as { at: string; path?: string; sessionId?: number }[]
    expect(all).toHaveLength(projection.emissions.length + projection.files.length)
    expect(all.filter((l) => l.path === undefined)).toEqual(projection.emissions.map(printed))
    expect(all.filter((l) => l.path !== undefined).map((f) => f.path)).toEqual(
      projection.files.map((f) => f.path),
    )
    const times = all.map((e) => Date.parse(e.at))
    expect(times).toEqual([...times].sort((a, b) => a - b))
    expect(new Set(all.map((e) => e.sessionId).filter(Boolean))).toEqual(
      new Set(shift.stories.map((s) => s.id)),
    )
    for (const e of projection.emissions)
      expect(checkContract(e.contract, e.payload, { mode: 'strict' }).issues, e.key).toEqual([])
  })

  it('prints a shift’s timeline with each step’s session and the agent’s presence changes, the break included', async () => {
    const shift = generateShift({ seed: 2 })
    const timeline = lines(
      (await cli(['story', 'agent-shift', '--seed', '2', '--surface', 'timeline'])).stdout,
    ) as { at: string; kind: string; sessionId?: number; presence?: string; reason?: string }[]
    const steps = shift.stories.reduce((n, s) => n + s.steps.length, 0)
    expect(timeline).toHaveLength(steps + shift.presence.length)
    expect(
      timeline.filter((l) => l.kind === 'presence').map((l) => [l.presence, l.reason]),
    ).toEqual(shift.presence.map((p) => [p.presence, p.reason]))
    expect(timeline).toContainEqual(
      expect.objectContaining({ kind: 'presence', presence: 'unavailable', reason: 'Break' }),
    )
    for (const l of timeline.filter((l) => l.kind !== 'presence'))
      expect(shift.stories.map((s) => s.id)).toContain(l.sessionId)
    const times = timeline.map((l) => Date.parse(l.at))
    expect(times).toEqual([...times].sort((a, b) => a - b))
    // Every chat of the shift has its transcript; the calls have none.
    const transcripts = lines(
      (await cli(['story', 'agent-shift', '--seed', '2', '--surface', 'transcript'])).stdout,
    )
    expect(transcripts).toHaveLength(shift.stories.filter((s) => s.kind === 'chat').length)
  })

  it('exits 2 naming the flag or argument for bad usage', async () => {
    const cases: [string[], string][] = [
      [
        ['story', 'web-chat-va-escalation', '--surface', 'nope'],
        '--surface: expected one of adapter, vta, qm',
      ],
      [['story', 'web-chat-va-escalation', '--surface', 'nope'], 'received "nope"'],
      [['story', 'no-such-scenario'], 'scenario: expected one of inbound-ivr-call'],
      [['story', 'no-such-scenario'], 'agent-shift'],
      [['story'], 'story needs a scenario'],
      [
        ['story', 'web-chat-va-escalation', '--format', 'xml'],
        '--format: expected json or txt, received "xml"',
      ],
      [
        ['story', 'web-chat-va-escalation', '--format', 'txt'],
        '--format txt: only with --surface transcript',
      ],
      [
        ['story', 'inbound-ivr-call', '--surface', 'transcript'],
        '--surface transcript: inbound-ivr-call is a call',
      ],
      [['story', 'web-chat-va-escalation', '--seed', 'x'], '--seed: expected an integer'],
      [
        ['story', 'web-chat-va-escalation', '--ref-date', 'soon'],
        '--ref-date: expected an ISO 8601 date-time',
      ],
      [['story', 'web-chat-va-escalation', 'outbound-call'], 'story takes one scenario, got 2'],
    ]
    for (const [args, message] of cases) {
      const run = await cli(args)
      expect(run.code, args.join(' ')).toBe(2)
      expect(run.stderr, args.join(' ')).toContain(message)
      expect(run.stderr, args.join(' ')).toContain('Usage: ccai-sim story')
      expect(run.stdout, args.join(' ')).toBe('')
    }
  })
})
