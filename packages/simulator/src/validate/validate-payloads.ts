import {
  acceptorFor,
  checkContract,
  contractCandidates,
  detectContract,
  type CheckIssue,
  type CheckMode,
  type Contract,
} from '@ccai-sim/schemas'
import type { PayloadSource } from './read-payloads.js'

export interface PayloadVerdict {
  readonly location: string
  /** The contract checked against: given, detected, or the closest one. */
  readonly contract: string | undefined
  readonly ok: boolean
  /** `given` (--contract), `detected`, `closest` (nothing matched; the nearest contract's issues) or `unparsed`. */
  readonly how: 'given' | 'detected' | 'closest' | 'unparsed'
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
  const fast = options.acceptPath === false ? undefined : acceptFast(source.value, options)
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
  if (options.contract) {
    if (!acceptorFor(options.contract.schema, options.mode)(value)) return undefined
    return {
      contract: options.contract.id,
      ok: true,
      how: 'given',
      issues: NOTHING,
      notes: NOTHING,
    }
  }
  const first = contractCandidates(value)[0]
  if (!first) return undefined
  // Detection settles on a contract tolerantly (the probe form: no unknown keys), then checks it
  // in the mode asked for.
  if (!acceptorFor(first.schema, 'tolerant')(value)) return undefined
  if (options.mode === 'strict' && !acceptorFor(first.schema, 'strict')(value)) return undefined
  return { contract: first.id, ok: true, how: 'detected', issues: NOTHING, notes: NOTHING }
}

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
