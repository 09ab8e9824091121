import type { ReferencePluginFault } from './reference-plugin.js'

/*
 * Deliberately broken Processor Bridge plug-ins: the reference plug-in with exactly one fault,
 * each with the clause the bridge suite must fail for it and the clauses then blocked (they need
 * what it broke). They prove the suite points at the right clause.
 */

export interface BrokenPlugin {
  /** What is broken, as a phrase: `writes the length prefix little-endian`. */
  readonly fault: string
  readonly breaks: ReferencePluginFault
  /** The clause the suite must fail. */
  readonly expectedFailure: string
  /** The clauses then blocked. */
  readonly expectedBlocked?: readonly string[]
}

const after = (first: number): string[] =>
  Array.from({ length: 10 - first + 1 }, (_, i) => `BRIDGE-${String(first + i).padStart(3, '0')}`)

/** The broken plug-ins, one per clause. */
export const BROKEN_PLUGINS: readonly BrokenPlugin[] = [
  {
    fault: 'writes the length prefix little-endian',
    breaks: 'little-endian-length',
    expectedFailure: 'BRIDGE-001',
    expectedBlocked: after(2),
  },
  {
    fault: 'answers under a request id of its own',
    breaks: 'fresh-request-id',
    expectedFailure: 'BRIDGE-002',
    expectedBlocked: after(3),
  },
  {
    fault: 'lists its channels with endpoint instead of end-point',
    breaks: 'endpoint-key',
    expectedFailure: 'BRIDGE-003',
    expectedBlocked: after(4),
  },
  {
    fault: 'refuses to initialise its chat channel',
    breaks: 'chat-init-fails',
    expectedFailure: 'BRIDGE-004',
  },
  {
    fault: 'raises channel events as soon as the bridge connects',
    breaks: 'events-before-init',
    expectedFailure: 'BRIDGE-005',
  },
  {
    fault: 'answers SUCCESS to requests it does not know',
    breaks: 'accepts-unknown-requests',
    expectedFailure: 'BRIDGE-006',
  },
  {
    fault: 'accepts a dial but announces no interaction',
    breaks: 'dial-without-interaction',
    expectedFailure: 'BRIDGE-007',
    expectedBlocked: after(8),
  },
  {
    fault: 'reports a dialled call as CONNECTED, a state the bridge does not have',
    breaks: 'undocumented-state',
    expectedFailure: 'BRIDGE-008',
    expectedBlocked: after(9),
  },
  {
    fault: 'refuses conversation.query.init',
    breaks: 'unknown-conversations',
    expectedFailure: 'BRIDGE-009',
    expectedBlocked: ['BRIDGE-010'],
  },
  {
    fault: 'still reports the call STARTED with its primary conversation after the release',
    breaks: 'release-keeps-conversation',
    expectedFailure: 'BRIDGE-010',
  },
]
