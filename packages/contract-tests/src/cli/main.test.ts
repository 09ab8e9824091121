import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { getContract } from '@ccai-sim/schemas'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { SuiteResult } from '../core/types.js'
import { runFixtureSuite } from '../test-support/fixture-suite.js'
import type {
  CrmRunOptions,
  HarmonyBridgeRunOptions,
  PageRunOptions,
  ReceiverRunOptions,
  StorageRunOptions,
  SuiteRunners,
} from './io.js'
import { runContractCli } from './main.js'

/** What the CLI handed a runner, without the progress callback (a fresh function per run). */
function withoutProgress<T extends { onClause?: unknown }>(options: T): Omit<T, 'onClause'> {
  const { onClause: _progress, ...rest } = options
  return rest
}

/** The fixture suite as every runner, recording what the CLI handed it. */
function fixtureRunners(failing: boolean) {
  const calls: {
    crm: Omit<CrmRunOptions, 'onClause'>[]
    receiver: Omit<ReceiverRunOptions, 'onClause'>[]
    storage: Omit<StorageRunOptions, 'onClause'>[]
    page: PageRunOptions[]
    harmonyBridge: Omit<HarmonyBridgeRunOptions, 'onClause'>[]
  } = { crm: [], receiver: [], storage: [], page: [], harmonyBridge: [] }
  const run = (): Promise<SuiteResult> => runFixtureSuite({ failing })
  const runners: SuiteRunners = {
    crm: (options) => {
      calls.crm.push(withoutProgress(options))
      return run()
    },
    receiver: (options) => {
      calls.receiver.push(withoutProgress(options))
      return run()
    },
    storage: (options) => {
      calls.storage.push(withoutProgress(options))
      return run()
    },
    page: (options) => {
      calls.page.push(options)
      return run()
    },
    harmonyBridge: (options) => {
      calls.harmonyBridge.push(withoutProgress(options))
      return run()
    },
  }
  return { runners, calls }
}

function memoryIo(cwd: string, runners?: SuiteRunners) {
  const out: string[] = []
  const err: string[] = []
  return {
    io: {
      cwd,
      stdout: (text: string) => out.push(text),
      stderr: (text: string) => err.push(text),
      ...(runners ? { runners } : {}),
    },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  }
}

const SETTINGS = getContract('crm.settings').examples.find((e) => e.strict !== false)?.payload

