import { ScenarioParamsSchema, SCENARIO_NAMES } from '@ccai-sim/fixtures'
import { z } from 'zod'

/** Request and response bodies of the control API (`/_sim`), the source of `/openapi.json`. */

export const StartSessionRequestSchema = z.object({
  scenario: z.enum(SCENARIO_NAMES as [string, ...string[]]),
  /** Default: the simulator's seed. The same seed and scenario replay the same session. */
  seed: z
    .int()
    .min(0)
    .max(2 ** 31)
    .optional(),
  params: ScenarioParamsSchema.optional(),
})
export type StartSessionRequest = z.infer<typeof StartSessionRequestSchema>

export const ClockRequestSchema = z
  .object({
    /** Milliseconds to move the manual clock on by. */
    advanceMs: z
      .int()
      .min(0)
      .max(365 * 86_400_000)
      .optional(),
    /** A time to set the manual clock to (never backwards). */
    set: z.iso.datetime({ offset: true }).optional(),
  })
  // The issue sits on a field (not on `$`) so a client sees which key to add or drop.
  .superRefine((body, ctx) => {
    if (body.advanceMs !== undefined && body.set !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['set'],
        input: body.set,
        message: 'no set when advanceMs is given (exactly one of advanceMs or set)',
      })
    } else if (body.advanceMs === undefined && body.set === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['advanceMs'],
        input: undefined,
        message: 'exactly one of advanceMs or set',
      })
    }
  })
export type ClockRequest = z.infer<typeof ClockRequestSchema>

export const JournalQuerySchema = z.object({
  since: z.string().regex(/^\d+$/, 'a journal sequence number').optional(),
  limit: z.string().regex(/^\d+$/, 'a number of entries').optional(),
  type: z
    .enum([
      'session-started',
      'emitted',
      'file-written',
      'file-failed',
      'delivery-attempt',
      'mail-sent',
      'mail-failed',
      'crm-exchange',
      'backlog',
      'reset',
    ])
    .optional(),
})

export const SessionSummarySchema = z.object({
  id: z.int(),
  scenario: z.string(),
  seed: z.int(),
  kind: z.enum(['call', 'chat']),
  state: z.enum(['live', 'ended', 'complete']),
  startedAt: z.string(),
  delivered: z.int(),
  total: z.int(),
})
export type SessionSummary = z.infer<typeof SessionSummarySchema>

export const ClockStateSchema = z.object({
  mode: z.enum(['realtime', 'scaled', 'manual']),
  now: z.string(),
  scale: z.number(),
  pendingTimers: z.int(),
})
