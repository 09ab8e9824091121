import { ScenarioParamsSchema, SCENARIO_NAMES } from '@ccai-sim/fixtures'
import { z } from 'zod'

/** Request and response bodies of the control API (`/_sim`), the source of `/openapi.json`. */

export const StartSessionRequestSchema = z
  .object({
    scenario: z.enum(SCENARIO_NAMES as [string, ...string[]]),
    /** Default: the simulator's seed. The same seed and scenario replay the same session. */
    seed: z
      .int()
      .min(0)
      .max(2 ** 31)
      .optional(),
    params: ScenarioParamsSchema.optional(),
  })
  .meta({ id: 'StartSessionRequest' })
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
  .meta({ id: 'ClockRequest', description: 'Exactly one of advanceMs or set.' })
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
      'reset',
    ])
    .optional(),
})

export const SessionSummarySchema = z
  .object({
    id: z.int(),
    scenario: z.string(),
    seed: z.int(),
    kind: z.enum(['call', 'chat']),
    state: z.enum(['live', 'ended', 'complete']),
    startedAt: z.string(),
    delivered: z.int(),
    total: z.int(),
  })
  .meta({ id: 'SessionSummary' })
export type SessionSummary = z.infer<typeof SessionSummarySchema>

export const ClockStateSchema = z
  .object({
    mode: z.enum(['realtime', 'scaled', 'manual']),
    now: z.string(),
    scale: z.number(),
    pendingTimers: z.int(),
  })
  .meta({ id: 'ClockState' })

/** A session id in a path: digits (anything else names no session: 404 `unknown_session`). */
export const SessionIdParamsSchema = z.object({
  id: z
    .string()
    .regex(/^\d{1,15}$/)
    .describe('A session id (GET /_sim/sessions lists them).'),
})

export const ScenarioSummarySchema = z
  .object({
    name: z.string(),
    title: z.string(),
    description: z.string(),
    kind: z.enum(['call', 'chat']),
    channel: z.string(),
  })
  .meta({ id: 'ScenarioSummary' })

/** `GET /_sim/sessions/:id`: the summary, the story's entities, the timeline, emissions, files. */
export const SessionDetailSchema = SessionSummarySchema.extend({
  story: z.object({
    kind: z.enum(['call', 'chat']),
    channel: z.string(),
    legacyType: z.string(),
    sessionTypeV2: z.string(),
    outcome: z.enum(['finished', 'abandoned', 'dismissed']),
    endUser: z.looseObject({}).describe('The end user (fixtures EndUserEntity).'),
    queue: z.looseObject({}).describe('The queue (fixtures QueueEntity).'),
    agents: z.array(z.looseObject({})).describe('Every human agent, the first one answering.'),
    virtualAgent: z.looseObject({}).nullable(),
    ticket: z.looseObject({}).describe('The CRM ticket (fixtures TicketEntity).'),
  }),
  timeline: z.array(
    z.looseObject({ kind: z.string(), at: z.string(), seq: z.int() }).describe('A story step.'),
  ),
  emissions: z.array(
    z.object({
      at: z.string(),
      surface: z.string(),
      contract: z.string(),
      key: z.string(),
      agentId: z.int().optional(),
      /** Whether the virtual clock has reached it. */
      published: z.boolean(),
      payload: z.unknown(),
    }),
  ),
  files: z.array(
    z.object({
      at: z.string(),
      path: z.string(),
      contentType: z.string(),
      contract: z.string().nullable(),
      written: z.boolean(),
    }),
  ),
}).meta({ id: 'SessionDetail' })

/** One journal entry (`type` decides the other fields; times are virtual epoch milliseconds). */
export const JournalEntrySchema = z
  .looseObject({
    seq: z.int(),
    at: z.number(),
    type: JournalQuerySchema.shape.type.unwrap(),
    sessionId: z.int().optional(),
  })
  .meta({ id: 'JournalEntry' })

export const JournalPageSchema = z
  .object({
    entries: z.array(JournalEntrySchema),
    /** Entries the bounded journal let go of. */
    dropped: z.int(),
    /** The seq to pass as `since` for the next page. */
    next: z.int(),
  })
  .meta({ id: 'JournalPage' })

/** `GET /_sim/sessions/:id/crm`: the generic-API flow of a session (times ISO 8601). */
export const CrmFlowReportSchema = z
  .looseObject({
    sessionId: z.int(),
    state: z.enum(['waiting', 'running', 'done']),
    accountId: z.string().nullable(),
    recordId: z.string().nullable(),
    actions: z.array(
      z.looseObject({
        ordinal: z.int(),
        kind: z.string(),
        at: z.string(),
        trigger: z.string(),
        state: z.enum(['planned', 'released', 'done']),
      }),
    ),
    steps: z.array(
      z.looseObject({
        startedAt: z.string().optional(),
        finishedAt: z.string().optional(),
        nextAttemptAt: z.string().optional(),
      }),
    ),
    notes: z.array(z.string()),
  })
  .meta({ id: 'CrmFlowReport' })
