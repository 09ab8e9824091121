import { spawn, type ChildProcess } from 'node:child_process'
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { connect, createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { CliIo } from './io.js'
import { CCAI_SIM_SOURCE_ARGS } from '../../test/support/cli-source.js'
import { runCli } from './main.js'

const READY = /^ccai-sim ready (http:\/\/127\.0\.0\.1:(\d+)) \((.+)\)$/

function memoryIo(cwd: string, shutdown?: Promise<string>) {
  const out: string[] = []
  const err: string[] = []
  const io: CliIo = {
    cwd,
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    readStdin: () => Promise.resolve(''),
    ...(shutdown ? { waitForShutdown: () => shutdown } : {}),
  }
  return { io, stdout: () => out.join(''), stderr: () => err.join('') }
}

/** The child's environment without settings that would change what it reads. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env }
  delete env['CCAI_SIM_CONFIG']
  delete env['PORT']
  return env
}

interface Spawned {
  readonly child: ChildProcess
  stdout(): string
  stderr(): string
  /** Resolves with the exit code and signal; rejects after `ms`. */
  exited(ms: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

function run(
  args: readonly string[],
  cwd: string,
  command: readonly [string, ...string[]] = [process.execPath, ...CCAI_SIM_SOURCE_ARGS],
): Spawned {
  const [file, ...before] = command
  const child = spawn(file, [...before, ...args], {
    cwd,
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk))
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk))
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
    child.once('exit', (code, signal) => {
      done({ code, signal })
    })
  })
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited: (ms) =>
      Promise.race([
        exit,
        new Promise<never>((_, reject) => {
          setTimeout(() => {
            reject(new Error(`no exit within ${ms} ms; stderr: ${err}`))
          }, ms).unref()
        }),
      ]),
  }
}

/** Polls until the child printed a full first line (or exited), with a deadline. */
async function firstLine(spawned: Spawned, ms = 30_000): Promise<string> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    const text = spawned.stdout()
    if (text.includes('\n')) return text.slice(0, text.indexOf('\n'))
    if (spawned.child.exitCode !== null) break
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  throw new Error(`no ready line; stdout: ${spawned.stdout()} stderr: ${spawned.stderr()}`)
}

function portIsClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port })
    socket.once('connect', () => {
      socket.destroy()
      resolve(false)
    })
    socket.once('error', () => {
      resolve(true)
    })
  })
}

const children: ChildProcess[] = []
let dir = ''
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ccai-sim-serve-'))
  vi.stubEnv('CCAI_SIM_CONFIG', '')
  vi.stubEnv('PORT', '')
})
afterEach(async () => {
  vi.unstubAllEnvs()
  // Only our own children, by handle, and only if a failed test left one running.
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  await rm(dir, { recursive: true, force: true })
})

