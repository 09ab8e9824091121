import { z } from 'zod'

/**
 * `login` (client → server): logs the agent into the chat solution for one MRD.
 * @see seeds/003_1d4ee430392b9662.txt §login — documented
 */
export const LoginPayloadSchema = z.object({
  agentId: z.string(),
  password: z.string(),
  mrd: z.string(),
})
export type LoginPayload = z.infer<typeof LoginPayloadSchema>
