import type { z } from 'zod'
import type { CheckMode } from './check.js'
import { inMode, PROBE, STRICT } from './internal/modes.js'

/**
 * A compiled yes/no check that answers "valid, with nothing to report" without running Zod: the
 * fast accept path of `ccai-sim validate` (issue 18). It is built from the same schema tree Zod
 * checks (the probe form for `tolerant`, so an unknown key is a "no": tolerant checking would
 * report it as a note; the strict form for `strict`), reading each node's definition once.
 *
 * The contract is one-sided: `true` means `checkPayload(schema, value, { mode })` is ok with no
 * notes; `false` means only "ask Zod" (the caller then runs the full check for the diagnostics).
 * Nodes whose meaning this compiler does not reproduce exactly (refinements, URLs and other string
 * formats that are more than a pattern, exclusive unions, enum-keyed records, coercion, pipes, …)
 * are handed to Zod itself, so the answer never drifts from Zod's. Discriminated unions and open
 * records are compiled: on a mixed capture they were most of the payloads Zod still parsed.
 */
export type Acceptor = (value: unknown) => boolean

type AnyDef = Record<string, unknown> & { type: string; checks?: readonly z.ZodType[] }

const defOf = (schema: z.ZodType): AnyDef => schema._zod.def as unknown as AnyDef

const caches: Record<CheckMode, WeakMap<z.ZodType, Acceptor>> = {
  strict: new WeakMap(),
  tolerant: new WeakMap(),
}

/** The acceptor of `schema` in `mode`, compiled on first use and kept with the schema. */
export function acceptorFor(schema: z.ZodType, mode: CheckMode): Acceptor {
  const cache = caches[mode]
  let acceptor = cache.get(schema)
  if (!acceptor) {
    acceptor = compile(inMode(schema, mode === 'strict' ? STRICT : PROBE), new Map())
    cache.set(schema, acceptor)
  }
  return acceptor
}

/** Zod answers for this node: exact by construction, used where compiling would guess. */
function viaZod(schema: z.ZodType): Acceptor {
  return (value) => schema.safeParse(value).success
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Checks on a number or a length, as Zod's check definitions state them; undefined if unknown. */
function boundChecks(
  checks: readonly z.ZodType[],
  measure: 'value' | 'length',
): ((value: number) => boolean)[] | undefined {
  const out: ((value: number) => boolean)[] = []
  for (const check of checks) {
    const def = check._zod.def as unknown as Record<string, unknown>
    const kind = def['check']
    if (measure === 'value' && (kind === 'greater_than' || kind === 'less_than')) {
      const bound = def['value']
      if (typeof bound !== 'number') return undefined
      const inclusive = def['inclusive'] === true
      if (kind === 'greater_than') out.push(inclusive ? (v) => v >= bound : (v) => v > bound)
      else out.push(inclusive ? (v) => v <= bound : (v) => v < bound)
    } else if (measure === 'length' && kind === 'min_length') {
      const minimum = def['minimum']
      if (typeof minimum !== 'number') return undefined
      out.push((v) => v >= minimum)
    } else if (measure === 'length' && kind === 'max_length') {
      const maximum = def['maximum']
      if (typeof maximum !== 'number') return undefined
      out.push((v) => v <= maximum)
    } else return undefined
  }
  return out
}

function all(tests: readonly ((value: number) => boolean)[], value: number): boolean {
  for (const test of tests) if (!test(value)) return false
  return true
}

/** String formats whose whole check, in Zod, is testing `def.pattern` (URL parses: not here). */
const PATTERN_FORMATS = new Set(['email', 'guid', 'datetime', 'date', 'time'])

function compileString(schema: z.ZodType, def: AnyDef): Acceptor {
  if (def['coerce'] === true) return viaZod(schema)
  const lengths: ((value: number) => boolean)[] = []
  const patterns: RegExp[] = []
  const format = def['format']
  if (format !== undefined) {
    const pattern = def['pattern']
    if (typeof format !== 'string' || !PATTERN_FORMATS.has(format) || !(pattern instanceof RegExp))
      return viaZod(schema)
    patterns.push(pattern)
  }
  for (const check of def.checks ?? []) {
    const checkDef = check._zod.def as unknown as Record<string, unknown>
    if (checkDef['check'] === 'string_format' && checkDef['format'] === 'regex') {
      const pattern = checkDef['pattern']
      if (!(pattern instanceof RegExp)) return viaZod(schema)
      patterns.push(pattern)
      continue
    }
    const bounds = boundChecks([check], 'length')
    if (!bounds) return viaZod(schema)
    lengths.push(...bounds)
  }
  return (value) => {
    if (typeof value !== 'string') return false
    if (lengths.length > 0 && !all(lengths, value.length)) return false
    for (const pattern of patterns) {
      // Zod resets lastIndex too: a global pattern must not carry state between payloads.
      pattern.lastIndex = 0
      if (!pattern.test(value)) return false
    }
    return true
  }
}

function compileNumber(schema: z.ZodType, def: AnyDef): Acceptor {
  if (def['coerce'] === true) return viaZod(schema)
  const format = def['format']
  if (format !== undefined && format !== 'safeint') return viaZod(schema)
  const bounds = boundChecks(def.checks ?? [], 'value')
  if (!bounds) return viaZod(schema)
  const integer = format === 'safeint'
  return (value) =>
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!integer || Number.isSafeInteger(value)) &&
    (bounds.length === 0 || all(bounds, value))
}

