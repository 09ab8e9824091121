import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { describe, expect, it } from 'vitest'
import { CATALOG } from './catalog/catalog.js'
import { jsonSchemaFiles } from './json-schema.js'

const folder = join(dirname(fileURLToPath(import.meta.url)), '..', 'json-schema')
const files = jsonSchemaFiles()

// `strict: true`: the exported schemas must compile in Ajv's strict mode, as consumers may run it.
function validatorFor(mode: 'strict' | 'tolerant', id: string) {
  const ajv = new Ajv2020({ strict: true, allErrors: true })
  addFormats(ajv)
  return ajv.compile(JSON.parse(files.get(`${mode}/${id}.json`) ?? 'null') as object)
}

describe('the exported JSON Schemas', () => {
  it('are up to date with the catalog (run `pnpm gen` when this fails)', async () => {
    const stale: string[] = []
    for (const [name, content] of files) {
      const onDisk = await readFile(join(folder, name), 'utf8').catch(() => undefined)
      if (onDisk !== content) stale.push(name)
    }
    expect(stale).toEqual([])
  })

  it.each(CATALOG.map((c) => [c.id, c] as const))(
    '%s: a standard JSON Schema validator accepts its golden examples',
    (_id, contract) => {
      const tolerant = validatorFor('tolerant', contract.id)
      const strict = validatorFor('strict', contract.id)
      for (const example of contract.examples) {
        expect(tolerant(example.payload), JSON.stringify(tolerant.errors)).toBe(true)
        if (example.strict !== false)
          expect(strict(example.payload), JSON.stringify(strict.errors)).toBe(true)
      }
    },
  )

  it('every exported file compiles under Ajv 2020 with strict: true', async () => {
    const index = JSON.parse(await readFile(join(folder, 'index.json'), 'utf8')) as {
      contracts: { strict: string; tolerant: string }[]
    }
    const failures: string[] = []
    // One instance for all: every file has its own $id.
    const ajv = new Ajv2020({ strict: true })
    addFormats(ajv)
    for (const entry of index.contracts) {
      for (const file of [entry.strict, entry.tolerant]) {
        try {
          ajv.compile(JSON.parse(await readFile(join(folder, file), 'utf8')) as object)
        } catch (error) {
          failures.push(`${file}: ${error instanceof Error ? error.message : String(error)}`)
        }
      }
    }
    expect(index.contracts.length).toBe(CATALOG.length)
    expect(failures).toEqual([])
  }, 120_000)

  it('rejects an unknown key in strict form and allows it in tolerant form', () => {
    const contract = CATALOG.find((c) => c.id === 'common.problem')
    expect(contract).toBeDefined()
    const payload = { type: 'x', title: 'y', status: 400, extra: 1 }
    expect(validatorFor('strict', 'common.problem')(payload)).toBe(false)
    expect(validatorFor('tolerant', 'common.problem')(payload)).toBe(true)
  })
})
