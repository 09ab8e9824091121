import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateStory, projectSession, type StorageFile } from '@ccai-sim/fixtures'
import { checkContract, STORAGE_FOLDER_NAMES } from '@ccai-sim/schemas'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createSimulatorApp } from '../app.js'
import { SimulatorError } from '../errors.js'
import { FileStorageSink, RECENTLY_WRITTEN, stateDirFor } from './file-storage-sink.js'
import { planned } from '../../test/support/planned.js'

let dir = ''
let root = ''
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ccai-sim-storage-'))
  root = join(dir, 'root')
  await mkdir(root)
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

function file(path: string, content: string | Uint8Array = '{}'): StorageFile {
  return { path, at: 0, contentType: 'application/json', content }
}

/** Every file under a folder, relative, sorted: what is really on disk (the sink's own state aside). */
async function tree(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true })
  return entries
    .filter((e) => e.isFile() && !join(e.parentPath, e.name).includes('.ccai-sim'))
    .map((e) =>
      join(e.parentPath, e.name)
        .slice(folder.length + 1)
        .split('\\')
        .join('/'),
    )
    .sort()
}

function filesOf(scenario: string, seed: number): readonly StorageFile[] {
  return projectSession(generateStory(scenario, { seed })).files
}

describe('FileStorageSink', () => {
  it('writes each file under its ujet-* folder, byte for byte, and lists it', async () => {
    const sink = new FileStorageSink(root)
    const files = [...filesOf('inbound-ivr-call', 4), ...filesOf('web-chat-va-escalation', 4)]
    // The call: metadata, recording and a Smart Action photo; the chat: metadata and transcript.
    expect(files.length).toBe(5)
    for (const f of files) await sink.write(f)

    expect(await tree(root)).toEqual(files.map((f) => f.path).sort())
    for (const f of files) {
      const onDisk = new Uint8Array(await readFile(join(root, ...f.path.split('/'))))
      const expected =
        typeof f.content === 'string' ? new TextEncoder().encode(f.content) : f.content
      // Buffers compared whole: a deep equal of a recording byte by byte takes seconds.
      expect(Buffer.from(onDisk).equals(Buffer.from(expected)), f.path).toBe(true)
      const read = (await sink.read(f.path)) ?? new Uint8Array()
      expect(Buffer.from(read).equals(Buffer.from(expected)), f.path).toBe(true)
    }

    const listed = await sink.list()
    expect(listed.map((f) => f.path)).toEqual(files.map((f) => f.path).sort())
    const metadata = listed.find((f) => f.path.startsWith('ujet-metadata/call-'))
    expect(metadata?.contentType).toBe('application/json')
    expect(listed.find((f) => f.path.endsWith('.txt'))?.contentType).toBe(
      'text/plain; charset=utf-8',
    )
    expect(listed.find((f) => f.path.endsWith('.mp3'))?.contentType).toBe('audio/mpeg')
    for (const info of listed) expect(info.bytes).toBeGreaterThan(0)

    // The metadata file is the documented contract.
    const json = JSON.parse(
      await readFile(join(root, ...(metadata?.path ?? '').split('/')), 'utf8'),
    ) as unknown
    expect(checkContract('metadata.call', json, { mode: 'strict' }).issues).toEqual([])
  })

  it('replaces a file written again and leaves no partial files behind', async () => {
    const sink = new FileStorageSink(root)
    await sink.write(file('ujet-metadata/call-12.json', '{"v":1}'))
    await sink.write(file('ujet-metadata/call-12.json', '{"v":2}'))
    expect(await tree(root)).toEqual(['ujet-metadata/call-12.json'])
    expect(await readFile(join(root, 'ujet-metadata', 'call-12.json'), 'utf8')).toBe('{"v":2}')
  })

  it('refuses a path that does not parse as a storage path and writes nothing anywhere', async () => {
    const sink = new FileStorageSink(root)
    const bad = [
      '../x',
      '../ujet-metadata/call-1.json',
      'ujet-metadata/../../call-1.json',
      'ujet-metadata/../ujet-metadata/call-1.json',
      '/etc/ujet-metadata/call-1.json',
      'ujet-metadata\\call-1.json',
      'ujet-metadata/call-1.exe',
      'ujet-metadata/sub/call-1.json',
      'notes/readme.txt',
      'ujet-metadata/',
      '',
    ]
    for (const path of bad) {
      const error = await sink.write(file(path)).then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(error, path).toBeInstanceOf(SimulatorError)
      expect((error as SimulatorError).message, path).toContain('storage path')
      expect(await sink.read(path), path).toBeUndefined()
    }
    expect(await tree(dir)).toEqual([])
    expect(await readdir(dir)).toEqual(['root'])
  })

  it('reads nothing for a missing file or a path outside its folders', async () => {
    await writeFile(join(dir, 'secret.json'), '{}')
    const sink = new FileStorageSink(root)
    expect(await sink.read('ujet-metadata/call-1.json')).toBeUndefined()
    expect(await sink.read('../secret.json')).toBeUndefined()
    expect(await sink.list()).toEqual([])
  })

  it('lists only storage files: not partial files, not other folders', async () => {
    const sink = new FileStorageSink(root)
    await sink.write(file('ujet-metadata/chat-7.json'))
    await writeFile(join(root, 'ujet-metadata', 'chat-8.json.123.1.partial'), '{')
    await mkdir(join(root, 'other'))
    await writeFile(join(root, 'other', 'call-1.json'), '{}')
    await writeFile(join(root, 'keep.txt'), 'x')
    expect((await sink.list()).map((f) => f.path)).toEqual(['ujet-metadata/chat-7.json'])
  })

  it('clears only the files it wrote, keeping the ones someone else put in its folders', async () => {
    const sink = new FileStorageSink(root)
    await sink.write(file('ujet-metadata/call-1.json'))
    await sink.write(file('ujet-voice-recordings/call-1.mp3', 'ID3'))
    // Another instance, or the user, put these into the same ujet-* folders.
    await writeFile(join(root, 'ujet-metadata', 'call-99.json'), '{"theirs":true}')
    await mkdir(join(root, 'ujet-media'))
    await writeFile(join(root, 'ujet-media', 'chat-5-photo-1.jpg'), 'x')

    await sink.clear()
    expect(await tree(root)).toEqual([
      'ujet-media/chat-5-photo-1.jpg',
      'ujet-metadata/call-99.json',
    ])
    // The folder it emptied is gone; the ones still holding someone's files stay.
    expect(await readdir(root)).not.toContain('ujet-voice-recordings')
  })

  it('remembers what it wrote across restarts, so a reset after a restart clears those too', async () => {
    await new FileStorageSink(root).write(file('ujet-metadata/chat-3.json'))
    await writeFile(join(root, 'ujet-metadata', 'chat-4.json'), '{}')
    const restarted = new FileStorageSink(root)
    await restarted.clear()
    expect(await tree(root)).toEqual(['ujet-metadata/chat-4.json'])
  })

  it('keeps the list of what it wrote on disk, holding only the recent paths in memory', async () => {
    const sink = new FileStorageSink(root)
    const count = RECENTLY_WRITTEN + 44
    for (let i = 1; i <= count; i += 1)
      await sink.write(file(`ujet-metadata/chat-${String(i)}.json`))
    // A file written again at once (a rewrite) is listed once.
    await sink.write(file(`ujet-metadata/chat-${String(count)}.json`, '{"again":true}'))
    expect(sink.rememberedInMemory).toBe(RECENTLY_WRITTEN)
    const listed = (await readFile(join(stateDirFor(root), 'written.txt'), 'utf8')).split('\n')
    expect(listed.filter((line) => line !== '')).toHaveLength(count)

    // A path written long ago and again now is listed twice; clear removes it (and all) once.
    await sink.write(file('ujet-metadata/chat-1.json'))
    await writeFile(join(root, 'ujet-metadata', 'theirs.json'), '{}')
    await sink.clear()
    expect(await tree(root)).toEqual(['ujet-metadata/theirs.json'])
    expect(sink.rememberedInMemory).toBe(0)
  })

  it('follows no symbolic link out of its folder: reading, listing or writing', async () => {
    const outside = join(dir, 'outside')
    await mkdir(join(outside, 'ujet-metadata'), { recursive: true })
    await writeFile(join(outside, 'secret.json'), '{"secret":true}')
    await writeFile(join(outside, 'ujet-metadata', 'call-7.json'), '{"secret":true}')
    const sink = new FileStorageSink(root)
    await mkdir(join(root, 'ujet-chat-transcripts'))
    await symlink(join(outside, 'secret.json'), join(root, 'ujet-chat-transcripts', 'chat-1.txt'))
    await symlink(join(outside, 'ujet-metadata'), join(root, 'ujet-metadata'))

    expect(await sink.read('ujet-chat-transcripts/chat-1.txt')).toBeUndefined()
    expect(await sink.read('ujet-metadata/call-7.json')).toBeUndefined()
    expect(await sink.list()).toEqual([])
    const error = await sink.write(file('ujet-metadata/call-8.json')).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect((error as SimulatorError).message).toContain('symbolic link out of')
    expect(await readdir(join(outside, 'ujet-metadata'))).toEqual(['call-7.json'])
    // A link inside the folder that stays inside it is fine to read through.
    await sink.write(file('ujet-chat-transcripts/chat-2.txt', 'hello'))
    await symlink('chat-2.txt', join(root, 'ujet-chat-transcripts', 'chat-3.txt'))
    expect(new TextDecoder().decode(await sink.read('ujet-chat-transcripts/chat-3.txt'))).toBe(
      'hello',
    )
  })

  it('lists without an error while a clear removes the files under it', async () => {
    const sink = new FileStorageSink(root)
    for (let i = 0; i < 60; i += 1) await sink.write(file(`ujet-metadata/call-${i + 1}.json`))
    const listings = Array.from({ length: 20 }, () => sink.list())
    await Promise.all([sink.clear(), ...listings])
    expect(await sink.list()).toEqual([])
  })

  it('clears only the ujet-* folders, keeping everything else in the folder', async () => {
    const sink = new FileStorageSink(root)
    for (const f of filesOf('chat-cobrowse', 1)) await sink.write(f)
    for (const f of filesOf('inbound-ivr-call', 1)) await sink.write(f)
    await writeFile(join(root, 'keep.txt'), 'mine')
    await mkdir(join(root, 'other'))
    await writeFile(join(root, 'other', 'call-1.json'), '{}')

    await sink.clear()
    expect(await sink.list()).toEqual([])
    expect(await tree(root)).toEqual(['keep.txt', 'other/call-1.json'])
    const left = await readdir(root)
    for (const folder of STORAGE_FOLDER_NAMES) expect(left).not.toContain(folder)
    // Clearing an empty folder, or one that does not exist yet, is fine.
    await sink.clear()
    await new FileStorageSink(join(dir, 'never-created')).clear()
    expect(await readdir(dir)).toEqual(['root'])
  })
})

