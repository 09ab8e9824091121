import type { z } from 'zod'
import type { DeliveriesSchema } from '../../control/schemas.js'
/* The simulator's HTTP API as the console reads it (shapes per /openapi.json). */

export interface ProblemIssue {
  readonly path: string
  readonly expected: string
  readonly received: string
  readonly message: string
}

export interface Problem {
  readonly type?: string
  readonly title?: string
  readonly detail?: string
  readonly issues?: readonly ProblemIssue[]
}

export type ApiResult<T> =
  | { readonly ok: true; readonly status: number; readonly data: T; readonly text: string }
  | { readonly ok: false; readonly status: number; readonly problem: Problem }

/** One call: JSON in and out; a problem+json (or any failure) comes back as `problem`. */
export async function api<T>(method: string, path: string, body?: unknown): Promise<ApiResult<T>> {
  let response: Response
  try {
    response = await fetch(path, {
      method,
      headers:
        body === undefined
          ? { accept: 'application/json' }
          : { 'content-type': 'application/json', accept: 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error)
    return { ok: false, status: 0, problem: { title: 'The simulator is not reachable', detail } }
  }
  const text = await response.text()
  let data: unknown = null
  try {
    data = text === '' ? null : (JSON.parse(text) as unknown)
  } catch {
    data = null
  }
  if (!response.ok) {
    const problem =
      data !== null && typeof data === 'object'
        ? (data as Problem)
        : { title: `HTTP ${String(response.status)}`, detail: text.slice(0, 300) }
    return { ok: false, status: response.status, problem }
  }
  return { ok: true, status: response.status, data: data as T, text }
}

export interface Clock {
  readonly mode: string
  readonly now: string
  readonly scale: number
  readonly pendingTimers: number
}

export interface ScenarioSummary {
  readonly name: string
  readonly title: string
  readonly description: string
  readonly kind: string
  readonly channel: string
}

export interface SessionSummary {
  readonly id: number
  readonly scenario: string
  readonly seed: number
  readonly kind: string
  readonly state: string
  readonly agent: string
  readonly phase: string
  readonly startedAt: string
  readonly delivered: number
  readonly total: number
}

export interface Emission {
  readonly at: string
  readonly surface: string
  readonly contract: string
  readonly key: string
  readonly agentId?: number
  readonly published: boolean
  readonly payload: unknown
}

export interface SessionFile {
  readonly at: string
  readonly path: string
  readonly contentType: string
  readonly written: boolean
}

export interface SessionInput {
  readonly type: string
  readonly at: string
  readonly [field: string]: unknown
}

export interface Person {
  readonly id?: number
  readonly name?: string
  readonly phone?: string
  readonly email?: string
}

export interface SessionDetail extends SessionSummary {
  readonly story: {
    readonly kind?: string
    readonly channel?: string
    readonly legacyType?: string
    readonly outcome?: string
    readonly endUser?: Person | null
    readonly queue?: { readonly path?: string } | null
    readonly agents?: readonly Person[]
    readonly ticket?: { readonly id?: string; readonly url?: string | null } | null
  }
  readonly inputs: readonly SessionInput[]
  readonly timeline: readonly ({
    readonly kind: string
    readonly at: string
    readonly seq: number
  } & Readonly<Record<string, unknown>>)[]
  readonly emissions: readonly Emission[]
  readonly files: readonly SessionFile[]
}

/** A journal entry; the fields beyond the common ones depend on `type` (runtime/journal.ts). */
export interface JournalEntry {
  readonly seq: number
  readonly at: number
  readonly type: string
  readonly sessionId?: number
  readonly [field: string]: unknown
}

/** `type: 'crm-exchange'`: one request to the CRM and its answer (headers already masked). */
export interface CrmExchangeEntry extends JournalEntry {
  readonly type: 'crm-exchange'
  readonly sessionId: number
  readonly step: string
  readonly endpoint: string
  readonly attempt: number
  readonly method: string
  readonly url: string
  readonly status?: number
  readonly error?: string
  readonly durationMs?: number
  readonly outcome: string
  readonly requestHeaders: Readonly<Record<string, string>>
  readonly requestBody?: string
  readonly responseBody?: string
}

export interface JournalPage {
  readonly entries: readonly JournalEntry[]
  readonly dropped: number
  readonly next: number
}

export interface StoredFile {
  readonly path: string
  readonly bytes: number
  readonly contentType: string
  readonly url: string
}

export interface MailSummary {
  readonly id: string
  readonly receivedAt: string
  readonly from: string
  readonly to: readonly string[]
  readonly subject: string
  readonly text: string
  readonly headers: Readonly<Record<string, string>>
  readonly sessionId: string | null
  readonly attachments: readonly {
    readonly filename: string
    readonly contentType: string
    readonly size: number
  }[]
}

export interface Agent {
  readonly id: number
  readonly name: string
  readonly email: string
  readonly presence: string
  readonly since: string
  readonly reason: string | null
  readonly sessions: readonly number[]
  readonly manual: boolean
}

// The delivery views read the wire shape of `GET /_sim/deliveries` (types only, erased from the bundle).
export type Deliveries = z.output<typeof DeliveriesSchema>
export type OutboxStats = Deliveries['mail']
export type DeliveryLane = OutboxStats['lanes'][number]
export type GivenUpDelivery = DeliveryLane['givenUp'][number]

export interface WebhookTarget {
  readonly url: string
  readonly headers?: Readonly<Record<string, string>>
}

export interface Webhooks {
  readonly adapter: readonly WebhookTarget[]
  readonly qm: readonly WebhookTarget[]
}
