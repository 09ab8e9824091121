import { z } from 'zod'
import type { CheckMode } from './check.js'
import { schemaInMode } from './check.js'
import { CATALOG } from './catalog/catalog.js'
import type { Contract } from './catalog/contract.js'

export type JsonSchema = Record<string, unknown>

/**
 * Rewrites `type: ["boolean", "string", …]` (more than one non-null type, which Zod emits for unions
 * of primitives) as `anyOf` of single types: Ajv's strict mode (`strictTypes`) rejects union types
 * unless `allowUnionTypes` is set, and a schema consumers can compile with `strict: true` is the
 * portable one. `["string", "null"]` stays: strict mode allows a nullable type.
 */
function splitUnionTypes(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(splitUnionTypes)
  if (typeof node !== 'object' || node === null) return node
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(node)) out[key] = splitUnionTypes(value)
  const type = out['type']
  if (Array.isArray(type) && type.filter((t) => t !== 'null').length > 1) {
    delete out['type']
    const alternatives = type.map((t: unknown) => ({ type: t }))
    // An anyOf already there (rare) must hold too: both apply, so wrap them in allOf.
    if (out['anyOf'] === undefined) out['anyOf'] = alternatives
    else
      out['allOf'] = [...((out['allOf'] as unknown[] | undefined) ?? []), { anyOf: alternatives }]
  }
  return out
}

/**
 * The JSON Schema (draft 2020-12) of a contract. `strict` closes every object
 * (`additionalProperties: false`) and leaves the tolerant-only alternates out; `tolerant` keeps them
 * and lets unknown keys through. Refinements that JSON Schema cannot express are left out.
 */
export function contractJsonSchema(contract: Contract, mode: CheckMode): JsonSchema {
  const schema = schemaInMode(contract.schema, mode)
  const json = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
  })
  return {
    ...(splitUnionTypes(json) as JsonSchema),
    $id: `https://ccai-sim.dev/json-schema/${mode}/${contract.id}.json`,
    title: contract.title,
    description: `${contract.id} (${contract.family}, ${contract.confidence}). Source: ${contract.source.document}${contract.source.section ? `, ${contract.source.section}` : ''}.`,
  }
}

/**
 * Every contract's JSON Schema as files: `strict/<id>.json`, `tolerant/<id>.json` and an `index.json`
 * listing them. Pure: the caller writes them (see `ccai-sim schemas --out <dir>`).
 */
export function jsonSchemaFiles(
  contracts: readonly Contract[] = CATALOG,
): ReadonlyMap<string, string> {
  const files = new Map<string, string>()
  const index: Record<string, unknown>[] = []
  for (const contract of contracts) {
    for (const mode of ['strict', 'tolerant'] as const) {
      files.set(
        `${mode}/${contract.id}.json`,
        `${JSON.stringify(contractJsonSchema(contract, mode), null, 2)}\n`,
      )
    }
    index.push({
      id: contract.id,
      family: contract.family,
      title: contract.title,
      confidence: contract.confidence,
      direction: contract.direction,
      transport: contract.transport,
      source: contract.source,
      strict: `strict/${contract.id}.json`,
      tolerant: `tolerant/${contract.id}.json`,
    })
  }
  files.set('index.json', `${JSON.stringify({ contracts: index }, null, 2)}\n`)
  return files
}
