import { z } from 'zod'

/**
 * The `prepareSession` service request: agent credentials and a call model; it creates the session
 * resource. Sent to the Interaction Processor service itself, so it has no `target`.
 * @see https://openmethodsdev.atlassian.net/wiki/spaces/HAR/pages/2445803535/Interaction+Processor+Service — documented
 */
export const HarmonyPrepareSessionRequestSchema = z.object({
  command: z.literal('prepareSession'),
  data: z.object({
    /** Name of the call model to use for the session. */
    model: z.string(),
    /** `true` destroys an existing session of this agent; clients should send `false` first. */
    override: z.boolean(),
    agent: z.object({
      id: z.string(),
      password: z.string(),
    }),
  }),
})
export type HarmonyPrepareSessionRequest = z.infer<typeof HarmonyPrepareSessionRequestSchema>
