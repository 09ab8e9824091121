import { z } from 'zod'
import { ExpertflowChannelSchema } from './channel.js'
import { ParticipantSchema } from './participant.js'

/**
 * The customer of a conversation, itself a participant.
 * @see seeds/003_1d4ee430392b9662.txt §Schema › Customer Object — documented
 */
export const CustomerSchema = z.object({
  ...ParticipantSchema.shape,
  email: z.string().nullish(),
  phone: z.string().nullish(),
  channel: ExpertflowChannelSchema.nullish(),
})
export type Customer = z.infer<typeof CustomerSchema>
