import { z } from 'zod'
import { tolerantOnly } from '../internal/modes.js'
import { ActivityTypeSchema } from './activity-message.js'
import { MessageSchema } from './message.js'
import { ParticipantSchema } from './participant.js'

/**
 * A conversation: its participants and the messages exchanged. The seed's table repeats the
 * ActivityMessage rows `type` and `activityType` (a copy slip, kept as optional keys) and gives no
 * required field, so every key is optional.
 * @see seeds/003_1d4ee430392b9662.txt §Schema › Conversation Object — documented
 */
export const ConversationSchema = z.object({
  id: z.string().nullish(),
  /** The seed's table spells it `Id`; every other id in the document is lower-case. */
  Id: tolerantOnly(z.string().nullish()),
  type: z.string().nullish(),
  participants: z.array(ParticipantSchema).nullish(),
  activityType: ActivityTypeSchema.nullish(),
  messages: z.array(MessageSchema).nullish(),
})
export type Conversation = z.infer<typeof ConversationSchema>
