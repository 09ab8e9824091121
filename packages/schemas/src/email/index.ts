import type { ContractDefinition } from '../catalog/contract.js'

export const EMAIL_CONTRACTS: readonly ContractDefinition[] = []
