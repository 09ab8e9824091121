import { z } from 'zod'
import { HarmonyHttpSessionClientSchema } from './http-session-client.js'

/**
 * The HTTP transport's `POST /sessions` body that opens a transport session.
 * @see https://openmethodsdev.atlassian.net/wiki/pages/diffpages.action?originalId=2446000167&pageId=2446032937 — documented
 */
export const HarmonyHttpStartSessionRequestSchema = z.object({
  messageType: z.literal('startSession'),
  client: HarmonyHttpSessionClientSchema,
})
export type HarmonyHttpStartSessionRequest = z.infer<typeof HarmonyHttpStartSessionRequestSchema>