let dir = ''
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ccai-contract-cli-'))
  await writeFile(join(dir, 'settings.json'), JSON.stringify(SETTINGS))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('ccai-contract', () => {
  it('exits 0 with the console report when every clause passes or is skipped', async () => {
    const { runners, calls } = fixtureRunners(false)
    const run = memoryIo(dir, runners)
    const code = await runContractCli(
      ['crm', '--settings', 'settings.json', '--base-url', 'http://crm.test/api', '--seed', '7'],
      run.io,
    )
    expect(code).toBe(0)
    expect(run.stdout()).toMatch(/\n1 passed, 0 failed, 1 skipped\n$/)
    expect(calls.crm).toEqual([{ settings: SETTINGS, baseUrl: 'http://crm.test/api', seed: 7 }])
  })

  it('exits 1 when a clause fails, and the report shows its exchange', async () => {
    const run = memoryIo(dir, fixtureRunners(true).runners)
    const code = await runContractCli(['crm', '--settings', 'settings.json'], run.io)
    expect(code).toBe(1)
    expect(run.stdout()).toContain('> POST http://crm.example.test/api/accounts?a=1&b=<2>')
    expect(run.stdout()).toMatch(/\n1 passed, 1 failed, 1 skipped\n$/)
  })

  it('keeps only the clauses named by --only and re-counts', async () => {
    const { runners, calls } = fixtureRunners(true)
    const run = memoryIo(dir, runners)
    const code = await runContractCli(
      ['crm', '--settings', 'settings.json', '--only', 'FIX-001,FIX-003'],
      run.io,
    )
    expect(code).toBe(0)
    expect(calls.crm[0]?.only).toEqual(['FIX-001', 'FIX-003'])
    expect(run.stdout()).not.toContain('FIX-002')
    expect(run.stdout()).toMatch(/\n1 passed, 0 failed, 1 skipped\n$/)
  })

  it('exits 2 when --only names a clause the suite does not have', async () => {
    const run = memoryIo(dir, fixtureRunners(true).runners)
    const code = await runContractCli(
      ['crm', '--settings', 'settings.json', '--only', 'CRM-999'],
      run.io,
    )
    expect(code).toBe(2)
    expect(run.stderr()).toContain('--only: no clause CRM-999 in the crm suite')
  })

  it('writes the JUnit report to stdout and to --output', async () => {
    const run = memoryIo(dir, fixtureRunners(true).runners)
    const code = await runContractCli(
      [
        'receiver',
        '--url',
        'http://r.test/qm',
        '--kind',
        'qm',
        '--reporter',
        'junit',
        '--output',
        'out/report.xml',
      ],
      run.io,
    )
    expect(code).toBe(1)
    const file = await readFile(join(dir, 'out', 'report.xml'), 'utf8')
    expect(file).toBe(run.stdout())
    expect(file).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites /)
  })

  it('writes a plain console report to --output even when the terminal gets colours', async () => {
    const run = memoryIo(dir, fixtureRunners(true).runners)
    const io = { ...run.io, color: true }
    await runContractCli(['storage', '.', '--output', 'report.txt'], io)
    expect(run.stdout()).toContain('\u001b[')
    expect(await readFile(join(dir, 'report.txt'), 'utf8')).not.toContain('\u001b[')
  })

  it('hands the receiver suite its URL, kind and headers', async () => {
    const { runners, calls } = fixtureRunners(false)
    const run = memoryIo(dir, runners)
    const code = await runContractCli(
      [
        'receiver',
        '--url',
        'http://r.test/adapter',
        '--kind',
        'adapter',
        '--header',
        'X-Api-Key:  s3cret ',
        '--header',
        'authorization: Bearer a:b',
        '--reporter',
        'json',
      ],
      run.io,
    )
    expect(code).toBe(0)
    expect(calls.receiver).toEqual([
      {
        url: 'http://r.test/adapter',
        kind: 'adapter',
        headers: { 'X-Api-Key': 's3cret', authorization: 'Bearer a:b' },
      },
    ])
    expect((JSON.parse(run.stdout()) as { ok: boolean }).ok).toBe(true)
  })

  it('hands the storage suite the folder resolved against the working directory', async () => {
    const { runners, calls } = fixtureRunners(false)
    const run = memoryIo(dir, runners)
    expect(await runContractCli(['storage', '.'], run.io)).toBe(0)
    expect(calls.storage).toEqual([{ dir }])
  })

  it.each([
    [['crm'], '--settings <file> is required'],
    [
      ['crm', '--settings', 'settings.json', '--reporter', 'tap'],
      '--reporter: expected one of console, junit, json, received "tap"',
    ],
    [
      ['crm', '--settings', 'settings.json', '--seed=1.5'],
      '--seed: expected a non-negative integer',
    ],
    [['crm', '--settings', 'settings.json', '--only', 'crm1'], '--only: expected clause ids'],
    [
      ['crm', '--settings', 'settings.json', '--base-url', 'ftp://x'],
      '--base-url: expected an http(s) URL',
    ],
    [['crm', '--settings', 'settings.json', '--bogus'], '--bogus: unknown option'],
    [['crm', '--settings', 'missing.json'], '--settings: cannot read missing.json: no such file'],
    [['receiver', '--url', 'http://r.test'], '--kind qm|adapter is required'],
    [
      ['receiver', '--url', 'http://r.test', '--kind', 'email'],
      '--kind: expected qm or adapter, received "email"',
    ],
    [['receiver', '--url', 'not a url', '--kind', 'qm'], '--url: expected an http(s) URL'],
    [
      ['receiver', '--url', 'http://r.test', '--kind', 'qm', '--header', 'no colon'],
      "--header: expected 'name: value'",
    ],
    [['harmony-bridge', '--port', '7010'], '--host <host> is required'],
    [['harmony-bridge', '--host', 'cti.test'], '--port <port> is required'],
    [
      ['harmony-bridge', '--host', 'cti.test', '--port', '70000'],
      '--port: expected a TCP port 1–65535, received "70000"',
    ],
    [
      ['harmony-bridge', '--host', 'cti.test', '--port', '7010', '--channel-group', 'a.b'],
      '--channel-group: expected a target without dots, received "a.b"',
    ],
    [
      ['harmony-bridge', '--host', 'cti.test', '--port', '7010', '--timeout', 'soon'],
      '--timeout: expected milliseconds',
    ],
    [['storage'], 'storage needs the folder to check'],
    [['storage', 'nowhere'], 'nowhere: no such folder'],
    [['deploy'], 'unknown command "deploy"'],
    [['storag', '.'], 'unknown command "storag"; did you mean "storage"?'],
    [['crm', '--setings', 'settings.json'], '--setings: unknown option; did you mean --settings?'],
    [
      ['crm', '--settings', '--seed', '1'],
      '--settings: expected a value, received the option-like "--seed"',
    ],
  ])('exits 2 on bad usage: %j', async (argv, message) => {
    const run = memoryIo(dir, fixtureRunners(false).runners)
    expect(await runContractCli(argv, run.io)).toBe(2)
    expect(run.stderr()).toContain(message)
    expect(run.stdout()).toBe('')
  })

  it('prints its version with --version', async () => {
    const run = memoryIo(dir, fixtureRunners(false).runners)
    expect(await runContractCli(['--version'], run.io)).toBe(0)
    expect(run.stdout()).toMatch(/^ccai-contract \d+\.\d+\.\d+\n$/)
  })

  it('exits 2 when the settings file is not JSON', async () => {
    await writeFile(join(dir, 'broken.json'), '{"endpoints": ')
    const run = memoryIo(dir, fixtureRunners(false).runners)
    expect(await runContractCli(['crm', '--settings', 'broken.json'], run.io)).toBe(2)
    expect(run.stderr()).toContain('--settings: broken.json is not JSON')
  })

  it('exits 2 naming each field when the settings fail the strict crm.settings contract', async () => {
    const bad = { ...(SETTINGS as Record<string, unknown>), request_timeout: 'soon', surprise: 1 }
    await writeFile(join(dir, 'bad.json'), JSON.stringify(bad))
    const { runners, calls } = fixtureRunners(false)
    const run = memoryIo(dir, runners)
    expect(await runContractCli(['crm', '--settings', 'bad.json'], run.io)).toBe(2)
    expect(run.stderr()).toContain('does not satisfy the crm.settings contract')
    expect(run.stderr()).toMatch(/- request_timeout: /)
    expect(run.stderr()).toContain('surprise')
    expect(calls.crm).toEqual([])
  })

  it('exits 2 when the suite itself cannot run', async () => {
    const run = memoryIo(dir, {
      ...fixtureRunners(false).runners,
      storage: () => Promise.reject(new Error('settings name no upload endpoint')),
    })
    expect(await runContractCli(['storage', '.'], run.io)).toBe(2)
    expect(run.stderr()).toContain(
      'the suite could not run: Error: settings name no upload endpoint',
    )
  })

  it('prints help on --help and exits 0, and usage on no command with exit 2', async () => {
    const help = memoryIo(dir)
    expect(await runContractCli(['crm', '--help'], help.io)).toBe(0)
    expect(help.stdout()).toContain('Usage: ccai-contract crm --settings <file>')
    const top = memoryIo(dir)
    expect(await runContractCli(['--help'], top.io)).toBe(0)
    expect(top.stdout()).toContain('Usage: ccai-contract <command>')
    const none = memoryIo(dir)
    expect(await runContractCli([], none.io)).toBe(2)
    expect(none.stderr()).toContain('Usage: ccai-contract <command>')
  })
})

