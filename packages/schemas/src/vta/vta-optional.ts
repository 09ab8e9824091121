import { z } from 'zod'
import { tolerantOnly } from '../internal/modes.js'

/**
 * The VTA post-event pages mark optional fields "omitted if not available" (absent-only), while the
 * sibling adapter events (`End_Chat`) send `null` for the same fields. Strict emits absent-only, as
 * the VTA page says; tolerant also accepts the `null` habit of the other adapter events.
 */
export function omittedIfUnavailable<TSchema extends z.ZodType>(schema: TSchema) {
  return z.union([schema, tolerantOnly(z.null())]).optional()
}
