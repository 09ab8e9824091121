import { z } from 'zod'
import { HarmonyHttpSessionClientSchema } from './http-session-client.js'

/**
 * The HTTP transport's `POST /sessions` body that closes a transport session (200, or 404 if unknown).
 * @see https://openmethodsdev.atlassian.net/wiki/pages/diffpages.action?originalId=2446000167&pageId=2446032937 — documented
 */
export const HarmonyHttpEndSessionRequestSchema = z.object({
  messageType: z.literal('endSession'),
  client: HarmonyHttpSessionClientSchema,
})
export type HarmonyHttpEndSessionRequest = z.infer<typeof HarmonyHttpEndSessionRequestSchema>