describe('ccai-sim serve with bad configuration', () => {
  it('exits 2 naming clock.mode for clock.mode "fast" in the file (real process)', async () => {
    await writeFile(join(dir, 'bad.json'), JSON.stringify({ clock: { mode: 'fast' } }))
    const spawned = run(['serve', '--config', 'bad.json'], dir)
    children.push(spawned.child)
    expect(await spawned.exited(30_000)).toEqual({ code: 2, signal: null })
    expect(spawned.stderr()).toContain('invalid configuration (bad.json)')
    expect(spawned.stderr()).toContain(
      'clock.mode: expected one of "realtime", "scaled", "manual", received string "fast"',
    )
    expect(spawned.stderr()).not.toMatch(/\n\s+at /)
    expect(spawned.stdout()).toBe('')
  }, 120_000)

  it('exits 2 naming --config for a missing file (real process)', async () => {
    const spawned = run(['serve', '--config', 'missing.json'], dir)
    children.push(spawned.child)
    expect(await spawned.exited(30_000)).toEqual({ code: 2, signal: null })
    expect(spawned.stderr()).toContain(
      '--config: expected a readable JSON file, received no such file',
    )
    expect(spawned.stderr()).toContain('missing.json')
    expect(spawned.stderr()).not.toMatch(/\n\s+at /)
  }, 120_000)

  it('exits 2 naming an unknown key', async () => {
    await writeFile(join(dir, 'bad.json'), JSON.stringify({ port: 0, colour: 'blue' }))
    const run = memoryIo(dir)
    expect(await runCli(['serve', '--config', 'bad.json'], run.io)).toBe(2)
    expect(run.stderr()).toContain('colour: expected no such key')
    expect(run.stdout()).toBe('')
  })

  it('exits 2 naming port for a negative port, from the file or a flag', async () => {
    await writeFile(join(dir, 'bad.json'), JSON.stringify({ port: -1 }))
    const file = memoryIo(dir)
    expect(await runCli(['serve', '--config', 'bad.json'], file.io)).toBe(2)
    expect(file.stderr()).toContain('port: expected at least 0, received integer -1')
    const flag = memoryIo(dir)
    expect(await runCli(['serve', '--port=-5'], flag.io)).toBe(2)
    expect(flag.stderr()).toContain('port: expected at least 0, received integer -5')
  })

  it('exits 2 for malformed JSON, naming the file, line and column', async () => {
    await writeFile(join(dir, 'bad.json'), '{\n  "port": 0\n  "seed": 1\n}')
    const run = memoryIo(dir)
    expect(await runCli(['serve', '--config', 'bad.json'], run.io)).toBe(2)
    expect(run.stderr()).toContain(
      'invalid configuration (bad.json):\n  - bad.json:3:3: expected JSON (comments allowed), received "seed" (comma expected)',
    )
  })

  it('exits 2 for a missing file', async () => {
    const run = memoryIo(dir)
    expect(await runCli(['serve', '--config', 'nowhere/sim.json'], run.io)).toBe(2)
    expect(run.stderr()).toContain('--config: expected a readable JSON file, received no such file')
  })

  it('exits 2 naming the flag for --port abc and other bad flags', async () => {
    const cases: [string[], string][] = [
      [['serve', '--port', 'abc'], '--port: expected a number, received "abc"'],
      [['serve', '--scale', ''], '--scale: expected a number, received ""'],
      [
        ['serve', '--clock', 'fast'],
        'clock.mode: expected one of "realtime", "scaled", "manual", received string "fast"',
      ],
      [['serve', '--load=-1'], 'load.sessionsPerMinute: expected at least 0'],
      [['serve', '--bogus'], '--bogus: unknown option'],
      [['serve', 'extra'], 'serve takes no positional arguments'],
    ]
    for (const [args, message] of cases) {
      const run = memoryIo(dir)
      expect(await runCli(args, run.io), args.join(' ')).toBe(2)
      expect(run.stderr(), args.join(' ')).toContain(message)
    }
    // Usage errors come with the usage text.
    const usage = memoryIo(dir)
    await runCli(['serve', '--port', 'abc'], usage.io)
    expect(usage.stderr()).toContain('Usage: ccai-sim serve')
  })

  it('exits 2 naming the port when it is taken', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const { port } = blocker.address() as AddressInfo
    try {
      // The built-in SMTP server is on (the default): it must be released too, or the process hangs.
      const spawned = run(
        ['serve', '--port', String(port), '--clock', 'manual', '--no-storage'],
        dir,
      )
      children.push(spawned.child)
      expect(await spawned.exited(30_000)).toEqual({ code: 2, signal: null })
      expect(spawned.stderr()).toContain(`port: cannot listen on 127.0.0.1:${port} (EADDRINUSE)`)
    } finally {
      await new Promise((resolve) => blocker.close(resolve))
    }
  }, 120_000)

  for (const [what, setUp, says] of [
    [
      'a corrupt session log',
      (folder: string) =>
        writeFile(
          join(folder, '.ccai-sim', '.storage.ccai-sim', 'sessions.wal'),
          '{"t":"end","id":1}\nnot json\n',
        ),
      'sessions.wal:2: not a record of this log',
    ],
    [
      'a mock CRM state file that is not JSON',
      (folder: string) => writeFile(join(folder, 'crm.json'), 'not json\n'),
      'crm.json: not JSON',
    ],
  ] as const) {
    it(`exits 2 on ${what} with the built-in SMTP server already started`, async () => {
      await mkdir(join(dir, '.ccai-sim', '.storage.ccai-sim'), { recursive: true })
      await setUp(dir)
      await writeFile(join(dir, 'sim.json'), '{ "crm": { "mock": { "persistFile": "crm.json" } } }')
      const spawned = run(
        ['serve', '--port', '0', '--clock', 'manual', '--config', 'sim.json'],
        dir,
      )
      children.push(spawned.child)
      expect(await spawned.exited(30_000)).toEqual({ code: 2, signal: null })
      expect(spawned.stderr()).toContain(says)
    }, 120_000)
  }

  it('exits 2 naming --smtp-port and the port when the SMTP port is taken', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const { port } = blocker.address() as AddressInfo
    try {
      const run = memoryIo(dir)
      const args = ['serve', '--port', '0', '--smtp-port', String(port), '--no-storage']
      expect(await runCli(args, run.io)).toBe(2)
      expect(run.stderr()).toContain(
        `ccai-sim serve: --smtp-port: cannot listen on 127.0.0.1:${port} for the built-in SMTP server (the port is in use)`,
      )
      expect(run.stdout()).toBe('')
    } finally {
      await new Promise((resolve) => blocker.close(resolve))
    }
  })
})

