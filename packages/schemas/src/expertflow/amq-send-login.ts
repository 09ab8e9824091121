import { z } from 'zod'

/**
 * `amq-send` with `head: "Login"`: logs the agent into an MRD. The JMS body is
 * `{AgentId, Password, Mrd}` per the Media Routing API, but the seed's own example carries only
 * `head`, so the body keys are optional.
 * @see seeds/003_1d4ee430392b9662.txt §amq-send and https://docs.expertflow.com/chat/3.15/media-routing-api — documented
 */
export const AmqSendLoginSchema = z.object({
  head: z.literal('Login'),
  AgentId: z.string().nullish(),
  Password: z.string().nullish(),
  Mrd: z.string().nullish(),
})
export type AmqSendLogin = z.infer<typeof AmqSendLoginSchema>
