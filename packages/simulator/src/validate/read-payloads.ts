import { readdir, readFile, stat } from 'node:fs/promises'
import { extname, join, relative } from 'node:path'
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser'

/** One payload read from a file or stdin, with where it came from. */
export type PayloadSource =
  | { readonly kind: 'payload'; readonly location: string; readonly value: unknown }
  | { readonly kind: 'malformed'; readonly location: string; readonly error: string }

const JSON_LINES = new Set(['.jsonl', '.ndjson'])
const READABLE = new Set(['.json', ...JSON_LINES])

function lineAndColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position)
  const line = before.split('\n').length
  const column = position - before.lastIndexOf('\n')
  return { line, column }
}

/** Where and why a document is not JSON: JSON.parse is the judge, jsonc-parser finds the spot. */
function locate(text: string): { line: number; column: number; message: string } {
  const errors: ParseError[] = []
  parse(text, errors, {
    disallowComments: true,
    allowTrailingComma: false,
    allowEmptyContent: false,
  })
  const first = errors[0]
  if (!first) return { ...lineAndColumn(text, text.length), message: 'not valid JSON' }
  const words = printParseErrorCode(first.error)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
  return { ...lineAndColumn(text, first.offset), message: words }
}

function splitPayloads(value: unknown, location: string): PayloadSource[] {
  if (Array.isArray(value)) {
    return (value as unknown[]).map((item, index) => ({
      kind: 'payload',
      location: `${location}[${index}]`,
      value: item,
    }))
  }
  return [{ kind: 'payload', location, value }]
}

function firstLineIsJson(text: string): boolean {
  const lines = text.split('\n').filter((line) => line.trim() !== '')
  if (lines.length < 2) return false
  try {
    JSON.parse(lines[0] ?? '')
    return true
  } catch {
    return false
  }
}

/** Parses a document: one JSON value (an array means a list of payloads), else JSON Lines. */
export function parseDocument(
  text: string,
  name: string,
  format: 'json' | 'jsonl' | 'auto',
): PayloadSource[] {
  if (format !== 'jsonl') {
    try {
      return splitPayloads(JSON.parse(text) as unknown, name)
    } catch {
      const looksLikeLines = format === 'auto' && firstLineIsJson(text)
      if (!looksLikeLines) {
        const where = locate(text)
        return [
          {
            kind: 'malformed',
            location: `${name}:${where.line}:${where.column}`,
            error: where.message,
          },
        ]
      }
    }
  }
  const out: PayloadSource[] = []
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return
    const location = `${name}:${index + 1}`
    try {
      out.push({ kind: 'payload', location, value: JSON.parse(line) as unknown })
    } catch {
      const where = locate(line)
      out.push({
        kind: 'malformed',
        location: `${name}:${index + 1}:${where.column}`,
        error: where.message,
      })
    }
  })
  return out
}

async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true })
  return entries
    .filter((entry) => entry.isFile() && READABLE.has(extname(entry.name)))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort()
}

/** Reads every payload under a file or folder path. Throws only when the path cannot be read. */
export async function readPayloads(path: string, cwd: string): Promise<PayloadSource[]> {
  const info = await stat(path)
  const files = info.isDirectory() ? await filesUnder(path) : [path]
  const out: PayloadSource[] = []
  for (const file of files) {
    const text = await readFile(file, 'utf8')
    const format = JSON_LINES.has(extname(file)) ? 'jsonl' : 'json'
    out.push(...parseDocument(text, relative(cwd, file) || file, format))
  }
  return out
}
