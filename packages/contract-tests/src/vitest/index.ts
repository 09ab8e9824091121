import type { runCrmSuite } from '../crm/crm-suite.js'
import type { runReceiverSuite } from '../receiver/receiver-suite.js'
import type { runStorageSuite } from '../storage/storage-suite.js'
import type { runPageSuite } from '../page/page-suite.js'
import type { runHarmonyBridgeSuite } from '../harmony-bridge/harmony-bridge-suite.js'
import { defineContractSuite } from './define-contract-suite.js'

export { defineContractSuite, ContractClauseError } from './define-contract-suite.js'
export type { ContractSuiteSource } from './define-contract-suite.js'

/** The options of the CRM suite, or a function giving them when the suite runs. */
export type CrmContractTestsOptions = Parameters<typeof runCrmSuite>[0]
/** The options of a receiver suite. */
export type ReceiverContractTestsOptions = Parameters<typeof runReceiverSuite>[0]
/** The options of the CRM page suite, `expectations` included. */
export type PageContractTestsOptions = Parameters<typeof runPageSuite>[0]
export type { PageExpectation } from '../page/page-suite.js'
export type { PageBrowser, AdapterEvent } from '../page/page-browser.js'

/** The options of the Harmony Processor Bridge plug-in suite. */
export type HarmonyBridgeContractTestsOptions = Parameters<typeof runHarmonyBridgeSuite>[0]

/** The options of the storage suite. */
export type StorageContractTestsOptions = Parameters<typeof runStorageSuite>[0]

type Lazy<T> = T | (() => T | Promise<T>)

async function resolveLazy<T>(value: Lazy<T>): Promise<T> {
  return typeof value === 'function' ? await (value as () => T | Promise<T>)() : value
}

/**
 * Registers the CRM provider suite in the calling Vitest file: `describe('CRM contract')` with one
 * `it` per clause (`CRM-001 …`). The suite runs while Vitest collects the file, so pass options (or
 * a function giving them) that are ready by then.
 *
 * @example
 * crmContractTests({ settings: JSON.parse(await readFile('crm-settings.json', 'utf8')) })
 */
export function crmContractTests(
  options: Lazy<CrmContractTestsOptions>,
  name = 'CRM contract',
): void {
  defineContractSuite(name, {
    run: async () => {
      const suite = await import('../crm/crm-suite.js')
      return suite.runCrmSuite(await resolveLazy(options))
    },
  })
}

/**
 * Registers a receiver suite (QM or adapter events) in the calling Vitest file.
 *
 * @example
 * receiverContractTests({ url: 'http://localhost:3000/qm', kind: 'qm' })
 */
export function receiverContractTests(
  options: Lazy<ReceiverContractTestsOptions>,
  name = 'receiver contract',
): void {
  defineContractSuite(name, {
    run: async () => {
      const suite = await import('../receiver/receiver-suite.js')
      return suite.runReceiverSuite(await resolveLazy(options))
    },
  })
}

/**
 * Registers the storage tree suite in the calling Vitest file.
 *
 * @example
 * storageContractTests({ dir: './downloaded-bucket' })
 */
export function storageContractTests(
  options: Lazy<StorageContractTestsOptions>,
  name = 'storage contract',
): void {
  defineContractSuite(name, {
    run: async () => {
      const suite = await import('../storage/storage-suite.js')
      return suite.runStorageSuite(await resolveLazy(options))
    },
  })
}

/**
 * Registers the CRM page suite in the calling Vitest file: `PAGE-001`…`PAGE-007`, then your own
 * `expectations` (each gets the opened page with its adapter: deliver events, read the DOM).
 *
 * @example
 * pageContractTests({
 *   url: 'http://localhost:3000/crm.html',
 *   adapterOrigin: 'https://acme.uc1.ccaiplatform.com',
 *   expectations: [{ id: 'MY-001', title: 'shows the caller', run: async (page, tools) => { … } }],
 * })
 */
export function pageContractTests(
  options: Lazy<PageContractTestsOptions>,
  name = 'CRM page contract',
): void {
  defineContractSuite(name, {
    run: async () => {
      const suite = await import('../page/page-suite.js')
      return suite.runPageSuite(await resolveLazy(options))
    },
  })
}

/**
 * Registers the Harmony Processor Bridge plug-in suite in the calling Vitest file: one `it` per
 * clause (`BRIDGE-001 …`), driving the CTI plug-in listening at `host:port`.
 *
 * @example
 * harmonyBridgeContractTests({ host: '127.0.0.1', port: 7010 })
 */
export function harmonyBridgeContractTests(
  options: Lazy<HarmonyBridgeContractTestsOptions>,
  name = 'Harmony Processor Bridge plug-in contract',
): void {
  defineContractSuite(name, {
    run: async () => {
      const suite = await import('../harmony-bridge/harmony-bridge-suite.js')
      return suite.runHarmonyBridgeSuite(await resolveLazy(options))
    },
  })
}
