import { z } from 'zod'

/**
 * The HTTP transport's answer to `startSession`: the transport session id (later `clientId`).
 * @see https://openmethodsdev.atlassian.net/wiki/pages/diffpages.action?originalId=2446000167&pageId=2446032937 — documented
 */
export const HarmonyHttpStartSessionResponseSchema = z.object({
  id: z.string().min(1),
})
export type HarmonyHttpStartSessionResponse = z.infer<typeof HarmonyHttpStartSessionResponseSchema>
