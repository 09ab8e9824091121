import { z } from 'zod'
import { SchemasError } from '../internal/errors.js'
import {
  STORAGE_FILE_PATTERNS,
  STORAGE_FOLDER_BY_KIND,
  STORAGE_FOLDER_NAMES,
  STORAGE_ID_PATTERN,
  templateRegexSource,
  type StorageFileExtension,
  type StorageFileKind,
  type StorageFilePattern,
  type StorageFolder,
  type StorageMediaType,
  type StorageSessionType,
} from './storage-folders.js'

/*
 * What a storage path is, here: the object name relative to the bucket (Cloud Storage) or to the
 * SFTP login's root, with `/` separators — `ujet-metadata/call-103646.json`. Both targets have an
 * optional "Folder Path" setting (seed 000), so any number of leading folders may come first:
 * `exports/ccai/ujet-metadata/call-103646.json`. Files sit directly in their `ujet-*` folder.
 */

const FOLDER_ALTERNATION = STORAGE_FOLDER_NAMES.join('|')

/** One base-path (Folder Path) segment: not `.`/`..`, not a `ujet-*` folder, no slash or backslash. */
const BASE_SEGMENT = `(?!(?:\\.{1,2}|${FOLDER_ALTERNATION})/)[^/\\\\]+/`

const FILE_ALTERNATION = STORAGE_FILE_PATTERNS.map(
  (pattern) => `${pattern.folder}/${templateRegexSource(pattern.template, false)}`,
).join('|')

/**
 * The regex of a storage path: optional Folder Path segments, one `ujet-*` folder, a file name of
 * that folder's pattern. `parseStoragePath` applies the same rules and says which one failed.
 */
export const STORAGE_PATH_REGEX = new RegExp(
  `^(?![A-Za-z]:/)(?:${BASE_SEGMENT})*(?:${FILE_ALTERNATION})$`,
)

/**
 * A file path in external storage, relative to the bucket or SFTP root, optionally under the
 * configured Folder Path: `ujet-metadata/call-{id}.json`, `ujet-chat-transcripts/chat-{id}.txt`,
 * `ujet-voice-recordings/call-{id}.mp3`, `ujet-media/chat-{id}-photo-{photo-id}.jpg`, ….
 *
 * @see seeds/000_2170762ce078838e.txt ("Folder structure", "File formats and naming conventions")
 * @see reference §6.1
 * confidence: documented (voicemail names inferred)
 */
export const StoragePathSchema = z.string().regex(STORAGE_PATH_REGEX)
export type StoragePath = z.infer<typeof StoragePathSchema>

/** A path `parseStoragePath` understood. */
export interface ParsedStoragePath {
  readonly ok: true
  /** The path as given. */
  readonly path: string
  /** The configured Folder Path in front of the `ujet-*` folder, without slashes at either end; `null` when none. */
  readonly basePath: string | null
  readonly folder: StorageFolder
  readonly kind: StorageFileKind
  readonly sessionType: StorageSessionType
  readonly sessionId: number
  readonly fileName: string
  readonly extension: StorageFileExtension
  /** The photo or video of a `ujet-media` file; `null` for other kinds. */
  readonly media: { readonly type: StorageMediaType; readonly id: number } | null
  /** The documents' file-name template it matched, `chat-{id}.json`. */
  readonly template: string
  /** `false` for voicemail names, whose pattern is ccai-sim's inference. */
  readonly documented: boolean
}

/** A path `parseStoragePath` refused, and why (the reason names what was expected). */
export interface RejectedStoragePath {
  readonly ok: false
  readonly path: string
  readonly reason: string
}

export type StoragePathResult = ParsedStoragePath | RejectedStoragePath

const EXAMPLE = 'ujet-metadata/call-123.json'

function templatesOf(folder: StorageFolder): readonly StorageFilePattern[] {
  return STORAGE_FILE_PATTERNS.filter((pattern) => pattern.folder === folder)
}

function listTemplates(patterns: readonly StorageFilePattern[]): string {
  const names = patterns.map((pattern) => pattern.template)
  if (names.length <= 1) return names.join('')
  return `${names.slice(0, -1).join(', ')} or ${names.at(-1) ?? ''}`
}

const FILE_REGEXES = new Map<StorageFilePattern, RegExp>(
  STORAGE_FILE_PATTERNS.map((pattern) => [
    pattern,
    new RegExp(`^${templateRegexSource(pattern.template, true)}$`),
  ]),
)

function isStorageFolder(name: string): name is StorageFolder {
  return (STORAGE_FOLDER_NAMES as readonly string[]).includes(name)
}

function reject(path: string, reason: string): RejectedStoragePath {
  return { ok: false, path, reason }
}

const ID_REGEX = new RegExp(`^${STORAGE_ID_PATTERN}$`)
const ID_RULE = 'a positive integer of at most 15 digits, without sign, decimals or leading zeros'

