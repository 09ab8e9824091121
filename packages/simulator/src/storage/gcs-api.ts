import { createHash } from 'node:crypto'
import { parseStoragePath } from '@ccai-sim/schemas'
import type { Context, Hono } from 'hono'
import { z } from 'zod'
import { json, problems, route, routesApp } from '../http/declare-routes.js'
import { problem } from '../http/problem.js'
import { queryParams } from '../http/validate.js'
import type { StorageSink, StoredFileInfo } from '../runtime/sinks.js'
import { contentTypeOf } from './content-type.js'

/*
 * A Cloud Storage JSON API view of the simulator's storage, so a pipeline that reads the platform's
 * bucket with `@google-cloud/storage` (`apiEndpoint` pointed here), gsutil-style tools or plain HTTP
 * reads the simulator unchanged. The subset is what readers and the platform's pushes use
 * (https://cloud.google.com/storage/docs/json_api/v1):
 *
 * - `GET /storage/v1/b/{bucket}`: the bucket resource;
 * - `GET /storage/v1/b/{bucket}/o`: objects.list (`prefix`, `delimiter`, `maxResults`, `pageToken`,
 *   `startOffset`, `endOffset`);
 * - `GET /storage/v1/b/{bucket}/o/{object}`: objects.get, the object resource or, with `alt=media`,
 *   its bytes (`Range` honoured), also at `GET /download/storage/v1/b/{bucket}/o/{object}`;
 * - `POST /upload/storage/v1/b/{bucket}/o`: objects.insert with `uploadType=media` or `multipart`
 *   (single-request uploads: what the `gcs` sink sends), so one simulator can be another's sink.
 *
 * Object names are storage paths (`ujet-metadata/call-1.json`); anything else is not found, so no
 * name reaches outside the storage. Errors are problem+json with the status Cloud Storage uses.
 */

/** The bucket name in the path: Cloud Storage's naming rules, loosely. */
export const GcsBucketParamsSchema = z.object({ bucket: z.string().min(1).max(222) })

/**
 * The bucket named in the path, unchecked: any name but the served bucket is "no bucket" (404),
 * however long or odd (parsing it with the schema threw, a 500, for a name over 222 characters).
 */
function bucketParam(c: Context): { readonly bucket: string } {
  return { bucket: c.req.param('bucket') ?? '' }
}

/** objects.list query parameters (the supported subset; others, like `fields` and `projection`, are ignored). */
export const GcsListQuerySchema = z.object({
  prefix: z.string().optional(),
  delimiter: z.string().optional(),
  maxResults: z
    .string()
    .regex(/^\d{1,7}$/, 'a number of results')
    .optional(),
  pageToken: z.string().optional(),
  startOffset: z.string().optional(),
  endOffset: z.string().optional(),
})

/** objects.get / objects.insert query parameters. */
export const GcsObjectQuerySchema = z.object({
  alt: z.enum(['json', 'media']).optional(),
  uploadType: z.enum(['media', 'multipart', 'resumable']).optional(),
  name: z.string().optional(),
})

/** The object resource (https://cloud.google.com/storage/docs/json_api/v1/objects#resource), the fields we fill. */
export const GcsObjectSchema = z.object({
  kind: z.literal('storage#object'),
  id: z.string(),
  selfLink: z.string(),
  mediaLink: z.string(),
  name: z.string(),
  bucket: z.string(),
  generation: z.string(),
  metageneration: z.string(),
  contentType: z.string(),
  storageClass: z.string(),
  /** Bytes, as a decimal string (int64 in JSON is a string). */
  size: z.string(),
  md5Hash: z.string(),
  crc32c: z.string(),
  etag: z.string(),
  timeCreated: z.string(),
  updated: z.string(),
})
export type GcsObject = z.infer<typeof GcsObjectSchema>

export const GcsObjectListSchema = z.object({
  kind: z.literal('storage#objects'),
  items: z.array(GcsObjectSchema).optional(),
  prefixes: z.array(z.string()).optional(),
  nextPageToken: z.string().optional(),
})

export const GcsBucketSchema = z.object({
  kind: z.literal('storage#bucket'),
  id: z.string(),
  selfLink: z.string(),
  name: z.string(),
  location: z.string(),
  storageClass: z.string(),
  timeCreated: z.string(),
  updated: z.string(),
})

const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256)
  for (let n = 0; n < 256; n += 1) {
    let c = n
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1
    table[n] = c >>> 0
  }
  return table
})()

/** CRC32C (Castagnoli), big-endian, base64: Cloud Storage's `crc32c` field and `x-goog-hash`. */
export function crc32cBase64(bytes: Uint8Array): string {
  let crc = 0xffffffff
  for (const byte of bytes) crc = (CRC32C_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8)
  const out = Buffer.alloc(4)
  out.writeUInt32BE((crc ^ 0xffffffff) >>> 0)
  return out.toString('base64')
}

