import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startOpenSsh, type OpenSshServer } from '../../test/support/openssh.js'
import { createSimulatorApp, type SimulatorApp } from '../app.js'
import { parseConfig, type StorageSinkConfig } from '../config.js'
import type { JournalEntry } from '../runtime/journal.js'
import { SftpPushSink } from './sftp-sink.js'

/*
 * The `sftp` sink against a real OpenSSH server (Debian openssh-server, see test/support/openssh.ts):
 * what the simulator writes arrives byte for byte, with a password and with a key, and nothing is
 * lost while the server is down, across a restart of the simulator too.
 */

let ssh: OpenSshServer
let dir = ''
beforeAll(async () => {
  ssh = await startOpenSsh()
}, 60_000)
afterAll(async () => {
  await ssh.close()
})
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ccai-sim-sftp-sink-'))
})
const apps: SimulatorApp[] = []
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close()
  await rm(dir, { recursive: true, force: true })
  await ssh.start().catch(() => undefined)
})

type SftpConfig = Extract<StorageSinkConfig, { type: 'sftp' }>

function sinkConfig(over: Partial<SftpConfig> & { folder: string }): SftpConfig {
  const parsed = parseConfig({
    storage: {
      sinks: [{ type: 'sftp', host: ssh.host, port: ssh.port, user: ssh.user, ...over }],
    },
  }).storage.sinks[0]
  if (parsed?.type !== 'sftp') throw new Error('not an sftp sink')
  return parsed
}

function simulator(sink: SftpPushSink, spool?: string): SimulatorApp {
  const app = createSimulatorApp({
    config: {
      clock: { mode: 'manual' },
      crm: { enabled: false },
      storage: { retry: { initialDelayMs: 1_000, maxDelayMs: 1_000 } },
    },
    pushSinks: [sink],
    ...(spool === undefined ? {} : { uploadSpoolDir: spool }),
  })
  apps.push(app)
  return app
}

async function runSessions(app: SimulatorApp, seeds: readonly number[]): Promise<void> {
  for (const seed of seeds) {
    app.runtime.startSession({ scenario: 'inbound-ivr-call', seed })
    app.runtime.startSession({ scenario: 'web-chat-va-escalation', seed })
  }
  app.runtime.clock.advance(2 * 3_600_000)
  await app.runtime.settle()
}

/** Every file the server holds under `folder` (relative to the user's home), with its bytes. */
async function remoteTree(folder: string): Promise<Map<string, Buffer>> {
  const base = join(ssh.home, folder)
  const out = new Map<string, Buffer>()
  const entries = await readdir(base, { recursive: true, withFileTypes: true }).catch(() => [])
  for (const entry of entries) {
    if (!entry.isFile()) continue
    const full = join(entry.parentPath, entry.name)
    out.set(full.slice(base.length + 1), await readFile(full))
  }
  return out
}

/** What the simulator's own storage holds: the tree the sink must reproduce. */
async function localTree(app: SimulatorApp): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>()
  for (const file of await app.runtime.storage.list()) {
    out.set(file.path, Buffer.from((await app.runtime.storage.read(file.path)) ?? new Uint8Array()))
  }
  return out
}

function uploads(app: SimulatorApp): Extract<JournalEntry, { type: 'upload' }>[] {
  return app.runtime.journal
    .read({ type: 'upload', limit: 100_000 })
    .entries.filter((e): e is Extract<JournalEntry, { type: 'upload' }> => e.type === 'upload')
}