describe('ccai-contract page', () => {
  it('hands the page URL, adapter origin, seed and timeout to the page suite', async () => {
    const { runners, calls } = fixtureRunners(false)
    const { io } = memoryIo(dir, runners)
    const code = await runContractCli(
      [
        'page',
        '--url',
        'http://localhost:3000/crm.html',
        '--adapter-origin',
        'https://acme.uc1.ccaiplatform.com',
        '--seed',
        '4',
        '--timeout',
        '20000',
      ],
      io,
    )
    expect(code).toBe(0)
    expect(calls.page).toEqual([
      {
        url: 'http://localhost:3000/crm.html',
        adapterOrigin: 'https://acme.uc1.ccaiplatform.com',
        seed: 4,
        timeoutMs: 20000,
      },
    ])
  })

  it('exits 2 naming the flag when the adapter origin is missing or not a URL', async () => {
    const { runners } = fixtureRunners(false)
    const missing = memoryIo(dir, runners)
    expect(await runContractCli(['page', '--url', 'http://localhost/crm'], missing.io)).toBe(2)
    expect(missing.stderr()).toContain('--adapter-origin <origin> is required')
    const bad = memoryIo(dir, runners)
    expect(
      await runContractCli(
        ['page', '--url', 'http://localhost/crm', '--adapter-origin', 'acme'],
        bad.io,
      ),
    ).toBe(2)
    expect(bad.stderr()).toContain('--adapter-origin: expected an http(s) URL, received "acme"')
  })
})

describe('ccai-contract harmony-bridge', () => {
  it('hands the plug-in address, channel group, dial number, timeout and clause ids to the bridge suite', async () => {
    const { runners, calls } = fixtureRunners(false)
    const { io } = memoryIo(dir, runners)
    const code = await runContractCli(
      [
        'harmony-bridge',
        '--host',
        'cti.test',
        '--port',
        '7010',
        '--channel-group',
        'agents',
        '--dial',
        '+15550100',
        '--timeout',
        '2500',
        '--only',
        'FIX-001',
      ],
      io,
    )
    expect(code).toBe(0)
    expect(calls.harmonyBridge).toEqual([
      {
        host: 'cti.test',
        port: 7010,
        channelGroup: 'agents',
        dialDestination: '+15550100',
        timeoutMs: 2500,
        only: ['FIX-001'],
      },
    ])
  })

  it('lists the command in the top-level help', async () => {
    const run = memoryIo(dir)
    expect(await runContractCli(['--help'], run.io)).toBe(0)
    expect(run.stdout()).toContain('harmony-bridge  check a Harmony Processor Bridge CTI plug-in')
  })
})

describe('ccai-contract crm --cleanup', () => {
  it('asks the CRM suite to clean up', async () => {
    const { runners, calls } = fixtureRunners(false)
    const { io } = memoryIo(dir, runners)
    expect(await runContractCli(['crm', '--settings', 'settings.json', '--cleanup'], io)).toBe(0)
    expect(calls.crm[0]?.cleanup).toBe(true)
  })
})
