// The Vitest helper used the way a plug-in vendor would: the Processor Bridge suite against the
// reference plug-in over real TCP, one `it` per clause, registered from the package's `/vitest` entry.
import { startReferencePlugin } from '@ccai-sim/contract-tests'
import { harmonyBridgeContractTests } from '@ccai-sim/contract-tests/vitest'
import { afterAll } from 'vitest'

// Collection runs the suite, so the plug-in must be up before `beforeAll`: start it at the top level.
const plugin = await startReferencePlugin()
afterAll(async () => {
  await plugin.close()
})

harmonyBridgeContractTests({ host: plugin.host, port: plugin.port }, 'the reference CTI plug-in')
