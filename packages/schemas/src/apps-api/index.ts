import type { ContractDefinition } from '../catalog/contract.js'

export const APPS_API_CONTRACTS: readonly ContractDefinition[] = []
