import { z } from 'zod'
import { IntegerIdSchema } from '../common/primitives.js'
import { tolerantOnly } from '../internal/modes.js'
import { MenuTypeFieldSchema } from './session-vocabularies.js'

/**
 * `selected_menu`: the leaf queue the end-user chose. `hidden` is a boolean in every example with
 * values; the API page's type skeleton writes it as `"string"`, so tolerant mode also takes a string.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/apps-api-call
 * doc-example
 */
export const SelectedMenuSchema = z.object({
  id: IntegerIdSchema,
  name: z.string().nullish(),
  parent_id: IntegerIdSchema.nullish(),
  position: z.int().nonnegative().nullish(),
  deleted: z.boolean().nullish(),
  hidden: z.union([z.boolean(), tolerantOnly(z.string())]).nullish(),
  menu_type: MenuTypeFieldSchema.nullish(),
  output_msg: z.string().nullish(),
})
export type SelectedMenu = z.infer<typeof SelectedMenuSchema>
