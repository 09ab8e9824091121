import type { ContractDefinition } from '../catalog/contract.js'

export const TRANSCRIPT_CONTRACTS: readonly ContractDefinition[] = []