/** Explains why `fileName` does not fit `folder`, naming the templates that would. */
function fileNameReason(folder: StorageFolder, fileName: string): string {
  const patterns = templatesOf(folder)
  const inferred = patterns.every((p) => !p.documented)
    ? ' (inferred: voicemail naming is undocumented)'
    : ''
  const expected = `"${folder}" holds ${listTemplates(patterns)}${inferred}`
  const lead = /^(call|chat)-(.*?)(?:\.[^.]*)?$/.exec(fileName)
  if (lead) {
    const sessionType = lead[1] as StorageSessionType
    if (!patterns.some((pattern) => pattern.sessionType === sessionType)) {
      return `${expected}; it has no ${sessionType} files, got "${fileName}"`
    }
    const [id = '', mediaType, mediaId] = (lead[2] ?? '').split(/-(photo|video)-/)
    if (!ID_REGEX.test(id))
      return `${expected}; the session id must be ${ID_RULE}, got "${id}" in "${fileName}"`
    if (mediaType !== undefined && mediaId !== undefined && !ID_REGEX.test(mediaId)) {
      return `${expected}; the ${mediaType} id must be ${ID_RULE}, got "${mediaId}" in "${fileName}"`
    }
  }
  const lower = fileName.toLowerCase()
  if (lower !== fileName && patterns.some((pattern) => FILE_REGEXES.get(pattern)?.test(lower))) {
    return `${expected}; file names are lower case, got "${fileName}"`
  }
  return `${expected}; got "${fileName}"`
}

/**
 * Reads a storage path: which folder, which kind of file, which session (and media) it belongs to.
 * Never throws; anything that is not a documented path comes back `{ ok: false, reason }`.
 *
 * Refused: empty paths, backslashes, URLs, absolute paths (`/…`, `C:/…`), empty segments (`a//b`),
 * `.`/`..` segments, a trailing slash, a file outside the five `ujet-*` folders or in a subfolder of
 * one, a second `ujet-*` folder in the base path, and a file name that is not one of its folder's
 * patterns (wrong session type, extension or letter case, or an id that is not a plain positive integer).
 */
export function parseStoragePath(path: string): StoragePathResult {
  if (typeof path !== 'string')
    return reject(String(path), `expected a path string like "${EXAMPLE}"`)
  if (path.length === 0)
    return reject(path, `expected a path like "${EXAMPLE}", got an empty string`)
  if (path.includes('\\'))
    return reject(path, `expected "/" as the separator, got a backslash in "${path}"`)
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(path)) {
    return reject(
      path,
      `expected a path relative to the bucket or SFTP root like "${EXAMPLE}", got a URL`,
    )
  }
  if (path.startsWith('/') || /^[A-Za-z]:\//.test(path)) {
    return reject(
      path,
      `expected a path relative to the bucket or SFTP root like "${EXAMPLE}", got the absolute path "${path}"`,
    )
  }
  const segments = path.split('/')
  if (segments.some((segment) => segment === '.' || segment === '..')) {
    return reject(path, `expected no "." or ".." segments (path traversal) in "${path}"`)
  }
  const fileName = segments.at(-1) ?? ''
  if (fileName === '')
    return reject(path, `expected a file name after the last "/", got the folder path "${path}"`)
  if (segments.some((segment) => segment === '')) {
    return reject(path, `expected no empty segments ("//") in "${path}"`)
  }
  if (segments.length < 2) {
    return reject(
      path,
      `expected the file inside one of ${STORAGE_FOLDER_NAMES.join(', ')}, got "${path}" at the root`,
    )
  }
  const folderName = segments.at(-2) ?? ''
  const base = segments.slice(0, -2)
  if (!isStorageFolder(folderName)) {
    const outer = segments.slice(0, -1).find(isStorageFolder)
    if (outer !== undefined) {
      return reject(
        path,
        `expected files directly inside "${outer}", got them in its subfolder "${folderName}"`,
      )
    }
    return reject(
      path,
      `expected the file's folder to be one of ${STORAGE_FOLDER_NAMES.join(', ')}, got "${folderName}"`,
    )
  }
  const nested = base.find(isStorageFolder)
  if (nested !== undefined) {
    return reject(
      path,
      `expected one ujet-* folder, got "${nested}" in the base path in front of "${folderName}"`,
    )
  }
  for (const pattern of templatesOf(folderName)) {
    const match = FILE_REGEXES.get(pattern)?.exec(fileName)
    if (!match) continue
    const sessionId = Number(match[1])
    const mediaId = match[2] === undefined ? null : Number(match[2])
    return {
      ok: true,
      path,
      basePath: base.length > 0 ? base.join('/') : null,
      folder: folderName,
      kind: pattern.kind,
      sessionType: pattern.sessionType,
      sessionId,
      fileName,
      extension: pattern.extension,
      media:
        pattern.media !== null && mediaId !== null ? { type: pattern.media, id: mediaId } : null,
      template: pattern.template,
      documented: pattern.documented,
    }
  }
  return reject(path, fileNameReason(folderName, fileName))
}

