import type { ContractDefinition } from '../catalog/contract.js'

export const EXPERTFLOW_CONTRACTS: readonly ContractDefinition[] = []
