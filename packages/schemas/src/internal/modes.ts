import { z } from 'zod'

/**
 * Schemas are written once, in their tolerant form, and the strict and probe forms are derived
 * from them. A sub-schema wrapped in `tolerantOnly()` is a documented alternate (an alternate key
 * spelling, an alternate value form): tolerant checking accepts it, strict checking does not.
 */
const tolerantOnlyMarks = new WeakSet<z.ZodType>()

export function tolerantOnly<TSchema extends z.ZodType>(schema: TSchema): TSchema {
  // Mark a copy: marking a shared schema (a primitive used elsewhere) would drop it everywhere.
  const copy = schema.clone()
  tolerantOnlyMarks.add(copy)
  return copy
}

export function isTolerantOnly(schema: z.ZodType): boolean {
  return tolerantOnlyMarks.has(schema)
}

export interface ModeOptions {
  /** Keep `tolerantOnly()` alternates (tolerant) or drop them (strict). */
  readonly alternates: boolean
  /** Whether objects accept keys their shape does not name. */
  readonly unknownKeys: 'reject' | 'allow'
}

export const STRICT: ModeOptions = { alternates: false, unknownKeys: 'reject' }
export const TOLERANT: ModeOptions = { alternates: true, unknownKeys: 'allow' }
/** Tolerant alternates but closed objects: its `unrecognized_keys` issues become tolerant notes. */
export const PROBE: ModeOptions = { alternates: true, unknownKeys: 'reject' }

const caches = new Map<ModeOptions, WeakMap<z.ZodType, z.ZodType>>([
  [STRICT, new WeakMap()],
  [TOLERANT, new WeakMap()],
  [PROBE, new WeakMap()],
])

type AnyDef = Record<string, unknown> & { type: string }

function defOf(schema: z.ZodType): AnyDef {
  return schema._zod.def as unknown as AnyDef
}

function cloneWith(schema: z.ZodType, patch: Record<string, unknown>): z.ZodType {
  const def = defOf(schema)
  return schema.clone({ ...def, ...patch } as never)
}

/** Derives the schema that checks `schema` under the given mode, deeply. */
export function inMode<TSchema extends z.ZodType>(schema: TSchema, mode: ModeOptions): TSchema {
  let cache = caches.get(mode)
  if (!cache) {
    cache = new WeakMap()
    caches.set(mode, cache)
  }
  const cached = cache.get(schema)
  if (cached) return cached as TSchema
  const converted = convert(schema, mode)
  cache.set(schema, converted)
  return converted as TSchema
}

function convert(schema: z.ZodType, mode: ModeOptions): z.ZodType {
  const def = defOf(schema)
  const sub = (s: unknown): z.ZodType => inMode(s as z.ZodType, mode)
  switch (def.type) {
    case 'object': {
      const shape = def['shape'] as Record<string, z.ZodType>
      const next: Record<string, z.ZodType> = {}
      for (const [key, value] of Object.entries(shape)) {
        if (!mode.alternates && isTolerantOnly(value)) continue
        next[key] = sub(value)
      }
      const catchall = mode.unknownKeys === 'reject' ? z.never() : z.unknown()
      return cloneWith(schema, { shape: next, catchall })
    }
    case 'union': {
      const options = (def['options'] as z.ZodType[])
        .filter((option) => mode.alternates || !isTolerantOnly(option))
        .map(sub)
      return cloneWith(schema, { options })
    }
    case 'array':
      return cloneWith(schema, { element: sub(def['element']) })
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'nonoptional':
    case 'readonly':
    case 'catch':
      return cloneWith(schema, { innerType: sub(def['innerType']) })
    case 'record':
      return cloneWith(schema, { keyType: sub(def['keyType']), valueType: sub(def['valueType']) })
    case 'tuple':
      return cloneWith(schema, {
        items: (def['items'] as z.ZodType[]).map(sub),
        rest: def['rest'] ? sub(def['rest']) : null,
      })
    case 'intersection':
      return cloneWith(schema, { left: sub(def['left']), right: sub(def['right']) })
    case 'pipe':
      return cloneWith(schema, { in: sub(def['in']), out: sub(def['out']) })
    case 'lazy': {
      const getter = def['getter'] as () => z.ZodType
      return z.lazy(() => sub(getter()))
    }
    default:
      return schema
  }
}

/**
 * A vocabulary the documents show only in part (status lists, session types, QM states — many pages
 * are readable only from their beginning): strict checking accepts the known values only, so what
 * the simulator emits stays within the documents, while tolerant checking lets real traffic carry
 * values we have not seen.
 */
export function openVocabulary<TEnum extends z.ZodEnum>(
  known: TEnum,
): z.ZodUnion<[TEnum, z.ZodString]> {
  return z.union([known, tolerantOnly(z.string())])
}
