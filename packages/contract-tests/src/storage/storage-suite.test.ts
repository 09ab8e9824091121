import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startSimulator } from '@ccai-sim/simulator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SuiteResult } from '../core/types.js'
import { runStorageSuite, STORAGE_SUITE } from './storage-suite.js'

const SCENARIOS = [
  'inbound-ivr-call',
  'inbound-call-abandoned',
  'web-chat-va-escalation',
  'sms-chat-dismissed',
  'chat-cobrowse',
  'inbound-call-voicemail',
] as const

let work: string
/** The tree the simulator wrote: never changed; each case copies it. */
let simulated: string

async function post(url: string, body: unknown): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  expect(response.status, `${url} ${await response.text()}`).toBeLessThan(300)
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'ccai-contract-storage-'))
  simulated = join(work, 'simulator', 'storage')
  const sim = await startSimulator({
    config: {
      port: 0,
      seed: 5,
      clock: { mode: 'manual', start: '2026-01-15T15:00:00.000Z' },
      storage: { dir: simulated },
      email: { enabled: false },
    },
  })
  try {
    for (const scenario of SCENARIOS) await post(`${sim.url}/_sim/sessions`, { scenario })
    await post(`${sim.url}/_sim/clock`, { advanceMs: 2 * 60 * 60 * 1000 })
  } finally {
    await sim.close()
  }
  // Two virtual hours of five sessions, recordings included: seconds on a busy machine.
}, 60_000)

afterAll(async () => {
  await rm(work, { recursive: true, force: true })
})

let copies = 0

/** A fresh copy of the simulator's tree, optionally under a Folder Path. */
async function copyTree(basePath = ''): Promise<{ dir: string; root: string }> {
  copies += 1
  const dir = join(work, `case-${copies}`)
  const root = basePath === '' ? dir : join(dir, ...basePath.split('/'))
  await mkdir(root, { recursive: true })
  await cp(simulated, root, { recursive: true })
  return { dir, root }
}

async function filesIn(root: string, folder: string): Promise<string[]> {
  return (await readdir(join(root, folder))).sort()
}

function failedIds(result: SuiteResult): string[] {
  return result.clauses.filter((c) => c.status === 'failed').map((c) => c.id)
}

function clauseOf(result: SuiteResult, id: string): SuiteResult['clauses'][number] {
  const found = result.clauses.find((c) => c.id === id)
  if (!found) throw new Error(`no clause ${id}`)
  return found
}

describe('storage suite on a tree the simulator wrote', () => {
  it('has the metadata, transcripts, recordings, voicemails and media of the scenarios', async () => {
    expect(await filesIn(simulated, 'ujet-metadata')).toHaveLength(SCENARIOS.length)
    expect((await filesIn(simulated, 'ujet-chat-transcripts')).length).toBeGreaterThan(0)
    expect((await filesIn(simulated, 'ujet-voice-recordings')).length).toBeGreaterThan(0)
    expect((await filesIn(simulated, 'ujet-media')).length).toBeGreaterThan(0)
    expect(await filesIn(simulated, 'ujet-voicemails')).toHaveLength(1)
  })

  it('passes every clause', async () => {
    const result = await runStorageSuite({ dir: simulated })
    expect(result.suite).toBe('storage')
    expect(result.target).toBe(simulated)
    expect(result.clauses.map((c) => [c.id, c.status, c.failure?.actual])).toEqual(
      STORAGE_SUITE.clauses.map((c) => [c.id, 'passed', undefined]),
    )
  })

  it('passes under a Folder Path and lists, without failing, files outside the ujet-* folders', async () => {
    const { dir } = await copyTree('exports/ccai')
    await writeFile(join(dir, 'README.txt'), 'Nightly export of the contact centre bucket.\n')
    await writeFile(join(dir, 'exports', 'ccai', '.DS_Store'), '')
    const result = await runStorageSuite({ dir })
    expect(failedIds(result)).toEqual([])
    const reported = clauseOf(result, 'STORAGE-001').exchanges.map((e) => e.request.url)
    expect(reported).toEqual(['README.txt', 'exports/ccai/.DS_Store'])
  })

  it('fails STORAGE-001 when the folder holds no ujet-* folder at all', async () => {
    const dir = join(work, 'empty')
    await mkdir(join(dir, 'exports'), { recursive: true })
    const result = await runStorageSuite({ dir })
    expect(failedIds(result)).toEqual(['STORAGE-001'])
    expect(result.clauses.filter((c) => c.status === 'skipped').map((c) => c.id)).toEqual([
      'STORAGE-003',
      'STORAGE-004',
      'STORAGE-005',
      'STORAGE-006',
      'STORAGE-007',
      'STORAGE-008',
    ])
  })
})

