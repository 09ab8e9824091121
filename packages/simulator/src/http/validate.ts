import { checkPayload } from '@ccai-sim/schemas'
import type { Context } from 'hono'
import type { z } from 'zod'
import { SimulatorError } from '../errors.js'

/** Reads and strictly validates a JSON body; a bad body is `invalid_request` naming each field. */
export async function jsonBody<TSchema extends z.ZodType>(
  c: Context,
  schema: TSchema,
): Promise<z.output<TSchema>> {
  const text = await c.req.text()
  let value: unknown = {}
  if (text.trim() !== '') {
    try {
      value = JSON.parse(text) as unknown
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error)
      throw new SimulatorError('invalid_request', `the body is not valid JSON: ${detail}`, {
        issues: [
          {
            path: '$',
            code: 'invalid_json',
            expected: 'a JSON object',
            received: detail,
            message: `$: expected a JSON object, received malformed JSON (${detail})`,
          },
        ],
      })
    }
  }
  const result = checkPayload(schema, value, { mode: 'strict' })
  if (!result.ok) {
    throw new SimulatorError('invalid_request', result.issues.map((i) => i.message).join('; '), {
      issues: result.issues,
    })
  }
  return result.value
}

/** Validates query parameters (all strings) against a schema of optional string fields. */
export function queryParams<TSchema extends z.ZodType>(
  c: Context,
  schema: TSchema,
): z.output<TSchema> {
  const result = checkPayload(schema, c.req.query(), { mode: 'strict' })
  if (!result.ok) {
    throw new SimulatorError(
      'invalid_request',
      result.issues.map((i) => `query ${i.message}`).join('; '),
      { issues: result.issues },
    )
  }
  return result.value
}