/** What `formatStoragePath` needs beside kind, session type and id. */
export interface StoragePathExtra {
  /** Which of the kind's extensions (`mp3` or `wav` for recordings); the first documented one by default. */
  readonly extension?: StorageFileExtension | undefined
  /** Required for `media` files: the photo or video and its id. */
  readonly media?: { readonly type: StorageMediaType; readonly id: number } | null | undefined
  /** The configured Folder Path; leading and trailing slashes are dropped. */
  readonly basePath?: string | null | undefined
}

/** Everything `formatStoragePath` needs in one object; a `ParsedStoragePath` is one. */
export interface StoragePathSpec extends StoragePathExtra {
  readonly kind: StorageFileKind
  readonly sessionType: StorageSessionType
  readonly sessionId: number
}

function invalid(message: string, details: unknown): SchemasError {
  return new SchemasError('INVALID_STORAGE_PATH', message, { details })
}

function checkId(what: string, id: number, spec: StoragePathSpec): void {
  if (!Number.isSafeInteger(id) || id < 1 || id >= 1e15) {
    throw invalid(`${what} must be a positive integer below 10^15, got ${String(id)}`, spec)
  }
}

function normalBase(basePath: string | null | undefined, spec: StoragePathSpec): string {
  if (basePath === null || basePath === undefined) return ''
  const trimmed = basePath.replace(/^\/+/, '').replace(/\/+$/, '')
  if (trimmed === '') return ''
  const segments = trimmed.split('/')
  const bad = segments.find(
    (segment) =>
      segment === '' ||
      segment === '.' ||
      segment === '..' ||
      segment.includes('\\') ||
      isStorageFolder(segment),
  )
  if (bad !== undefined) {
    throw invalid(
      `basePath must be plain folder names separated by "/" (no empty, ".", ".." or ujet-* segments, no backslashes), got "${basePath}"`,
      spec,
    )
  }
  return `${trimmed}/`
}

/** The two ways to call `formatStoragePath`: one spec object, or the parts in order. */
export type FormatStoragePathArgs =
  | [spec: StoragePathSpec]
  | [
      kind: StorageFileKind,
      sessionType: StorageSessionType,
      sessionId: number,
      extra?: StoragePathExtra,
    ]

function toSpec(args: FormatStoragePathArgs): StoragePathSpec {
  if (args.length === 1) return args[0]
  const [kind, sessionType, sessionId, extra] = args
  return { ...extra, kind, sessionType, sessionId }
}

/**
 * Builds the storage path of a file: the inverse of `parseStoragePath` (pure). Throws a
 * `SchemasError` with code `INVALID_STORAGE_PATH` when the documents name no such file (a chat
 * recording, a call transcript, a media file without its photo/video id, an extension the kind does
 * not use, an id that is not a positive integer).
 *
 * @example
 * formatStoragePath('metadata', 'call', 103646) // 'ujet-metadata/call-103646.json'
 * formatStoragePath('media', 'chat', 73522, { media: { type: 'photo', id: 4411 } }) // 'ujet-media/chat-73522-photo-4411.jpg'
 * formatStoragePath(parseStoragePath(path)) // path, for any path that parsed
 */
export function formatStoragePath(...args: FormatStoragePathArgs): string {
  const spec = toSpec(args)
  if (!Object.hasOwn(STORAGE_FOLDER_BY_KIND, spec.kind)) {
    throw invalid(
      `kind must be one of ${Object.keys(STORAGE_FOLDER_BY_KIND).join(', ')}, got ${JSON.stringify(spec.kind)}`,
      spec,
    )
  }
  const folder = STORAGE_FOLDER_BY_KIND[spec.kind]
  const ofKind = STORAGE_FILE_PATTERNS.filter(
    (p) => p.kind === spec.kind && p.sessionType === spec.sessionType,
  )
  if (ofKind.length === 0) {
    throw invalid(
      `"${folder}" holds ${listTemplates(templatesOf(folder))}; there is no ${spec.kind} file for a ${spec.sessionType}`,
      spec,
    )
  }
  checkId('sessionId', spec.sessionId, spec)
  const media = spec.media ?? null
  if (spec.kind === 'media' && media === null) {
    throw invalid(`a ${spec.kind} file needs media: { type: "photo" | "video", id }`, spec)
  }
  if (spec.kind !== 'media' && media !== null) {
    throw invalid(`only media files take a media id, got one for a ${spec.kind} file`, spec)
  }
  const candidates = media === null ? ofKind : ofKind.filter((p) => p.media === media.type)
  const pattern =
    spec.extension === undefined
      ? candidates[0]
      : candidates.find((p) => p.extension === spec.extension)
  if (pattern === undefined) {
    throw invalid(
      `"${folder}" holds ${listTemplates(ofKind)}; got extension "${spec.extension ?? ''}"${media ? ` for a ${media.type}` : ''}`,
      spec,
    )
  }
  if (media !== null) checkId(`media id`, media.id, spec)
  const fileName = pattern.template
    .replace('{id}', String(spec.sessionId))
    .replace(/\{(?:photo|video)-id\}/, String(media?.id ?? ''))
  return `${normalBase(spec.basePath, spec)}${folder}/${fileName}`
}
