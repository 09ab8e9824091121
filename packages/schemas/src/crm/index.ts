import type { ContractDefinition } from '../catalog/contract.js'

export const CRM_CONTRACTS: readonly ContractDefinition[] = []
