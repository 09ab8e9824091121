import type { z } from 'zod'

/** One reason a payload does not satisfy its contract. */
export interface CheckIssue {
  /** Where, as a JSON path from the payload root: `data.agent_info.email`, `entries[3].role`; `$` is the root. */
  readonly path: string
  /** Zod's issue code (`invalid_type`, `invalid_value`, `unrecognized_keys`, …). */
  readonly code: string
  /** What the contract expects there, in words. */
  readonly expected: string
  /** What came, in words, with a short preview of the value. */
  readonly received: string
  /** `path: expected …, received …` — ready to print. */
  readonly message: string
}

type PathKey = PropertyKey

const IDENTIFIER = /^[A-Za-z_$][\w$-]*$/

export function formatPath(path: readonly PathKey[]): string {
  if (path.length === 0) return '$'
  let out = ''
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`
    else if (typeof key === 'string' && IDENTIFIER.test(key)) out += out === '' ? key : `.${key}`
    else out += `[${JSON.stringify(String(key))}]`
  }
  return out
}

const PREVIEW_LIMIT = 40

function preview(text: string): string {
  return text.length > PREVIEW_LIMIT ? `${text.slice(0, PREVIEW_LIMIT)}…` : text
}

/** Describes a value as a reader needs it in an error: its JSON type and a short preview. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing (the key is missing)'
  if (value === null) return 'null'
  if (typeof value === 'string') return `string ${preview(JSON.stringify(value))}`
  if (typeof value === 'number')
    return Number.isInteger(value) ? `integer ${value}` : `number ${value}`
  if (typeof value === 'boolean') return `boolean ${value}`
  if (Array.isArray(value)) return `array of ${value.length} item${value.length === 1 ? '' : 's'}`
  if (typeof value === 'object') {
    const keys = Object.keys(value)
    return keys.length === 0 ? 'empty object' : `object with keys ${preview(keys.join(', '))}`
  }
  return typeof value
}

function listValues(values: readonly unknown[]): string {
  const shown = values.map((v) => JSON.stringify(v))
  if (shown.length === 1) return shown[0] ?? ''
  if (shown.length > 12)
    return `one of ${shown.slice(0, 12).join(', ')}, … (${shown.length} values)`
  return `one of ${shown.join(', ')}`
}

const FORMAT_NAMES: Record<string, string> = {
  datetime: 'an ISO 8601 date-time string',
  date: 'an ISO 8601 date (YYYY-MM-DD)',
  time: 'an ISO 8601 time (HH:MM:SS)',
  email: 'an email address',
  url: 'a URL',
  uuid: 'a UUID',
  e164: 'an E.164 phone number (+15550100)',
  base64: 'a base64 string',
}

function bound(
  kind: 'min' | 'max',
  issue: { origin: string; inclusive?: boolean; exact?: boolean },
  n: number | bigint,
): string {
  const unit = issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' items' : ''
  if (issue.exact) return `exactly ${n}${unit}`
  if (kind === 'min')
    return issue.inclusive === false ? `more than ${n}${unit}` : `at least ${n}${unit}`
  return issue.inclusive === false ? `less than ${n}${unit}` : `at most ${n}${unit}`
}

type RawIssue = z.core.$ZodIssue

function make(
  path: readonly PathKey[],
  code: string,
  what: { expected: string; received: string },
): CheckIssue {
  const { expected, received } = what
  const where = formatPath(path)
  return {
    path: where,
    code,
    expected,
    received,
    message: `${where}: expected ${expected}, received ${received}`,
  }
}

/**
 * Turns Zod's raw issues into issues that name the path, the expectation and what came.
 * Parse with `{ reportInput: true }` so that issues carry their input.
 */
export function toCheckIssues(
  raw: readonly RawIssue[],
  base: readonly PathKey[] = [],
): CheckIssue[] {
  const out: CheckIssue[] = []
  for (const issue of raw) {
    const path = [...base, ...issue.path]
    const input = issue.input
    switch (issue.code) {
      case 'invalid_type': {
        const expected = issue.expected === 'int' ? 'integer' : issue.expected
        out.push(make(path, issue.code, { expected, received: describeValue(input) }))
        break
      }
      case 'invalid_value':
        out.push(
          make(path, issue.code, {
            expected: listValues(issue.values),
            received: describeValue(input),
          }),
        )
        break
      case 'invalid_format': {
        const expected =
          issue.format === 'regex' && issue.pattern
            ? `a string matching ${issue.pattern}`
            : (FORMAT_NAMES[issue.format] ?? `a string in ${issue.format} format`)
        out.push(make(path, issue.code, { expected, received: describeValue(input) }))
        break
      }
      case 'too_small':
        out.push(
          make(path, issue.code, {
            expected: bound('min', issue, issue.minimum),
            received: describeValue(input),
          }),
        )
        break
      case 'too_big':
        out.push(
          make(path, issue.code, {
            expected: bound('max', issue, issue.maximum),
            received: describeValue(input),
          }),
        )
        break
      case 'not_multiple_of':
        out.push(
          make(path, issue.code, {
            expected: `a multiple of ${issue.divisor}`,
            received: describeValue(input),
          }),
        )
        break
      case 'unrecognized_keys': {
        const record = (input ?? {}) as Record<string, unknown>
        for (const key of issue.keys) {
          out.push(
            make([...path, key], issue.code, {
              expected: 'no such key (not in the documented contract)',
              received: describeValue(record[key]),
            }),
          )
        }
        break
      }
      case 'invalid_union': {
        if (issue.discriminator !== undefined && issue.errors.length === 0 && 'options' in issue) {
          const received = (input as Record<string, unknown> | undefined)?.[issue.discriminator]
          const expected = listValues(issue.options ?? [])
          out.push(make(path, issue.code, { expected, received: describeValue(received) }))
          break
        }
        const best = [...issue.errors].sort((a, b) => a.length - b.length)[0]
        if (best && best.length > 0) out.push(...toCheckIssues(best, path))
        else
          out.push(
            make(path, issue.code, {
              expected: 'one of the documented forms',
              received: describeValue(input),
            }),
          )
        break
      }
      case 'invalid_key':
      case 'invalid_element':
        out.push(...toCheckIssues(issue.issues, path))
        break
      case 'custom':
        out.push(
          make(path, issue.code, { expected: issue.message, received: describeValue(input) }),
        )
        break
      default: {
        const never: { code?: string; message: string } = issue
        out.push(
          make(path, never.code ?? 'invalid', {
            expected: never.message,
            received: describeValue(input),
          }),
        )
      }
    }
  }
  return out
}
