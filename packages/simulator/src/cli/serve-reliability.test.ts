import { spawn, type ChildProcess } from 'node:child_process'
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { CCAI_SIM_SOURCE_ARGS } from '../../test/support/cli-source.js'
import { stateDirFor } from '../storage/file-storage-sink.js'

/*
 * The simulator as an operator runs it: a real child process, real signals, a real receiver. Waits
 * are on events (a line printed, a request received, a route's answer), each with a generous
 * deadline that only a hang reaches; the one time bound asserted is the 2 s shutdown ceiling.
 */

const READY = /^ccai-sim ready (http:\/\/127\.0\.0\.1:\d+) /m
const HANG_MS = 60_000

interface Child {
  readonly process: ChildProcess
  readonly url: Promise<string>
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  stderr(): string
}

const children: ChildProcess[] = []
const servers: Server[] = []
let dir = ''

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ccai-sim-reliability-'))
})
afterEach(async () => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  for (const server of servers.splice(0)) {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
  await rm(dir, { recursive: true, force: true })
})

function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env }
  delete env['CCAI_SIM_CONFIG']
  delete env['PORT']
  return env
}

function serve(config: unknown): Child {
  const file = join(dir, `config-${String(children.length)}.json`)
  const started = writeFile(file, JSON.stringify(config))
  let out = ''
  let err = ''
  let child: ChildProcess | undefined
  const url = started.then(
    () =>
      new Promise<string>((resolve, reject) => {
        child = spawn(process.execPath, [...CCAI_SIM_SOURCE_ARGS, 'serve', '--config', file], {
          cwd: dir,
          env: cleanEnv(),
          stdio: ['ignore', 'pipe', 'pipe'],
        })
        children.push(child)
        child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
          out += chunk
          const ready = READY.exec(out)
          if (ready?.[1]) resolve(ready[1])
        })
        child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk))
        child.once('exit', () => {
          reject(new Error(`exited before ready; stderr: ${err}`))
        })
      }),
  )
  const exit = url.then(
    () =>
      new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
        if (!child) throw new Error('no child')
        if (child.exitCode !== null || child.signalCode !== null)
          resolve({ code: child.exitCode, signal: child.signalCode })
        child.once('exit', (code, signal) => {
          resolve({ code, signal })
        })
      }),
  )
  return {
    get process() {
      if (!child) throw new Error('not started yet')
      return child
    },
    url,
    exit,
    stderr: () => err,
  }
}

