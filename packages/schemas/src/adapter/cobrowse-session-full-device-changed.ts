import { z } from 'zod'
import { cobrowseEventBaseShape, CobrowseStatusSchema } from './cobrowse-values.js'

/**
 * `Cobrowse_Session_Full_Device_Changed`: the full-device state of a co-browse session changed.
 * The field list capitalises `Cobrowse_session_id` / `Cobrowse_session_full_device`; the example
 * (the wire) is lower-case, and only that is accepted.
 *
 * @see seeds/000_2170762ce078838e.txt, Agent adapters › Event types › Co-browse session full device changed
 * confidence: documented
 */
export const CobrowseSessionFullDeviceChangedEventSchema = z.object({
  type: z.literal('Cobrowse_Session_Full_Device_Changed'),
  data: z.object({
    ...cobrowseEventBaseShape,
    cobrowse_session_full_device: CobrowseStatusSchema,
  }),
})
export type CobrowseSessionFullDeviceChangedEvent = z.infer<
  typeof CobrowseSessionFullDeviceChangedEventSchema
>
