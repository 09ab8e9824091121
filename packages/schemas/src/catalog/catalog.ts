import type { z } from 'zod'
import { checkPayload, type CheckMode, type CheckResult } from '../check.js'
import { SchemasError } from '../internal/errors.js'
import type { Contract, ContractDefinition, ContractFamily } from './contract.js'
import { GOLDEN_EXAMPLES } from './golden.js'
import { ADAPTER_CONTRACTS } from '../adapter/index.js'
import { VTA_CONTRACTS } from '../vta/index.js'
import { QM_CONTRACTS } from '../qm/index.js'
import { METADATA_CONTRACTS } from '../metadata/index.js'
import { TRANSCRIPT_CONTRACTS } from '../transcript/index.js'
import { CRM_CONTRACTS } from '../crm/index.js'
import { STORAGE_CONTRACTS } from '../storage/index.js'
import { EMAIL_CONTRACTS } from '../email/index.js'
import { APPS_API_CONTRACTS } from '../apps-api/index.js'
import { HARMONY_CONTRACTS } from '../harmony/index.js'
import { EXPERTFLOW_CONTRACTS } from '../expertflow/index.js'
import { COMMON_CONTRACTS } from '../common/index.js'

const DEFINITIONS: readonly ContractDefinition[] = [
  ...ADAPTER_CONTRACTS,
  ...VTA_CONTRACTS,
  ...QM_CONTRACTS,
  ...METADATA_CONTRACTS,
  ...TRANSCRIPT_CONTRACTS,
  ...CRM_CONTRACTS,
  ...STORAGE_CONTRACTS,
  ...EMAIL_CONTRACTS,
  ...APPS_API_CONTRACTS,
  ...HARMONY_CONTRACTS,
  ...EXPERTFLOW_CONTRACTS,
  ...COMMON_CONTRACTS,
]

function assemble(): ReadonlyMap<string, Contract> {
  const byId = new Map<string, Contract>()
  for (const definition of DEFINITIONS) {
    if (byId.has(definition.id)) {
      throw new SchemasError(
        'DUPLICATE_CONTRACT',
        `contract id "${definition.id}" is defined twice`,
      )
    }
    const examples = GOLDEN_EXAMPLES.filter((example) => example.contract === definition.id)
    byId.set(definition.id, { ...definition, examples })
  }
  return byId
}

const BY_ID = assemble()

/** Every contract the platform exchanges, in catalog order. A contract not listed here does not exist. */
export const CATALOG: readonly Contract[] = [...BY_ID.values()]

/** Finds a contract by id; throws `UNKNOWN_CONTRACT` naming the closest ids when there is none. */
export function getContract(id: string): Contract {
  const found = BY_ID.get(id)
  if (found) return found
  const needle = id.toLowerCase()
  const near = CATALOG.filter((c) => c.id.toLowerCase().includes(needle.split('.').pop() ?? needle))
    .slice(0, 5)
    .map((c) => c.id)
  const hint =
    near.length > 0 ? `; did you mean ${near.join(', ')}?` : '; `ccai-sim catalog` lists them'
  throw new SchemasError('UNKNOWN_CONTRACT', `no contract with id "${id}"${hint}`)
}

export function findContract(id: string): Contract | undefined {
  return BY_ID.get(id)
}

export function contractsOfFamily(family: ContractFamily): readonly Contract[] {
  return CATALOG.filter((c) => c.family === family)
}

/** Checks a payload against a catalog contract by id or entry. */
export function checkContract(
  contract: string | Contract,
  value: unknown,
  options: { readonly mode?: CheckMode } = {},
): CheckResult {
  const entry = typeof contract === 'string' ? getContract(contract) : contract
  return checkPayload(entry.schema, value, options)
}

type Signature = ReadonlyMap<string, readonly unknown[]>

/** The keys whose value the schema pins to literals (`type: "New_Call"`): a payload's fingerprint. */
function signatureOf(schema: z.ZodType): Signature {
  const def = schema._zod.def as unknown as { type: string; shape?: Record<string, z.ZodType> }
  const out = new Map<string, readonly unknown[]>()
  if (def.type !== 'object' || !def.shape) return out
  for (const [key, value] of Object.entries(def.shape)) {
    const inner = value._zod.def as unknown as { type: string; values?: readonly unknown[] }
    if (inner.type === 'literal' && inner.values) out.set(key, inner.values)
  }
  return out
}

const SIGNATURES = new Map<string, Signature>(CATALOG.map((c) => [c.id, signatureOf(c.schema)]))

function matchesSignature(signature: Signature, value: unknown): boolean {
  if (signature.size === 0 || typeof value !== 'object' || value === null) return false
  const record = value as Record<string, unknown>
  for (const [key, allowed] of signature) {
    if (!allowed.includes(record[key])) return false
  }
  return true
}

export interface Detection {
  /** The contract the payload satisfies, or the closest one when it satisfies none. */
  readonly contract: Contract
  /** True when the payload passed (tolerant) checking against `contract`. */
  readonly matched: boolean
  readonly result: CheckResult
}

function rank(result: CheckResult): number {
  return result.ok ? result.notes.length : 1000 + result.issues.length
}

/**
 * Works out which contract a payload is. Payloads with a literal type field (`type`, `event`, …)
 * are matched on it first; the others are tried against every contract, preferring a clean pass,
 * then the fewest unknown keys, then the fewest issues.
 */
export function detectContract(
  value: unknown,
  options: { readonly mode?: CheckMode; readonly families?: readonly ContractFamily[] } = {},
): Detection | undefined {
  const pool = options.families
    ? CATALOG.filter((c) => options.families?.includes(c.family))
    : CATALOG
  const signed = pool.filter((c) => matchesSignature(SIGNATURES.get(c.id) ?? new Map(), value))
  const candidates =
    signed.length > 0 ? signed : pool.filter((c) => c.transport !== 'configuration')
  let best: Detection | undefined
  let bestRank = Number.POSITIVE_INFINITY
  for (const contract of candidates) {
    const result = checkContract(contract, value, { mode: 'tolerant' })
    const r = rank(result)
    if (r < bestRank) {
      bestRank = r
      best = { contract, matched: result.ok, result }
    }
  }
  if (!best) return undefined
  if (options.mode === 'strict') {
    const strict = checkContract(best.contract, value, { mode: 'strict' })
    return { contract: best.contract, matched: strict.ok, result: strict }
  }
  return best
}
