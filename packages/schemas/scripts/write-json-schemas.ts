import { mkdir, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { jsonSchemaFiles } from '../src/json-schema.js'

/** Regenerates packages/schemas/json-schema/ from the catalog; CI fails when it is stale. */
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'json-schema')
await rm(out, { recursive: true, force: true })
const files = jsonSchemaFiles()
for (const [name, content] of files) {
  const target = join(out, name)
  await mkdir(dirname(target), { recursive: true })
  await writeFile(target, content)
}
console.log(`wrote ${files.size} files to ${out}`)
