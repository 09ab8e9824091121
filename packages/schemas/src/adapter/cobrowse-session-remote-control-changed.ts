import { z } from 'zod'
import { cobrowseEventBaseShape, CobrowseStatusSchema } from './cobrowse-values.js'

/**
 * `Cobrowse_Session_Remote_Control_Changed`: the remote-control state of a co-browse session changed.
 *
 * @see seeds/000_2170762ce078838e.txt, Agent adapters › Event types › Co-browse session remote control changed
 * confidence: documented
 */
export const CobrowseSessionRemoteControlChangedEventSchema = z.object({
  type: z.literal('Cobrowse_Session_Remote_Control_Changed'),
  data: z.object({
    ...cobrowseEventBaseShape,
    cobrowse_session_remote_control: CobrowseStatusSchema,
  }),
})
export type CobrowseSessionRemoteControlChangedEvent = z.infer<
  typeof CobrowseSessionRemoteControlChangedEventSchema
>
