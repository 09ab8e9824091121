import {
  GENERIC_API_VARIABLES,
  PARAMETER_FUNCTIONS,
  type ParameterFunction,
} from '@ccai-sim/schemas'
import { SimulatorError } from '../errors.js'
import type { CrmVariables } from './types.js'

/*
 * Template evaluation of the generic API's request parameters and URLs (seed 000, "Endpoint
 * configuration", "Request URL Parameters", "Request URL parameter functions"; reference §5.1).
 *
 * Decisions where the documents are silent:
 * - Only the documented variables (`GENERIC_API_VARIABLES`, exact case: `{Call_ID}`) are replaced in
 *   a parameter value; other brace text (`{"a":1}`, `{FOO}`) stays literal, as tolerant settings
 *   may hold it.
 * - A parameter whose value comes out empty is dropped, like one whose function yields nothing:
 *   `{RATING}` before a CSAT sends no `rating` key rather than `"rating": ""`.
 * - A function argument is omitted when any variable it names is empty: that is how the Zoho
 *   example turns `(Email:equals:{EMAIL})` into nothing when there is no email.
 * - Arguments are split on top-level commas (commas inside parentheses do not split) before
 *   substitution, so a value holding a comma (`Doe, Jane`) never splits an argument; each argument
 *   is trimmed.
 * - `=DEFAULT_VALUE(a, b, …)` takes the first non-empty argument (the documented two-argument form
 *   is the common case).
 */

const KNOWN_VARIABLES: ReadonlySet<string> = new Set(GENERIC_API_VARIABLES)
const VARIABLE = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g
const FUNCTION_CALL = /^=([A-Z_]+)\(([\s\S]*)\)$/

/** Values of a URL template: the generic API variables plus the Attachment Builder URL's `{ATTACHMENT_ID}`. */
export type UrlVariables = CrmVariables & { readonly ATTACHMENT_ID?: string }

function valueOf(variables: Readonly<Record<string, string | undefined>>, name: string): string {
  return variables[name] ?? ''
}

/**
 * A template split at its variables: literal text at even indices, a variable's name at odd ones
 * (`'a {X} b'` → `['a ', 'X', ' b']`). Settings hold a few dozen templates and every request
 * evaluates several: each is split once (`compiled`), not matched with a regular expression per
 * request.
 */
type Parts = readonly string[]

/** Splits `text` at its `{NAME}`s; with `known`, only at the documented variables (`KNOWN_VARIABLES`). */
function splitTemplate(text: string, known: boolean): Parts {
  const parts: string[] = []
  let last = 0
  for (const match of text.matchAll(VARIABLE)) {
    const name = match[1] ?? ''
    if (known && !KNOWN_VARIABLES.has(name)) continue
    parts.push(text.slice(last, match.index), name)
    last = match.index + match[0].length
  }
  parts.push(text.slice(last))
  return parts
}

/** Compiled templates by text; emptied when full (settings rarely hold more than a few dozen). */
class TemplateCache<T> {
  private readonly map = new Map<string, T>()

  constructor(private readonly compile: (text: string) => T) {}

  get(text: string): T {
    let compiled = this.map.get(text)
    if (compiled === undefined) {
      if (this.map.size >= TEMPLATE_CACHE_SIZE) this.map.clear()
      compiled = this.compile(text)
      this.map.set(text, compiled)
    }
    return compiled
  }
}

const TEMPLATE_CACHE_SIZE = 2_000
const urlTemplates = new TemplateCache((text) => splitTemplate(text, false))

/** `parts` with the variables' values; `empty` is true when one of them had no value. */
function substituteParts(
  parts: Parts,
  variables: CrmVariables,
): { readonly text: string; readonly empty: boolean } {
  let empty = false
  let out = parts[0] ?? ''
  for (let i = 1; i < parts.length; i += 2) {
    const value = valueOf(variables, parts[i] ?? '')
    if (value === '') empty = true
    out += value + (parts[i + 1] ?? '')
  }
  return { text: out, empty }
}

/** Splits a function's argument text on commas outside parentheses, trimming each argument. */
export function splitArguments(text: string): string[] {
  const args: string[] = []
  let depth = 0
  let current = ''
  for (const char of text) {
    if (char === '(') depth += 1
    else if (char === ')') depth = Math.max(0, depth - 1)
    if (char === ',' && depth === 0) {
      args.push(current.trim())
      current = ''
    } else {
      current += char
    }
  }
  args.push(current.trim())
  return args
}

function isParameterFunction(name: string): name is ParameterFunction {
  return (PARAMETER_FUNCTIONS as readonly string[]).includes(name)
}

