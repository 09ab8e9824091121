import { z } from 'zod'
import { IntegerIdSchema } from '../common/primitives.js'
import { AdapterSessionTypeSchema, sessionEventCommonShape } from './session-event-common.js'

/**
 * The participant type of `Party_Added.data.type`, taken from `participants.type` of the Apps API.
 * The docs give "for example an end_user or agent"; other participant types may exist.
 *
 * @see seeds/000_2170762ce078838e.txt, Agent adapters › Data for events (Participants)
 * confidence: documented
 */
export const PartyTypeSchema = z.enum(['end_user', 'agent'])
export type PartyType = z.infer<typeof PartyTypeSchema>

/**
 * `Party_Added`: a participant (agent or end user) joined a call or chat, e.g. on a transfer.
 * One event type serves both adapters, so `call_id` and `chat_id` are both optional (one is sent).
 *
 * @see seeds/000_2170762ce078838e.txt, Agent adapters › Event types › Party added
 * confidence: documented
 */
export const PartyAddedEventSchema = z.object({
  type: z.literal('Party_Added'),
  data: z.object({
    call_id: IntegerIdSchema.nullish(),
    chat_id: IntegerIdSchema.nullish(),
    session_type: AdapterSessionTypeSchema,
    // In the example but missing from the field list.
    agent_id: IntegerIdSchema.nullish(),
    agent_custom_id: z.string().nullish(),
    agent_email: z.email(),
    ...sessionEventCommonShape,
    type: PartyTypeSchema,
    /** Only for `type: "end_user"`. */
    end_user_id: IntegerIdSchema.nullish(),
  }),
})
export type PartyAddedEvent = z.infer<typeof PartyAddedEventSchema>
