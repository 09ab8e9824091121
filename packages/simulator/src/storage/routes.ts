import { parseStoragePath, STORAGE_FOLDER_NAMES } from '@ccai-sim/schemas'
import { Hono } from 'hono'
import { problem } from '../http/problem.js'
import type { StorageSink } from '../runtime/sinks.js'
import { contentTypeOf } from './content-type.js'

/**
 * Read-only view of the storage sink: `GET /storage/` lists every file, `GET /storage/<folder>/`
 * one folder, `GET /storage/<path>` serves a file with its content type.
 */
export function storageRoutes(storage: StorageSink): Hono {
  const app = new Hono()

  app.get('/*', async (c) => {
    const raw = new URL(c.req.url).pathname.replace(/^\/storage\/?/, '')
    let path: string
    try {
      path = decodeURIComponent(raw)
    } catch {
      // A malformed escape (`%E0%A4%A`) names no file: 404, not an internal error.
      return problem(c, 'not_found', `"${raw}" is not a storage path: malformed percent-encoding`)
    }
    if (path === '' || path.endsWith('/')) {
      const prefix = path
      if (
        prefix !== '' &&
        !STORAGE_FOLDER_NAMES.some(
          (folder) => `${folder}/` === prefix || prefix.endsWith(`/${folder}/`),
        )
      ) {
        return problem(
          c,
          'not_found',
          `"${prefix}" is not a storage folder; folders are ${STORAGE_FOLDER_NAMES.join(', ')}`,
        )
      }
      const files = (await storage.list()).filter(
        (f) => f.path.startsWith(prefix) || f.path.includes(`/${prefix}`),
      )
      return c.json({
        folder: prefix === '' ? '/' : prefix,
        files: files.map((f) => ({ ...f, url: `/storage/${f.path}` })),
      })
    }
    const parsed = parseStoragePath(path)
    if (!parsed.ok)
      return problem(c, 'not_found', `"${path}" is not a storage path: ${parsed.reason}`)
    const content = await storage.read(path)
    if (!content)
      return problem(c, 'not_found', `no file at ${path} (yet: files appear at their virtual time)`)
    return c.body(content.slice().buffer, 200, {
      'content-type': contentTypeOf(path),
      'content-length': String(content.byteLength),
    })
  })

  return app
}
