import {
  acceptorFor,
  CATALOG,
  checkContract,
  contractsOfFamily,
  detectAccepted,
  detectContract,
  detectionSignature,
  type CheckIssue,
  type CheckMode,
  type Contract,
  type Detection,
} from '@ccai-sim/schemas'
import { distance } from '../cli/support.js'
import type { PayloadSource } from './read-payloads.js'

export interface PayloadVerdict {
  readonly location: string
  /** The contract checked against: given, detected, or the closest one. */
  readonly contract: string | undefined
  readonly ok: boolean
  /**
   * `given` (--contract), `detected`, `closest` (nothing matched; the nearest contract's issues),
   * `unknown-type` (the wire's type key names no contract; the issue names the nearest type) or
   * `unparsed`.
   */
  readonly how: 'given' | 'detected' | 'closest' | 'unknown-type' | 'unparsed'
  readonly issues: readonly CheckIssue[]
  readonly notes: readonly CheckIssue[]
}

export interface ValidationSummary {
  readonly total: number
  readonly passed: number
  readonly failed: number
  readonly notes: number
  readonly byContract: Readonly<Record<string, number>>
}

export interface ValidateOptions {
  readonly mode: CheckMode
  readonly contract?: Contract | undefined
  /**
   * The compiled accept path for clean payloads (default on). Off, every payload goes through the
   * full Zod check: the equivalence test compares the two.
   */
  readonly acceptPath?: boolean
}

/** Checks each payload against a given contract, or the one it is detected to be. */
export function validatePayloads(
  sources: readonly PayloadSource[],
  options: ValidateOptions,
): PayloadVerdict[] {
  return sources.map((source) => validatePayload(source, options))
}

/** Checks one payload against a given contract, or the one it is detected to be. */
export function validatePayload(source: PayloadSource, options: ValidateOptions): PayloadVerdict {
  if (source.kind === 'malformed') {
    const issue: CheckIssue = {
      path: '$',
      code: 'invalid_json',
      expected: 'well-formed JSON',
      received: source.error,
      message: `malformed JSON: ${source.error}`,
    }
    return {
      location: source.location,
      contract: undefined,
      ok: false,
      how: 'unparsed',
      issues: [issue],
      notes: [],
    }
  }
  const fast = acceptFast(source.value, options)
  if (fast) return { location: source.location, ...fast }
  if (options.contract) {
    const result = checkContract(options.contract, source.value, { mode: options.mode })
    return {
      location: source.location,
      contract: options.contract.id,
      ok: result.ok,
      how: 'given',
      issues: result.issues,
      notes: result.notes,
    }
  }
  const detection = detectContract(source.value, { mode: options.mode })
  // A payload that is some contract, failing only --strict, is reported as that contract.
  const someContract =
    detection !== undefined &&
    (detection.matched ||
      (options.mode === 'strict' &&
        checkContract(detection.contract, source.value, { mode: 'tolerant' }).ok))
  if (!someContract) {
    const bare = bareQmItem(source.value, options.mode)
    if (bare) return { location: source.location, ...bare }
    const unknown = unknownType(source.value, detection)
    if (unknown) return { location: source.location, ...unknown }
  }
  if (!detection) {
    const issue: CheckIssue = {
      path: '$',
      code: 'unknown_contract',
      expected: 'a payload of a catalog contract',
      received: 'nothing resembling one',
      message: 'no contract in the catalog resembles this payload',
    }
    return {
      location: source.location,
      contract: undefined,
      ok: false,
      how: 'closest',
      issues: [issue],
      notes: [],
    }
  }
  return {
    location: source.location,
    contract: detection.contract.id,
    ok: detection.result.ok,
    how: detection.matched ? 'detected' : 'closest',
    issues: detection.result.issues,
    notes: detection.result.notes,
  }
}

const NOTHING: readonly CheckIssue[] = Object.freeze([])

/** A key the wire uses to name a payload's type (`type`, `command`, `event`, `ujet.type`, …). */
interface TypeKey {
  readonly path: readonly string[]
  /** Each known value, with the contracts that pin it. */
  readonly values: ReadonlyMap<string, readonly string[]>
}

