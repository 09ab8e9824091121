import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { stateDirFor } from '../storage/file-storage-sink.js'

/*
 * The simulator as an operator runs it: a real child process, real signals, a real receiver. Waits
 * are on events (a line printed, a request received, a route's answer), each with a generous
 * deadline that only a hang reaches; the one time bound asserted is the 2 s shutdown ceiling.
 */

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'ccai-sim.js')
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
        child = spawn(process.execPath, [BIN, 'serve', '--config', file], {
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
  firstRequest: Promise<void>
}> {
  let first: () => void = () => undefined
  const state = {
    url: '',
    mode: 'down' as 'down' | 'up' | 'hang',
    acked: new Map<string, number>(),
    seen: [] as string[],
    firstRequest: new Promise<void>((resolve) => {
      first = resolve
    }),
  }
  const server = createServer((req, res) => {
    const key = String(req.headers['idempotency-key'])
    req.resume()
    req.on('end', () => {
      state.seen.push(key)
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
})
