import type { ContractDefinition } from '../catalog/contract.js'

export const STORAGE_CONTRACTS: readonly ContractDefinition[] = []
