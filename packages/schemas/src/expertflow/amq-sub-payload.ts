import { z } from 'zod'

/**
 * `amq-sub` (client → server): subscribes the socket to the agent's ActiveMQ topic.
 * @see seeds/003_1d4ee430392b9662.txt §amq-sub — documented
 */
export const AmqSubPayloadSchema = z.object({
  AgentId: z.string(),
})
export type AmqSubPayload = z.infer<typeof AmqSubPayloadSchema>
