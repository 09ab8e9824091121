import type { ContractDefinition } from '../catalog/contract.js'

export const QM_CONTRACTS: readonly ContractDefinition[] = []
