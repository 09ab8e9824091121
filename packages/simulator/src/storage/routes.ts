import { parseStoragePath, STORAGE_FOLDER_NAMES } from '@ccai-sim/schemas'
import type { Context, Hono } from 'hono'
import { z } from 'zod'
import { json, problems, route, routesApp } from '../http/declare-routes.js'
import { problem } from '../http/problem.js'
import type { StorageSink } from '../runtime/sinks.js'
import { contentTypeOf } from './content-type.js'

/**
 * Read-only view of the storage sink: `GET /storage/` lists every file, `GET /storage/<folder>/`
 * one folder, `GET /storage/<path>` serves a file with its content type.
 */
export function storageRoutes(storage: StorageSink): Hono {
  const serve = async (c: Context): Promise<Response> => {
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
  }

  return routesApp('storage', [
    route({
      method: 'get',
      path: '/',
      trailingSlash: true,
      summary: 'Every stored file (also at `/storage/`)',
      responses: { 200: json('The listing', StorageListingSchema) },
      handler: serve,
    }),
    route({
      method: 'get',
      path: '/:path{.+}',
      summary: 'A folder listing (a path ending in `/`) or a file',
      description: `The path may hold slashes: \`<folder>/\` lists a folder (${STORAGE_FOLDER_NAMES.join(', ')}), anything else is a file path, served with its content type once the virtual clock reaches its time.`,
      request: {
        params: z.object({ path: z.string().describe('A storage path (may contain slashes)') }),
      },
      responses: {
        200: {
          description: 'A folder listing, or the file',
          content: {
            'application/json': StorageListingSchema,
            'application/octet-stream': { type: 'string' },
          },
        },
        ...problems('not_found'),
      },
      handler: serve,
    }),
  ])
}

const StorageListingSchema = z
  .object({
    folder: z.string(),
    files: z.array(
      z.looseObject({
        path: z.string(),
        /** Where to read it: `/storage/<path>`. */
        url: z.string(),
      }),
    ),
  })
  .meta({ id: 'StorageListing' })
