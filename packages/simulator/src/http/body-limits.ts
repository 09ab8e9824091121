import type { Context } from 'hono'
import { localBodyText } from '../crm/local-request.js'
import { SimulatorError } from '../errors.js'

/*
 * Limits on request bodies, checked before any parsing that could cost much: the size (from
 * `Content-Length` before reading, then while reading), and for JSON the nesting depth and the
 * number of object members (one pass over the text, no recursion). A body past a limit is refused
 * with its own code (`payload_too_large` 413, `body_too_deep` 422) and a short detail: a deep body
 * must never reach code that recurses (it broke reads of the mock CRM's state), and a huge one must
 * not be parsed and echoed back key by key.
 */

export interface BodyLimits {
  /** Bytes of the body. */
  readonly maxBytes: number
  /** Nesting depth of JSON arrays and objects (`{}` is depth 1). */
  readonly maxDepth: number
  /** Object members over the whole JSON body. */
  readonly maxMembers: number
}

/** The control API's bodies are small requests: a session to start, a clock move, a fault rule. */
export const CONTROL_BODY_LIMITS: BodyLimits = {
  maxBytes: 1 << 20,
  maxDepth: 32,
  maxMembers: 1_000,
}

/** The mock CRM's: uploads come as base64 in JSON or as multipart files (recordings are megabytes). */
export const CRM_BODY_LIMITS: BodyLimits = { maxBytes: 32 << 20, maxDepth: 32, maxMembers: 10_000 }

function tooLarge(received: string, max: number): SimulatorError {
  const message = `body: expected at most ${String(max)} bytes, received ${received}`
  return new SimulatorError('payload_too_large', message, {
    issues: [
      {
        path: 'body',
        code: 'too_big',
        expected: `at most ${String(max)} bytes`,
        received,
        message,
      },
    ],
  })
}

/**
 * Whether an in-process body's text can be read as it is: one with lone surrogates goes through
 * a stream, which replaces them as a socket's bytes would.
 */
export function plainText(text: string): boolean {
  return !SURROGATE.test(text)
}

/**
 * `text.trim() === ''` without trimming when the text starts with a printable ASCII character
 * other than the space (never white space): JSON bodies do, and trimming a concatenated text
 * flattens it into a copy first.
 */
export function blank(text: string): boolean {
  const first = text.charCodeAt(0)
  if (first > 0x20 && first < 0x7f) return false
  return text.trim() === ''
}

/** Refuses a text body over the byte limit. */
export function checkTextLength(text: string, limits: BodyLimits): void {
  if (Buffer.byteLength(text, 'utf8') > limits.maxBytes)
    throw tooLarge(`more than that`, limits.maxBytes)
}

/** Refuses a body whose declared length is over the limit, before a byte is read. */
export function checkDeclaredLength(c: Context, limits: BodyLimits): void {
  checkLengthHeader(c.req.header('content-length'), limits)
}

/** Refuses a declared length (a `Content-Length` value) over the limit. */
export function checkLengthHeader(declared: string | undefined, limits: BodyLimits): void {
  if (declared === undefined) return
  const length = Number(declared)
  if (Number.isFinite(length) && length > limits.maxBytes)
    throw tooLarge(`${String(length)} bytes (Content-Length)`, limits.maxBytes)
}

/** Reads the body as UTF-8 text, refusing it as soon as it passes `maxBytes`. */
const SURROGATE = /[\uD800-\uDFFF]/

export async function readLimitedText(c: Context, limits: BodyLimits): Promise<string> {
  checkDeclaredLength(c, limits)
  // An in-process request's text is at hand: no stream to read it back from (a text with
  // surrogates is read through the stream, which replaces lone ones as a socket's bytes would).
  const local = localBodyText(c.req.raw)
  if (local !== undefined && !SURROGATE.test(local)) {
    checkTextLength(local, limits)
    return local
  }
  const body = c.req.raw.body
  if (!body) return ''
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > limits.maxBytes) {
      await reader.cancel().catch(() => undefined)
      throw tooLarge(`more than that`, limits.maxBytes)
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/**
 * Checks a JSON text's nesting depth and member count in one pass (strings skipped), so neither a
 * 5 000-deep body nor one with 250 000 keys is parsed, stored or echoed.
 */
export function checkJsonShape(text: string, limits: BodyLimits): void {
  let depth = 0
  let members = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i)
    if (inString) {
      if (ch === 0x5c)
        i += 1 // backslash: skip the escaped character
      else if (ch === 0x22) inString = false
      continue
    }
    if (ch === 0x22) inString = true
    else if (ch === 0x7b || ch === 0x5b) {
      depth += 1
      if (depth > limits.maxDepth) {
        const message = `body: expected JSON nested at most ${String(limits.maxDepth)} deep, received deeper nesting (at character ${String(i)})`
        throw new SimulatorError('body_too_deep', message, {
          issues: [
            {
              path: 'body',
              code: 'too_deep',
              expected: `nesting at most ${String(limits.maxDepth)} deep`,
              received: `more than ${String(limits.maxDepth)} levels`,
              message,
            },
          ],
        })
      }
    } else if (ch === 0x7d || ch === 0x5d) depth -= 1
    else if (ch === 0x3a) {
      members += 1
      if (members > limits.maxMembers) {
        const message = `body: expected at most ${String(limits.maxMembers)} object members, received more`
        throw new SimulatorError('payload_too_large', message, {
          issues: [
            {
              path: 'body',
              code: 'too_big',
              expected: `at most ${String(limits.maxMembers)} object members`,
              received: 'more',
              message,
            },
          ],
        })
      }
    }
  }
}

/**
 * Parses a JSON body's text within `limits` (see `checkJsonShape`). Malformed JSON is
 * `invalid_request` naming `body`, as every other body error is, on every surface that reads JSON.
 */
export function parseJsonText(text: string, limits: BodyLimits): unknown {
  checkJsonShape(text, limits)
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error)
    const message = `body: expected JSON, received malformed JSON (${detail})`
    throw new SimulatorError('invalid_request', message, {
      issues: [{ path: 'body', code: 'invalid_json', expected: 'JSON', received: detail, message }],
    })
  }
}
