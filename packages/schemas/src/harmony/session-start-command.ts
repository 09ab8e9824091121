import { z } from 'zod'
import { harmonyCommand } from './envelope.js'
import { HarmonySessionTargetSchema } from './target.js'

/**
 * `session.start`: starts the bound session; every other request before it fails. `data` may be
 * absent; `extension` is used by the Avaya processor only.
 * @see https://openmethodsdev.atlassian.net/wiki/pages/diffpages.action?originalId=2445607170&pageId=2445541615 — documented
 */
export const HarmonySessionStartCommandSchema = harmonyCommand(
  'session.start',
  HarmonySessionTargetSchema,
  z.object({ extension: z.string().nullish() }).nullish(),
)
export type HarmonySessionStartCommand = z.infer<typeof HarmonySessionStartCommandSchema>
