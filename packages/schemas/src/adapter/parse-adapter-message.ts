import type { z } from 'zod'
import { checkPayload, type CheckMode } from '../check.js'
import { describeValue, type CheckIssue } from '../internal/issues.js'
import {
  ADAPTER_EVENT_SCHEMAS,
  ANY_ADAPTER_EVENT_SCHEMAS,
  ANY_ADAPTER_EVENT_TYPES,
  type AnyAdapterEvent,
  type AnyAdapterEventType,
} from './adapter-event.js'

export interface ParseAdapterMessageOptions {
  /** `tolerant` (default) for real traffic, `strict` for what a simulator emits. */
  readonly mode?: CheckMode
}

export type ParseAdapterMessageResult =
  | {
      readonly ok: true
      /** The catalog id of the event's contract: `adapter.New_Call`, `vta.Task_VA_Joined`, … */
      readonly contract: string
      readonly event: AnyAdapterEvent
      /** Tolerated oddities (unknown keys) in tolerant mode. */
      readonly notes: readonly CheckIssue[]
    }
  | {
      readonly ok: false
      /** Present once the `type` named a known event. */
      readonly contract?: string
      readonly issues: readonly CheckIssue[]
      readonly notes: readonly CheckIssue[]
    }

/** The catalog id of an adapter post event `type`: the `Task_VA_*` events belong to the `vta` family. */
export function adapterContractId(type: AnyAdapterEventType): string {
  return Object.hasOwn(ADAPTER_EVENT_SCHEMAS, type) ? `adapter.${type}` : `vta.${type}`
}

const KNOWN_TYPES = `one of ${ANY_ADAPTER_EVENT_TYPES.map((t) => JSON.stringify(t)).join(', ')}`

interface IssueParts {
  readonly path: string
  readonly code: string
  readonly expected: string
  readonly received: string
  readonly hint?: string
}

function issue({ path, code, expected, received, hint = '' }: IssueParts): CheckIssue {
  return {
    path,
    code,
    expected,
    received,
    message: `${path}: expected ${expected}, received ${received}${hint}`,
  }
}

function failure(issues: readonly CheckIssue[], contract?: string): ParseAdapterMessageResult {
  return contract === undefined
    ? { ok: false, issues, notes: [] }
    : { ok: false, contract, issues, notes: [] }
}

function isKnownType(type: string): type is AnyAdapterEventType {
  return Object.hasOwn(ANY_ADAPTER_EVENT_SCHEMAS, type)
}

/** Decodes `MessageEvent.data`: the adapter posts a JSON string; a structured-cloning host hands an object. */
function decode(data: unknown): { ok: true; value: unknown } | { ok: false; issue: CheckIssue } {
  if (typeof data !== 'string') return { ok: true, value: data }
  try {
    return { ok: true, value: JSON.parse(data) as unknown }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    return {
      ok: false,
      issue: issue({
        path: '$',
        code: 'invalid_json',
        expected: 'a JSON string',
        received: `${describeValue(data)} (${reason})`,
      }),
    }
  }
}

function parse(data: unknown, mode: CheckMode): ParseAdapterMessageResult {
  const decoded = decode(data)
  if (!decoded.ok) return failure([decoded.issue])
  const value = decoded.value
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return failure([
      issue({
        path: '$',
        code: 'invalid_type',
        expected: 'an adapter event object { "type": …, "data": … }',
        received: describeValue(value),
      }),
    ])
  }
  const type: unknown = (value as Record<string, unknown>)['type']
  if (typeof type !== 'string') {
    return failure([
      issue({
        path: 'type',
        code: 'invalid_type',
        expected: `a string, ${KNOWN_TYPES}`,
        received: describeValue(type),
      }),
    ])
  }
  if (!isKnownType(type)) {
    // The seed's own caption writes `New_chat` for `New_Chat`: point at case-only slips.
    const near = ANY_ADAPTER_EVENT_TYPES.find((t) => t.toLowerCase() === type.toLowerCase())
    const hint = near === undefined ? '' : ` (did you mean "${near}"? types are case-sensitive)`
    return failure([
      issue({
        path: 'type',
        code: 'invalid_value',
        expected: KNOWN_TYPES,
        received: describeValue(type),
        hint,
      }),
    ])
  }
  const contract = adapterContractId(type)
  const schema: z.ZodType = ANY_ADAPTER_EVENT_SCHEMAS[type]
  const checked = checkPayload(schema, value, { mode })
  if (!checked.ok) return { ok: false, contract, issues: checked.issues, notes: checked.notes }
  return { ok: true, contract, event: checked.value as AnyAdapterEvent, notes: checked.notes }
}

/**
 * Reads one agent adapter post event from `MessageEvent.data` — a JSON string as the adapter posts
 * it, or an already-parsed object — and checks it against the contract its `type` names. Never throws:
 * malformed JSON, an unknown `type` and schema violations all come back as issues with a path.
 *
 * @example
 * window.addEventListener('message', (e) => {
 *   const result = parseAdapterMessage(e.data)
 *   if (result.ok && result.event.type === 'CRM_Record_Pop') frame.src = result.event.data.recordUrl
 * })
 */
export function parseAdapterMessage(
  data: unknown,
  options: ParseAdapterMessageOptions = {},
): ParseAdapterMessageResult {
  const mode = options.mode ?? 'tolerant'
  try {
    return parse(data, mode)
  } catch (error) {
    // Only a hostile input (a throwing getter or proxy) gets here; the contract is "never throws".
    const reason = error instanceof Error ? error.message : String(error)
    return failure([
      issue({
        path: '$',
        code: 'unreadable',
        expected: 'a readable adapter event',
        received: `a value that threw (${reason})`,
      }),
    ])
  }
}
