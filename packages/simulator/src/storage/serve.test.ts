import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { Storage } from '@google-cloud/storage'
import ssh2 from 'ssh2'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSimulatorApp } from '../app.js'
import { startSimulator, type RunningSimulator } from '../server.js'
import { GcsPushSink } from './gcs-sink.js'
import { parseConfig } from '../config.js'

/*
 * The reading side, with the tools pipelines use: OpenSSH's own `sftp` client against the built-in
 * SFTP server, and the official `@google-cloud/storage` client against the Cloud Storage JSON API.
 */

const run = promisify(execFile)
let dir = ''
let sim: RunningSimulator
const password = 'reader-secret'

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ccai-sim-serve-'))
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'reader')])
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'stranger')])
  await writeFile(join(dir, 'secret.json'), '{"secret":true}')
  sim = await startSimulator({
    cwd: dir,
    config: {
      port: 0,
      clock: { mode: 'manual' },
      crm: { enabled: false },
      email: { enabled: false },
      storage: {
        dir: 'storage',
        serve: {
          sftp: {
            enabled: true,
            port: 0,
            user: 'reader',
            password,
            authorizedKeys: [await readFile(join(dir, 'reader.pub'), 'utf8')],
          },
        },
      },
    },
  })
  sim.simulator.runtime.startSession({ scenario: 'inbound-ivr-call', seed: 11 })
  sim.simulator.runtime.startSession({ scenario: 'web-chat-va-escalation', seed: 11 })
  sim.simulator.runtime.clock.advance(2 * 3_600_000)
  await sim.simulator.runtime.settle()
  // A link planted in the storage folder, pointing out of it: no surface may follow it.
  await symlink(join(dir, 'secret.json'), join(dir, 'storage', 'ujet-metadata', 'call-999.json'))
}, 60_000)
afterAll(async () => {
  await sim.close()
  await rm(dir, { recursive: true, force: true })
})

/** Every stored file with its bytes, read through the store itself. */
async function stored(): Promise<Map<string, Buffer>> {
  const storage = sim.simulator.runtime.storage
  const out = new Map<string, Buffer>()
  for (const f of await storage.list())
    out.set(f.path, Buffer.from((await storage.read(f.path)) ?? new Uint8Array()))
  return out
}

