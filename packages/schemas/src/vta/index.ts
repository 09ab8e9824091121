import type { ContractDefinition } from '../catalog/contract.js'

export const VTA_CONTRACTS: readonly ContractDefinition[] = []
