import { runCrmSuite } from '../crm/crm-suite.js'
import { runReceiverSuite } from '../receiver/receiver-suite.js'
import { runStorageSuite } from '../storage/storage-suite.js'
import type { SuiteRunners } from './io.js'

/** The real suites behind `ccai-contract crm|receiver|storage`. */
export const DEFAULT_RUNNERS: SuiteRunners = {
  crm: (options) => runCrmSuite(options),
  receiver: (options) => runReceiverSuite(options),
  storage: (options) => runStorageSuite(options),
}
