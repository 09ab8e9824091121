import { z } from 'zod'
import { harmonyEvent } from './envelope.js'
import { HarmonySessionTargetSchema } from './target.js'

/**
 * `session.initialized`: the session is fully initialized, after the channels and groups the agent was already logged into were created and initialized.
 * @see seeds/001_6a59e76a77c67195.txt (session.initialized) — documented
 */
export const HarmonySessionInitializedEventSchema = harmonyEvent(
  'session.initialized',
  HarmonySessionTargetSchema,
  z.object({}),
)
export type HarmonySessionInitializedEvent = z.infer<typeof HarmonySessionInitializedEventSchema>