/**
 * The value a request parameter is sent with, or `undefined` when the parameter is dropped.
 * A plain value is literal text with `{VARIABLE}`s replaced; `=DEFAULT_VALUE(a, b)` is `a` unless
 * empty, else `b`; `=CONCAT_OR(a, b, c)` joins the non-empty arguments with ` or `, `=CONCAT_AND`
 * with ` and `. "If no values are returned from the function, the parameter is removed from the
 * parameters list in the request before execution" (seed 000, Request URL parameter functions).
 * Variables must already be in their final form (phone numbers formatted).
 *
 * @throws SimulatorError `invalid_config` when a value starting with `=` is not a call of one of
 *   the three functions (the settings schema rejects it in both modes).
 * @example
 * evaluateParameterValue('=CONCAT_OR((Id:equals:{ACCOUNT_ID}), (Email:equals:{EMAIL}))', {
 *   ACCOUNT_ID: '42', EMAIL: '',
 * }) // '(Id:equals:42)'
 */
export function evaluateParameterValue(value: string, variables: CrmVariables): string | undefined {
  const compiled = parameterValues.get(value)
  if (compiled.kind === 'text') {
    const { text } = substituteParts(compiled.parts, variables)
    return text === '' ? undefined : text
  }
  if (compiled.kind === 'invalid') {
    throw new SimulatorError(
      'invalid_config',
      `parameter value ${JSON.stringify(value)} is not a call of ${PARAMETER_FUNCTIONS.join(', ')}`,
    )
  }
  const values: string[] = []
  for (const arg of compiled.args) {
    const { text, empty } = substituteParts(arg, variables)
    // An argument that is empty or names a variable without a value is left out (seed 000,
    // CONCAT_OR example table).
    if (!empty && text !== '') values.push(text)
  }
  switch (compiled.name) {
    case 'DEFAULT_VALUE':
      return values[0]
    case 'CONCAT_OR':
      return values.length === 0 ? undefined : values.join(' or ')
    case 'CONCAT_AND':
      return values.length === 0 ? undefined : values.join(' and ')
  }
}

/** A parameter value, compiled: text with variables, a function call of arguments, or neither. */
type ParameterValue =
  | { readonly kind: 'text'; readonly parts: Parts }
  | { readonly kind: 'call'; readonly name: ParameterFunction; readonly args: readonly Parts[] }
  | { readonly kind: 'invalid' }

const parameterValues = new TemplateCache((value): ParameterValue => {
  if (!value.startsWith('=')) return { kind: 'text', parts: splitTemplate(value, true) }
  const match = FUNCTION_CALL.exec(value)
  const name = match?.[1] ?? ''
  if (match === null || !isParameterFunction(name)) return { kind: 'invalid' }
  const args = splitArguments(match[2] ?? '').map((arg) => splitTemplate(arg, true))
  return { kind: 'call', name, args }
})

/**
 * A URL template with its `{VARIABLE}`s replaced (endpoint Request URLs, the account and record
 * lookup URLs, the Display URL, the Attachment Builder URL; seed 000). Every substituted value is
 * percent-encoded with `encodeURIComponent`, in the path and in the query alike, so an id or phone
 * number can never add a path segment or a query parameter (`+1222…` → `%2B1222…`, `a/b` →
 * `a%2Fb`); the template's own text is kept as written. A variable without a value becomes the
 * empty string; callers that must not send such a URL (find by ID without `{ACCOUNT_ID}`) check
 * `missingUrlVariables` first.
 *
 * @example
 * substituteUrl('https://crm.example/contacts/{ACCOUNT_ID}', { ACCOUNT_ID: 'a b' })
 * // 'https://crm.example/contacts/a%20b'
 */
export function substituteUrl(template: string, variables: UrlVariables): string {
  const parts = urlTemplates.get(template)
  let out = parts[0] ?? ''
  for (let i = 1; i < parts.length; i += 2) {
    out += encodeURIComponent(valueOf(variables, parts[i] ?? '')) + (parts[i + 1] ?? '')
  }
  return out
}

/** The variables a URL template names that have no value in `variables`, in order of appearance. */
export function missingUrlVariables(template: string, variables: UrlVariables): readonly string[] {
  const parts = urlTemplates.get(template)
  // Every request asks, and almost every one has them all: no new empty list each time.
  let missing: string[] | undefined
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i] ?? ''
    if (valueOf(variables, name) === '') (missing ??= []).push(name)
  }
  return missing ?? NONE_MISSING
}

const NONE_MISSING: readonly string[] = Object.freeze([])
