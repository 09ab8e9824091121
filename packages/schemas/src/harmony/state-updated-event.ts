import type { z } from 'zod'
import { harmonyEvent, HarmonyOpenDataSchema } from './envelope.js'
import { HarmonyTargetSchema } from './target.js'

/**
 * `state.updated`: the state object of a channel, interaction or conversation changed; a secondary event of most commands. Its `data` is not shown, so any object passes.
 * @see seeds/001_6a59e76a77c67195.txt (Secondary Events); https://openmethodsdev.atlassian.net/wiki/pages/diffpages.action?originalId=2446098531&pageId=2446065799 — documented
 */
export const HarmonyStateUpdatedEventSchema = harmonyEvent(
  'state.updated',
  HarmonyTargetSchema,
  HarmonyOpenDataSchema,
)
export type HarmonyStateUpdatedEvent = z.infer<typeof HarmonyStateUpdatedEventSchema>