/** A webhook receiver: `mode` decides each answer; `acked` counts the keys it answered 2xx. */
async function receiver(): Promise<{
  url: string
  mode: 'down' | 'up' | 'hang'
  readonly acked: Map<string, number>
  readonly seen: string[]
  /** Every body received per key (a key sent with two different bodies would show two). */
  readonly bodies: Map<string, Set<string>>
  firstRequest: Promise<void>
}> {
  let first: () => void = () => undefined
  const state = {
    url: '',
    mode: 'down' as 'down' | 'up' | 'hang',
    acked: new Map<string, number>(),
    seen: [] as string[],
    bodies: new Map<string, Set<string>>(),
    firstRequest: new Promise<void>((resolve) => {
      first = resolve
    }),
  }
  const server = createServer((req, res) => {
    const key = String(req.headers['idempotency-key'])
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => (body += chunk))
    req.on('end', () => {
      state.seen.push(key)
      state.bodies.set(key, (state.bodies.get(key) ?? new Set()).add(body))
      first()
      if (state.mode === 'hang') return
      if (state.mode === 'down') {
        res.writeHead(503).end()
        return
      }
      state.acked.set(key, (state.acked.get(key) ?? 0) + 1)
      res.writeHead(204).end()
    })
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  state.url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/hook`
  return state
}

async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init)
  if (!response.ok) throw new Error(`${url}: ${String(response.status)} ${await response.text()}`)
  return (await response.json()) as T
}

async function post(url: string, body: unknown): Promise<void> {
  await json(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
}

/** Polls a condition (each poll is an HTTP round trip or a look at received requests). */
async function until<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
): Promise<T> {
  const deadline = Date.now() + HANG_MS
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

interface Deliveries {
  runId: string
  webhooks: { pending: number; delivered: number; log: { path: string } | null }
}

function config(hook: string) {
  return {
    port: 0,
    seed: 3,
    clock: { mode: 'manual', start: '2025-03-01T09:00:00.000Z' },
    storage: { dir: 'state/storage' },
    email: { enabled: false },
    crm: { enabled: false },
    webhooks: {
      adapter: [{ url: hook }],
      qm: [{ url: hook }],
      retry: { initialDelayMs: 20, maxDelayMs: 100, timeoutMs: 10_000 },
    },
  }
}

/** Starts two sessions and plays them to the end: every emission is accepted for the receiver. */
async function playSessions(url: string): Promise<string[]> {
  await post(`${url}/_sim/sessions`, { scenario: 'inbound-ivr-call' })
  await post(`${url}/_sim/sessions`, { scenario: 'web-chat-va-escalation' })
  await post(`${url}/_sim/clock`, { advanceMs: 3 * 3_600_000 })
  const { runId } = await json<Deliveries>(`${url}/_sim/deliveries`)
  const journal = await json<{ entries: { surface: string; key: string }[] }>(
    `${url}/_sim/journal?type=emitted&limit=100000`,
  )
  return journal.entries
    .filter((e) => ['adapter', 'vta', 'qm'].includes(e.surface))
    .map((e) => `${runId}:${e.key}`)
}

function signal(child: Child, name: NodeJS.Signals): number {
  child.process.kill(name)
  return Date.now()
}

describe('ccai-sim serve: crashes, signals and slow clients (real process)', () => {
  it('after kill -9 during a receiver outage, a restart delivers every accepted webhook exactly once, under its original key', async () => {
    const hook = await receiver()
    const first = serve(config(hook.url))
    const url = await first.url
    const accepted = await playSessions(url)
    expect(accepted.length).toBeGreaterThan(10)
    // An attempt happens only after the log is synced: from here on every accepted delivery is on disk.
    await hook.firstRequest
    const before = await json<Deliveries>(`${url}/_sim/deliveries`)
    expect(before.webhooks).toMatchObject({ pending: accepted.length, delivered: 0 })
    // The log is in this instance's own state folder, beside its storage folder.
    const log = join(stateDirFor(join(dir, 'state', 'storage')), 'webhooks.wal')
    expect(before.webhooks.log?.path).toBe(log)
    expect((await stat(log)).size).toBeGreaterThan(0)
    first.process.kill('SIGKILL')
    expect(await first.exit).toEqual({ code: null, signal: 'SIGKILL' })

    hook.mode = 'up'
    const second = serve(config(hook.url))
    const again = await second.url
    await until('every accepted delivery acknowledged', () =>
      accepted.every((key) => hook.acked.has(key)) ? true : undefined,
    )
    const after = await json<Deliveries>(`${again}/_sim/deliveries`)
    expect(after.runId).not.toBe(before.runId)
    expect(after.webhooks).toMatchObject({ pending: 0, delivered: accepted.length })
    expect([...hook.acked.keys()].sort()).toEqual([...accepted].sort())
    expect([...hook.acked.values()].every((n) => n === 1)).toBe(true)

    signal(second, 'SIGTERM')
    expect(await second.exit).toEqual({ code: 0, signal: null })
    // Nothing pending: the log is gone.
    await expect(stat(log)).rejects.toMatchObject({
      code: 'ENOENT',
    })
  }, 120_000)

  it('on SIGTERM with an open WebSocket, a paused SSE client and a sleeping latency fault, exits 0 within 2 s', async () => {
    const child = serve({
      port: 0,
      clock: { mode: 'manual', start: '2025-03-01T09:00:00.000Z' },
      storage: { dir: 'state/storage' },
      email: { enabled: false },
    })
    const url = await child.url
    const ws = new WebSocket(`${url.replace('http', 'ws')}/ws`)
    await new Promise((resolve, reject) => {
      ws.once('open', resolve)
      ws.once('error', reject)
    })
    const sse = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = httpRequest(`${url}/events`, resolve)
      req.once('error', reject)
      req.end()
    })
    sse.pause()
    sse.socket.on('error', () => undefined)
    // Emissions pile up for the paused client.
    await post(`${url}/_sim/sessions`, { scenario: 'inbound-ivr-call' })
    await post(`${url}/_sim/clock`, { advanceMs: 3_600_000 })
    await post(`${url}/_sim/crm/faults`, { route: '*', kind: 'latency', latencyMs: 600_000 })
    const sleeping = fetch(`${url}/crm/api/accounts?phone=1`, {
      headers: { 'x-api-key': 'ccai-sim-mock-crm-key' },
    }).catch(() => 'cut')
    await until('the fault is sleeping', async () => {
      const faults = await json<{ fired: number }[]>(`${url}/_sim/crm/faults`)
      return faults[0] && faults[0].fired > 0 ? true : undefined
    })

    const sent = signal(child, 'SIGTERM')
    const exit = await child.exit
    const tookMs = Date.now() - sent
    expect(exit).toEqual({ code: 0, signal: null })
    expect(tookMs).toBeLessThan(2_000)
    expect(child.stderr()).toContain('ccai-sim: stopped (SIGTERM)')
    expect(await sleeping).toBe('cut')
    ws.terminate()
    sse.destroy()
  }, 120_000)

  it('a second signal during shutdown cuts the last attempt short, exits 1, and loses nothing: the next start delivers it all', async () => {
    const hook = await receiver()
    hook.mode = 'hang'
    const first = serve(config(hook.url))
    const url = await first.url
    const accepted = await playSessions(url)
    // One attempt hangs in the receiver: the shutdown's last call would wait for it.
    await hook.firstRequest
    signal(first, 'SIGTERM')
    await until('the shutdown started', () =>
      first.stderr().includes('ccai-sim: stopping (SIGTERM)') ? true : undefined,
    )
    signal(first, 'SIGINT')
    const exit = await first.exit
    expect(exit).toEqual({ code: 1, signal: null })
    expect(first.stderr()).toContain('SIGINT again: cutting deliveries short')
    expect(first.stderr()).toContain(`${String(accepted.length)} pending deliveries kept in`)

    hook.mode = 'up'
    const second = serve(config(hook.url))
    await second.url
    await until('every accepted delivery acknowledged', () =>
      accepted.every((key) => hook.acked.has(key)) ? true : undefined,
    )
    expect([...hook.acked.keys()].sort()).toEqual([...accepted].sort())
    expect([...hook.acked.values()].every((n) => n === 1)).toBe(true)
    signal(second, 'SIGTERM')
    expect(await second.exit).toEqual({ code: 0, signal: null })
  }, 120_000)

  it('after kill -9 mid-session, a restart resumes the live sessions: their later events and files arrive, each key once, as an uninterrupted run sends them', async () => {
    const hook = await receiver()
    hook.mode = 'up'
    const first = serve(config(hook.url))
    const url = await first.url
    const ids = await startMidSession(url)
    const runId = (await json<Deliveries>(`${url}/_sim/deliveries`)).runId
    // Everything published so far is acknowledged (and so marked in the session log).
    await until('the deliveries so far acknowledged', async () => {
      const sent = await webhookKeys(url, runId)
      return sent.length > 0 && sent.every((key) => hook.acked.has(key)) ? sent : undefined
    })
    const ackedBefore = new Set(hook.acked.keys())
    const sessions = await json<{ id: number; state: string }[]>(`${url}/_sim/sessions`)
    expect(sessions.filter((s) => ids.includes(s.id)).map((s) => s.state)).toEqual(['live', 'live'])
    const log = join(stateDirFor(join(dir, 'state', 'storage')), 'sessions.wal')
    expect((await stat(log)).size).toBeGreaterThan(0)
    first.process.kill('SIGKILL')
    expect(await first.exit).toEqual({ code: null, signal: 'SIGKILL' })

    const second = serve(config(hook.url))
    const again = await second.url
    const resumed = await json<{ id: number; state: string; phase: string }[]>(
      `${again}/_sim/sessions`,
    )
    expect(resumed.map((s) => s.id).sort()).toEqual([...ids].sort())
    await post(`${again}/_sim/clock`, { advanceMs: 3 * 3_600_000 })
    await until('both sessions complete and every delivery acknowledged', async () => {
      const states = await json<{ state: string }[]>(`${again}/_sim/sessions`)
      const { webhooks } = await json<Deliveries>(`${again}/_sim/deliveries`)
      return states.every((s) => s.state === 'complete') && webhooks.pending === 0
        ? true
        : undefined
    })
    signal(second, 'SIGTERM')
    expect(await second.exit).toEqual({ code: 0, signal: null })
    // Finished and handed to the outboxes: nothing left to resume.
    await expect(stat(log)).rejects.toMatchObject({ code: 'ENOENT' })

    // Each key with one body; the resumed sessions kept the first run's id. A key acknowledged
    // twice can only be one sent before the crash whose note in the session log was not on disk
    // yet (its write follows the outbox's, asynchronously): resent under its key, same body.
    expect([...hook.bodies.values()].every((bodies) => bodies.size === 1)).toBe(true)
    const twice = [...hook.acked].filter(([, n]) => n > 1).map(([key]) => key)
    expect(twice.filter((key) => !ackedBefore.has(key))).toEqual([])
    expect([...hook.acked.values()].every((n) => n <= 2)).toBe(true)
    const later = [...hook.acked.keys()].filter((key) => !ackedBefore.has(key))
    expect(later.length).toBeGreaterThan(0)
    const ofSessions = (keys: string[]) => keys.filter((key) => !key.includes(':agent-'))
    expect(ofSessions(later).every((key) => key.startsWith(`${runId}:`))).toBe(true)

    // The same run without the crash, in a folder of its own: the same events and the same files.
    const crashedHook = { acked: new Map(hook.acked), bodies: new Map(hook.bodies) }
    const crashedFiles = await filesIn(join(dir, 'state', 'storage'))
    hook.acked.clear()
    hook.bodies.clear()
    const whole = serve({ ...config(hook.url), storage: { dir: 'whole/storage' } })
    const wholeUrl = await whole.url
    await startMidSession(wholeUrl)
    await post(`${wholeUrl}/_sim/clock`, { advanceMs: 3 * 3_600_000 })
    const wholeRun = (await json<Deliveries>(`${wholeUrl}/_sim/deliveries`)).runId
    const wholeKeys = await webhookKeys(wholeUrl, wholeRun)
    await until('the uninterrupted run delivered', () =>
      wholeKeys.every((key) => hook.acked.has(key)) ? true : undefined,
    )
    signal(whole, 'SIGTERM')
    expect(await whole.exit).toEqual({ code: 0, signal: null })
    const withoutRun = (map: Map<string, Set<string>>) =>
      ofSessions([...map.keys()])
        .map((key) => `${key.slice(key.indexOf(':') + 1)} ${[...(map.get(key) ?? [])].join('')}`)
        .sort()
    expect(withoutRun(crashedHook.bodies)).toEqual(withoutRun(hook.bodies))
    expect(crashedFiles.size).toBeGreaterThan(0)
    expect(crashedFiles).toEqual(await filesIn(join(dir, 'whole', 'storage')))
  }, 180_000)

  it('refuses to start on a corrupt session log, naming the file and the line', async () => {
    const state = stateDirFor(join(dir, 'state', 'storage'))
    await mkdir(state, { recursive: true })
    const log = join(state, 'sessions.wal')
    await writeFile(log, '{"t":"end","id":1}\nnot json\n')
    const child = serve(config('http://127.0.0.1:9/hook'))
    child.exit.catch(() => undefined)
    await expect(child.url).rejects.toThrow(
      `stderr: ccai-sim serve: ${log}:2: not a record of this log (Unexpected token`,
    )
    expect(child.process.exitCode).toBe(2)
  }, 60_000)
})

/** Starts a chat and a call; once the chat's customer is talking to an agent, they write (a control-API input). */
async function startMidSession(url: string): Promise<number[]> {
  const ids: number[] = []
  for (const scenario of ['web-chat-va-escalation', 'inbound-ivr-call'])
    ids.push((await json<{ id: number }>(`${url}/_sim/sessions`, jsonPost({ scenario }))).id)
  const chat = ids[0] ?? 0
  await until('the chat is connected to an agent', async () => {
    const session = await json<{ phase: string }>(`${url}/_sim/sessions/${String(chat)}`)
    if (session.phase === 'connected') return true
    await post(`${url}/_sim/clock`, { advanceMs: 5_000 })
    return undefined
  })
  await post(`${url}/_sim/sessions/${String(chat)}/customer/message`, {
    text: 'Before you go: the parcel number is 4471.',
  })
  await post(`${url}/_sim/clock`, { advanceMs: 20_000 })
  return ids
}

function jsonPost(body: unknown): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }
}

/** The idempotency keys of the webhook emissions published so far (from the journal). */
async function webhookKeys(url: string, runId: string): Promise<string[]> {
  const journal = await json<{ entries: { surface: string; key: string }[] }>(
    `${url}/_sim/journal?type=emitted&limit=100000`,
  )
  return journal.entries
    .filter((e) => ['adapter', 'vta', 'qm'].includes(e.surface))
    .map((e) => `${runId}:${e.key}`)
}

/** Every file under a folder, by relative path, with its content. */
async function filesIn(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>()
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const path = join(entry.parentPath, entry.name)
    files.set(path.slice(root.length + 1), await readFile(path, 'base64'))
  }
  return files
}
