// Load tests at platform scale: what `ccai-sim export artillery|k6` writes, and the hooks the
// exported Artillery processor imports (`@ccai-sim/simulator/load-test`).
export { createArtilleryProcessor, CALL_READY_VAR } from './artillery-processor.js'
export type {
  ArtilleryProcessor,
  ArtilleryProcessorEnvironment,
  ArtilleryContext,
  ArtilleryEvents,
  ArtilleryRequest,
  ArtilleryResponse,
} from './artillery-processor.js'
export {
  LoadTestConfigSchema,
  parseLoadTestConfig,
  loadTestStory,
  loadSessionId,
  decodeLoadSessionId,
  runnerKey,
  runnerBlock,
  SESSIONS_PER_RUNNER,
} from './load-config.js'
export type { LoadTestConfig } from './load-config.js'
export { CrmSessionDriver, WebhookSessionDriver, realSleep } from './session-driver.js'
export type {
  LoadCall,
  LoadAnswer,
  SessionDriver,
  TimeScale,
  Sleep,
  CrmSessionDriverOptions,
  WebhookSessionDriverOptions,
  WebhookRetrySchedule,
  WebhookSessionStats,
} from './session-driver.js'
export {
  artilleryFiles,
  processorModule,
  defaultThresholds,
  toYaml,
  PROCESSOR_FILE,
  CRM_SCRIPT_FILE,
  WEBHOOK_SCRIPT_FILE,
} from './artillery-script.js'
export type { ArtilleryExportOptions, ExportedFile, LoadThresholds } from './artillery-script.js'
