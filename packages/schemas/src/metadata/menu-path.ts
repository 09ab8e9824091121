import { z } from 'zod'

/**
 * `menu_path` (and `from_menu`/`to_menu`, `from_menu_path`/`to_menu_path`): the queue path the
 * session went through, as names and as a string of menu ids (`"9"`, `"7/26"`).
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/apps-api-call
 * doc-example
 */
export const MenuPathSchema = z.object({
  items_count: z.int().nonnegative().nullish(),
  name: z.string(),
  materialized_path: z.string(),
})
export type MenuPath = z.infer<typeof MenuPathSchema>