interface Property {
  readonly key: string
  readonly accept: Acceptor
  /** What an absent key means, as Zod's object decides it from the property's optin/optout. */
  readonly absent: 'ok' | 'missing' | 'run'
}

function compileObject(schema: z.ZodType, def: AnyDef, seen: Map<z.ZodType, Acceptor>): Acceptor {
  const shape = def['shape'] as Record<string, z.ZodType>
  const properties: Property[] = []
  for (const key of Object.keys(shape)) {
    if (key === '__proto__') return viaZod(schema)
    const property = shape[key]
    if (!property) continue
    const { optin, optout } = property._zod
    properties.push({
      key,
      accept: compile(property, seen),
      absent: optin === undefined ? 'missing' : optout === 'optional' ? 'ok' : 'run',
    })
  }
  const catchall = def['catchall'] as z.ZodType | undefined
  const catchallType = catchall ? defOf(catchall).type : undefined
  // No catchall strips unknown keys; `unknown` lets them through; `never` rejects them. Other
  // catchall schemas check each unknown key's value: Zod decides.
  if (catchallType !== undefined && catchallType !== 'never' && catchallType !== 'unknown')
    return viaZod(schema)
  const closed = catchallType === 'never'
  const known = new Set(properties.map((property) => property.key))
  return (value) => {
    if (!isRecord(value)) return false
    for (const property of properties) {
      // `in`, as Zod's object does: it decides presence the same way.
      if (!(property.key in value)) {
        if (property.absent === 'missing') return false
        if (property.absent === 'ok') continue
      }
      if (!property.accept(value[property.key])) return false
    }
    if (closed) for (const key in value) if (!known.has(key)) return false
    return true
  }
}

/**
 * A discriminated union, as Zod parses it: the option the discriminator's value names, and only
 * that one. A value naming no option (or `undefined`, or a fallback union) is a "no": Zod decides.
 */
function compileDiscriminated(
  schema: z.ZodType,
  def: AnyDef,
  seen: Map<z.ZodType, Acceptor>,
): Acceptor {
  const discriminator = def['discriminator']
  if (typeof discriminator !== 'string' || def['unionFallback'] === true) return viaZod(schema)
  const byValue = new Map<unknown, Acceptor>()
  const taken = new Set<unknown>()
  for (const option of def['options'] as z.ZodType[]) {
    const values = option._zod.propValues?.[discriminator]
    if (!values || values.size === 0) return viaZod(schema)
    for (const value of values) {
      // Zod throws on a repeated value: leave such a union to it.
      if (taken.has(value)) return viaZod(schema)
      taken.add(value)
      if (value !== undefined) byValue.set(value, compile(option, seen))
    }
  }
  return (value) => {
    if (!isRecord(value)) return false
    const option = byValue.get(value[discriminator])
    return option !== undefined && option(value)
  }
}

/**
 * A record with an open key set (`z.record(z.string(), …)`): every own key and its value checked.
 * Exhaustive (enum-keyed) records, and keys Zod would retry as numbers, are left to Zod.
 */
