import type { z } from 'zod'
import { harmonyEvent, HarmonyOpenDataSchema } from './envelope.js'
import { HarmonySessionTargetSchema } from './target.js'

/**
 * `session.disposed`: the session was removed at logout (name inferred by symmetry; `data` unknown).
 * @see https://openmethodsdev.atlassian.net/wiki/x/DgBslQ; reference/harmony-and-expertflow.md §1.5.5 — inferred
 */
export const HarmonySessionDisposedEventSchema = harmonyEvent(
  'session.disposed',
  HarmonySessionTargetSchema,
  HarmonyOpenDataSchema,
)
export type HarmonySessionDisposedEvent = z.infer<typeof HarmonySessionDisposedEventSchema>