function md5Base64(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('base64')
}

const DEFAULT_PAGE = 1_000

export interface GcsApiOptions {
  readonly storage: StorageSink
  /** The one bucket this endpoint serves. */
  readonly bucket: string
  /** Object times; default: the epoch (storage files carry no time of their own). */
  readonly now?: () => number
}

/** The object name from the raw URL path after `/o/` (percent-decoded once, `%2F` included). */
function objectName(c: Context): string | undefined {
  const raw = new URL(c.req.url).pathname
  const at = raw.indexOf('/o/')
  try {
    return decodeURIComponent(raw.slice(at + 3))
  } catch {
    return undefined
  }
}

export function gcsApiRoutes(options: GcsApiOptions): Hono {
  const { storage, bucket } = options
  const now = options.now ?? (() => 0)
  const hashes = new Map<string, { bytes: number; md5: string; crc: string }>()

  const iso = (): string => new Date(now()).toISOString()
  const base = (c: Context): string => new URL(c.req.url).origin

  const hashesOf = async (info: StoredFileInfo): Promise<{ md5: string; crc: string }> => {
    const known = hashes.get(info.path)
    if (known?.bytes === info.bytes) return known
    const content = (await storage.read(info.path)) ?? new Uint8Array()
    const computed = {
      bytes: content.byteLength,
      md5: md5Base64(content),
      crc: crc32cBase64(content),
    }
    hashes.set(info.path, computed)
    return computed
  }

  const resource = async (c: Context, info: StoredFileInfo): Promise<GcsObject> => {
    const { md5, crc } = await hashesOf(info)
    const encoded = encodeURIComponent(info.path)
    const generation = '1'
    return {
      kind: 'storage#object',
      id: `${bucket}/${info.path}/${generation}`,
      selfLink: `${base(c)}/storage/v1/b/${bucket}/o/${encoded}`,
      mediaLink: `${base(c)}/download/storage/v1/b/${bucket}/o/${encoded}?generation=${generation}&alt=media`,
      name: info.path,
      bucket,
      generation,
      metageneration: '1',
      contentType: info.contentType,
      storageClass: 'STANDARD',
      size: String(info.bytes),
      md5Hash: md5,
      crc32c: crc,
      etag: md5,
      timeCreated: iso(),
      updated: iso(),
    }
  }

  const noBucket = (c: Context, name: string): Response =>
    problem(
      c,
      'not_found',
      `no bucket "${name}": this simulator serves the bucket "${bucket}" (storage.serve.bucket)`,
    )

  const find = async (name: string): Promise<StoredFileInfo | undefined> => {
    if (!parseStoragePath(name).ok) return undefined
    return (await storage.list()).find((f) => f.path === name)
  }

  const media = async (c: Context): Promise<Response> => {
    const params = bucketParam(c)
    if (params.bucket !== bucket) return noBucket(c, params.bucket)
    const name = objectName(c)
    const content =
      name === undefined || !parseStoragePath(name).ok ? undefined : await storage.read(name)
    if (name === undefined || content === undefined)
      return problem(c, 'not_found', `no object "${name ?? ''}" in bucket ${bucket}`)
    const headers: Record<string, string> = {
      'content-type': contentTypeOf(name),
      'x-goog-hash': `crc32c=${crc32cBase64(content)},md5=${md5Base64(content)}`,
      'x-goog-generation': '1',
      'x-goog-stored-content-length': String(content.byteLength),
      'accept-ranges': 'bytes',
    }
    const range = /^bytes=(\d*)-(\d*)$/.exec(c.req.header('range') ?? '')
    if (range && (range[1] !== '' || range[2] !== '')) {
      const size = content.byteLength
      const start = range[1] === '' ? Math.max(0, size - Number(range[2])) : Number(range[1])
      const end =
        range[1] === '' || range[2] === '' ? size - 1 : Math.min(Number(range[2]), size - 1)
      if (start > end || start >= size) {
        return c.body(null, 416, { 'content-range': `bytes */${size}` })
      }
      const part = content.slice(start, end + 1)
      return c.body(part.buffer, 206, {
        ...headers,
        'content-range': `bytes ${start}-${end}/${size}`,
        'content-length': String(part.byteLength),
      })
    }
    return c.body(content.slice().buffer, 200, {
      ...headers,
      'content-length': String(content.byteLength),
    })
  }

  const getBucket = (c: Context): Response => {
    const { bucket: name } = bucketParam(c)
    if (name !== bucket) return noBucket(c, name)
    const body: z.infer<typeof GcsBucketSchema> = {
      kind: 'storage#bucket',
      id: bucket,
      selfLink: `${base(c)}/storage/v1/b/${bucket}`,
      name: bucket,
      location: 'US',
      storageClass: 'STANDARD',
      timeCreated: iso(),
      updated: iso(),
    }
    return c.json(body)
  }

  const listObjects = async (c: Context): Promise<Response> => {
    const { bucket: name } = bucketParam(c)
    if (name !== bucket) return noBucket(c, name)
    const query = queryParams(c, GcsListQuerySchema, 'tolerant')
    const prefix = query.prefix ?? ''
    const max = Math.min(Number(query.maxResults ?? DEFAULT_PAGE), DEFAULT_PAGE) || DEFAULT_PAGE
    let after = ''
    if (query.pageToken !== undefined) after = Buffer.from(query.pageToken, 'base64url').toString()
    const files = (await storage.list())
      .filter((f) => f.path.startsWith(prefix))
      .filter((f) => query.startOffset === undefined || f.path >= query.startOffset)
      .filter((f) => query.endOffset === undefined || f.path < query.endOffset)
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    const items: StoredFileInfo[] = []
    const prefixes = new Set<string>()
    let last = ''
    let more = false
    for (const file of files) {
      // Entries come in name order; a rolled-up prefix sorts at its first member's place.
      const rest = file.path.slice(prefix.length)
      const cut = query.delimiter ? rest.indexOf(query.delimiter) : -1
      const key =
        cut >= 0 ? prefix + rest.slice(0, cut + (query.delimiter ?? '').length) : file.path
      if (key <= after || key === last) continue
      if (items.length + prefixes.size >= max) {
        more = true
        break
      }
      if (cut >= 0) prefixes.add(key)
      else items.push(file)
      last = key
    }
    const body: z.infer<typeof GcsObjectListSchema> = {
      kind: 'storage#objects',
      ...(items.length > 0 ? { items: await Promise.all(items.map((f) => resource(c, f))) } : {}),
      ...(prefixes.size > 0 ? { prefixes: [...prefixes] } : {}),
      ...(more ? { nextPageToken: Buffer.from(last).toString('base64url') } : {}),
    }
    return c.json(body)
  }

  const getObject = async (c: Context): Promise<Response> => {
    if (c.req.query('alt') === 'media') return media(c)
    const { bucket: name } = bucketParam(c)
    if (name !== bucket) return noBucket(c, name)
    const object = objectName(c)
    const info = object === undefined ? undefined : await find(object)
    if (!info) return problem(c, 'not_found', `no object "${object ?? ''}" in bucket ${bucket}`)
    return c.json(await resource(c, info))
  }

  const upload = async (c: Context): Promise<Response> => {
    const { bucket: name } = bucketParam(c)
    if (name !== bucket) return noBucket(c, name)
    const query = GcsObjectQuerySchema.safeParse(c.req.query())
    const uploadType = query.success ? query.data.uploadType : undefined
    if (uploadType !== 'media' && uploadType !== 'multipart') {
      return problem(
        c,
        'invalid_request',
        `query uploadType: expected media or multipart (single-request uploads), received ${c.req.query('uploadType') ?? 'nothing'}`,
      )
    }
    const body = new Uint8Array(await c.req.arrayBuffer())
    let objectNameValue = query.success ? query.data.name : undefined
    let content: Uint8Array = body
    let contentType = c.req.header('content-type') ?? 'application/octet-stream'
    if (uploadType === 'multipart') {
      const parts = multipartRelated(contentType, body)
      if (parts === undefined || parts.length < 2) {
        return problem(
          c,
          'invalid_request',
          'body: expected multipart/related with a JSON metadata part and a media part',
        )
      }
      const [meta, data] = parts as [Part, Part]
      let metadata: { name?: unknown; contentType?: unknown }
      try {
        metadata = JSON.parse(Buffer.from(meta.body).toString('utf8')) as typeof metadata
      } catch {
        return problem(c, 'invalid_request', 'body: the first part is not JSON object metadata')
      }
      if (typeof metadata.name === 'string') objectNameValue = metadata.name
      contentType =
        typeof metadata.contentType === 'string'
          ? metadata.contentType
          : (data.headers['content-type'] ?? contentType)
      content = data.body
    }
    if (objectNameValue === undefined || !parseStoragePath(objectNameValue).ok) {
      return problem(
        c,
        'invalid_request',
        `name: expected a storage path (ujet-metadata/call-1.json, …), received ${objectNameValue === undefined ? 'nothing' : `"${objectNameValue}"`}`,
      )
    }
    await storage.write({ path: objectNameValue, at: now(), contentType, content })
    hashes.delete(objectNameValue)
    return c.json(
      await resource(c, {
        path: objectNameValue,
        bytes: content.byteLength,
        contentType: contentTypeOf(objectNameValue),
      }),
    )
  }

  const bucketParams = z.object({
    bucket: z.string().describe('The bucket (storage.serve.bucket)'),
  })
  const objectParams = bucketParams.extend({
    object: z.string().describe('The object name, percent-encoded (`ujet-metadata%2Fcall-1.json`)'),
  })
  const altQuery = z.object({ alt: z.enum(['json', 'media']).optional() })
  const bytes = { 'application/octet-stream': { type: 'string', format: 'binary' } }
  const partial = { description: 'Part of the bytes (Range)', content: bytes }
  return routesApp('storage', [
    route({
      method: 'get',
      path: '/storage/v1/b/:bucket',
      summary: 'Cloud Storage JSON API: the bucket (storage.serve.bucket, default ccai-sim)',
      request: { params: bucketParams },
      responses: { 200: json('The bucket resource', GcsBucketSchema), ...problems('not_found') },
      handler: getBucket,
    }),
    route({
      method: 'get',
      path: '/storage/v1/b/:bucket/o',
      summary:
        'Cloud Storage JSON API: objects.list over the storage (object names are storage paths)',
      request: { params: bucketParams, query: GcsListQuerySchema, validate: false },
      responses: {
        200: json('Objects and rolled-up prefixes, a page at a time', GcsObjectListSchema),
        ...problems('not_found', 'invalid_request'),
      },
      handler: listObjects,
    }),
    route({
      method: 'get',
      path: '/storage/v1/b/:bucket/o/:object{.+}',
      summary: 'Cloud Storage JSON API: objects.get; with alt=media, the bytes (Range honoured)',
      request: { params: objectParams, query: altQuery, validate: false },
      responses: {
        200: {
          description:
            'The object resource, or its bytes with alt=media (x-goog-hash: crc32c, md5)',
          content: { 'application/json': GcsObjectSchema, ...bytes },
        },
        206: partial,
        ...problems('not_found'),
      },
      handler: getObject,
    }),
    route({
      method: 'get',
      path: '/download/storage/v1/b/:bucket/o/:object{.+}',
      summary: 'Cloud Storage JSON API: media download (the mediaLink of an object)',
      request: { params: objectParams, query: altQuery, validate: false },
      responses: {
        200: { description: 'The bytes', content: bytes },
        206: partial,
        ...problems('not_found'),
      },
      handler: media,
    }),
    route({
      method: 'post',
      path: '/upload/storage/v1/b/:bucket/o',
      summary:
        'Cloud Storage JSON API: objects.insert, single-request (uploadType=media with name, or multipart/related); what a gcs sink sends',
      request: {
        params: bucketParams,
        query: GcsObjectQuerySchema,
        validate: false,
        content: { 'multipart/related': { type: 'string' }, ...bytes },
      },
      responses: {
        200: json('The stored object', GcsObjectSchema),
        ...problems('not_found', 'invalid_request'),
      },
      handler: upload,
    }),
  ])
}

