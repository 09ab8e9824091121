// The clause and suite model, and the runner
export { runSuite, runClause, ClauseFailure } from './core/runner.js'
export type { RunSuiteOptions } from './core/runner.js'
export type {
  SuiteName,
  Exchange,
  ClauseFailureDetail,
  ClauseResult,
  SuiteResult,
  ClauseTools,
  ClauseDefinition,
  SuiteDefinition,
} from './core/types.js'

// Reporters
export { formatConsole } from './report/console-reporter.js'
export type { ConsoleFormatOptions } from './report/console-reporter.js'
export { formatJunit } from './report/junit-reporter.js'
export { formatJson, jsonReport } from './report/json-reporter.js'
export type { JsonReport } from './report/json-reporter.js'
export { formatExchange, formatExchanges, formatFailureText } from './report/failure-text.js'

// The ccai-contract CLI, for embedding
export { runContractCli, CONTRACT_CLI_USAGE } from './cli/main.js'
export { EXIT } from './cli/io.js'
export type {
  ContractCliIo,
  ExitCode,
  SuiteRunners,
  CrmRunOptions,
  ReceiverRunOptions,
  StorageRunOptions,
} from './cli/io.js'
