import type { GoldenExample } from './contract.js'
import adapter from '../golden/adapter.json' with { type: 'json' }
import vta from '../golden/vta.json' with { type: 'json' }
import qm from '../golden/qm.json' with { type: 'json' }
import metadata from '../golden/metadata.json' with { type: 'json' }
import transcript from '../golden/transcript.json' with { type: 'json' }
import crm from '../golden/crm.json' with { type: 'json' }
import storage from '../golden/storage.json' with { type: 'json' }
import email from '../golden/email.json' with { type: 'json' }
import appsApi from '../golden/apps-api.json' with { type: 'json' }
import harmony from '../golden/harmony.json' with { type: 'json' }
import expertflow from '../golden/expertflow.json' with { type: 'json' }
import common from '../golden/common.json' with { type: 'json' }

/** Every golden example, from the data files in `src/golden/` (one per family). */
export const GOLDEN_EXAMPLES: readonly GoldenExample[] = [
  ...adapter,
  ...vta,
  ...qm,
  ...metadata,
  ...transcript,
  ...crm,
  ...storage,
  ...email,
  ...appsApi,
  ...harmony,
  ...expertflow,
  ...common,
] as readonly GoldenExample[]