/** Keys pinned to fewer values than this are version or kind pins, not a family's type key. */
const TYPE_KEY_MIN_VALUES = 3
let typeKeys: readonly TypeKey[] | undefined

/** The catalog's type keys, from the detection signatures, those with the most types first. */
function catalogTypeKeys(): readonly TypeKey[] {
  if (typeKeys) return typeKeys
  const byPath = new Map<string, { path: readonly string[]; values: Map<string, string[]> }>()
  for (const contract of CATALOG) {
    for (const alternative of detectionSignature(contract.id).alternatives) {
      for (const literal of alternative.literals) {
        const name = literal.path.join('.')
        let entry = byPath.get(name)
        if (!entry) {
          entry = { path: literal.path, values: new Map() }
          byPath.set(name, entry)
        }
        for (const value of literal.values) {
          if (typeof value !== 'string') continue
          const ids = entry.values.get(value) ?? []
          if (!ids.includes(contract.id)) ids.push(contract.id)
          entry.values.set(value, ids)
        }
      }
    }
  }
  typeKeys = [...byPath.values()]
    .filter((entry) => entry.values.size >= TYPE_KEY_MIN_VALUES)
    .sort((a, b) => b.values.size - a.values.size)
  return typeKeys
}

function valueAt(value: unknown, path: readonly string[]): unknown {
  let current = value
  for (const key of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined
    if (!Object.hasOwn(current, key)) return undefined
    current = (current as Record<string, unknown>)[key]
  }
  return current
}

/** The known value nearest to `received`: fewest edits ignoring case, then catalog order. */
function nearestValue(received: string, values: Iterable<string>): string | undefined {
  const needle = received.toLowerCase()
  let best: { value: string; score: number } | undefined
  for (const value of values) {
    const score = distance(needle, value.toLowerCase())
    if (best === undefined || score < best.score) best = { value, score }
  }
  return best?.value
}

/**
 * A payload whose type key carries a value no contract has (`New_Chatt`, `Nope`): that is what is
 * wrong with it, not the fields of whichever contract shares most keys. Only when nothing matched,
 * and only when the closest contract (if any) pins that same key, so a free-form `type` of some
 * contract is not mistaken for a type key.
 */
function unknownType(
  value: unknown,
  detection: Detection | undefined,
): Omit<PayloadVerdict, 'location'> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
  const pinned = detection
    ? detectionSignature(detection.contract.id).alternatives.flatMap((alternative) =>
        alternative.literals.map((literal) => literal.path.join('.')),
      )
    : undefined
  for (const key of catalogTypeKeys()) {
    const received = valueAt(value, key.path)
    if (typeof received !== 'string') continue
    if (key.values.has(received)) return undefined
    const name = key.path.join('.')
    if (pinned && !pinned.includes(name)) continue
    const nearest = nearestValue(received, key.values.keys())
    const contracts = nearest === undefined ? [] : (key.values.get(nearest) ?? [])
    const hint =
      nearest === undefined
        ? ''
        : `; the nearest known ${name} is "${nearest}" (${contracts.join(', ')})`
    const issue: CheckIssue = {
      path: name,
      code: 'unknown_type',
      expected: nearest === undefined ? `a known ${name}` : `a known ${name}, nearest "${nearest}"`,
      received: `string ${JSON.stringify(received)}`,
      message: `${name}: unknown type ${JSON.stringify(received)}${hint}`,
    }
    return { contract: undefined, ok: false, how: 'unknown-type', issues: [issue], notes: NOTHING }
  }
  return undefined
}

/**
 * A QM event's `item` on its own, as the QM pages print their examples (seed 004): recognised as
 * the QM contract whose item it satisfies, with a note that the `{type, item}` envelope the
 * platform sends is missing. Tolerant checking accepts it with that note; strict checking (what
 * is sent on the wire) fails it.
 */
