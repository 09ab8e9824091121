// The Vitest helpers used the way a user would: the CRM suite against the simulator's mock CRM over
// real HTTP in both dialects, one `it` per clause, registered from the package's `/vitest` entry.
import type { CrmIntegrationSettings } from '@ccai-sim/schemas'
import { crmContractTests, defineContractSuite } from '@ccai-sim/contract-tests/vitest'
import { startSimulator } from '@ccai-sim/simulator'
import { afterAll } from 'vitest'
import { runFixtureSuite } from '../test-support/fixture-suite.js'

// Collection runs the suite, so the CRM must be up before `beforeAll`: start it at the top level.
const generic = await startSimulator({
  config: {
    port: 0,
    clock: { mode: 'manual' },
    email: { enabled: false },
    storage: { enabled: false },
  },
})
const espocrm = await startSimulator({
  config: {
    port: 0,
    clock: { mode: 'manual' },
    email: { enabled: false },
    storage: { enabled: false },
    crm: { mock: { dialect: 'espocrm' } },
  },
})
afterAll(async () => {
  await Promise.all([generic.close(), espocrm.close()])
})

/** The integration settings a simulator uses for its own mock CRM (credentials included). */
async function simulatorSettings(url: string): Promise<CrmIntegrationSettings> {
  return (await (
    await fetch(`${url}/_sim/crm/settings?secrets=include`)
  ).json()) as CrmIntegrationSettings
}

crmContractTests(
  { settings: await simulatorSettings(generic.url) },
  'the simulator’s mock CRM (generic dialect)',
)

crmContractTests(
  async () => ({ settings: await simulatorSettings(espocrm.url), seed: 11 }),
  'the simulator’s mock CRM (EspoCRM dialect)',
)

defineContractSuite('a suite whose clauses all pass or skip', {
  run: () => runFixtureSuite({ failing: false }),
})
