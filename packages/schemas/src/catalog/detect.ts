import type { z } from 'zod'
import { checkPayload, type CheckMode, type CheckResult } from '../check.js'
import type { Contract, ContractFamily } from './contract.js'

/**
 * How a payload of a contract can be recognised without checking it, derived from the schema:
 * the keys it must carry (`required`, its shape) and the keys whose value the schema pins to
 * literals (`literals`, the wire's own type key: `type: "New_Call"`, `command`, `event`,
 * `ujet.type`, `header.type`, …). A union schema has one alternative per object option.
 */
export interface DetectionAlternative {
  /** Paths (one or two keys deep) and the values each may have. */
  readonly literals: readonly {
    readonly path: readonly string[]
    readonly values: readonly unknown[]
  }[]
  /** Top-level keys every payload of this shape has. */
  readonly required: readonly string[]
}

export interface DetectionSignature {
  readonly contract: Contract
  /** Empty when the contract is not an object (a storage path, …): such payloads are told by checking. */
  readonly alternatives: readonly DetectionAlternative[]
}

export interface Detection {
  /** The contract the payload satisfies, or the closest one when it satisfies none. */
  readonly contract: Contract
  /** True when the payload passed checking against `contract` (in the mode asked for). */
  readonly matched: boolean
  readonly result: CheckResult
}

export interface DetectOptions {
  readonly mode?: CheckMode
  readonly families?: readonly ContractFamily[]
}

type AnyDef = { type: string } & Record<string, unknown>

const defOf = (schema: z.ZodType): AnyDef => schema._zod.def as unknown as AnyDef

/** Looks through wrappers that do not change what a present value must look like. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema
  for (;;) {
    const def = defOf(current)
    if (
      def.type === 'readonly' ||
      def.type === 'nonoptional' ||
      def.type === 'catch' ||
      def.type === 'default' ||
      def.type === 'prefault'
    )
      current = def['innerType'] as z.ZodType
    else if (def.type === 'pipe') current = def['in'] as z.ZodType
    else if (def.type === 'lazy') current = (def['getter'] as () => z.ZodType)()
    else return current
  }
}

const isRequired = (schema: z.ZodType): boolean => schema._zod.optin !== 'optional'

/** The values a schema pins a key to (a literal, or a union of literals), or undefined. */
function literalValues(schema: z.ZodType): readonly unknown[] | undefined {
  const inner = unwrap(schema)
  const def = defOf(inner)
  if (def.type === 'literal') return def['values'] as readonly unknown[]
  if (def.type === 'union') {
    const values: unknown[] = []
    for (const option of def['options'] as z.ZodType[]) {
      const found = literalValues(option)
      if (!found) return undefined
      values.push(...found)
    }
    return values
  }
  return undefined
}

function shapeOf(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  const def = defOf(unwrap(schema))
  return def.type === 'object' ? (def['shape'] as Record<string, z.ZodType>) : undefined
}

function objectAlternative(shape: Record<string, z.ZodType>): DetectionAlternative {
  const literals: { path: string[]; values: readonly unknown[] }[] = []
  const required: string[] = []
  for (const [key, value] of Object.entries(shape)) {
    if (!isRequired(value)) continue
    required.push(key)
    const values = literalValues(value)
    if (values) {
      literals.push({ path: [key], values })
      continue
    }
    // One level down: `{ ujet: { type: "text" } }`, `{ header: { type: "cti.query", name } }`.
    const inner = shapeOf(value)
    if (!inner) continue
    for (const [innerKey, innerValue] of Object.entries(inner)) {
      if (!isRequired(innerValue)) continue
      const innerValues = literalValues(innerValue)
      if (innerValues) literals.push({ path: [key, innerKey], values: innerValues })
    }
  }
  return { literals, required }
}

function alternativesOf(schema: z.ZodType): DetectionAlternative[] {
  const inner = unwrap(schema)
  const def = defOf(inner)
  if (def.type === 'object') return [objectAlternative(def['shape'] as Record<string, z.ZodType>)]
  if (def.type === 'union')
    return (def['options'] as z.ZodType[]).flatMap((option) => alternativesOf(option))
  return []
}

interface Candidate {
  readonly contract: Contract
  /** How many keys its shape pins to literals. */
  readonly tier: number
}

interface Indexed {
  readonly contract: Contract
  readonly order: number
  readonly alternative: DetectionAlternative
  /** The candidate list when this shape is the only one a payload fits (most payloads). */
  readonly alone: readonly Contract[]
}

