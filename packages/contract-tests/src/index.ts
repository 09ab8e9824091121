// The clause and suite model, and the runner
export { runSuite, runClause, ClauseFailure } from './core/runner.js'
export type { RunSuiteOptions } from './core/runner.js'
export type {
  SuiteName,
  Exchange,
  ClauseFailureDetail,
  ClauseResult,
  ClauseStatus,
  CreatedObject,
  SuiteSummary,
  SuiteResult,
  ClauseTools,
  ClauseDefinition,
  SuiteDefinition,
} from './core/types.js'

// The package's error
export { ContractTestsError, CONTRACT_TESTS_ERROR_CODES } from './errors.js'
export type { ContractTestsErrorCode } from './errors.js'

// The CRM provider suite (the generic API)
export { CRM_SUITE, runCrmSuite, createCrmSuiteContext, rebaseSettings } from './crm/crm-suite.js'
export type {
  RunCrmSuiteOptions,
  CrmSuiteContext,
  CrmSuiteContextOptions,
  CrmCall,
  CrmCredentials,
  CrmSession,
  CrmDownload,
  CrmSendOptions,
} from './crm/crm-suite.js'

// The receiver suites (QM events, adapter-event webhooks)
export {
  QM_RECEIVER_SUITE,
  ADAPTER_RECEIVER_SUITE,
  receiverSuite,
  runReceiverSuite,
  DEFAULT_RECEIVER_TIMEOUT_MS,
} from './receiver/receiver-suite.js'
export type {
  ReceiverKind,
  ReceiverSuiteContext,
  RunReceiverSuiteOptions,
} from './receiver/receiver-suite.js'

// The storage tree suite
export { STORAGE_SUITE, runStorageSuite } from './storage/storage-suite.js'
export type { StorageSuiteContext, RunStorageSuiteOptions } from './storage/storage-suite.js'

// The CRM page suite (real Chromium, the simulator's adapter iframe)
export { PAGE_SUITE, runPageSuite } from './page/page-suite.js'
export type { PageSuiteContext, PageExpectation, RunPageSuiteOptions } from './page/page-suite.js'
export { PageBrowser, launchChromium, kindOfEvent } from './page/page-browser.js'
export type { AdapterEvent, PageError, OpenPageOptions } from './page/page-browser.js'
export { BROKEN_PAGES, breakScript } from './page/broken-pages.js'
export type { BrokenPage } from './page/broken-pages.js'

// The Harmony Processor Bridge plug-in suite (TCP), its reference plug-in and broken ones
export {
  HARMONY_BRIDGE_SUITE,
  runHarmonyBridgeSuite,
  DEFAULT_BRIDGE_TIMEOUT_MS,
  DEFAULT_BRIDGE_QUIET_MS,
} from './harmony-bridge/harmony-bridge-suite.js'
export type {
  HarmonyBridgeSuiteContext,
  RunHarmonyBridgeSuiteOptions,
} from './harmony-bridge/harmony-bridge-suite.js'
export {
  startReferencePlugin,
  REFERENCE_PLUGIN_CHANNELS,
} from './harmony-bridge/reference-plugin.js'
export type {
  ReferencePlugin,
  ReferencePluginFault,
  ReferencePluginOptions,
  PluginChannel,
} from './harmony-bridge/reference-plugin.js'
export { BROKEN_PLUGINS } from './harmony-bridge/broken-plugins.js'
export type { BrokenPlugin } from './harmony-bridge/broken-plugins.js'
export {
  encodeBridgeFrame,
  BridgeFrameDecoder,
  BridgeFramingError,
} from './harmony-bridge/framing.js'

// Reporters
export { formatConsole } from './report/console-reporter.js'
export type { ConsoleFormatOptions } from './report/console-reporter.js'
export { formatJunit } from './report/junit-reporter.js'
export { formatJson, jsonReport } from './report/json-reporter.js'
export type { JsonReport } from './report/json-reporter.js'
export {
  clauseLabel,
  formatExchange,
  formatExchanges,
  formatFailureText,
} from './report/failure-text.js'

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
  PageRunOptions,
  HarmonyBridgeRunOptions,
} from './cli/io.js'