describe('storage suite on broken trees', () => {
  it('fails only STORAGE-001 for a folder with an undocumented ujet-* name', async () => {
    const { root } = await copyTree()
    await mkdir(join(root, 'ujet-transcripts'))
    const [transcript] = await filesIn(root, 'ujet-chat-transcripts')
    await cp(
      join(root, 'ujet-chat-transcripts', transcript!),
      join(root, 'ujet-transcripts', transcript!),
    )
    const result = await runStorageSuite({ dir: root })
    expect(failedIds(result)).toEqual(['STORAGE-001'])
    const clause = clauseOf(result, 'STORAGE-001')
    expect(clause.failure?.actual).toBe(
      'ujet-transcripts/: "ujet-transcripts" is not a documented folder',
    )
    expect(clause.exchanges[0]).toMatchObject({
      request: { method: 'LIST', url: 'ujet-transcripts/' },
    })
    expect(clause.exchanges[0]?.response?.body).toContain(`ujet-transcripts/${transcript!}`)
  })

  it('fails only STORAGE-002 for a misnamed file', async () => {
    const { root } = await copyTree()
    const [recording] = await filesIn(root, 'ujet-voice-recordings')
    const misnamed = recording!.replace(/\.mp3$/, '.m4a')
    await cp(
      join(root, 'ujet-voice-recordings', recording!),
      join(root, 'ujet-voice-recordings', misnamed),
    )
    const result = await runStorageSuite({ dir: root })
    expect(failedIds(result)).toEqual(['STORAGE-002'])
    const failure = clauseOf(result, 'STORAGE-002').failure
    expect(failure?.actual).toContain(`ujet-voice-recordings/${misnamed}: `)
    expect(failure?.actual).toContain('call-{id}.mp3 or call-{id}.wav')
  })

  it('fails only STORAGE-005 for metadata whose id is not its file name', async () => {
    const { root } = await copyTree()
    const [name] = await filesIn(root, 'ujet-metadata')
    const path = join(root, 'ujet-metadata', name!)
    const record = JSON.parse(await readFile(path, 'utf8')) as { id: number }
    const fileId = record.id
    record.id = fileId + 1
    await writeFile(path, JSON.stringify(record, null, 2))
    const result = await runStorageSuite({ dir: root })
    expect(failedIds(result)).toEqual(['STORAGE-005'])
    const clause = clauseOf(result, 'STORAGE-005')
    expect(clause.failure?.actual).toBe(
      `ujet-metadata/${name!}: id is ${fileId + 1}, the file name says ${fileId}`,
    )
    expect(clause.exchanges).toHaveLength(1)
    expect(clause.exchanges[0]).toMatchObject({
      request: { method: 'READ', url: `ujet-metadata/${name!}` },
      response: { status: 200 },
    })
    expect(clause.exchanges[0]?.response?.body).toContain(`"id": ${fileId + 1}`)
  })

  it('fails only STORAGE-003 for a metadata file that is not valid JSON', async () => {
    const { root } = await copyTree()
    const call = (await filesIn(root, 'ujet-metadata')).find((n) => n.startsWith('call-'))!
    const path = join(root, 'ujet-metadata', call)
    const text = await readFile(path, 'utf8')
    await writeFile(path, text.slice(0, Math.floor(text.length / 2)))
    const result = await runStorageSuite({ dir: root })
    expect(failedIds(result)).toEqual(['STORAGE-003'])
    expect(clauseOf(result, 'STORAGE-003').failure?.actual).toMatch(
      new RegExp(`^ujet-metadata/${call}: not valid JSON`),
    )
  })

  it('fails only STORAGE-003, saying tolerant checking would pass, for a re-serialised record', async () => {
    const { root } = await copyTree()
    const call = (await filesIn(root, 'ujet-metadata')).find((n) => n.startsWith('call-'))!
    const path = join(root, 'ujet-metadata', call)
    const { subStatus, ...record } = JSON.parse(await readFile(path, 'utf8')) as Record<
      string,
      unknown
    >
    await writeFile(path, JSON.stringify({ ...record, sub_status: subStatus }))
    const result = await runStorageSuite({ dir: root })
    expect(failedIds(result)).toEqual(['STORAGE-003'])
    expect(clauseOf(result, 'STORAGE-003').failure?.actual).toContain(
      'tolerant checking accepts it',
    )
  })

  it('fails only STORAGE-006 for a chat with messages whose transcript is missing', async () => {
    const { root } = await copyTree()
    const [transcript] = await filesIn(root, 'ujet-chat-transcripts')
    await rm(join(root, 'ujet-chat-transcripts', transcript!))
    const result = await runStorageSuite({ dir: root })
    expect(failedIds(result)).toEqual(['STORAGE-006'])
    const clause = clauseOf(result, 'STORAGE-006')
    const metadata = `ujet-metadata/${transcript!.replace(/\.txt$/, '.json')}`
    expect(clause.failure?.actual).toMatch(
      new RegExp(
        `^${metadata}: first_msg_sent_at is ".+" but ujet-chat-transcripts/${transcript!} is missing$`,
      ),
    )
    expect(clause.exchanges.map((e) => [e.request.url, e.error])).toEqual([
      [metadata, undefined],
      [`ujet-chat-transcripts/${transcript!}`, 'no such file'],
    ])
  })

  it('fails only STORAGE-004 for an empty transcript', async () => {
    const { root } = await copyTree()
    const [transcript] = await filesIn(root, 'ujet-chat-transcripts')
    await writeFile(join(root, 'ujet-chat-transcripts', transcript!), '')
    const result = await runStorageSuite({ dir: root })
    expect(failedIds(result)).toEqual(['STORAGE-004'])
    expect(clauseOf(result, 'STORAGE-004').failure?.actual).toBe(
      `ujet-chat-transcripts/${transcript!}: empty file`,
    )
  })

  it('fails only STORAGE-004 for a transcript that is not UTF-8', async () => {
    const { root } = await copyTree()
    const [transcript] = await filesIn(root, 'ujet-chat-transcripts')
    await writeFile(
      join(root, 'ujet-chat-transcripts', transcript!),
      Buffer.from([0x43, 0x61, 0x66, 0xe9]),
    )
    const result = await runStorageSuite({ dir: root })
    expect(failedIds(result)).toEqual(['STORAGE-004'])
    expect(clauseOf(result, 'STORAGE-004').failure?.actual).toContain('not valid UTF-8')
  })

  it('fails only STORAGE-007 for a recorded call without its recording', async () => {
    const { root } = await copyTree()
    const [recording] = await filesIn(root, 'ujet-voice-recordings')
    await rm(join(root, 'ujet-voice-recordings', recording!))
    const result = await runStorageSuite({ dir: root })
    expect(failedIds(result)).toEqual(['STORAGE-007'])
    expect(clauseOf(result, 'STORAGE-007').failure?.actual).toContain(
      `neither ujet-voice-recordings/${recording!} nor`,
    )
  })

  it('fails only STORAGE-008 for a listed photo whose file is missing', async () => {
    const { root } = await copyTree()
    const photo = (await filesIn(root, 'ujet-media')).find((n) => n.includes('-photo-'))!
    await rm(join(root, 'ujet-media', photo))
    const result = await runStorageSuite({ dir: root })
    expect(failedIds(result)).toEqual(['STORAGE-008'])
    expect(clauseOf(result, 'STORAGE-008').failure?.actual).toContain(`ujet-media/${photo}`)
  })

  it('moves a recording to a wrong folder: STORAGE-001 names the folder, STORAGE-007 the missing file', async () => {
    const { root } = await copyTree()
    await rename(join(root, 'ujet-voice-recordings'), join(root, 'ujet-recordings'))
    const result = await runStorageSuite({ dir: root })
    expect(failedIds(result)).toEqual(['STORAGE-001', 'STORAGE-007'])
  })
})

describe('storage suite clauses', () => {
  it('have stable ids, titles starting with their id, and a rationale citing a document', () => {
    STORAGE_SUITE.clauses.forEach((clause, index) => {
      expect(clause.id).toBe(`STORAGE-${String(index + 1).padStart(3, '0')}`)
      expect(clause.title.startsWith(`${clause.id} `)).toBe(true)
      expect(clause.rationale).toMatch(/seed 000|reference §/)
    })
  })
})
