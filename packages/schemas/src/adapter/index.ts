import type { ContractDefinition } from '../catalog/contract.js'

export const ADAPTER_CONTRACTS: readonly ContractDefinition[] = []
