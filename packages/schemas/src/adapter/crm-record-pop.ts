import { z } from 'zod'
import { UrlSchema } from '../common/primitives.js'

/**
 * `CRM_Record_Pop`: server-side event asking the CRM page to pop a record. `recordUrl` is camelCase
 * on the wire, unlike every other adapter field. The docs show only the listener code
 * (`data.data.recordUrl`), no full payload, so no other `data` field is known.
 *
 * @see seeds/000_2170762ce078838e.txt, Agent adapters › Background screen pop › CRM record pop
 * confidence: documented
 */
export const CrmRecordPopEventSchema = z.object({
  type: z.literal('CRM_Record_Pop'),
  data: z.object({
    recordUrl: UrlSchema,
  }),
})
export type CrmRecordPopEvent = z.infer<typeof CrmRecordPopEventSchema>
