// ccai-contract as a real process (its source through tsx), against real HTTP servers.
import { execFile } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { defaultMockCrmSettings, startSimulator } from '@ccai-sim/simulator'
import { parse } from 'junit2json'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// The CLI's source through tsx, like bin/ccai-contract.js in an unbuilt checkout, so a stale dist/ is never
// what is tested (the packed bin is run by tooling/pack-test).
const BIN_ARGS = [
  '--conditions=@ccai-sim/source',
  '--import',
  pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href,
  join(dirname(fileURLToPath(import.meta.url)), 'bin.ts'),
]
const PROCESS_TIMEOUT_MS = 60_000

interface ProcessRun {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

function ccaiContract(args: readonly string[], cwd: string): Promise<ProcessRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...BIN_ARGS, ...args],
      { cwd, timeout: PROCESS_TIMEOUT_MS, env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0
        resolve({ code, stdout, stderr })
      },
    )
  })
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)
    })
  })
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => {
      resolve()
    })
  })
}

let dir = ''
let sim: Awaited<ReturnType<typeof startSimulator>> | undefined
/** Answers every request with a 500 HTML page. */
let broken: Server | undefined
let brokenUrl = ''

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ccai-contract-process-'))
  sim = await startSimulator({
    config: {
      port: 0,
      clock: { mode: 'manual' },
      email: { enabled: false },
      storage: { enabled: false },
    },
  })
  broken = createServer((_req, res) => {
    res.writeHead(500, { 'content-type': 'text/html' }).end('<h1>Internal Server Error</h1>')
  })
  brokenUrl = await listen(broken)
})

afterAll(async () => {
  await sim?.close()
  if (broken) await close(broken)
  await rm(dir, { recursive: true, force: true })
})

async function writeSettings(name: string, value: unknown): Promise<string> {
  await writeFile(join(dir, name), JSON.stringify(value, null, 2))
  return name
}

describe('ccai-contract as a process', () => {
  it('exits 0 when the simulator’s mock CRM passes the CRM suite over real HTTP', async () => {
    // The simulator's own integration settings for its mock CRM (API key included).
    const own = (await (
      await fetch(`${sim?.url ?? ''}/_sim/crm/settings?secrets=include`)
    ).json()) as unknown
    const settings = await writeSettings('mock.json', own)
    const run = await ccaiContract(['crm', '--settings', settings], dir)
    expect(run.stderr).toBe('')
    expect(run.stdout).toMatch(/^\d+ passed, 0 failed, \d+ skipped\b/m)
    expect(run.stdout).toContain('✔ CRM-001')
    expect(run.stdout).toContain('✔ CRM-011')
    expect(run.code).toBe(0)
  })

  it('exits 1 with a failed clause, not a crash, when the CRM is unreachable', async () => {
    const gone = createServer()
    const goneUrl = await listen(gone)
    await close(gone)
    const settings = await writeSettings('gone.json', defaultMockCrmSettings(`${goneUrl}/crm`))
    const run = await ccaiContract(
      ['crm', '--settings', settings, '--reporter', 'junit', '--output', 'gone.xml'],
      dir,
    )
    expect(run.code).toBe(1)
    expect(run.stderr).toBe('')
    const xml = await readFile(join(dir, 'gone.xml'), 'utf8')
    expect(run.stdout).toBe(xml)
    const doc = await parse(xml)
    expect(doc?.failures).toBeGreaterThan(0)
  })

  it('exits 1 when a QM receiver answers 500, with the exchange in the report', async () => {
    const run = await ccaiContract(['receiver', '--url', `${brokenUrl}/qm`, '--kind', 'qm'], dir)
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/^0 passed, [1-9]\d* failed, \d+ skipped$/m)
    expect(run.stdout).toContain(`> POST ${brokenUrl}/qm`)
    expect(run.stdout).toContain('< <h1>Internal Server Error</h1>')
  })

  it('exits 2 naming the field when the settings file breaks the crm.settings contract', async () => {
    const good = defaultMockCrmSettings(`${sim?.url ?? ''}/crm`)
    const settings = await writeSettings('bad.json', { ...good, request_timeout: 'five' })
    const run = await ccaiContract(['crm', '--settings', settings], dir)
    expect(run.code).toBe(2)
    expect(run.stdout).toBe('')
    expect(run.stderr).toContain('bad.json does not satisfy the crm.settings contract')
    expect(run.stderr).toMatch(/- request_timeout: expected/)
  })

  it('exits 2 on bad usage and prints the command usage', async () => {
    const run = await ccaiContract(['receiver', '--url', brokenUrl], dir)
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('--kind qm|adapter is required')
    expect(run.stderr).toContain('Usage: ccai-contract receiver')
  })
})
