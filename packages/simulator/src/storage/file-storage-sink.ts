import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { dirname, join, relative, sep } from 'node:path'
import type { StorageFile } from '@ccai-sim/fixtures'
import { parseStoragePath, STORAGE_FOLDER_NAMES } from '@ccai-sim/schemas'
import { SimulatorError } from '../errors.js'
import type { StorageSink, StoredFileInfo } from '../runtime/sinks.js'
import { contentTypeOf } from './content-type.js'

/**
 * External storage as a local folder, laid out as the platform lays out a bucket or SFTP root:
 * `ujet-metadata/call-123.json`, `ujet-chat-transcripts/chat-9.txt`, … Only paths that parse as
 * documented storage paths are written or read, so nothing can escape the folder.
 */
export class FileStorageSink implements StorageSink {
  readonly root: string
  private counter = 0

  constructor(root: string) {
    this.root = root
  }

  private resolve(path: string): string {
    const parsed = parseStoragePath(path)
    if (!parsed.ok)
      throw new SimulatorError('not_found', `storage path "${path}": ${parsed.reason}`)
    return join(this.root, ...path.split('/'))
  }

  async write(file: StorageFile): Promise<void> {
    const target = this.resolve(file.path)
    await mkdir(dirname(target), { recursive: true })
    // Write then rename, so a pipeline watching the folder never reads half a file.
    this.counter += 1
    const temporary = `${target}.${process.pid}.${this.counter}.partial`
    await writeFile(temporary, file.content)
    await rename(temporary, target)
  }

  async list(): Promise<StoredFileInfo[]> {
    const out: StoredFileInfo[] = []
    for (const folder of STORAGE_FOLDER_NAMES) {
      const entries = await readdir(join(this.root, folder), {
        withFileTypes: true,
        recursive: true,
      }).catch(() => [])
      for (const entry of entries) {
        if (!entry.isFile() || entry.name.endsWith('.partial')) continue
        const full = join(entry.parentPath, entry.name)
        const path = relative(this.root, full).split(sep).join('/')
        const info = await stat(full)
        out.push({ path, bytes: info.size, contentType: contentTypeOf(path) })
      }
    }
    return out.sort((a, b) => a.path.localeCompare(b.path))
  }

  async read(path: string): Promise<Uint8Array | undefined> {
    let target: string
    try {
      target = this.resolve(path)
    } catch {
      return undefined
    }
    return readFile(target).then(
      (buffer) => new Uint8Array(buffer),
      () => undefined,
    )
  }

  /** Removes the `ujet-*` folders only: the configured folder may hold other things. */
  async clear(): Promise<void> {
    await Promise.all(
      STORAGE_FOLDER_NAMES.map((folder) =>
        rm(join(this.root, folder), { recursive: true, force: true }),
      ),
    )
  }
}
