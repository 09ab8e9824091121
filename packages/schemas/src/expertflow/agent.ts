import { z } from 'zod'
import { ConversationSchema } from './conversation.js'
import { ParticipantSchema } from './participant.js'
import { TeamSchema } from './team.js'

/**
 * An agent: a participant with the teams it belongs to and its active conversations.
 * @see seeds/003_1d4ee430392b9662.txt §Schema › Agent Object — documented
 */
export const AgentSchema = z.object({
  ...ParticipantSchema.shape,
  type: z.literal('Agent').nullish(),
  // Lazy: a Team lists its Agents, and an Agent its Teams.
  teams: z.array(z.lazy(() => TeamSchema)).nullish(),
  conversations: z.array(ConversationSchema).nullish(),
})
export type Agent = z.infer<typeof AgentSchema>
