import {
  ScenarioParamsSchema,
  SCENARIO_NAMES,
  type AgentCommandName,
  type SessionInputBody,
} from '@ccai-sim/fixtures'
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
  /** `manual`: the agent's part waits for a person or a client (control API, adapter page). */
  agent: z.enum(['scripted', 'manual']).optional(),
  /** The agent who handles the session instead of the drawn one. */
  agentId: z.int().min(1).max(999_999_999).optional(),
})
export type StartSessionRequest = z.infer<typeof StartSessionRequestSchema>

const AgentId = z.int().min(1).max(999_999_999)
const WithAgent = { agentId: AgentId }

/**
 * Agent commands (`POST /_sim/sessions/{id}/{command}`): what an agent does in the adapter, applied
 * to the session machine. Each body names the acting agent.
 */
export const AGENT_COMMAND_SCHEMAS = {
  accept: z.object(WithAgent),
  decline: z.object(WithAgent),
  activate: z.object(WithAgent),
  message: z.object({ ...WithAgent, text: z.string().min(1).max(10_000) }),
  hold: z.object(WithAgent),
  resume: z.object(WithAgent),
  transfer: z.object({
    ...WithAgent,
    toAgentId: AgentId,
    toQueueId: z.int().min(1).max(999_999),
    warm: z.boolean().default(true),
  }),
  join: z.object(WithAgent),
  leave: z.object(WithAgent),
  add_party: z.object({ ...WithAgent, toAgentId: AgentId }),
  cobrowse_start: z.object({
    ...WithAgent,
    cobrowseId: z
      .string()
      .regex(/^[a-z0-9]{6,32}$/)
      .default('cobrowse0001'),
  }),
  cobrowse_request: z.object({ ...WithAgent, control: z.enum(['remote_control', 'full_device']) }),
  cobrowse_end: z.object(WithAgent),
  redaction_start: z.object(WithAgent),
  redaction_stop: z.object(WithAgent),
  smart_action: z.object({
    ...WithAgent,
    media: z.enum(['photo', 'video']),
    delivery: z.enum(['in_app', 'sms_link']).default('in_app'),
  }),
  end: z.object(WithAgent),
  dismiss: z.object(WithAgent),
  finish_wrapup: z.object({
    ...WithAgent,
    disposition: z.string().min(1).max(200).default('Resolved'),
  }),
} as const satisfies Record<AgentCommandName, z.ZodType>
export type { AgentCommandName }

/** The session input an agent command's body becomes. */
export function agentInput(
  command: AgentCommandName,
  body: z.output<(typeof AGENT_COMMAND_SCHEMAS)[AgentCommandName]>,
): SessionInputBody {
  return { ...body, type: `agent.${command}` } as SessionInputBody
}

/** Customer actions (`POST /_sim/sessions/{id}/customer/{action}`): the end user's side by hand. */
export const CUSTOMER_ACTION_SCHEMAS = {
  message: z.object({ text: z.string().min(1).max(10_000) }),
  end: z.object({}),
  abandon: z.object({}),
  escalate: z.object({}),
  csat: z.object({
    rating: z.int().min(1).max(5),
    feedback: z.string().max(2_000).nullable().default(null),
  }),
  media_upload: z.object({ media: z.enum(['photo', 'video']) }),
  cobrowse_answer: z.object({
    control: z.enum(['remote_control', 'full_device']),
    state: z.enum(['on', 'rejected', 'off']),
  }),
  cobrowse_end: z.object({}),
} as const
export type CustomerActionName = keyof typeof CUSTOMER_ACTION_SCHEMAS

export function customerInput(
  action: CustomerActionName,
  body: z.output<(typeof CUSTOMER_ACTION_SCHEMAS)[CustomerActionName]>,
): SessionInputBody {
  return { ...body, type: `customer.${action}` } as SessionInputBody
}

/** Presence commands (`POST /_sim/agents/{id}/{command}`). */
export const PRESENCE_COMMANDS = ['login', 'logout', 'available', 'unavailable'] as const
export const PresenceRequestSchema = z.object({ reason: z.string().min(1).max(200).optional() })

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
      'upload',
      'reset',
      'input',
      'input-refused',
      'agent',
    ])
    .optional(),
})

export const SessionSummarySchema = z.object({
  id: z.int(),
  scenario: z.string(),
  seed: z.int(),
  kind: z.enum(['call', 'chat']),
  state: z.enum(['live', 'ended', 'complete']),
  agent: z.enum(['scripted', 'manual']),
  phase: z.enum(['new', 'routing', 'offered', 'connected', 'ended', 'wrapup', 'done']),
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
