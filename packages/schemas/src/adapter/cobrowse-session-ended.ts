import { z } from 'zod'
import {
  CobrowseEndedBySchema,
  cobrowseEventBaseShape,
  CobrowseRequestedBySchema,
  CobrowseStatusSchema,
} from './cobrowse-values.js'

/**
 * `Cobrowse_Session_Ended`: the agent, the end user or the API ended a co-browse session.
 *
 * @see seeds/000_2170762ce078838e.txt, Agent adapters › Event types › Co-browse session ended
 * confidence: documented
 */
export const CobrowseSessionEndedEventSchema = z.object({
  type: z.literal('Cobrowse_Session_Ended'),
  data: z.object({
    ...cobrowseEventBaseShape,
    // In the example but not in the field list, so optional.
    cobrowse_session_requested_by: CobrowseRequestedBySchema.nullish(),
    cobrowse_session_ended_by: CobrowseEndedBySchema,
    cobrowse_session_remote_control: CobrowseStatusSchema,
    cobrowse_session_full_device: CobrowseStatusSchema,
  }),
})
export type CobrowseSessionEndedEvent = z.infer<typeof CobrowseSessionEndedEventSchema>
