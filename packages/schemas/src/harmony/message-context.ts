import { z } from 'zod'

/**
 * The optional debugging `context` any Session Resource message may carry (normally absent). The
 * document's example nests `conversation` → `interaction` → `channel` → `session` (with lowercase
 * `modeltype`), but no shape is promised, so any object passes.
 * @see https://openmethodsdev.atlassian.net/wiki/spaces/HAR/pages/2446065742 — documented
 */
export const HarmonyMessageContextSchema = z.record(z.string(), z.unknown())
export type HarmonyMessageContext = z.infer<typeof HarmonyMessageContextSchema>
