import { z } from 'zod'

/**
 * `silentMonitor` (client → server): a supervisor watches a team member's conversation without taking part. The prose says "conversation object containing conversationId"; the example sends the id flat.
 * @see seeds/003_1d4ee430392b9662.txt §silentMonitor — documented
 */
export const SilentMonitorPayloadSchema = z.object({
  conversationId: z.string(),
})
export type SilentMonitorPayload = z.infer<typeof SilentMonitorPayloadSchema>
