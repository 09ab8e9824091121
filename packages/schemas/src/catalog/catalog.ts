import { checkPayload, type CheckMode, type CheckResult } from '../check.js'
import { SchemasError } from '../internal/errors.js'
import type { Contract, ContractDefinition, ContractFamily } from './contract.js'
import { GOLDEN_EXAMPLES } from './golden.js'
import {
  ContractDetector,
  type Detection,
  type DetectionSignature,
  type DetectOptions,
} from './detect.js'
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

let detector: ContractDetector | undefined

/** The catalog's detection index, built on first use. */
function catalogDetector(): ContractDetector {
  detector ??= new ContractDetector(CATALOG)
  return detector
}

/**
 * How `detectContract` recognises a contract's payloads: its required keys and the keys its schema
 * pins to literals (see `ContractDetector`). Throws `UNKNOWN_CONTRACT` for an id not in the catalog.
 */
export function detectionSignature(id: string): DetectionSignature {
  const signature = catalogDetector().signatures.get(getContract(id).id)
  if (!signature) throw new SchemasError('UNKNOWN_CONTRACT', `no contract with id "${id}"`)
  return signature
}

/**
 * Works out which contract a payload is from its discriminating fields (its shape, then the wire's
 * own type key), checking only the contracts it could be, most specific first; the first that
 * passes (tolerant) wins. When none passes, the closest one comes back with its issues
 * (`matched: false`). With `mode: 'strict'`, the contract found is then checked strictly.
 */
export function detectContract(value: unknown, options: DetectOptions = {}): Detection | undefined {
  return catalogDetector().detect(value, options)
}

/**
 * The contracts a payload could be, from its discriminating fields, most specific first: the order
 * in which `detectContract` checks them. Empty when the payload has the shape of no contract.
 */
export function contractCandidates(value: unknown): readonly Contract[] {
  return catalogDetector().candidates(value)
}

/**
 * The contract `detectContract` would find for a payload, told without checking where `accepts`
 * (a one-sided "passes with no notes", such as `acceptorFor`) says yes for a candidate detection
 * would settle on; undefined when only the full check can tell.
 */
export function detectAccepted(
  value: unknown,
  accepts: (contract: Contract, value: unknown) => boolean,
): Contract | undefined {
  return catalogDetector().accepted(value, accepts)
}

export type {
  Detection,
  DetectionAlternative,
  DetectionSignature,
  DetectOptions,
} from './detect.js'