interface Part {
  readonly headers: Readonly<Record<string, string>>
  readonly body: Uint8Array
}

/** The parts of a `multipart/related` body (RFC 2387), as the JSON API's multipart upload sends them. */
function multipartRelated(contentType: string, body: Uint8Array): Part[] | undefined {
  const match = /boundary="?([^";]+)"?/i.exec(contentType)
  if (!/^multipart\/related/i.test(contentType) || !match?.[1]) return undefined
  const buffer = Buffer.from(body)
  const delimiter = Buffer.from(`--${match[1]}`)
  const parts: Part[] = []
  let at = buffer.indexOf(delimiter)
  while (at >= 0) {
    const start = at + delimiter.length
    if (buffer.subarray(start, start + 2).toString() === '--') break
    const next = buffer.indexOf(delimiter, start)
    if (next < 0) break
    const chunk = buffer.subarray(start, next)
    const headerEnd = chunk.indexOf('\r\n\r\n')
    if (headerEnd < 0) return undefined
    const headers: Record<string, string> = {}
    for (const line of chunk.subarray(0, headerEnd).toString('utf8').split('\r\n')) {
      const colon = line.indexOf(':')
      if (colon > 0)
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
    }
    // The part's body ends before the CRLF that precedes the next delimiter.
    let end = chunk.length
    if (chunk.subarray(end - 2).toString() === '\r\n') end -= 2
    parts.push({ headers, body: new Uint8Array(chunk.subarray(headerEnd + 4, end)) })
    at = next
  }
  return parts
}
