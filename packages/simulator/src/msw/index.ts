export {
  createMockCrmHandlers,
  DEFAULT_MOCK_CRM_BASE_URL,
  MockCrmJournal,
} from './mock-crm-handlers.js'
export type {
  MockCrmHandlers,
  MockCrmHandlersOptions,
  MockCrmJournalEntry,
  MockCrmJournalQuery,
} from './mock-crm-handlers.js'
// What a test passes in or inspects, so this entry point is enough on its own.
export { FaultController } from '../crm/mock-crm/faults.js'
export type { FaultRuleInput, FaultKind } from '../crm/mock-crm/faults.js'
export { MockCrmStore } from '../crm/mock-crm/store.js'
export type { MockCrmAuth } from '../crm/mock-crm/auth.js'
export type { MockCrmDialect } from '../crm/mock-crm/app.js'
