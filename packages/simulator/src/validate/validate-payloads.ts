import {
  checkContract,
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

/** Checks each payload against a given contract, or the one it is detected to be. */
export function validatePayloads(
  sources: readonly PayloadSource[],
  options: { readonly mode: CheckMode; readonly contract?: Contract | undefined },
): PayloadVerdict[] {
  return sources.map((source): PayloadVerdict => {
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
  })
}

export function summarize(verdicts: readonly PayloadVerdict[]): ValidationSummary {
  const byContract: Record<string, number> = {}
  let passed = 0
  let notes = 0
  for (const verdict of verdicts) {
    if (verdict.ok) passed += 1
    notes += verdict.notes.length
    const key = verdict.contract ?? '(none)'
    byContract[key] = (byContract[key] ?? 0) + 1
  }
  return { total: verdicts.length, passed, failed: verdicts.length - passed, notes, byContract }
}