describe('/storage/', () => {
  async function simulatorWithFiles() {
    const sim = createSimulatorApp({
      // No CRM: the files must equal the offline story's, whose CRM answers nothing.
      config: { clock: { mode: 'manual' }, crm: { enabled: false } },
      storage: new FileStorageSink(root),
    })
    const call = sim.runtime.startSession({ scenario: 'inbound-ivr-call', seed: 3 })
    const chat = sim.runtime.startSession({ scenario: 'web-chat-va-escalation', seed: 3 })
    await sim.runtime.advance(2 * 3_600_000)
    await sim.runtime.settle()
    const files = [...planned(call).files, ...planned(chat).files]
    return { app: sim.app, files }
  }

  async function expectNotFound(response: Response): Promise<string> {
    expect(response.status).toBe(404)
    expect(response.headers.get('content-type')).toBe('application/problem+json')
    const body = (await response.json()) as { type: string; detail: string }
    expect(checkContract('common.problem', body, { mode: 'strict' }).issues).toEqual([])
    expect(body.type).toBe('not_found')
    return body.detail
  }

  it('lists every stored file with its size, type and URL', async () => {
    const { app, files } = await simulatorWithFiles()
    for (const path of ['/storage/', '/storage']) {
      const response = await app.request(path)
      expect(response.status).toBe(200)
      const listing = (await response.json()) as {
        folder: string
        files: { path: string; url: string; bytes: number; contentType: string }[]
      }
      expect(listing.folder).toBe('/')
      expect(listing.files.map((f) => f.path)).toEqual(files.map((f) => f.path).sort())
      for (const f of listing.files) expect(f.url).toBe(`/storage/${f.path}`)
    }
  })

  it('lists one folder', async () => {
    const { app, files } = await simulatorWithFiles()
    const listing = (await (await app.request('/storage/ujet-metadata/')).json()) as {
      folder: string
      files: { path: string }[]
    }
    expect(listing.folder).toBe('ujet-metadata/')
    expect(listing.files.map((f) => f.path)).toEqual(
      files
        .map((f) => f.path)
        .filter((p) => p.startsWith('ujet-metadata/'))
        .sort(),
    )
    const empty = (await (await app.request('/storage/ujet-media/')).json()) as { files: unknown[] }
    expect(empty.files).toEqual([])
  })

  it('serves each file with its content type and exact bytes', async () => {
    const { app, files } = await simulatorWithFiles()
    const types: Record<string, string> = {
      json: 'application/json',
      txt: 'text/plain; charset=utf-8',
      mp3: 'audio/mpeg',
    }
    for (const f of files) {
      const response = await app.request(`/storage/${f.path}`)
      expect(response.status, f.path).toBe(200)
      expect(response.headers.get('content-type')).toBe(types[f.path.split('.').at(-1) ?? ''])
      const bytes = new Uint8Array(await response.arrayBuffer())
      const expected =
        typeof f.content === 'string' ? new TextEncoder().encode(f.content) : f.content
      expect(Buffer.from(bytes).equals(Buffer.from(expected)), f.path).toBe(true)
      expect(response.headers.get('content-length')).toBe(String(expected.byteLength))
    }
  })

  it('answers 404 problem+json for a file not written, a non-storage path, a non-folder and traversal', async () => {
    await writeFile(join(dir, 'secret.json'), '{"secret":true}')
    const { app } = await simulatorWithFiles()
    expect(await expectNotFound(await app.request('/storage/ujet-metadata/call-1.json'))).toContain(
      'no file at ujet-metadata/call-1.json',
    )
    expect(await expectNotFound(await app.request('/storage/notes/readme.txt'))).toContain(
      'is not a storage path',
    )
    expect(await expectNotFound(await app.request('/storage/nope/'))).toContain(
      'is not a storage folder',
    )
    // The URL parser folds `%2e%2e` segments away: the request leaves /storage/ and finds nothing.
    expect(await expectNotFound(await app.request('/storage/%2e%2e/secret.json'))).not.toContain(
      'secret":',
    )
    expect(
      await expectNotFound(
        await app.request('/storage/ujet-metadata/%2e%2e%2f%2e%2e%2fsecret.json'),
      ),
    ).toContain('is not a storage path')
    expect(
      await expectNotFound(await app.request('/storage/ujet-metadata/call-%E0%A4%A.json')),
    ).toContain('malformed')
  })

  it('shows an empty listing after a reset', async () => {
    const sim = createSimulatorApp({
      config: { clock: { mode: 'manual' } },
      storage: new FileStorageSink(root),
    })
    sim.runtime.startSession({ scenario: 'outbound-call' })
    await sim.runtime.advance(2 * 3_600_000)
    await sim.runtime.settle()
    expect(
      ((await (await sim.app.request('/storage/')).json()) as { files: unknown[] }).files.length,
    ).toBeGreaterThan(0)
    expect((await sim.app.request('/_sim/reset', { method: 'POST' })).status).toBe(204)
    expect(
      ((await (await sim.app.request('/storage/')).json()) as { files: unknown[] }).files,
    ).toEqual([])
  })
})