/** Runs OpenSSH's `sftp` in batch mode; resolves with its exit code and output (never rejects). */
async function openSshSftp(
  key: string,
  commands: readonly string[],
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const batch = join(dir, `batch-${Math.abs(commands.join().length)}-${commands.length}`)
  await writeFile(batch, `${commands.join('\n')}\n`)
  try {
    const { stdout, stderr } = await run(
      'sftp',
      [
        '-b',
        batch,
        '-P',
        String(sim.sftpPort ?? 0),
        '-i',
        join(dir, key),
        '-o',
        'StrictHostKeyChecking=no',
        '-o',
        'UserKnownHostsFile=/dev/null',
        '-o',
        'PasswordAuthentication=no',
        '-o',
        'BatchMode=yes',
        'reader@127.0.0.1',
      ],
      { cwd },
    )
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

describe('the built-in SFTP server', { timeout: 60_000 }, () => {
  it('lists and fetches every file with OpenSSH sftp, byte for byte', async () => {
    const files = await stored()
    expect(files.size).toBeGreaterThanOrEqual(4)
    const folders = [...new Set([...files.keys()].map((p) => p.split('/')[0] ?? ''))]
    const out = join(dir, 'fetched')
    await mkdir(out)
    const result = await openSshSftp('reader', ['ls -1', ...folders.map((f) => `get -R ${f}`)], out)
    expect(result.stderr).not.toMatch(/denied|error/i)
    expect(result.code).toBe(0)
    for (const folder of folders) expect(result.stdout).toContain(folder)
    const fetched = new Map<string, Buffer>()
    for (const entry of await readdir(out, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue
      const full = join(entry.parentPath, entry.name)
      fetched.set(full.slice(out.length + 1), await readFile(full))
    }
    expect(fetched).toEqual(files)
  })

  it('refuses a key it does not know and a wrong password', async () => {
    const stranger = await openSshSftp('stranger', ['ls'], dir)
    expect(stranger.code).not.toBe(0)
    expect(stranger.stderr).toMatch(/Permission denied/)

    const attempt = (pass: string): Promise<string> =>
      new Promise((resolve) => {
        const client = new ssh2.Client()
        client.once('ready', () => {
          client.end()
          resolve('accepted')
        })
        client.once('error', (error: Error) => {
          resolve(error.message)
        })
        client.connect({
          host: '127.0.0.1',
          port: sim.sftpPort ?? 0,
          username: 'reader',
          password: pass,
        })
      })
    expect(await attempt('wrong')).toMatch(/authentication methods failed/i)
    expect(await attempt(password)).toBe('accepted')
  })

  it('is read-only and resolves every path inside the storage: no traversal, no links out', async () => {
    const out = join(dir, 'attempts')
    await mkdir(out)
    await writeFile(join(out, 'mine.json'), '{}')
    const tries = [
      'put mine.json ujet-metadata/call-5.json',
      'mkdir ujet-extra',
      'rm ujet-metadata/call-1.json',
      'get ../../../../etc/passwd',
      'get /etc/passwd',
      `get ${join(dir, 'secret.json')}`,
      'get ujet-metadata/call-999.json',
      'get ujet-metadata/../../secret.json',
    ]
    for (const command of tries) {
      const result = await openSshSftp('reader', [command], out)
      expect(result.code, command).not.toBe(0)
      expect(result.stderr, command).toMatch(/Permission denied|not found|No such file/i)
    }
    expect((await readdir(out)).sort()).toEqual(['mine.json'])
    const listing = await openSshSftp('reader', ['ls -1 ujet-metadata', 'ls -1 ..', 'ls -1 /'], out)
    expect(listing.stdout).not.toContain('call-999.json')
    expect(listing.stdout).not.toContain('secret')
  })
})

describe('the Cloud Storage JSON API', { timeout: 60_000 }, () => {
  const client = (): Storage => new Storage({ apiEndpoint: sim.url, projectId: 'ccai-sim-test' })

  it('lists and downloads every file with @google-cloud/storage, byte for byte', async () => {
    const files = await stored()
    const [objects] = await client().bucket('ccai-sim').getFiles()
    expect(objects.map((o) => o.name).sort()).toEqual([...files.keys()].sort())
    for (const object of objects) {
      const [bytes] = await object.download()
      expect(bytes, object.name).toEqual(files.get(object.name))
      expect(Number(object.metadata.size)).toBe(bytes.byteLength)
    }
  })

  it('lists by prefix and delimiter, pages, and reads object metadata', async () => {
    const files = [...(await stored()).keys()].sort()
    const bucket = client().bucket('ccai-sim')
    const [, , top] = await bucket.getFiles({ delimiter: '/', autoPaginate: false })
    const prefixes = (top as { prefixes?: string[] }).prefixes ?? []
    expect(prefixes.sort()).toEqual(
      [...new Set(files.map((f) => `${f.split('/')[0] ?? ''}/`))].sort(),
    )
    const [metadataFiles] = await bucket.getFiles({ prefix: 'ujet-metadata/' })
    expect(metadataFiles.map((f) => f.name)).toEqual(
      files.filter((f) => f.startsWith('ujet-metadata/')),
    )
    const [firstPage, next] = await bucket.getFiles({ maxResults: 2, autoPaginate: false })
    expect(firstPage.map((f) => f.name)).toEqual(files.slice(0, 2))
    const [secondPage] = await bucket.getFiles({ ...next, autoPaginate: false })
    expect(secondPage.map((f) => f.name)).toEqual(files.slice(2, 4))
    const name = files[0] ?? ''
    const [metadata] = await bucket.file(name).getMetadata()
    expect(metadata).toMatchObject({ name, bucket: 'ccai-sim', kind: 'storage#object' })
    const [exists] = await bucket.file('ujet-metadata/call-1.json').exists()
    expect(exists).toBe(false)
  })

  it('answers 404 problem+json for another bucket, traversal and links out of the folder', async () => {
    const [exists] = await client().bucket('someone-else').exists()
    expect(exists).toBe(false)
    for (const path of [
      '/download/storage/v1/b/ccai-sim/o/..%2Fsecret.json?alt=media',
      '/storage/v1/b/ccai-sim/o/..%2F..%2Fsecret.json?alt=media',
      `/storage/v1/b/ccai-sim/o/${encodeURIComponent(join(dir, 'secret.json'))}?alt=media`,
      '/storage/v1/b/ccai-sim/o/ujet-metadata%2Fcall-999.json?alt=media',
      '/storage/v1/b/ccai-sim/o/ujet-metadata%2Fcall-999.json',
      '/storage/v1/b/ccai-sim/o/ujet-metadata%2Fcall-%E0%A4%A.json',
    ]) {
      const response = await fetch(`${sim.url}${path}`)
      expect(response.status, path).toBe(404)
      expect(response.headers.get('content-type'), path).toBe('application/problem+json')
      expect(await response.text(), path).not.toContain('secret":')
    }
    const listing = (await (await fetch(`${sim.url}/storage/v1/b/ccai-sim/o`)).json()) as {
      items: { name: string }[]
    }
    expect(listing.items.map((i) => i.name)).not.toContain('ujet-metadata/call-999.json')
  })

  it('refuses a maxResults that is not a number with problem+json naming it and what came', async () => {
    const response = await fetch(`${sim.url}/storage/v1/b/ccai-sim/o?maxResults=abc&fields=items`)
    expect(response.status).toBe(422)
    expect(await response.json()).toMatchObject({
      type: 'invalid_request',
      detail: 'query maxResults: expected a string matching /^\\d{1,7}$/, received string "abc"',
      issues: [{ path: 'maxResults', received: 'string "abc"' }],
    })
  })

  it('receives the gcs sink of another simulator pointed at it', async () => {
    const sinkConfig = parseConfig({
      storage: { sinks: [{ type: 'gcs', bucket: 'ccai-sim', apiEndpoint: sim.url }] },
    }).storage.sinks[0]
    if (sinkConfig?.type !== 'gcs') throw new Error('not a gcs sink')
    const pusher = createSimulatorApp({
      config: { clock: { mode: 'manual' }, crm: { enabled: false } },
      pushSinks: [new GcsPushSink(sinkConfig)],
    })
    pusher.runtime.startSession({ scenario: 'inbound-ivr-call', seed: 12 })
    pusher.runtime.clock.advance(2 * 3_600_000)
    await pusher.runtime.settle()
    await pusher.uploads.whenIdle()
    const pushed = pusher.runtime.journal.read({ type: 'upload' }).entries
    expect(pushed.length).toBeGreaterThan(0)
    expect(pushed.every((e) => e.type === 'upload' && e.outcome === 'uploaded')).toBe(true)
    const received = await stored()
    for (const file of await pusher.runtime.storage.list()) {
      expect(received.get(file.path), file.path).toEqual(
        Buffer.from((await pusher.runtime.storage.read(file.path)) ?? new Uint8Array()),
      )
    }
    await pusher.close()
  })

  it('lists and reads what a gcs sink with a prefix pushed, under that Folder Path', async () => {
    const sinkConfig = parseConfig({
      storage: {
        sinks: [{ type: 'gcs', bucket: 'ccai-sim', prefix: 'exports/ccai/', apiEndpoint: sim.url }],
      },
    }).storage.sinks[0]
    if (sinkConfig?.type !== 'gcs') throw new Error('not a gcs sink')
    const pusher = createSimulatorApp({
      config: { clock: { mode: 'manual' }, crm: { enabled: false } },
      pushSinks: [new GcsPushSink(sinkConfig)],
    })
    pusher.runtime.startSession({ scenario: 'inbound-ivr-call', seed: 13 })
    pusher.runtime.clock.advance(2 * 3_600_000)
    await pusher.runtime.settle()
    await pusher.uploads.whenIdle()
    const sent = await pusher.runtime.storage.list()
    expect(sent.length).toBeGreaterThan(0)
    const bucket = client().bucket('ccai-sim')
    const [listed] = await bucket.getFiles({ prefix: 'exports/ccai/' })
    expect(listed.map((f) => f.name).sort()).toEqual(
      sent.map((f) => `exports/ccai/${f.path}`).sort(),
    )
    for (const file of sent) {
      const name = `exports/ccai/${file.path}`
      const [metadata] = await bucket.file(name).getMetadata()
      expect(metadata, name).toMatchObject({ name, bucket: 'ccai-sim', size: String(file.bytes) })
      const [bytes] = await bucket.file(name).download()
      expect(bytes, name).toEqual(
        Buffer.from((await pusher.runtime.storage.read(file.path)) ?? new Uint8Array()),
      )
    }
    await pusher.close()
  })
})
