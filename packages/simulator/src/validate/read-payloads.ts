import { open, readdir, readFile, stat } from 'node:fs/promises'
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
  const lines = new LineReader(name)
  lines.push(text, out)
  lines.end(out)
  return out
}

/** One JSON Lines line as a payload, or where and why it is not JSON. */
function lineSource(line: string, name: string, number: number): PayloadSource {
  try {
    return { kind: 'payload', location: `${name}:${number}`, value: JSON.parse(line) as unknown }
  } catch {
    const where = locate(line)
    return {
      kind: 'malformed',
      location: `${name}:${number}:${where.column}`,
      error: where.message,
    }
  }
}

const isBlank = (line: string): boolean => line.length === 0 || line.trim() === ''

/** Splits JSON Lines text arriving in chunks into payloads, keeping line numbers. */
class LineReader {
  private rest = ''
  private number = 0

  constructor(private readonly name: string) {}

  push(chunk: string, out: PayloadSource[]): void {
    let text = this.rest === '' ? chunk : this.rest + chunk
    let from = 0
    for (let at = text.indexOf('\n', from); at !== -1; at = text.indexOf('\n', from)) {
      this.number += 1
      const line = text.slice(from, at)
      if (!isBlank(line)) out.push(lineSource(line, this.name, this.number))
      from = at + 1
    }
    text = text.slice(from)
    this.rest = text
  }

  end(out: PayloadSource[]): void {
    if (this.rest === '') return
    this.number += 1
    if (!isBlank(this.rest)) out.push(lineSource(this.rest, this.name, this.number))
    this.rest = ''
  }
}

/**
 * Streams JSON Lines: batches of payloads as the chunks arrive, so a file of any size is checked
 * in constant memory (a line is held only until it is parsed).
 */
export async function* streamJsonLines(
  chunks: AsyncIterable<string>,
  name: string,
): AsyncGenerator<PayloadSource[]> {
  const lines = new LineReader(name)
  for await (const chunk of chunks) {
    const batch: PayloadSource[] = []
    lines.push(chunk, batch)
    if (batch.length > 0) yield batch
  }
  const last: PayloadSource[] = []
  lines.end(last)
  if (last.length > 0) yield last
}

/** Where the first non-blank line ends and the second begins, if both are in `text` yet. */
function firstTwoLines(text: string): { first: string | undefined; second: boolean } {
  let from = 0
  let first: string | undefined
  for (let at = text.indexOf('\n', from); at !== -1; at = text.indexOf('\n', from)) {
    const line = text.slice(from, at)
    from = at + 1
    if (isBlank(line)) continue
    if (first !== undefined) return { first, second: true }
    first = line
  }
  if (first !== undefined && !isBlank(text.slice(from))) return { first, second: true }
  return { first, second: false }
}

/**
 * Streams a document whose format is not known (stdin): when its first line is JSON on its own and
 * a second line follows, it is JSON Lines and streams; otherwise it is read whole and parsed as one
 * value (an array being a list of payloads), exactly as `parseDocument(…, 'auto')` does.
 */
export async function* streamDocument(
  chunks: AsyncIterable<string>,
  name: string,
): AsyncGenerator<PayloadSource[]> {
  const iterator = chunks[Symbol.asyncIterator]()
  let head = ''
  let lines = false
  for (;;) {
    const next = await iterator.next()
    if (next.done === true) break
    head += next.value
    // Look only at complete lines: a line still arriving is judged when it has ended.
    const complete = head.slice(0, head.lastIndexOf('\n') + 1)
    const { first, second } = firstTwoLines(complete)
    if (first === undefined) continue
    if (!parses(first)) break
    if (second) {
      lines = true
      break
    }
  }
  if (!lines) {
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next())
      head += next.value
    const { second } = firstTwoLines(head)
    if (!second || !parses(firstTwoLines(head).first ?? '')) {
      yield parseDocument(head, name, 'auto')
      return
    }
  }
  const rest: AsyncIterable<string> = {
    [Symbol.asyncIterator]: () => iterator,
  }
  yield* streamJsonLines(prepend(head, rest), name)
}

function parses(line: string): boolean {
  try {
    JSON.parse(line)
    return true
  } catch {
    return false
  }
}

async function* prepend(head: string, rest: AsyncIterable<string>): AsyncGenerator<string> {
  yield head
  yield* rest
}

async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true })
  return entries
    .filter((entry) => entry.isFile() && READABLE.has(extname(entry.name)))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort()
}

/** The chunk size for reading files: large enough that per-chunk costs vanish, small enough to stay flat. */
const CHUNK_BYTES = 1 << 20

/**
 * Streams every payload under a file or folder path, file by file, in batches. JSON Lines files are
 * streamed; a `.json` file is one document and is read whole. Throws only when the path cannot be
 * read.
 */
export async function* streamPayloads(path: string, cwd: string): AsyncGenerator<PayloadSource[]> {
  const info = await stat(path)
  const files = info.isDirectory() ? await filesUnder(path) : [path]
  for (const file of files) {
    const name = relative(cwd, file) || file
    if (JSON_LINES.has(extname(file))) {
      yield* streamJsonLinesFile(file, name)
    } else {
      yield parseDocument(await readFile(file, 'utf8'), name, 'json')
    }
  }
}

const NEWLINE = 0x0a

/**
 * Streams a JSON Lines file as bytes: read into one reused buffer, split on newline bytes, each line
 * decoded on its own. Decoding a whole chunk into one string made every chunk holding a single
 * non-ASCII character a two-byte string, which JSON.parse reads at a third of the speed; a newline
 * byte never occurs inside a UTF-8 sequence, so a line decodes the same either way. The buffer grows
 * only for a line longer than itself.
 */
export async function* streamJsonLinesFile(
  file: string,
  name: string,
): AsyncGenerator<PayloadSource[]> {
  const handle = await open(file, 'r')
  try {
    let buffer = Buffer.allocUnsafe(CHUNK_BYTES)
    let start = 0
    let end = 0
    let number = 0
    for (;;) {
      if (start > 0) {
        buffer.copy(buffer, 0, start, end)
        end -= start
        start = 0
      }
      if (end === buffer.length) {
        const larger = Buffer.allocUnsafe(buffer.length * 2)
        buffer.copy(larger, 0, 0, end)
        buffer = larger
      }
      const { bytesRead } = await handle.read(buffer, end, buffer.length - end, null)
      end += bytesRead
      const batch: PayloadSource[] = []
      if (bytesRead === 0) {
        // The last line, without a newline after it.
        if (end > 0) {
          const line = buffer.toString('utf8', 0, end)
          if (!isBlank(line)) batch.push(lineSource(line, name, number + 1))
        }
        if (batch.length > 0) yield batch
        return
      }
      const filled = buffer.subarray(0, end)
      for (
        let at = filled.indexOf(NEWLINE, start);
        at !== -1;
        at = filled.indexOf(NEWLINE, start)
      ) {
        number += 1
        const line = buffer.toString('utf8', start, at)
        if (!isBlank(line)) batch.push(lineSource(line, name, number))
        start = at + 1
      }
      if (batch.length > 0) yield batch
    }
  } finally {
    await handle.close()
  }
}

/** Reads every payload under a file or folder path. Throws only when the path cannot be read. */
export async function readPayloads(path: string, cwd: string): Promise<PayloadSource[]> {
  const out: PayloadSource[] = []
  // One batch at a time: spreading a whole file into push() overflowed the stack past ~130,000 lines.
  for await (const batch of streamPayloads(path, cwd)) for (const source of batch) out.push(source)
  return out
}
