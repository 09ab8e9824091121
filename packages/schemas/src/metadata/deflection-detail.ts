import { z } from 'zod'
import { IntegerIdSchema } from '../common/primitives.js'
import { MenuPathSchema } from './menu-path.js'

/**
 * One item of `deflection_details`. The API examples only show empty arrays; the fields are those a
 * third-party parser reads from real metadata files (`chat_id` by analogy with `call_id`).
 *
 * @see reference §1.5 (third-party parser)
 * inferred
 */
export const DeflectionDetailSchema = z.object({
  id: IntegerIdSchema,
  call_id: IntegerIdSchema.nullish(),
  chat_id: IntegerIdSchema.nullish(),
  transfer_id: IntegerIdSchema.nullish(),
  from_menu_path: MenuPathSchema.nullish(),
})
export type DeflectionDetail = z.infer<typeof DeflectionDetailSchema>