function compileRecord(schema: z.ZodType, def: AnyDef, seen: Map<z.ZodType, Acceptor>): Acceptor {
  const keyType = def['keyType'] as z.ZodType
  if (keyType._zod.values !== undefined) return viaZod(schema)
  const key = compile(keyType, seen)
  const item = compile(def['valueType'] as z.ZodType, seen)
  return (value) => {
    // Zod asks for a plain object: JSON.parse makes only these, anything else goes to Zod.
    if (!isRecord(value) || Object.getPrototypeOf(value) !== Object.prototype) return false
    for (const name in value) {
      if (name === '__proto__' || !key(name) || !item(value[name])) return false
    }
    return true
  }
}

function compileNode(schema: z.ZodType, seen: Map<z.ZodType, Acceptor>): Acceptor {
  const def = defOf(schema)
  const traits = schema._zod.traits
  const checks = def.checks ?? []
  switch (def.type) {
    case 'string':
      return compileString(schema, def)
    case 'number':
      return compileNumber(schema, def)
    case 'boolean':
      if (def['coerce'] === true || checks.length > 0) return viaZod(schema)
      return (value) => typeof value === 'boolean'
    case 'null':
      return (value) => value === null
    case 'unknown':
    case 'any':
      return checks.length > 0 ? viaZod(schema) : () => true
    case 'never':
      return () => false
    case 'literal': {
      const values = new Set(def['values'] as readonly unknown[])
      return (value) => values.has(value)
    }
    case 'enum': {
      if (checks.length > 0) return viaZod(schema)
      const values = new Set(Object.values(def['entries'] as Record<string, unknown>))
      return (value) => values.has(value)
    }
    case 'optional': {
      if (checks.length > 0) return viaZod(schema)
      const inner = compile(def['innerType'] as z.ZodType, seen)
      return (value) => value === undefined || inner(value)
    }
    case 'nullable': {
      if (checks.length > 0) return viaZod(schema)
      const inner = compile(def['innerType'] as z.ZodType, seen)
      return (value) => value === null || inner(value)
    }
    case 'readonly': {
      if (checks.length > 0) return viaZod(schema)
      return compile(def['innerType'] as z.ZodType, seen)
    }
    case 'object':
      if (checks.length > 0) return viaZod(schema)
      return compileObject(schema, def, seen)
    case 'array': {
      const lengths = boundChecks(checks, 'length')
      if (!lengths) return viaZod(schema)
      const element = compile(def['element'] as z.ZodType, seen)
      return (value) => {
        if (!Array.isArray(value)) return false
        if (lengths.length > 0 && !all(lengths, value.length)) return false
        for (const item of value) if (!element(item)) return false
        return true
      }
    }
    case 'union': {
      if (checks.length === 0 && traits.has('$ZodDiscriminatedUnion'))
        return compileDiscriminated(schema, def, seen)
      if (
        checks.length > 0 ||
        traits.has('$ZodDiscriminatedUnion') ||
        traits.has('$ZodXor') ||
        def['inclusive'] === false
      )
        return viaZod(schema)
      const options = (def['options'] as z.ZodType[]).map((option) => compile(option, seen))
      return (value) => {
        for (const option of options) if (option(value)) return true
        return false
      }
    }
    case 'record':
      if (checks.length > 0) return viaZod(schema)
      return compileRecord(schema, def, seen)
    case 'lazy': {
      const getter = def['getter'] as () => z.ZodType
      let inner: Acceptor | undefined
      return (value) => {
        inner ??= compile(getter(), seen)
        return inner(value)
      }
    }
    default:
      return viaZod(schema)
  }
}

/** Compiles a node once; a recursive schema meets its own acceptor through `seen`. */
function compile(schema: z.ZodType, seen: Map<z.ZodType, Acceptor>): Acceptor {
  const done = seen.get(schema)
  if (done) return done
  // A node met again while it compiles (recursion) answers through the finished acceptor.
  const slot: { compiled?: Acceptor } = {}
  seen.set(schema, (value) => (slot.compiled ?? viaZod(schema))(value))
  const compiled = compileNode(schema, seen)
  slot.compiled = compiled
  seen.set(schema, compiled)
  return compiled
}
