import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CCAI_SIM_SOURCE_ARGS } from '../../test/support/cli-source.js'

/*
 * Start-up pays for what the chosen command serves (issue "Performance", start-up): the official
 * Cloud Storage client, socket.io, ssh2 and the SMTP libraries take seconds to load between them, so
 * `serve` loads each only when its feature is configured; `ws` (with `@hono/node-ws`) waits for the
 * first WebSocket upgrade, faker for the first generated session, jsonc-parser for a configuration
 * file. A module-resolution hook in the child records every module it resolves, and a wrapper of
 * CommonJS's loader every `require` (the lazy loads are synchronous requires, which Node 20's
 * resolution hooks do not see); the test reads that list after the ready line.
 */

const HEAVY = {
  gcs: '@google-cloud+storage@',
  socketIo: '/socket.io@',
  ssh2: '/ssh2@',
  smtpServer: '/smtp-server@',
  nodemailer: '/nodemailer@',
} as const

/** Loaded on first use, not at start-up: matched against resolved URLs and required names. */
const ON_FIRST_USE = {
  ws: '/ws@',
  nodeWs: '@hono/node-ws',
  faker: '@faker-js/faker',
  jsonc: 'jsonc-parser',
} as const

const HOOK = `import { appendFileSync } from 'node:fs'
let log
export function initialize(file) { log = file }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context)
  appendFileSync(log, result.url + '\\n')
  return result
}`

// `Module._load` is what every CommonJS `require` (createRequire's too) goes through.
function registerHook(logFile: string): string {
  const register = `import { register } from 'node:module'
import Module from 'node:module'
import { appendFileSync } from 'node:fs'
register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOK)}`)}, { data: ${JSON.stringify(logFile)} })
const load = Module._load
Module._load = function (request, ...rest) {
  appendFileSync(${JSON.stringify(logFile)}, 'require:' + request + '\\n')
  return load.call(this, request, ...rest)
}`
  return `data:text/javascript,${encodeURIComponent(register)}`
}

/** Runs `ccai-sim serve <args>` until its ready line, stops it, and answers what it resolved. */
async function modulesLoadedBy(args: readonly string[]): Promise<string[]> {
  const logFile = join(dir, `modules-${String(runs++)}.log`)
  const env = { ...process.env }
  delete env['CCAI_SIM_CONFIG']
  delete env['PORT']
  const child = spawn(
    process.execPath,
    ['--import', registerHook(logFile), ...CCAI_SIM_SOURCE_ARGS, 'serve', ...args],
    { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let out = ''
  let err = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk))
  const exited = new Promise<number | null>((done) => child.once('exit', done))
  await new Promise<void>((ready, fail) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk
      if (out.includes('\n')) ready()
    })
    void exited.then(() => {
      fail(new Error(`exited before the ready line; stdout: ${out} stderr: ${err}`))
    })
  })
  expect(out).toMatch(/^ccai-sim ready /)
  child.kill('SIGTERM')
  await exited
  return (await readFile(logFile, 'utf8')).split('\n').filter((line) => line !== '')
}

let dir = ''
let runs = 0
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ccai-sim-imports-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('ccai-sim serve start-up', () => {
  it('loads no Cloud Storage client, socket.io, ssh2 or SMTP library when none of their features is on', async () => {
    const modules = await modulesLoadedBy([
      '--port',
      '0',
      '--clock',
      'manual',
      '--no-email',
      '--no-storage',
    ])
    // The hook saw the simulator itself, so an empty list cannot pass for a clean one.
    expect(modules.some((url) => url.includes('/hono@'))).toBe(true)
    for (const marker of Object.values(HEAVY)) {
      expect(modules.filter((url) => url.includes(marker))).toEqual([])
    }
    for (const marker of Object.values(ON_FIRST_USE)) {
      expect(modules.filter((url) => url.includes(marker))).toEqual([])
    }
  }, 120_000)

  it('loads jsonc-parser when it reads a configuration file, and the require wrapper sees it', async () => {
    const file = join(dir, 'ccai-sim.jsonc')
    await writeFile(file, '// comments allowed\n{ "seed": 7 }\n')
    const modules = await modulesLoadedBy([
      '--config',
      file,
      '--port',
      '0',
      '--clock',
      'manual',
      '--no-email',
      '--no-storage',
    ])
    expect(modules.some((entry) => entry.includes(ON_FIRST_USE.jsonc))).toBe(true)
    expect(modules.filter((entry) => entry.includes(ON_FIRST_USE.faker))).toEqual([])
  }, 120_000)

  it('loads the SMTP server and client once the built-in mail server is on', async () => {
    const modules = await modulesLoadedBy([
      '--port',
      '0',
      '--clock',
      'manual',
      '--smtp-port',
      '0',
      '--no-storage',
    ])
    expect(modules.some((url) => url.includes(HEAVY.smtpServer))).toBe(true)
    expect(modules.some((url) => url.includes(HEAVY.nodemailer))).toBe(true)
    expect(modules.filter((url) => url.includes(HEAVY.gcs))).toEqual([])
  }, 120_000)
})
