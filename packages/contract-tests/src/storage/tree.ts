import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  parseStoragePath,
  STORAGE_FOLDER_NAMES,
  type ParsedStoragePath,
  type StoragePathResult,
} from '@ccai-sim/schemas'
import type { Exchange } from '../core/types.js'

/*
 * A storage tree as the suite sees it: every file and folder under the given folder, by its path
 * relative to that folder with `/` separators (the object names of a bucket, the paths of an SFTP
 * root). "Exchanges" for this suite are file reads: method `READ` (or `LIST` for a folder), the
 * relative path as the URL, the content (or an excerpt) as the response body.
 */

/** What the storage suite is pointed at. */
export interface StorageSuiteContext {
  /** A folder: the simulator's storage folder, a downloaded bucket, an SFTP mirror; may hold a Folder Path in front of the `ujet-*` folders. */
  readonly dir: string
}

export interface StorageTree {
  readonly root: string
  /** Regular files, relative paths, sorted. */
  readonly files: readonly string[]
  /** Folders, relative paths, sorted. */
  readonly folders: readonly string[]
  /** Hidden entries (`.DS_Store`, `.partial` writes in progress), symbolic links and the like: never checked. */
  readonly skipped: readonly string[]
}

/** Scans the tree once; throws when `dir` is not a readable folder. */
export async function scanTree(dir: string): Promise<StorageTree> {
  const files: string[] = []
  const folders: string[] = []
  const skipped: string[] = []
  const walk = async (relative: string): Promise<void> => {
    const entries = await readdir(relative === '' ? dir : join(dir, relative), {
      withFileTypes: true,
    })
    for (const entry of entries) {
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`
      if (entry.name.startsWith('.')) skipped.push(path)
      else if (entry.isDirectory()) {
        folders.push(path)
        await walk(path)
      } else if (entry.isFile()) files.push(path)
      else skipped.push(path)
    }
  }
  await walk('')
  return { root: dir, files: files.sort(), folders: folders.sort(), skipped: skipped.sort() }
}

/** `ujet-metadata`, but also look-alikes (`ujet-recordings`, `UJET-Metadata`, `ujet_media`). */
export function looksLikePlatformFolder(name: string): boolean {
  return /^ujet[-_]/i.test(name)
}

export function isDocumentedFolder(name: string): boolean {
  return (STORAGE_FOLDER_NAMES as readonly string[]).includes(name)
}

/** The first `ujet-*`-like segment of a path (the platform's folder a file belongs to), if any. */
export function platformSegment(
  path: string,
): { readonly index: number; readonly name: string } | undefined {
  const segments = path.split('/')
  const index = segments.findIndex(looksLikePlatformFolder)
  const name = segments[index]
  return index >= 0 && name !== undefined ? { index, name } : undefined
}

/** A file the suite checks: inside a documented `ujet-*` folder, with what its path says. */
export interface PlacedFile {
  readonly path: string
  readonly parsed: StoragePathResult
}

/** The files under a documented `ujet-*` folder (the ones whose names the platform chose). */
export function placedFiles(tree: StorageTree): PlacedFile[] {
  return tree.files
    .filter((path) => {
      const segment = platformSegment(path)
      return segment !== undefined && isDocumentedFolder(segment.name)
    })
    .map((path) => ({ path, parsed: parseStoragePath(path) }))
}

/** The files whose paths parse, by kind. */
export function parsedFiles(
  tree: StorageTree,
  kind?: ParsedStoragePath['kind'],
): ParsedStoragePath[] {
  const out: ParsedStoragePath[] = []
  for (const file of placedFiles(tree)) {
    if (file.parsed.ok && (kind === undefined || file.parsed.kind === kind)) out.push(file.parsed)
  }
  return out
}

const MAX_EXCERPT = 2_048

/** The report's excerpt of a file: text up to 2 KB, or a size for binary content. */
export function excerpt(bytes: Uint8Array): string {
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return `<binary, ${bytes.byteLength} bytes, not UTF-8>`
  }
  if (/[\u0000-\u0008\u000e-\u001f]/.test(text.slice(0, 512)))
    return `<binary, ${bytes.byteLength} bytes>`
  return text.length <= MAX_EXCERPT
    ? text
    : `${text.slice(0, MAX_EXCERPT)}… (${bytes.byteLength} bytes)`
}

/** Reads a file of the tree, timing it for the exchange. */
export async function readTreeFile(
  tree: StorageTree,
  path: string,
): Promise<{ readonly bytes: Uint8Array; readonly exchange: Exchange }> {
  const started = performance.now()
  const bytes = new Uint8Array(await readFile(join(tree.root, ...path.split('/'))))
  return {
    bytes,
    exchange: {
      request: { method: 'READ', url: path, headers: {} },
      response: {
        status: 200,
        headers: { 'content-length': String(bytes.byteLength) },
        body: excerpt(bytes),
      },
      durationMs: performance.now() - started,
    },
  }
}

/** The exchange for a file that should be there and is not. */
export function missingFile(path: string): Exchange {
  return {
    request: { method: 'READ', url: path, headers: {} },
    error: 'no such file',
    durationMs: 0,
  }
}

/** The exchange for a folder listing (what a `ujet-*` look-alike or an unchecked folder holds). */
export function folderListing(tree: StorageTree, folder: string, note: string): Exchange {
  const inside = folder === '.' ? tree.files : tree.files.filter((f) => f.startsWith(`${folder}/`))
  const shown = inside.slice(0, 20).join('\n')
  const more = inside.length > 20 ? `\n… ${inside.length - 20} more` : ''
  return {
    request: { method: 'LIST', url: `${folder}/`, headers: {} },
    response: {
      status: 200,
      headers: {},
      body: `${note}\n${inside.length} file(s)${inside.length > 0 ? `:\n${shown}${more}` : ''}`,
    },
    durationMs: 0,
  }
}

/** Parses a metadata file's JSON; `undefined` when it is not a JSON object (STORAGE-003 reports that). */
export async function readMetadataObject(
  tree: StorageTree,
  path: string,
): Promise<{ readonly value: Record<string, unknown>; readonly exchange: Exchange } | undefined> {
  const { bytes, exchange } = await readTreeFile(tree, path)
  try {
    const value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
    return { value: value as Record<string, unknown>, exchange }
  } catch {
    return undefined
  }
}
