import type { SuiteRunners } from './io.js'

/** The real suites behind `ccai-contract crm|receiver|storage|page|harmony-bridge`, each loaded only when it runs. */
export const DEFAULT_RUNNERS: SuiteRunners = {
  crm: async (options) => {
    const { runCrmSuite } = await import('../crm/crm-suite.js')
    return runCrmSuite(options)
  },
  receiver: async (options) => {
    const { runReceiverSuite } = await import('../receiver/receiver-suite.js')
    return runReceiverSuite(options)
  },
  storage: async (options) => {
    const { runStorageSuite } = await import('../storage/storage-suite.js')
    return runStorageSuite(options)
  },
  page: async (options) => {
    const { runPageSuite } = await import('../page/page-suite.js')
    return runPageSuite(options)
  },
  harmonyBridge: async (options) => {
    const { runHarmonyBridgeSuite } = await import('../harmony-bridge/harmony-bridge-suite.js')
    return runHarmonyBridgeSuite(options)
  },
}
