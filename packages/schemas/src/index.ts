// Checking
export { checkPayload, schemaInMode } from './check.js'
export type { CheckMode, CheckOptions, CheckResult } from './check.js'
export type { CheckIssue } from './internal/issues.js'
export { tolerantOnly } from './internal/modes.js'
export { SchemasError, SCHEMAS_ERROR_CODES } from './internal/errors.js'
export type { SchemasErrorCode } from './internal/errors.js'

// Catalog
export {
  CATALOG,
  getContract,
  findContract,
  contractsOfFamily,
  checkContract,
  detectContract,
} from './catalog/catalog.js'
export type { Detection } from './catalog/catalog.js'
export {
  defineContract,
  CONTRACT_FAMILIES,
  CONFIDENCE_LEVELS,
  PARTIES,
  TRANSPORTS,
} from './catalog/contract.js'
export type {
  Contract,
  ContractDefinition,
  ContractFamily,
  ContractSource,
  Confidence,
  GoldenExample,
  Party,
  Transport,
} from './catalog/contract.js'
export { GOLDEN_EXAMPLES } from './catalog/golden.js'

// JSON Schema export
export { contractJsonSchema, jsonSchemaFiles } from './json-schema.js'
export type { JsonSchema } from './json-schema.js'
