import { z } from 'zod'

/**
 * The `client` block of the HTTP transport's `startSession` / `endSession` messages.
 * @see https://openmethodsdev.atlassian.net/wiki/pages/diffpages.action?originalId=2446000167&pageId=2446032937 — documented
 */
export const HarmonyHttpSessionClientSchema = z.object({
  id: z.string().nullish(),
  name: z.string(),
})
export type HarmonyHttpSessionClient = z.infer<typeof HarmonyHttpSessionClientSchema>
