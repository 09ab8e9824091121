import {
  projectSession,
  runScenario,
  type SessionProjection,
  type SimulatedCrm,
} from '@ccai-sim/fixtures'
import type { LiveSession } from '../../src/runtime/simulator-runtime.js'

/**
 * What a live session is meant to publish, worked out offline: the same scenario, seed, index,
 * start and params through the session machine (scripted agent, no presence: the roster publishes
 * that), with the CRM answering as `crm` says (default: no CRM, as with `crm.enabled: false`).
 */
export function planned(session: LiveSession, crm: SimulatedCrm | null = null): SessionProjection {
  const run = runScenario(
    session.scenario,
    {
      seed: session.seed,
      index: session.index,
      refDate: session.startedAt,
      params: session.params,
    },
    { crm, presence: false },
  )
  return projectSession(run.story)
}
