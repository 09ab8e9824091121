import type { ContractDefinition } from '../catalog/contract.js'

export const HARMONY_CONTRACTS: readonly ContractDefinition[] = []
