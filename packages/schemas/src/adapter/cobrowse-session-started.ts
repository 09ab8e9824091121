import { z } from 'zod'
import {
  cobrowseEventBaseShape,
  CobrowseRequestedBySchema,
  CobrowseStatusSchema,
} from './cobrowse-values.js'

/**
 * `Cobrowse_Session_Started`: an agent or the end user started a co-browse session during a call or chat.
 *
 * @see seeds/000_2170762ce078838e.txt, Agent adapters › Event types › Co-browse session started
 * confidence: documented
 */
export const CobrowseSessionStartedEventSchema = z.object({
  type: z.literal('Cobrowse_Session_Started'),
  data: z.object({
    ...cobrowseEventBaseShape,
    cobrowse_session_requested_by: CobrowseRequestedBySchema,
    cobrowse_session_remote_control: CobrowseStatusSchema,
    cobrowse_session_full_device: CobrowseStatusSchema,
  }),
})
export type CobrowseSessionStartedEvent = z.infer<typeof CobrowseSessionStartedEventSchema>
