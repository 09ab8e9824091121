import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startSimulator, type RunningSimulator } from '@ccai-sim/simulator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runContractCli } from '../cli/main.js'
import type { ContractCliIo } from '../cli/io.js'

/*
 * `ccai-contract storage` reads a tree where pipelines read it: over SFTP and through the Cloud
 * Storage JSON API, here the simulator's own built-in SFTP server and API, holding what it wrote.
 */

let work = ''
let sim: RunningSimulator
const password = 'tree-reader'

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'ccai-contract-remote-'))
  sim = await startSimulator({
    cwd: work,
    config: {
      port: 0,
      seed: 5,
      clock: { mode: 'manual', start: '2026-01-15T15:00:00.000Z' },
      crm: { enabled: false },
      email: { enabled: false },
      storage: {
        dir: 'storage',
        serve: { sftp: { enabled: true, port: 0, user: 'reader', password } },
      },
    },
  })
  for (const scenario of ['inbound-ivr-call', 'web-chat-va-escalation', 'chat-cobrowse'])
    sim.simulator.runtime.startSession({ scenario })
  sim.simulator.runtime.clock.advance(2 * 3_600_000)
  await sim.simulator.runtime.settle()
}, 60_000)
afterAll(async () => {
  await sim.close()
  await rm(work, { recursive: true, force: true })
})

async function cli(args: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const io: ContractCliIo = {
    cwd: work,
    stdout: (text) => {
      out += text
    },
    stderr: (text) => {
      err += text
    },
  }
  const code = await runContractCli([...args], io)
  return { code, out, err }
}

interface JsonReport {
  results: { clauses: { id: string; status: string }[] }[]
}

describe('ccai-contract storage on remote trees', { timeout: 60_000 }, () => {
  it('checks the same tree from a folder, over SFTP and from a gs:// bucket, with the same verdicts', async () => {
    const local = await cli(['storage', 'storage', '--reporter', 'json'])
    const sftp = await cli([
      'storage',
      `sftp://reader@127.0.0.1:${String(sim.sftpPort)}/`,
      '--password',
      password,
      '--reporter',
      'json',
    ])
    const gs = await cli(['storage', 'gs://ccai-sim', '--endpoint', sim.url, '--reporter', 'json'])
    for (const run of [local, sftp, gs]) {
      expect(run.err).toBe('')
      expect(run.code).toBe(0)
    }
    const verdicts = (run: { out: string }): string[] =>
      (JSON.parse(run.out) as JsonReport).results.flatMap((r) =>
        r.clauses.map((c) => `${c.id}:${c.status}`),
      )
    expect(verdicts(local).some((v) => v.endsWith(':passed'))).toBe(true)
    expect(verdicts(sftp)).toEqual(verdicts(local))
    expect(verdicts(gs)).toEqual(verdicts(local))
  })

  it('reads a prefix of a bucket and a folder of an SFTP server', async () => {
    const gs = await cli([
      'storage',
      'gs://ccai-sim/ujet-metadata',
      '--endpoint',
      sim.url,
      '--reporter',
      'json',
    ])
    expect(gs.code).toBe(1)
    const sftp = await cli([
      'storage',
      `sftp://reader:${password}@127.0.0.1:${String(sim.sftpPort)}/ujet-metadata`,
      '--reporter',
      'json',
    ])
    // Without its ujet-* folder around it, a metadata folder is not a storage tree: the same verdict both ways.
    expect(sftp.code).toBe(gs.code)
  })

  it('exits 2 naming the problem for a wrong password, no credentials or a missing bucket', async () => {
    const wrong = await cli([
      'storage',
      `sftp://reader@127.0.0.1:${String(sim.sftpPort)}/`,
      '--password',
      'nope',
    ])
    expect(wrong.code).toBe(2)
    expect(wrong.err).toMatch(/authentication/i)
    const none = await cli(['storage', `sftp://reader@127.0.0.1:${String(sim.sftpPort)}/`])
    expect(none.code).toBe(2)
    expect(none.err).toContain('expected a password')
    const bucket = await cli(['storage', 'gs://not-this-one', '--endpoint', sim.url])
    expect(bucket.code).toBe(2)
    expect(bucket.err).toContain('not-this-one')
  })
})