describe('ccai-sim serve as a real process', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`prints one ready line, serves, and on ${signal} exits 0 and frees the port`, async () => {
      const storage = join(dir, 'storage')
      const spawned = run(
        ['serve', '--port', '0', '--clock', 'manual', '--storage-dir', storage, '--no-email'],
        dir,
      )
      children.push(spawned.child)
      const line = await firstLine(spawned)
      const match = READY.exec(line)
      expect(match, line).not.toBeNull()
      const url = match?.[1] ?? ''
      const port = Number(match?.[2])
      expect(port).toBeGreaterThan(0)
      expect(match?.[3]).toBe(`clock manual, seed 1, load 0/min, storage ${storage}, email off`)

      const clock = (await (await fetch(`${url}/_sim/clock`)).json()) as {
        mode: string
        pendingTimers: number
      }
      expect(clock).toMatchObject({ mode: 'manual', pendingTimers: 0 })

      // The real sinks work: a session's files land in the storage folder.
      const started = await fetch(`${url}/_sim/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ scenario: 'outbound-call' }),
      })
      expect(started.status).toBe(201)
      const moved = await fetch(`${url}/_sim/clock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ advanceMs: 7_200_000 }),
      })
      expect(moved.status).toBe(200)
      expect((await readdir(storage)).sort()).toEqual(['ujet-metadata', 'ujet-voice-recordings'])

      expect(spawned.child.kill(signal)).toBe(true)
      expect(await spawned.exited(10_000)).toEqual({ code: 0, signal: null })
      expect(spawned.stdout()).toBe(`${line}\n`)
      expect(spawned.stderr()).toContain(`ccai-sim: stopped (${signal})`)
      expect(await portIsClosed(port)).toBe(true)
    }, 60_000)
  }
})

describe('pnpm start', () => {
  it('stops its child on SIGTERM: the simulator exits 0 and frees its port', async () => {
    const root = fileURLToPath(new URL('../../../../', import.meta.url))
    const spawned = run(
      ['--silent', 'start', '--port', '0', '--clock', 'manual', '--no-storage', '--no-email'],
      root,
      ['pnpm'],
    )
    children.push(spawned.child)
    const match = READY.exec(await firstLine(spawned, 60_000))
    expect(match, spawned.stdout()).not.toBeNull()
    expect(spawned.child.kill('SIGTERM')).toBe(true)
    expect(await spawned.exited(20_000)).toEqual({ code: 0, signal: null })
    // The simulator itself got the signal (it says so), not just pnpm.
    expect(spawned.stderr()).toContain('ccai-sim: stopped (SIGTERM)')
    expect(await portIsClosed(Number(match?.[2]))).toBe(true)
  }, 90_000)
})

describe('runServe in process', () => {
  it('prints the ready line, serves until shutdown, then releases the port', async () => {
    let stop: (signal: string) => void = () => undefined
    const shutdown = new Promise<string>((resolve) => {
      stop = resolve
    })
    const cli = memoryIo(dir, shutdown)
    const exit = runCli(
      ['serve', '--port', '0', '--clock', 'manual', '--no-storage', '--no-email', '--seed', '9'],
      cli.io,
    )
    const deadline = Date.now() + 20_000
    while (!cli.stdout().includes('\n') && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20))
    const match = READY.exec(cli.stdout().trim())
    expect(match, cli.stdout() + cli.stderr()).not.toBeNull()
    expect(match?.[3]).toBe('clock manual, seed 9, load 0/min, storage in memory, email off')
    const response = await fetch(`${match?.[1] ?? ''}/_sim/sessions`)
    expect(await response.json()).toEqual([])
    stop('test')
    expect(await exit).toBe(0)
    expect(cli.stderr()).toBe(
      'ccai-sim: stopping (test); a second signal cuts deliveries short\nccai-sim: stopped (test)\n',
    )
    expect(await portIsClosed(Number(match?.[2]))).toBe(true)
  }, 120_000)
})

describe('runServe --config and POST /_sim/webhooks/save', () => {
  /** Serves from `sim.jsonc` in the test folder; `stop` ends it and resolves with the exit code. */
  async function serve(): Promise<{ url: string; stop: () => Promise<number> }> {
    let stop: (signal: string) => void = () => undefined
    const shutdown = new Promise<string>((resolve) => {
      stop = resolve
    })
    const cli = memoryIo(dir, shutdown)
    const exit = runCli(
      ['serve', '--config', 'sim.jsonc', '--port', '0', '--no-storage', '--no-email'],
      cli.io,
    )
    const deadline = Date.now() + 20_000
    while (!cli.stdout().includes('\n') && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20))
    const match = READY.exec(cli.stdout().trim())
    expect(match, cli.stdout() + cli.stderr()).not.toBeNull()
    return {
      url: match?.[1] ?? '',
      stop: () => {
        stop('test')
        return exit
      },
    }
  }

  it('writes the targets set at run time into the file it was started with, and the next start has them', async () => {
    const file = join(dir, 'sim.jsonc')
    await writeFile(file, '{\n  // hand-written\n  "clock": { "mode": "manual" }\n}\n')
    const first = await serve()
    const targets = { adapter: [{ url: 'http://receiver.test/hook' }], qm: [] }
    await fetch(`${first.url}/_sim/webhooks`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(targets),
    })
    const saved = await fetch(`${first.url}/_sim/webhooks/save`, { method: 'POST' })
    expect(saved.status).toBe(200)
    expect(((await saved.json()) as { file: string }).file).toBe(file)
    expect(await first.stop()).toBe(0)
    expect(await readFile(file, 'utf8')).toContain('// hand-written')

    const second = await serve()
    expect(await (await fetch(`${second.url}/_sim/webhooks`)).json()).toEqual({
      adapter: [{ url: 'http://receiver.test/hook', headers: {} }],
      qm: [],
    })
    expect(await second.stop()).toBe(0)
  }, 120_000)
})

