import { z } from 'zod'

/**
 * `amq-send` with `head: "Connect"`: the Communication Server pre-login (Finesse/UMM, XMPP).
 * The JMS body is documented; that an agent client (rather than the Chat Server) sends it is not.
 * @see https://docs.expertflow.com/chat/3.15/media-routing-api (reference §2.3.3) — inferred
 */
export const AmqSendConnectSchema = z.object({
  head: z.literal('Connect'),
  AgentId: z.string(),
  Password: z.string(),
  Extension: z.string(),
  Destination: z.string(),
})
export type AmqSendConnect = z.infer<typeof AmqSendConnectSchema>
