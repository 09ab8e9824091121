import { checkPayload } from '@ccai-sim/schemas'
import type { Context } from 'hono'
import type { z } from 'zod'
import { SimulatorError } from '../errors.js'
import {
  CONTROL_BODY_LIMITS,
  parseJsonText,
  readLimitedText,
  type BodyLimits,
} from './body-limits.js'

/** At most this many issues are listed: a body with thousands of unknown keys gets a short answer. */
const MAX_ISSUES = 20

/** Reads and strictly validates a JSON body; a bad body is `invalid_request` naming each field. */
export async function jsonBody<TSchema extends z.ZodType>(
  c: Context,
  schema: TSchema,
  limits: BodyLimits = CONTROL_BODY_LIMITS,
): Promise<z.output<TSchema>> {
  const text = await readLimitedText(c, limits)
  let value: unknown = {}
  if (text.trim() !== '') value = parseJsonText(text, limits)
  const result = checkPayload(schema, value, { mode: 'strict' })
  if (!result.ok) {
    const shown = result.issues.slice(0, MAX_ISSUES)
    const more = result.issues.length - shown.length
    const detail = shown.map((i) => i.message).join('; ')
    throw new SimulatorError(
      'invalid_request',
      more > 0 ? `${detail}; and ${String(more)} more issues` : detail,
      { issues: shown },
    )
  }
  return result.value
}

/**
 * Validates query parameters (all strings) against a schema of optional string fields. `tolerant`
 * ignores parameters the schema does not name (an emulated API's clients send ones we do not read).
 */
export function queryParams<TSchema extends z.ZodType>(
  c: Context,
  schema: TSchema,
  mode: 'strict' | 'tolerant' = 'strict',
): z.output<TSchema> {
  const result = checkPayload(schema, c.req.query(), { mode })
  if (!result.ok) {
    throw new SimulatorError(
      'invalid_request',
      result.issues.map((i) => `query ${i.message}`).join('; '),
      { issues: result.issues },
    )
  }
  return result.value
}
