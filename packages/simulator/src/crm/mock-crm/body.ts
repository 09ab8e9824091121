import type { Context } from 'hono'
import { SimulatorError } from '../../errors.js'
import {
  blank,
  checkDeclaredLength,
  CRM_BODY_LIMITS,
  parseJsonText,
  readLimitedText,
} from '../../http/body-limits.js'
import { contentTypeOf } from '../../storage/content-type.js'
import { localFileData } from '../local-request.js'
import { fileBytes, type MockCrmFileBytes } from './store.js'

/*
 * Reading what the platform sends, whatever the settings' shape (seed 000, Endpoint configuration;
 * Upload a file endpoint): JSON bodies as Property (`{ ...parameters }`), Container Map
 * (`{ name: { ...parameters } }`) or Container Array (`{ name: [ { ...parameters } ] }`), form and
 * multipart bodies, and files as base64 (a bare string or a data URI) or as a multipart file part.
 */

/** A request body as fields (JSON values or form strings) plus any multipart files. */
export interface RequestFields {
  readonly fields: Record<string, unknown>
  readonly files: Readonly<Record<string, File>>
  /** The single top-level container key that was unwrapped, if any. */
  readonly container?: string
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** A body the mock CRM cannot take, in the house wording: where, what was expected, what came. */
function invalid(path: string, expected: string, received: string): SimulatorError {
  const message = `${path}: expected ${expected}, received ${received}`
  return new SimulatorError('invalid_request', message, {
    issues: [{ path, code: 'invalid_body', expected, received, message }],
  })
}

/** What a JSON body that is not an object is, for `invalid`. */
function jsonKind(value: unknown): string {
  if (Array.isArray(value))
    return `an array of ${String(value.length)} item${value.length === 1 ? '' : 's'}`
  return value === null ? 'null' : `a ${typeof value}`
}

/**
 * Unwraps a Container body: an object whose only key holds an object (Map) or a one-object array
 * (Array) stands for that object. Property bodies hold strings, so they are never unwrapped.
 */
export function unwrapContainer(value: Record<string, unknown>): {
  fields: Record<string, unknown>
  container?: string
} {
  const keys = Object.keys(value)
  const only = keys.length === 1 ? keys[0] : undefined
  if (only === undefined) return { fields: value }
  const inner = value[only]
  if (isPlainObject(inner)) return { fields: inner, container: only }
  if (Array.isArray(inner) && inner.length > 0 && inner.every(isPlainObject)) {
    if (inner.length > 1)
      throw invalid(
        only,
        'one object (a Container Array body carries one)',
        `${String(inner.length)} objects`,
      )
    return { fields: inner[0] as Record<string, unknown>, container: only }
  }
  return { fields: value }
}

/**
 * Reads a JSON, form or multipart body; an empty body is `{}`. Malformed JSON or multipart is
 * `invalid_request` naming the body; past `CRM_BODY_LIMITS` it is `payload_too_large` or
 * `body_too_deep`.
 */
export async function readFields(c: Context): Promise<RequestFields> {
  const type = (c.req.header('content-type') ?? '').toLowerCase()
  if (
    type.startsWith('multipart/form-data') ||
    type.startsWith('application/x-www-form-urlencoded')
  ) {
    checkDeclaredLength(c, CRM_BODY_LIMITS)
    let parsed: Record<string, string | File | (string | File)[]>
    try {
      parsed = await c.req.parseBody({ all: true })
    } catch (error) {
      const kind = type.startsWith('multipart') ? 'multipart/form-data' : 'form-urlencoded'
      const detail = error instanceof Error ? error.message : String(error)
      const message = `body: expected a ${kind} body${kind === 'multipart/form-data' ? ' whose parts match the boundary of its Content-Type' : ''}, received one that cannot be parsed (${detail})`
      throw new SimulatorError('invalid_request', message, {
        issues: [
          { path: 'body', code: 'invalid_body', expected: kind, received: 'malformed', message },
        ],
      })
    }
    return fieldsFromForm(parsed)
  }
  return fieldsFromText(await readLimitedText(c, CRM_BODY_LIMITS))
}

/** A parsed form (`parseBody({ all: true })`) as fields and files, within `CRM_BODY_LIMITS`. */
export function fieldsFromForm(
  parsed: Readonly<Record<string, string | File | (string | File)[]>>,
): RequestFields {
  if (Object.keys(parsed).length > CRM_BODY_LIMITS.maxMembers) {
    const message = `body: expected at most ${String(CRM_BODY_LIMITS.maxMembers)} fields, received ${String(Object.keys(parsed).length)}`
    throw new SimulatorError('payload_too_large', message, {
      issues: [
        { path: 'body', code: 'too_big', expected: 'fewer fields', received: 'more', message },
      ],
    })
  }
  const fields: Record<string, unknown> = {}
  const files: Record<string, File> = {}
  for (const [key, value] of Object.entries(parsed)) {
    const values = Array.isArray(value) ? value : [value]
    const file = values.find((v): v is File => typeof v !== 'string')
    if (file) files[key] = file
    const texts = values.filter((v): v is string => typeof v === 'string')
    if (texts.length === 1) fields[key] = texts[0]
    else if (texts.length > 1) fields[key] = texts
  }
  return { fields, files }
}

/**
 * Form data as Hono's `parseBody({ all: true })` gives it: a name seen twice (or ending in `[]`)
 * holds an array of its values.
 */
export function formBodyData(form: {
  forEach(callback: (value: string | File, name: string) => void): void
}): Record<string, string | File | (string | File)[]> {
  const out = Object.create(null) as Record<string, string | File | (string | File)[]>
  form.forEach((value, key) => {
    const held = out[key]
    if (held !== undefined) {
      if (Array.isArray(held)) held.push(value)
      else out[key] = [held, value]
    } else if (!key.endsWith('[]')) out[key] = value
    else out[key] = [value]
  })
  return out
}

/** A JSON body's text (already within the byte limit) as fields; an empty body is `{}`. */
export function fieldsFromText(text: string): RequestFields {
  if (blank(text)) return { fields: {}, files: {} }
  const value = parseJsonText(text, CRM_BODY_LIMITS)
  if (!isPlainObject(value)) throw invalid('body', 'a JSON object', jsonKind(value))
  const { fields, container } = unwrapContainer(value)
  return { fields, files: {}, ...(container === undefined ? {} : { container }) }
}

/** The first non-empty string among `keys`. */
export function firstText(
  fields: Record<string, unknown>,
  keys: readonly string[],
): string | undefined {
  for (const key of keys) {
    const value = fields[key]
    if (typeof value === 'string' && value.trim() !== '') return value
    if (typeof value === 'number') return String(value)
  }
  return undefined
}

const EXTENSIONS: Readonly<Record<string, string>> = {
  'application/json': '.json',
  'text/plain': '.txt',
  'audio/mpeg': '.mp3',
  'audio/wav': '.wav',
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'video/mp4': '.mp4',
}

/**
 * A file read from a request: its size, and its bytes through a function (an in-process upload's
 * are made when read, see `localFileData`).
 */
export interface UploadedFile extends MockCrmFileBytes {
  readonly filename: string
  readonly contentType: string
  /** The request's other fields (the file data removed). */
  readonly fields: Record<string, unknown>
}

const DATA_URI = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/s
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/

/** Decodes base64 (standard or URL-safe, whitespace ignored) strictly; `undefined` if it is not. */
export function decodeBase64(value: string): Uint8Array | undefined {
  const compact = value.replace(/\s+/g, '')
  if (!BASE64.test(compact) || compact.length % 4 === 1) return undefined
  return new Uint8Array(Buffer.from(compact, 'base64'))
}

function decodeFileText(value: string, key: string): { bytes: Uint8Array; contentType?: string } {
  const uri = DATA_URI.exec(value.trim())
  if (uri) {
    const [, mediaType = '', parameters = '', data = ''] = uri
    if (parameters.split(';').includes('base64')) {
      const bytes = decodeBase64(data)
      if (!bytes)
        throw invalid(
          key,
          'a data: URI with valid base64',
          'a data: URI whose base64 does not decode',
        )
      return { bytes, ...(mediaType ? { contentType: mediaType } : {}) }
    }
    return {
      bytes: new TextEncoder().encode(decodeURIComponent(data)),
      ...(mediaType ? { contentType: mediaType } : {}),
    }
  }
  const bytes = decodeBase64(value)
  if (!bytes) throw invalid(key, 'base64 file data or a data: URI', 'text that is neither')
  return { bytes }
}

const FILE_KEYS = ['file', 'file_data', 'fileData', 'data', 'content', 'attachment', 'body']
const NAME_KEYS = ['filename', 'file_name', 'fileName', 'name']
const TYPE_KEYS = ['content_type', 'contentType', 'mime_type', 'mimeType', 'type']

/**
 * The uploaded file of a request: a multipart file part (preferring `file`), or a base64 string or
 * data URI in `file` (else `file_data`, `data`, `content`, `attachment`, `body`). The filename comes
 * from the part or a `filename`/`name` field; the content type from the part, the data URI, a
 * `content_type`/`type` field, or the filename's extension. No file is `invalid_request` (thrown).
 * A promise only for a part whose bytes must be read (not an in-process upload's).
 */
export function readUploadedFile(body: RequestFields): UploadedFile | Promise<UploadedFile> {
  const fields = { ...body.fields }
  const part = body.files.file ?? Object.values(body.files)[0]
  const namedType = firstText(fields, TYPE_KEYS)
  const typeField = namedType?.includes('/') ? namedType : undefined
  if (part) {
    const filename = part.name || firstText(fields, NAME_KEYS) || ''
    const contentType = part.type || typeField || (filename ? contentTypeOf(filename) : '')
    // A session's own upload (in process) stays unmade: the store keeps how to make it, and the
    // answer comes in this turn (nothing to wait for).
    const local = localFileData(part)
    if (local !== undefined) return finish({ ...local, filename, contentType, fields })
    return part
      .arrayBuffer()
      .then((buffer) =>
        finish({ ...fileBytes(new Uint8Array(buffer)), filename, contentType, fields }),
      )
  }
  const key = FILE_KEYS.find((k) => typeof fields[k] === 'string' && fields[k] !== '')
  if (key === undefined)
    throw invalid(
      'body',
      `a multipart file part, or base64 data (or a data: URI) in one of ${FILE_KEYS.join(', ')}`,
      'no file',
    )
  const { [key]: data, ...rest } = fields
  const decoded = decodeFileText(data as string, key)
  const filename = firstText(rest, NAME_KEYS) ?? ''
  const contentType = decoded.contentType ?? typeField ?? (filename ? contentTypeOf(filename) : '')
  return finish({ ...fileBytes(decoded.bytes), filename, contentType, fields: rest })
}

function finish(file: UploadedFile): UploadedFile {
  const contentType = file.contentType || 'application/octet-stream'
  const base = contentType.split(';')[0]?.trim() ?? ''
  const filename = file.filename || `attachment${EXTENSIONS[base] ?? '.bin'}`
  return { ...file, filename, contentType }
}