describe('runServe --sftp-port', () => {
  it('serves the storage over SFTP on a free port and prints it in the ready line', async () => {
    let stop: (signal: string) => void = () => undefined
    const shutdown = new Promise<string>((resolve) => {
      stop = resolve
    })
    await writeFile(
      join(dir, 'sftp.json'),
      JSON.stringify({ storage: { serve: { sftp: { user: 'reader', password: 'secret' } } } }),
    )
    const cli = memoryIo(dir, shutdown)
    const exit = runCli(
      [
        'serve',
        '--config',
        'sftp.json',
        '--port',
        '0',
        '--clock',
        'manual',
        '--no-email',
        '--sftp-port',
        '0',
      ],
      cli.io,
    )
    const deadline = Date.now() + 20_000
    while (!cli.stdout().includes('\n') && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20))
    const match = READY.exec(cli.stdout().trim())
    expect(match, cli.stdout() + cli.stderr()).not.toBeNull()
    const sftp = /, sftp 127\.0\.0\.1:(\d+)$/.exec(match?.[3] ?? '')
    expect(sftp, match?.[3]).not.toBeNull()
    const port = Number(sftp?.[1])
    expect(port).toBeGreaterThan(0)
    // An SSH server answers with its identification string first.
    const banner = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1')
      socket.once('data', (chunk) => {
        socket.destroy()
        resolve(chunk.toString())
      })
      socket.once('error', reject)
    })
    expect(banner).toMatch(/^SSH-2\.0-/)
    stop('test')
    expect(await exit).toBe(0)
    expect(await portIsClosed(port)).toBe(true)
  }, 120_000)

  it('exits 2 naming the setting when --sftp-port comes without credentials', async () => {
    const cli = memoryIo(dir)
    expect(await runCli(['serve', '--port', '0', '--no-email', '--sftp-port', '0'], cli.io)).toBe(2)
    expect(cli.stderr()).toContain('storage.serve.sftp')
    expect(cli.stderr()).toContain('a password or authorizedKeys when enabled')
  })
})

describe('runServe --harmony-tcp-port', () => {
  it('serves the Harmony session resource over ~!OM framed TCP and prints the port in the ready line', async () => {
    let stop: (signal: string) => void = () => undefined
    const shutdown = new Promise<string>((resolve) => {
      stop = resolve
    })
    const cli = memoryIo(dir, shutdown)
    const exit = runCli(
      [
        'serve',
        '--port',
        '0',
        '--clock',
        'manual',
        '--no-email',
        '--no-storage',
        '--harmony-tcp-port',
        '0',
      ],
      cli.io,
    )
    const deadline = Date.now() + 20_000
    while (!cli.stdout().includes('\n') && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20))
    const match = READY.exec(cli.stdout().trim())
    expect(match, cli.stdout() + cli.stderr()).not.toBeNull()
    const harmony = /, harmony-tcp 127\.0\.0\.1:(\d+)$/.exec(match?.[3] ?? '')
    expect(harmony, match?.[3]).not.toBeNull()
    const port = Number(harmony?.[1])
    const { encodeHarmonyFrame, HarmonyFrameDecoder } = await import('../harmony/tcp.js')
    const answer = await new Promise<unknown>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(
          encodeHarmonyFrame({
            command: 'prepareSession',
            data: { model: 'm', override: false, agent: { id: '3', password: 'pw' } },
          }),
        )
      })
      const decoder = new HarmonyFrameDecoder()
      socket.on('data', (chunk) => {
        const [frame] = decoder.push(chunk)
        if (!frame) return
        socket.destroy()
        resolve(JSON.parse(frame.body))
      })
      socket.once('error', reject)
    })
    expect(answer).toMatchObject({ command: 'prepareSession', result: 'success' })
    stop('test')
    expect(await exit).toBe(0)
    expect(await portIsClosed(port)).toBe(true)
  }, 30_000)
})