function bareQmItem(value: unknown, mode: CheckMode): Omit<PayloadVerdict, 'location'> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
  if (Object.hasOwn(value, 'item') || Object.hasOwn(value, 'type')) return undefined
  for (const contract of contractsOfFamily('qm')) {
    const type = detectionSignature(contract.id)
      .alternatives.flatMap((alternative) => alternative.literals)
      .find((literal) => literal.path.length === 1 && literal.path[0] === 'type')?.values[0]
    if (typeof type !== 'string') continue
    const result = checkContract(contract, { type, item: value }, { mode: 'tolerant' })
    if (!result.ok) continue
    const envelope: CheckIssue = {
      path: '$',
      code: 'missing_envelope',
      expected: `{ "type": "${type}", "item": { … } }`,
      received: 'the item alone',
      message: `a bare ${contract.id} item: the { "type": "${type}", "item": … } envelope the platform sends is missing`,
    }
    if (mode === 'strict')
      return {
        contract: contract.id,
        ok: false,
        how: 'detected',
        issues: [envelope],
        notes: NOTHING,
      }
    return {
      contract: contract.id,
      ok: true,
      how: 'detected',
      issues: NOTHING,
      notes: [envelope, ...result.notes],
    }
  }
  return undefined
}

/**
 * The accept path (issue 18): a clean payload is told valid by compiled checks (`acceptorFor`), with
 * no Zod parse; anything they do not accept goes the full way for its diagnostics. It answers only
 * where the full way would answer the same: the given contract, or the first candidate detection
 * would check (a pass there, with no notes, ends detection), passing in the mode asked for.
 */
function acceptFast(
  value: unknown,
  options: ValidateOptions,
): Omit<PayloadVerdict, 'location'> | undefined {
  const contract = acceptedContract(value, options)
  if (contract === undefined) return undefined
  return acceptedVerdict(contract, options)
}

/** The verdict on a payload the accept path passed as `contract`. */
export function acceptedVerdict(
  contract: string,
  options: ValidateOptions,
): Omit<PayloadVerdict, 'location'> {
  const how = options.contract ? 'given' : 'detected'
  return { contract, ok: true, how, issues: NOTHING, notes: NOTHING }
}

/**
 * The accept path alone: the id of the contract a clean payload passes, with no verdict built (a
 * stream of valid payloads is mostly this), or undefined when the full way must answer.
 */
export function acceptedContract(value: unknown, options: ValidateOptions): string | undefined {
  if (options.acceptPath === false) return undefined
  if (options.contract) {
    return acceptorFor(options.contract.schema, options.mode)(value)
      ? options.contract.id
      : undefined
  }
  // Detection settles on a contract tolerantly (the probe form: no unknown keys), then checks it
  // in the mode asked for.
  const found = detectAccepted(value, acceptsTolerantly)
  if (!found) return undefined
  if (options.mode === 'strict' && !acceptorFor(found.schema, 'strict')(value)) return undefined
  return found.id
}

const acceptsTolerantly = (contract: Contract, value: unknown): boolean =>
  acceptorFor(contract.schema, 'tolerant')(value)

/** Counts verdicts as they come, so a stream of any length is summarised in constant memory. */
export class SummaryCounter {
  private total = 0
  private passed = 0
  private notes = 0
  private readonly byContract = new Map<string, number>()

  add(verdict: PayloadVerdict): void {
    this.total += 1
    if (verdict.ok) this.passed += 1
    this.notes += verdict.notes.length
    const key = verdict.contract ?? '(none)'
    this.byContract.set(key, (this.byContract.get(key) ?? 0) + 1)
  }

  /** A payload the accept path passed as `contract` (no issues, no notes): no verdict needed. */
  pass(contract: string): void {
    this.total += 1
    this.passed += 1
    this.byContract.set(contract, (this.byContract.get(contract) ?? 0) + 1)
  }

  get count(): number {
    return this.total
  }

  summary(): ValidationSummary {
    return {
      total: this.total,
      passed: this.passed,
      failed: this.total - this.passed,
      notes: this.notes,
      byContract: Object.fromEntries(this.byContract),
    }
  }
}

export function summarize(verdicts: readonly PayloadVerdict[]): ValidationSummary {
  const counter = new SummaryCounter()
  for (const verdict of verdicts) counter.add(verdict)
  return counter.summary()
}