function valueAt(record: Record<string, unknown>, path: readonly string[]): unknown {
  let current: unknown = record
  for (const key of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined
    if (!Object.hasOwn(current, key)) return undefined
    current = (current as Record<string, unknown>)[key]
  }
  return current
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

function fits(alternative: DetectionAlternative, record: Record<string, unknown>): boolean {
  for (const key of alternative.required) if (!Object.hasOwn(record, key)) return false
  for (const literal of alternative.literals) {
    if (!literal.values.includes(valueAt(record, literal.path))) return false
  }
  return true
}

function rank(result: CheckResult): number {
  return result.ok ? result.notes.length : 1000 + result.issues.length
}

/** How many candidates `closest` checks when nothing has the shape of any contract. */
const CLOSEST_TRIES = 3

/**
 * Tells a payload's contract from its discriminating fields: an index from each pinned key's value
 * (`type`, `command`, `event`, `ujet.type`, …) to the shapes that pin it, plus the shapes that pin
 * nothing (`metadata.call` has `call_uuid`, `session_type`, …; `transcript.chat` has `comm_type`,
 * `entries`, …). Only the candidates whose shape fits are checked, most specific first, and the
 * first that passes wins, so a valid payload costs one check. Only a payload that fits no contract
 * pays for more: its closest contracts by shared keys are checked for the report.
 */
export class ContractDetector {
  private readonly byPath = new Map<
    string,
    { path: readonly string[]; byValue: Map<unknown, Indexed[]> }
  >()
  /** `byPath`'s entries, walked per payload. */
  private readonly paths: readonly { path: readonly string[]; byValue: Map<unknown, Indexed[]> }[]
  private readonly shapeOnly: Indexed[] = []
  private readonly nonObject: Contract[] = []
  private readonly keysOf = new Map<Contract, ReadonlySet<string>>()
  readonly signatures: ReadonlyMap<string, DetectionSignature>

  constructor(private readonly contracts: readonly Contract[]) {
    const signatures = new Map<string, DetectionSignature>()
    contracts.forEach((contract, order) => {
      const alternatives = alternativesOf(contract.schema)
      signatures.set(contract.id, { contract, alternatives })
      if (alternatives.length === 0) this.nonObject.push(contract)
      const keys = new Set<string>()
      for (const option of [contract.schema, ...unionOptions(contract.schema)]) {
        for (const key of Object.keys(shapeOf(option) ?? {})) keys.add(key)
      }
      this.keysOf.set(contract, keys)
      for (const alternative of alternatives) {
        const indexed: Indexed = {
          contract,
          order,
          alternative,
          alone: Object.freeze([contract]),
        }
        const first = alternative.literals[0]
        if (!first) {
          // A shape that requires nothing fits everything: it is only ever a closest match.
          if (alternative.required.length > 0) this.shapeOnly.push(indexed)
          continue
        }
        const name = first.path.join('.')
        let entry = this.byPath.get(name)
        if (!entry) {
          entry = { path: first.path, byValue: new Map() }
          this.byPath.set(name, entry)
        }
        for (const value of first.values) {
          const list = entry.byValue.get(value) ?? []
          list.push(indexed)
          entry.byValue.set(value, list)
        }
      }
    })
    this.signatures = signatures
    this.paths = [...this.byPath.values()]
  }

  /** The contracts whose shape and pinned values this payload has, most specific first. */
  candidates(value: unknown, families?: readonly ContractFamily[]): readonly Contract[] {
    if (families === undefined && isRecord(value)) {
      // The common case costs no ranking: one shape fits.
      const found = this.fitting(value)
      if (found.length === 1) return found[0]?.alone ?? []
      return this.rank(found, value, undefined).map((candidate) => candidate.contract)
    }
    return this.ranked(value, families).map((candidate) => candidate.contract)
  }

  /**
   * The contract `detect` settles on, told without checking when `accepts` says yes (a one-sided
   * yes: "passes with no notes", such as a compiled acceptor), or undefined when only checking can
   * tell. The candidates are asked in detect's order while they are as specific as the first: a
   * clean pass there is what detect picks, whatever the ones before it did; past that tier an
   * earlier pass with notes would have won.
   */
  accepted(
    value: unknown,
    accepts: (contract: Contract, value: unknown) => boolean,
  ): Contract | undefined {
    if (isRecord(value)) {
      // Shapes that pin a type key outrank every shape that pins none: when one fits, the others
      // are never the first tier, and are not looked for.
      let found = this.fitting(value, false)
      if (found.length === 0) found = this.fitting(value, true)
      if (found.length === 1) {
        const only = found[0]?.contract
        return only && accepts(only, value) ? only : undefined
      }
      return firstAccepted(this.rank(found, value, undefined), value, accepts)
    }
    return firstAccepted(this.ranked(value, undefined), value, accepts)
  }

  /** The shapes a record fits: the type keys' values looked up, then the shapes that pin nothing. */
  private fitting(record: Record<string, unknown>, shapeOnly?: boolean): Indexed[] {
    const found: Indexed[] = []
    if (shapeOnly !== true) {
      for (const { path, byValue } of this.paths) {
        const list = byValue.get(path.length === 1 ? record[path[0] ?? ''] : valueAt(record, path))
        if (!list) continue
        for (const indexed of list) if (fits(indexed.alternative, record)) found.push(indexed)
      }
    }
    if (shapeOnly !== false)
      for (const indexed of this.shapeOnly)
        if (fits(indexed.alternative, record)) found.push(indexed)
    return found
  }

  /**
   * Most pinned keys first; within as many pinned keys, the fewest of the payload's keys the shape
   * does not know (tolerant notes), then the most required keys, then catalog order.
   */
  private ranked(value: unknown, families: readonly ContractFamily[] | undefined): Candidate[] {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return this.nonObject
        .filter((c) => !families || families.includes(c.family))
        .map((contract) => ({ contract, tier: 0 }))
    }
    return this.rank(this.fitting(value as Record<string, unknown>), value, families)
  }

  private rank(
    found: readonly Indexed[],
    record: object,
    families: readonly ContractFamily[] | undefined,
  ): Candidate[] {
    if (found.length === 0) return []
    const keys = Object.keys(record)
    const scored = found
      .filter((indexed) => !families || families.includes(indexed.contract.family))
      .map((indexed) => {
        const known = this.keysOf.get(indexed.contract)
        let unknown = 0
        for (const key of keys) if (!known?.has(key)) unknown += 1
        return { indexed, unknown }
      })
    if (scored.length > 1) {
      scored.sort(
        (a, b) =>
          b.indexed.alternative.literals.length - a.indexed.alternative.literals.length ||
          a.unknown - b.unknown ||
          b.indexed.alternative.required.length - a.indexed.alternative.required.length ||
          a.indexed.order - b.indexed.order,
      )
    }
    const out: Candidate[] = []
    for (const { indexed } of scored) {
      if (out.some((candidate) => candidate.contract === indexed.contract)) continue
      out.push({ contract: indexed.contract, tier: indexed.alternative.literals.length })
    }
    return out
  }

  detect(value: unknown, options: DetectOptions = {}): Detection | undefined {
    const candidates = this.ranked(value, options.families)
    let passed: Detection | undefined
    let passedTier = 0
    let best: Detection | undefined
    let bestRank = Number.POSITIVE_INFINITY
    for (const { contract, tier } of candidates) {
      // A pass ends the search, unless it carries notes: then a contract as specific that knows
      // every key may follow.
      if (passed && (passed.result.notes.length === 0 || tier < passedTier)) break
      const result = checkPayload(contract.schema, value, { mode: 'tolerant' })
      if (result.ok) {
        if (!passed || result.notes.length < passed.result.notes.length) {
          passed = { contract, matched: true, result }
          passedTier = tier
        }
        continue
      }
      const r = rank(result)
      if (r < bestRank) {
        bestRank = r
        best = { contract, matched: false, result }
      }
    }
    if (passed) return this.inMode(passed, value, options.mode)
    best ??= this.closest(value, options.families)
    return best ? this.inMode(best, value, options.mode) : undefined
  }

  private inMode(found: Detection, value: unknown, mode: CheckMode | undefined): Detection {
    if (mode !== 'strict') return found
    const strict = checkPayload(found.contract.schema, value, { mode: 'strict' })
    return { contract: found.contract, matched: strict.ok, result: strict }
  }

  /** Nothing fits: the contracts sharing the most keys with the payload, checked for the report. */
  private closest(value: unknown, families?: readonly ContractFamily[]): Detection | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
    const keys = Object.keys(value)
    const scored = this.contracts
      .filter((c) => c.transport !== 'configuration' && (!families || families.includes(c.family)))
      .map((contract, order) => {
        const known = this.keysOf.get(contract) ?? new Set()
        return { contract, order, shared: keys.filter((key) => known.has(key)).length }
      })
      .filter((entry) => entry.shared > 0)
      .sort((a, b) => b.shared - a.shared || a.order - b.order)
      .slice(0, CLOSEST_TRIES)
    let best: Detection | undefined
    let bestRank = Number.POSITIVE_INFINITY
    for (const { contract } of scored) {
      const result = checkPayload(contract.schema, value, { mode: 'tolerant' })
      const r = rank(result)
      if (r < bestRank) {
        bestRank = r
        best = { contract, matched: result.ok, result }
      }
    }
    return best
  }
}

function firstAccepted(
  ranked: readonly Candidate[],
  value: unknown,
  accepts: (contract: Contract, value: unknown) => boolean,
): Contract | undefined {
  const tier = ranked[0]?.tier
  for (const candidate of ranked) {
    if (candidate.tier !== tier) return undefined
    if (accepts(candidate.contract, value)) return candidate.contract
  }
  return undefined
}

function unionOptions(schema: z.ZodType): z.ZodType[] {
  const def = defOf(unwrap(schema))
  return def.type === 'union' ? (def['options'] as z.ZodType[]) : []
}
