import {
  appendFile,
  lstat,
  mkdir,
  readdir,
  readFile,
  realpath,
  rename,
  rm,
  rmdir,
  writeFile,
} from 'node:fs/promises'
import { basename, dirname, join, relative, sep } from 'node:path'
import type { StorageFile } from '@ccai-sim/fixtures'
import { parseStoragePath, STORAGE_FOLDER_NAMES } from '@ccai-sim/schemas'
import { SimulatorError } from '../errors.js'
import type { StorageSink, StoredFileInfo } from '../runtime/sinks.js'
import { contentTypeOf } from './content-type.js'

const WRITTEN_FILE = 'written.txt'
/**
 * Paths recently added to `written.txt`, remembered so a file written again (a rewrite) is not
 * listed twice. Bounded: the full list lives on disk only, since in memory it grew by every file of
 * every session for as long as the process ran; an older path written again is listed again, and
 * `clear` reads each path once.
 */
export const RECENTLY_WRITTEN = 256

/**
 * The simulator's own bookkeeping for a storage folder (what it wrote, its pending uploads, its
 * owner), kept beside the folder (`.storage.ccai-sim` next to `storage`), never inside it: the
 * folder holds only what the platform would write, so a pipeline or `ccai-contract storage` reading
 * it sees nothing else.
 */
export function stateDirFor(root: string): string {
  return join(dirname(root), `.${basename(root)}.ccai-sim`)
}

/** Whether a file sits in a `ujet-*` folder, at any depth under the Folder Path (what `list` shows). */
function inStorageFolder(path: string): boolean {
  const folders = path.split('/').slice(0, -1)
  return folders.some((folder) => (STORAGE_FOLDER_NAMES as readonly string[]).includes(folder))
}

/**
 * External storage as a local folder, laid out as the platform lays out a bucket or SFTP root:
 * `ujet-metadata/call-123.json`, `ujet-chat-transcripts/chat-9.txt`, … Only paths that parse as
 * documented storage paths are written or read, and a symbolic link is never followed out of the
 * folder (on reading, listing or writing), so nothing can escape it. Every path this sink writes is
 * recorded (`written.txt` in `stateDirFor(root)`, kept across restarts), and `clear` removes those files only:
 * the folder may hold the user's own files or another tool's.
 */
export class FileStorageSink implements StorageSink {
  readonly root: string
  private readonly stateDir: string
  private counter = 0
  private realRoot: Promise<string> | undefined
  /** The last `RECENTLY_WRITTEN` paths appended to `written.txt`, oldest first. */
  private readonly recent = new Set<string>()

  constructor(root: string) {
    this.root = root
    this.stateDir = stateDirFor(root)
  }

  private resolve(path: string): string {
    const parsed = parseStoragePath(path)
    if (!parsed.ok)
      throw new SimulatorError('not_found', `storage path "${path}": ${parsed.reason}`)
    return join(this.root, ...path.split('/'))
  }

  /** The folder's real path (links resolved); undefined while it does not exist. */
  private async rootReal(): Promise<string | undefined> {
    this.realRoot ??= realpath(this.root)
    try {
      return await this.realRoot
    } catch {
      this.realRoot = undefined
      return undefined
    }
  }

  /** True when `target` exists and its real path stays inside the folder. */
  private async inside(target: string): Promise<boolean> {
    const root = await this.rootReal()
    if (root === undefined) return false
    try {
      const real = await realpath(target)
      return real === root || real.startsWith(root + sep)
    } catch {
      return false
    }
  }

  async write(file: StorageFile): Promise<void> {
    const target = this.resolve(file.path)
    await mkdir(dirname(target), { recursive: true })
    if (!(await this.inside(dirname(target)))) {
      throw new SimulatorError(
        'conflict',
        `storage path "${file.path}": its folder is a symbolic link out of ${this.root}; not written`,
      )
    }
    await this.remember(file.path)
    // Write then rename, so a pipeline watching the folder never reads half a file. A rename
    // replaces a symbolic link at the target itself, never the file it points to.
    this.counter += 1
    const temporary = `${target}.${process.pid}.${this.counter}.partial`
    await writeFile(temporary, file.content)
    await rename(temporary, target)
  }

  async list(): Promise<StoredFileInfo[]> {
    const out: StoredFileInfo[] = []
    if ((await this.rootReal()) === undefined) return out
    // The whole folder, not just its top-level `ujet-*` folders: a Folder Path (a `gcs` or `sftp`
    // sink's `prefix` pushing here) puts them deeper, `exports/ccai/ujet-metadata/…`. Dirents do
    // not follow links, so a linked folder is not walked into, wherever it is. A folder removed
    // while being walked (a reset) reads as empty, never as an error.
    const entries = await readdir(this.root, { withFileTypes: true, recursive: true }).catch(
      () => [],
    )
    for (const entry of entries) {
      // A symbolic link is neither a file nor a folder here.
      if (!entry.isFile() || entry.name.endsWith('.partial')) continue
      const full = join(entry.parentPath, entry.name)
      const path = relative(this.root, full).split(sep).join('/')
      if (!inStorageFolder(path)) continue
      const info = await lstat(full).catch(() => undefined)
      if (!info?.isFile()) continue
      out.push({ path, bytes: info.size, contentType: contentTypeOf(path) })
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
    if (!(await this.inside(target))) return undefined
    return readFile(target).then(
      (buffer) => new Uint8Array(buffer),
      () => undefined,
    )
  }

  /**
   * Removes the files this sink wrote (in this run or an earlier one) and the folders that leaves
   * empty; files someone else put in the folder stay.
   */
  async clear(): Promise<void> {
    const text = await readFile(join(this.stateDir, WRITTEN_FILE), 'utf8').catch(() => '')
    const paths = new Set(text.split('\n').filter((line) => line !== ''))
    this.recent.clear()
    const folders = new Set<string>()
    for (const path of paths) {
      let target: string
      try {
        target = this.resolve(path)
      } catch {
        continue
      }
      if (!(await this.inside(dirname(target)))) continue
      const info = await lstat(target).catch(() => undefined)
      if (info?.isFile()) await rm(target, { force: true })
      for (let dir = dirname(target); dir.startsWith(this.root + sep); dir = dirname(dir))
        folders.add(dir)
    }
    // Deepest first; a folder that still holds something (someone else's file) stays.
    for (const dir of [...folders].sort((a, b) => b.length - a.length))
      await rmdir(dir).catch(() => undefined)
    await rm(join(this.stateDir, WRITTEN_FILE), { force: true })
    await rmdir(this.stateDir).catch(() => undefined)
  }

  /** Adds `path` to `written.txt` unless it is among the recent ones (see `RECENTLY_WRITTEN`). */
  private async remember(path: string): Promise<void> {
    if (this.recent.has(path)) return
    this.recent.add(path)
    if (this.recent.size > RECENTLY_WRITTEN) {
      const oldest = this.recent.values().next()
      if (!oldest.done) this.recent.delete(oldest.value)
    }
    await mkdir(this.stateDir, { recursive: true })
    await appendFile(join(this.stateDir, WRITTEN_FILE), `${path}\n`)
  }

  /** How many paths the sink holds in memory (bounded by `RECENTLY_WRITTEN`), for tests. */
  get rememberedInMemory(): number {
    return this.recent.size
  }
}
