import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { CATALOG, jsonSchemaFiles } from '@ccai-sim/schemas'
import { EXIT, UsageError, writeFilesInto, type CliIo, type ExitCode } from './io.js'

export const CATALOG_USAGE = `Usage: ccai-sim catalog [--json]

Lists every contract with its family, confidence, direction and source.`

export const SCHEMAS_USAGE = `Usage: ccai-sim schemas --out <dir>

Writes every contract's JSON Schema (draft 2020-12) as <dir>/strict/<id>.json and
<dir>/tolerant/<id>.json, plus <dir>/index.json.`

export function runCatalog(args: readonly string[], io: CliIo): ExitCode {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false } },
  })
  if (positionals.length > 0)
    throw new UsageError(`catalog takes no arguments, got "${positionals.join(' ')}"`)
  if (values.json) {
    const rows = CATALOG.map(
      ({ id, family, title, direction, transport, confidence, source, examples }) => ({
        id,
        family,
        title,
        direction,
        transport,
        confidence,
        source,
        examples: examples.length,
      }),
    )
    io.stdout(`${JSON.stringify(rows, null, 2)}\n`)
    return EXIT.ok
  }
  const width = Math.max(...CATALOG.map((c) => c.id.length))
  for (const contract of CATALOG) {
    const direction = `${contract.direction.from} -> ${contract.direction.to}`
    io.stdout(
      `${contract.id.padEnd(width)}  ${contract.family.padEnd(10)}  ${contract.confidence.padEnd(11)}  ${direction}\n`,
    )
  }
  io.stdout(`\n${CATALOG.length} contracts\n`)
  return EXIT.ok
}

export async function runSchemas(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { out: { type: 'string' } },
  })
  if (positionals.length > 0)
    throw new UsageError(`schemas takes no positional arguments, got "${positionals.join(' ')}"`)
  if (!values.out)
    throw new UsageError('--out: expected a folder to write the JSON Schemas to, got nothing')
  const out = resolve(io.cwd, values.out)
  const files = jsonSchemaFiles()
  await writeFilesInto(
    { flag: '--out', given: values.out, dir: out },
    [...files].map(([path, content]) => ({ path, content })),
  )
  io.stdout(`wrote ${files.size} JSON Schema files to ${out}\n`)
  return EXIT.ok
}