describe('the sftp sink, against OpenSSH', { timeout: 60_000 }, () => {
  it('pushes the tree byte for byte with a password, creating the folders, leaving no partial files', async () => {
    const app = simulator(
      new SftpPushSink(sinkConfig({ password: ssh.password, folder: 'drop/ccai' })),
    )
    await runSessions(app, [1, 2])
    await app.uploads.whenIdle()
    const local = await localTree(app)
    expect(local.size).toBeGreaterThanOrEqual(6)
    expect(await remoteTree('drop/ccai')).toEqual(local)
    const journal = uploads(app)
    expect(journal.every((e) => e.outcome === 'uploaded')).toBe(true)
    expect(new Set(journal.map((e) => e.path))).toEqual(new Set(local.keys()))
    expect(journal[0]?.sink).toBe(`sftp://${ssh.user}@127.0.0.1:${ssh.port}/drop/ccai`)
  })

  it('pushes with a private key and a pinned host key', async () => {
    const app = simulator(
      new SftpPushSink(
        sinkConfig({ privateKey: ssh.privateKey, hostKey: ssh.hostFingerprint, folder: 'keyed' }),
        ssh.privateKey,
      ),
    )
    await runSessions(app, [3])
    await app.uploads.whenIdle()
    expect(await remoteTree('keyed')).toEqual(await localTree(app))
  })

  it('refuses a server whose host key is not the pinned one, and keeps the files pending', async () => {
    const wrongPin = `SHA256:${'A'.repeat(43)}`
    const app = simulator(
      new SftpPushSink(
        sinkConfig({ password: ssh.password, hostKey: wrongPin, folder: 'pinned' }),
        undefined,
      ),
    )
    await runSessions(app, [4])
    await app.uploads.whenSettled()
    expect(app.uploads.pending()).toBeGreaterThan(0)
    expect(uploads(app)[0]).toMatchObject({ outcome: 'failed', nextAttemptInMs: 1_000 })
    expect(uploads(app)[0]?.error).toContain('does not match the pinned fingerprint')
    expect(await remoteTree('pinned')).toEqual(new Map())
  })

  it('journals a wrong password as a failed upload and retries it', async () => {
    const app = simulator(
      new SftpPushSink(sinkConfig({ password: 'not-the-password', folder: 'nope' })),
    )
    await runSessions(app, [5])
    await app.uploads.whenSettled()
    const failed = uploads(app)
    expect(failed).toHaveLength(1)
    expect(failed[0]).toMatchObject({ outcome: 'failed', attempt: 1 })
    expect(failed[0]?.error).toMatch(/authentication/i)
    app.runtime.clock.advance(1_000)
    await app.uploads.whenSettled()
    expect(uploads(app).map((e) => e.attempt)).toEqual([1, 2])
  })

  it('loses nothing while the server is down: the files wait and arrive once it is back', async () => {
    const app = simulator(
      new SftpPushSink(sinkConfig({ password: ssh.password, folder: 'outage' })),
    )
    await runSessions(app, [6])
    await app.uploads.whenIdle()
    const before = (await remoteTree('outage')).size

    await ssh.stop()
    await runSessions(app, [7, 8])
    await app.uploads.whenSettled()
    expect(app.uploads.pending()).toBeGreaterThan(0)
    expect(uploads(app).some((e) => e.outcome === 'failed')).toBe(true)
    expect((await remoteTree('outage')).size).toBe(before)

    await ssh.start()
    app.runtime.clock.advance(1_000)
    await app.uploads.whenIdle()
    expect(await remoteTree('outage')).toEqual(await localTree(app))
  })

  it('keeps pending uploads across a restart of the simulator and delivers them after', async () => {
    const spool = join(dir, 'spool')
    const config = sinkConfig({ password: ssh.password, folder: 'restart' })
    await ssh.stop()
    const first = simulator(new SftpPushSink(config), spool)
    await runSessions(first, [9])
    await first.uploads.whenSettled()
    const expected = await localTree(first)
    expect(first.uploads.pending()).toBe(expected.size)
    await first.close()
    expect((await readdir(spool)).filter((n) => n.endsWith('.json'))).toHaveLength(expected.size)

    await ssh.start()
    const second = simulator(new SftpPushSink(config), spool)
    await second.uploads.restore()
    await second.uploads.whenIdle()
    expect(await remoteTree('restart')).toEqual(expected)
    // Delivered entries leave the spool.
    expect((await readdir(spool)).filter((n) => n.endsWith('.json'))).toEqual([])
  })
})
