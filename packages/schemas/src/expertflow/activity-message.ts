import { z } from 'zod'
import { tolerantOnly } from '../internal/modes.js'
import { ParticipantSchema } from './participant.js'

/**
 * What an activity message announces.
 * @see seeds/003_1d4ee430392b9662.txt §Schema › ActivityMessage object — documented
 */
export const ActivityTypeSchema = z.enum([
  'greetings',
  'typing',
  'participantAdded',
  'participantRemoved',
  'participantJoined',
  'participantLeft',
  'endOfConversation',
])
export type ActivityType = z.infer<typeof ActivityTypeSchema>

/**
 * A notification about the conversation (someone joined, left, is typing, the chat ended),
 * delivered with `messageArrived`. An empty `to` broadcasts it to the whole conversation.
 * @see seeds/003_1d4ee430392b9662.txt §Schema › ActivityMessage object — documented
 */
export const ActivityMessageSchema = z.object({
  conversationId: z.string(),
  /** The table says `ActivityMessage`; the event descriptions write `type: activityMessage`. */
  type: z.union([z.literal('ActivityMessage'), tolerantOnly(z.literal('activityMessage'))]),
  from: ParticipantSchema,
  to: z.array(ParticipantSchema),
  activityType: ActivityTypeSchema,
  /** "Notification data": its fields are not documented. */
  info: z.record(z.string(), z.unknown()).nullish(),
})
export type ActivityMessage = z.infer<typeof ActivityMessageSchema>
