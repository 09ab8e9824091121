import { z } from 'zod'
import { IntegerIdSchema } from '../common/primitives.js'
import { tolerantOnly } from '../internal/modes.js'
import { customDataShape } from './session-event-common.js'

/**
 * The state of a remote-control or full-device co-browse request.
 *
 * @see seeds/000_2170762ce078838e.txt, Agent adapters › Data for events (Session types)
 * confidence: documented
 */
export const CobrowseStatusSchema = z.enum(['off', 'requested', 'rejected', 'on'])
export type CobrowseStatus = z.infer<typeof CobrowseStatusSchema>

/**
 * Who started a co-browse session. The "Data for events" list says `end_user`; the
 * `Cobrowse_Session_Started` field list writes `end-user`, accepted in tolerant mode only.
 *
 * @see seeds/000_2170762ce078838e.txt, Agent adapters › Co-browse session started
 * confidence: documented
 */
export const CobrowseRequestedBySchema = z.union([
  z.enum(['agent', 'end_user']),
  tolerantOnly(z.literal('end-user')),
])
export type CobrowseRequestedBy = z.infer<typeof CobrowseRequestedBySchema>

/**
 * Who ended a co-browse session. The "Data for events" list says `end_user`; the
 * `Cobrowse_Session_Ended` field list writes `end-user`, accepted in tolerant mode only.
 *
 * @see seeds/000_2170762ce078838e.txt, Agent adapters › Co-browse session ended
 * confidence: documented
 */
export const CobrowseEndedBySchema = z.union([
  z.enum(['agent', 'end_user', 'api']),
  tolerantOnly(z.literal('end-user')),
])
export type CobrowseEndedBy = z.infer<typeof CobrowseEndedBySchema>

/**
 * The fields every co-browse event carries: the agent, the call or chat the co-browse session runs in
 * (only one is present; the `Full_Device_Changed` and `Ended` examples carry neither), the co-browse
 * session id, and the SDK custom data. The docs list none of the other common session fields here.
 */
export const cobrowseEventBaseShape = {
  agent_id: IntegerIdSchema,
  call_id: IntegerIdSchema.nullish(),
  chat_id: IntegerIdSchema.nullish(),
  cobrowse_session_id: z.string().min(1),
  ...customDataShape,
}
