export { createMockCrmApp, mockCrmCoreOf, MOCK_CRM_DIALECTS } from './app.js'
export { MockCrmCore } from './dispatch.js'
export type { CoreInput } from './dispatch.js'
export type { CrmAnswer } from './core.js'
export type { MockCrmAppOptions, MockCrmDialect } from './app.js'
export {
  DEFAULT_MAX_TOKENS,
  DEFAULT_MOCK_CRM_AUTH,
  MockCrmAuthSchema,
  MockCrmAuthenticator,
} from './auth.js'
export type { MockCrmAuth, MockCrmTokenResponse, MockCrmTokenError } from './auth.js'
export { mockCrmControlRoutes } from './control.js'
export { defaultMockCrmSettings } from './default-settings.js'
export {
  FaultController,
  FaultRuleSchema,
  FAULT_KINDS,
  MOCK_CRM_ROUTES,
  runWithFault,
} from './faults.js'
export type {
  FaultKind,
  FaultRule,
  FaultRuleInput,
  FaultRuleState,
  MockCrmRouteName,
} from './faults.js'
export { DEFAULT_MOCK_CRM_STORE_LIMITS, MockCrmStore, phoneMatches } from './store.js'
export type {
  MockCrmAccount,
  MockCrmAccountQuery,
  MockCrmAttachment,
  MockCrmComment,
  MockCrmFields,
  MockCrmIdStyle,
  MockCrmStoreLimits,
  MockCrmRecord,
  MockCrmRecordQuery,
  MockCrmSnapshot,
  MockCrmStoreOptions,
} from './store.js'
export { fastPathServer, mockCrmFastPath } from './node-fast-path.js'
