// The app and its host
export { createSimulatorApp } from './app.js'
export type { SimulatorApp, SimulatorAppOptions } from './app.js'
export { startSimulator } from './server.js'
export type { RunningSimulator, StartSimulatorOptions } from './server.js'

// Configuration
export { SimulatorConfigSchema, parseConfig, loadConfig, ConfigError } from './config.js'
export type { SimulatorConfig, SimulatorConfigInput } from './config.js'

// Time, sessions, journal
export { VirtualClock } from './clock/virtual-clock.js'
export type { ClockMode, ClockOptions, WallClock } from './clock/virtual-clock.js'
export { SimulatorRuntime } from './runtime/simulator-runtime.js'
export type {
  LiveSession,
  SessionState,
  StartSessionInput,
  WrittenFile,
} from './runtime/simulator-runtime.js'
export { EmissionBus, matchesFilter } from './runtime/bus.js'
export type { EmissionFilter, EmissionListener } from './runtime/bus.js'
export { Journal } from './runtime/journal.js'
export type { JournalEntry } from './runtime/journal.js'

// Sinks
export { MemoryStorageSink, MemoryMail } from './runtime/sinks.js'
export type {
  StorageSink,
  StoredFileInfo,
  MailTransport,
  OutgoingMail,
  Mailbox,
  MailboxMessage,
} from './runtime/sinks.js'
export { FileStorageSink } from './storage/file-storage-sink.js'
export { SmtpMailTransport } from './email/smtp-transport.js'
export { startBuiltinSmtpServer } from './email/builtin-smtp-server.js'
export type { BuiltinSmtpServer } from './email/builtin-smtp-server.js'
export { WebhookDispatcher } from './delivery/webhook-dispatcher.js'

// Errors
export { SimulatorError, SIMULATOR_ERROR_CODES } from './errors.js'
export type { SimulatorErrorCode } from './errors.js'

// The generic API's flow engine (the platform's calls to the customer's CRM)
export {
  planCrmFlow,
  runCrmFlow,
  CrmFlowRun,
  CrmRateLimitGate,
  DEFAULT_CRM_RETRY_POLICY,
  crmVariablesAt,
  retryAfterMs,
} from './crm/flow-engine.js'
export type {
  CrmFlowPlan,
  CrmFlowAction,
  CrmFlowReport,
  CrmStepReport,
  CrmStepOutcome,
  CrmRetryPolicy,
  CrmFlowDeps,
  CrmFlowClock,
  CrmExchangeRecord,
  PlanCrmFlowInput,
  RunCrmFlowOptions,
} from './crm/flow-engine.js'
export { INTERNAL_URL } from './app.js'
export type { SimulatorCrm } from './app.js'

// The generic API's request builder, client and response reading (contract suites drive CRMs with them)
export { buildCrmRequest, describeCrmRequest, lostFilters } from './crm/request-builder.js'
export type { CrmRequestInput, CrmUploadFile, LostFilter } from './crm/request-builder.js'
export { createCrmClient } from './crm/crm-client.js'
export type { CrmClient, CrmClientEvent, CrmClientOptions } from './crm/crm-client.js'
export {
  readCrmResult,
  readLocation,
  idText,
  attachmentLink,
  DEFAULT_ID_LOCATION,
} from './crm/response.js'
export type { CrmResult, CrmResultLocations } from './crm/response.js'
export { CRM_ENDPOINTS } from './crm/types.js'
export type {
  CrmEndpointName,
  CrmVariables,
  CrmHttpRequest,
  CrmHttpResponse,
  CrmExchange,
  CrmRequestBody,
  MultipartField,
} from './crm/types.js'

// The mock CRM (a generic-API provider in two dialects)
export {
  createMockCrmApp,
  MOCK_CRM_DIALECTS,
  MockCrmStore,
  FaultController,
  defaultMockCrmSettings,
} from './crm/mock-crm/index.js'
export type {
  MockCrmAppOptions,
  MockCrmDialect,
  MockCrmAuth,
  FaultRuleInput,
  MockCrmRouteName,
} from './crm/mock-crm/index.js'

// MSW
export { createMockCrmHandlers, MockCrmJournal, type MockCrmHandlers } from './msw/index.js'

// The CLI, for embedding
export { runCli } from './cli/main.js'
export type { CliIo } from './cli/io.js'
