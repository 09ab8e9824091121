import type { ContractDefinition } from '../catalog/contract.js'

export const METADATA_CONTRACTS: readonly ContractDefinition[] = []
