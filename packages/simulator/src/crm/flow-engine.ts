import {
  commentBody,
  isCrmSetupStep,
  projectCrmVariables,
  projectStorageFiles,
  storageFileByteLength,
  type SessionStory,
  type StorageFile,
  type TimedStep,
} from '@ccai-sim/fixtures'
import {
  genericApiCapabilities,
  parseStoragePath,
  type CommentEvent,
  type CrmIntegrationSettings,
  type GenericApiCapabilities,
  type GenericApiVariable,
  type UploadFileKind,
} from '@ccai-sim/schemas'
import {
  DEFAULT_CRM_IMMEDIATE_RETRY,
  retriesAtOnce,
  type CrmImmediateRetry,
} from './immediate-retry.js'
import {
  OPTIONAL_RECORD_UPDATE_EVENTS,
  recordUpdateEventOf,
  surveyCommentOf,
  type OptionalRecordUpdateEvent,
  type RecordUpdateEvent,
} from './record-events.js'
import { buildCrmRequestFromOwnVariables, type CrmUploadFile } from './request-builder.js'
import { attachmentLink, readCrmResult } from './response.js'
import { missingUrlVariables } from './template.js'
import type { CrmEndpointName, CrmExchange, CrmHttpRequest, CrmVariables } from './types.js'

/*
 * The flow engine: the generic API's calls for one session, in the documented order, at the
 * story's times (reference §5.2, the error-handling page's order; seed 000, API account, API
 * record, Upload a file, Comment; reference §8 for rate limits).
 *
 *   account: find by ID (when Find an account by ID is usable and an id is known; 404 → by query,
 *            2xx with nothing → straight to create) → find by query → create unless found or
 *            `skip_account_creation`
 *   record:  find by query (only with `reuse_existing_records`) → create unless found or
 *            `skip_record_creation`
 *   comments and record updates on the story's documented events (record-events.ts) → uploads of
 *   the configured files (each with the optional upload comment) → the final (wrap-up) update.
 *
 * `planCrmFlow` is pure: it turns settings and a story into timed actions. `CrmFlowRun` performs
 * them one after another (never two at once for a session, so ids learned by earlier steps are
 * there for later ones and a queued write keeps its place), waiting on an injected clock for the
 * retry and back-fill delays. `runCrmFlow` runs a plan to the end on a clock of its own (the CLI).
 *
 * Decisions where the documents are silent (one line each):
 * - Account and record setup run at session start for chats ("for chats, a record will be created
 *   before an agent answers"), at the agent's connect for answered calls, and at the end of a call
 *   no agent answered (the IVR-abandoned case of the DEFAULT_VALUE example); the start comment follows.
 * - Values a session does not have yet are empty at the time of a step: agent variables before the
 *   agent is assigned, durations and `{DISCONNECTED_BY}` before the end, `{RATING}`/`{FEEDBACK}`
 *   before the CSAT, `{WAIT_TIME}` before the wait is over.
 * - `{ACCOUNT_ID}` starts as the known id (the runtime remembers ids learned in earlier sessions of
 *   the same end user); `{RECORD_ID}` always starts empty.
 * - A non-404 failure of Find an account by ID keeps the known id and skips find by query and
 *   create (the id may well be valid); a failed find by query does not create (it is not a
 *   "not found"), and after it, as after a failed create, the record is neither searched for nor
 *   created (seed 000: records are attached to accounts, "we enforce this requirement"; only
 *   `skip_account_creation` goes on without an account, as the error-handling page says); a 404
 *   from any find is a "not found". Only a 404 from find by ID leads to find by
 *   query (seed 000 says so of the 404 alone); its 2xx with nothing is a plain "not found".
 * - A found object without an id is a warning and counts as not found.
 * - Comments, uploads and the update need `{RECORD_ID}` (reference §5.2); without it they are
 *   `skipped`, as is any request whose URL names a variable without a value.
 * - "Custom data package" comments come from the virtual agent's custom session variables
 *   (`va_variables` steps); "survey questions and answers" from the post-session survey the `csat`
 *   step answers (record-events.ts).
 * - Each file is uploaded when it appears in storage (the transcript within seconds of the end, the
 *   metadata file and recording ~15 minutes later); the final update follows the last upload.
 * - A request that is being retried or back-filled holds up the session's later requests (they
 *   need its ids, and order is kept); other sessions go on, except while the CRM rate-limits (one
 *   gate for the whole CRM).
 * - 429: waits `Retry-After` (seconds or an HTTP date, on the virtual clock) or else an
 *   exponential backoff, then sends again; by default it never gives up ("nothing is lost").
 * - The error-handling page's "once, immediately, for some statuses" and for no response: one
 *   retry at the same instant (`crm.retry.immediate`, immediate-retry.ts says which statuses); then
 *   the scheduled rule (400) or the 429 rule applies to the second answer, else the step fails.
 */

/** The steps of a report, by the endpoint they call. */
export type CrmStepName = CrmEndpointName

/** What ended a step, or where it stands. */
export type CrmStepOutcome =
  'pending' | 'retrying' | 'queued' | 'succeeded' | 'warning' | 'failed' | 'skipped'

/** A comment's occasion: the documented events, plus the optional comment after an upload. */
export type CrmCommentOccasion = CommentEvent | 'file_uploaded'

/** One action of the flow, at the story time it happens. */
export type CrmFlowAction = CrmActionBase &
  (
    | { readonly kind: 'account' }
    | { readonly kind: 'record' }
    | { readonly kind: 'comment'; readonly event: CommentEvent; readonly text: string }
    | { readonly kind: 'upload'; readonly fileKind: UploadFileKind; readonly file: CrmFlowFile }
    | { readonly kind: 'update'; readonly event: RecordUpdateEvent }
  )

interface CrmActionBase {
  /** Position in the flow, from 0: actions run in this order. */
  readonly ordinal: number
  /** Epoch ms (virtual): when the platform performs it. */
  readonly at: number
  /** The story step (kind) that triggers it. */
  readonly trigger: string
  /** The session's values at `at`; `ACCOUNT_ID`/`RECORD_ID` are filled in as the flow learns them. */
  readonly variables: CrmVariables
}

/** A storage file as the upload endpoint sends it. */
export interface CrmFlowFile extends CrmUploadFile {
  /** Storage path (`ujet-metadata/call-1.json`). */
  readonly path: string
  /** The bytes' length, known without making them (`bytes` makes a recording at each read). */
  readonly byteLength: number
}

export type CrmActionKind = CrmFlowAction['kind']

/** A session's generic-API flow, planned: what will be called when. */
export interface CrmFlowPlan {
  readonly sessionId: number
  readonly settings: CrmIntegrationSettings
  readonly capabilities: GenericApiCapabilities
  readonly knownAccountId: string | undefined
  /**
   * The record the session belongs to from the start: an Apps API request's `ticket_id`. Record
   * setup uses it (no find, no create); comments, uploads and the update go to it.
   */
  readonly knownRecordId?: string | undefined
  readonly actions: readonly CrmFlowAction[]
  /** Why parts of the flow are left out ("no Comment endpoint: no comments"). */
  readonly notes: readonly string[]
}

export interface PlanCrmFlowInput {
  readonly settings: CrmIntegrationSettings
  readonly story: SessionStory
  /** The session's storage files; default `projectStorageFiles(story)`. */
  readonly files?: readonly StorageFile[]
  /** An account id the platform already knows for this end user (enables Find an account by ID). */
  readonly knownAccountId?: string | undefined
  /** Which events update the record besides the final update; default all (`crm.updateRecordOn`). */
  readonly updateRecordOn?: readonly OptionalRecordUpdateEvent[] | undefined
}

export interface CrmFlowPlannerOptions {
  /** Which events update the record besides the final (wrap-up) update; default all of them. */
  readonly updateRecordOn?: readonly OptionalRecordUpdateEvent[] | undefined
}

/** The documented retry policy, and the rate-limit back-fill, as settings (`crm.retry`). */
export interface CrmRetryPolicy {
  /**
   * The error-handling page's single immediate retry (no response, some statuses); absent means
   * `DEFAULT_CRM_IMMEDIATE_RETRY` (policies written before it existed keep the documented rule).
   */
  readonly immediate?: CrmImmediateRetry | undefined
  /** Statuses retried on a schedule; documented: 400 only (seed 000, API account). */
  readonly statuses: readonly number[]
  /** First retry delay; each next one is `factor` times longer ("exponential ramp down"). */
  readonly initialDelayMs: number
  readonly factor: number
  readonly maxDelayMs: number
  /** No retry is scheduled later than this after the first attempt (documented: a week). */
  readonly giveUpAfterMs: number
  /** 429: the request waits and is sent again (reference §8: queued, back-filled later). */
  readonly rateLimited: {
    /** Backoff when the response has no usable `Retry-After`; doubles each time. */
    readonly initialDelayMs: number
    readonly maxDelayMs: number
    /** `null`: never give up. */
    readonly giveUpAfterMs: number | null
  }
}

const MINUTE = 60_000
const DAY = 86_400_000

/**
 * The documented policy: HTTP 400 retried with growing delays (1 min, 2 min, 4 min … capped at a
 * day) for up to a week, other errors not retried (seed 000, API account; reference §5.4); 429
 * back-filled after `Retry-After` or a backoff from 1 s to 1 h, never dropped (reference §8).
 */
export const DEFAULT_CRM_RETRY_POLICY: CrmRetryPolicy = {
  immediate: DEFAULT_CRM_IMMEDIATE_RETRY,
  statuses: [400],
  initialDelayMs: MINUTE,
  factor: 2,
  maxDelayMs: DAY,
  giveUpAfterMs: 7 * DAY,
  rateLimited: { initialDelayMs: 1_000, maxDelayMs: 60 * MINUTE, giveUpAfterMs: null },
}

/** One step of a flow's report. Times are epoch ms (virtual). */
export interface CrmStepReport {
  readonly seq: number
  /** The action it belongs to (`CrmFlowAction.ordinal`). */
  readonly action: number
  readonly step: CrmStepName
  readonly comment?: CrmCommentOccasion
  /** Upload steps: the storage path. */
  readonly file?: string
  /** Update steps: the event that updates the record. */
  readonly update?: RecordUpdateEvent
  outcome: CrmStepOutcome
  /** Find steps: whether it found something. */
  found?: boolean
  /** The id the step learned (account, record). */
  id?: string
  /** Upload steps: the attachment's link (builder URL or attachment URL). */
  link?: string
  attempts: number
  status?: number
  error?: string
  detail?: string
  startedAt?: number
  finishedAt?: number
  /** While `retrying`/`queued`: when the next attempt is due. */
  nextAttemptAt?: number
}

/** Where a flow stands, for `GET /_sim/sessions/:id/crm` and the CLI. */
export interface CrmFlowReport {
  readonly sessionId: number
  /** `waiting`: nothing to do until the clock reaches an action or a retry; `done`: all ran. */
  readonly state: 'waiting' | 'running' | 'done'
  readonly accountId: string | null
  readonly recordId: string | null
  readonly actions: readonly {
    readonly ordinal: number
    readonly kind: CrmActionKind
    readonly at: number
    readonly trigger: string
    readonly state: 'planned' | 'released' | 'done'
    readonly comment?: CommentEvent
    readonly file?: string
    /** Update actions: the event that updates the record. */
    readonly update?: RecordUpdateEvent
  }[]
  readonly steps: readonly CrmStepReport[]
  readonly notes: readonly string[]
}

/** One attempt, as the journal records it. */
export interface CrmExchangeRecord {
  readonly at: number
  readonly sessionId: number
  readonly step: CrmStepName
  readonly attempt: number
  readonly exchange: CrmExchange
  /** What the flow made of it. */
  readonly outcome: 'ok' | 'not_found' | 'warning' | 'retrying' | 'queued' | 'failed'
  /** With `retrying`: sent again at once (`immediate`) or after a delay (`scheduled`). */
  readonly retry?: 'immediate' | 'scheduled'
  /** With `retrying`/`queued`: when the next attempt goes out (epoch ms, virtual). */
  readonly nextAttemptAt?: number
}

/** The clock the flow waits on: the simulator's virtual clock, or `runCrmFlow`'s own. */
export interface CrmFlowClock {
  now(): number
  schedule(at: number, fn: () => void): void
}

/**
 * The CRM's rate limit, shared by every session's flow: after a 429 nobody sends before
 * `blockedUntil` (reference §8: the platform queues its commands until the CRM accepts calls again).
 */
export class CrmRateLimitGate {
  blockedUntil = 0

  block(until: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, until)
  }
}

export interface CrmFlowDeps {
  /** Sends one request (the CRM client's `send`); never rejects for HTTP or network failures. */
  readonly send: (request: CrmHttpRequest) => Promise<CrmExchange>
  readonly clock: CrmFlowClock
  /** Default `DEFAULT_CRM_RETRY_POLICY`. */
  readonly retry?: CrmRetryPolicy | undefined
  /** Default: one of its own. Share one between sessions that call the same CRM. */
  readonly gate?: CrmRateLimitGate | undefined
  /** Every attempt (request and response), for the journal. */
  readonly onExchange?: ((record: CrmExchangeRecord) => void) | undefined
  /** Called with a promise each time the flow starts working; it settles when it rests again. */
  readonly onBusy?: ((quiet: Promise<void>) => void) | undefined
  /** Called when an account id is learned (found or created), e.g. to remember it for the end user. */
  readonly onAccount?: ((accountId: string) => void) | undefined
  /**
   * Called when record setup is over: the record id the CRM answered with, or none and why. The
   * simulator feeds it to the session machine (the record pop, the metadata, the email).
   */
  readonly onRecord?:
    | ((
        outcome:
          | { readonly recordId: string; readonly accountId: string | undefined }
          | {
              readonly recordId: undefined
              readonly accountId: string | undefined
              readonly reason: string
            },
      ) => void)
    | undefined
}

// ---------------------------------------------------------------------------------------------
// Planning

/** The storage kinds that map onto the upload checkboxes (seed 000, Select which files to attach). */
function uploadKindOf(path: string): UploadFileKind | undefined {
  const parsed = parseStoragePath(path)
  if (!parsed.ok) return undefined
  switch (parsed.kind) {
    case 'metadata':
      return 'session_metadata_file'
    case 'transcript':
      return 'chat_transcripts'
    case 'recording':
      return 'call_recordings'
    case 'voicemail':
      return 'voicemails'
    case 'media':
      return parsed.media?.type === 'video' ? 'videos' : 'photos'
  }
}

/**
 * The upload's bytes are read from the storage file when the request is built, not kept: a flow
 * stays in memory with its session (a thousand completed sessions are kept), and a recording's
 * bytes are computed on read by the projection (lazy content), so holding them here kept about
 * 150 KB per kept session alive for nothing.
 */
function fileOf(file: StorageFile): CrmFlowFile {
  const out = {
    path: file.path,
    filename: file.path.split('/').at(-1) ?? file.path,
    contentType: file.contentType,
    byteLength: storageFileByteLength(file),
  }
  Object.defineProperty(out, 'bytes', {
    enumerable: true,
    get: (): Uint8Array => {
      const content = file.content
      return typeof content === 'string' ? new TextEncoder().encode(content) : content
    },
  })
  return out as CrmFlowFile
}

const AGENT_VARIABLES: readonly GenericApiVariable[] = [
  'AGENT_ID',
  'AGENT_CUSTOM_ID',
  'AGENT_EMAIL',
]
const END_VARIABLES: readonly GenericApiVariable[] = [
  'CALL_DURATION',
  'HOLD_TIME',
  'DISCONNECTED_BY',
]
const CSAT_VARIABLES: readonly GenericApiVariable[] = ['RATING', 'FEEDBACK']

/**
 * The session's generic-API values as they stand at `at`: `projectCrmVariables` (the values at
 * the end) with what is not known yet emptied, `ACCOUNT_ID`/`RECORD_ID` empty (the flow learns
 * them), `COMMENT_BODY`/`FILE_DATA` empty (per request).
 */
export function crmVariablesAt(story: SessionStory, at: number): CrmVariables {
  // A step's account, record and comment drafts ask for the same values: computed once per story
  // (immutable: a new step makes a new story) and time. Callers only read them.
  let cache = variablesCache.get(story)
  if (cache === undefined) {
    let lastAt = Number.NEGATIVE_INFINITY
    for (const step of story.steps) if (step.at > lastAt) lastAt = step.at
    cache = { lastAt, byTime: new Map() }
    variablesCache.set(story, cache)
  }
  // The values read the steps only through `step.at <= at`: from the last step's time on they are
  // the same (a step's own drafts, the end comments' final values, the uploads and the final
  // update of a story all ask at or after it), so they share one entry.
  const key = at >= cache.lastAt ? Number.POSITIVE_INFINITY : at
  let cached = cache.byTime.get(key)
  if (cached === undefined) {
    cached = computeCrmVariablesAt(story, at)
    cache.byTime.set(key, cached)
  }
  return cached
}

const variablesCache = new WeakMap<
  SessionStory,
  { readonly lastAt: number; readonly byTime: Map<number, CrmVariables> }
>()

function computeCrmVariablesAt(story: SessionStory, at: number): CrmVariables {
  // `projectCrmVariables` makes a new object at each call: this one's to change.
  const values = projectCrmVariables(story, { at }) as Partial<Record<GenericApiVariable, string>>
  // One pass over the steps (this runs for most drafts of a session's flow).
  let agent = false
  let end = false
  let csat = false
  for (const step of story.steps) {
    if (step.at > at) continue
    const kind = step.kind
    if (kind === 'assigned' || kind === 'connected') agent = true
    else if (kind === 'ended' || kind === 'abandoned') end = true
    else if (kind === 'csat') csat = true
  }
  if (!agent) clearVariables(values, AGENT_VARIABLES)
  if (!end) clearVariables(values, END_VARIABLES)
  if (!csat) clearVariables(values, CSAT_VARIABLES)
  if (!agent && !end) values.WAIT_TIME = ''
  clearVariables(values, PER_FLOW_VARIABLES)
  return values
}

/** `ACCOUNT_ID`/`RECORD_ID` (the flow learns them), `COMMENT_BODY`/`FILE_DATA` (per request). */
const PER_FLOW_VARIABLES: readonly GenericApiVariable[] = [
  'ACCOUNT_ID',
  'RECORD_ID',
  'COMMENT_BODY',
  'FILE_DATA',
]

function clearVariables(
  values: Partial<Record<GenericApiVariable, string>>,
  names: readonly GenericApiVariable[],
): void {
  for (const name of names) values[name] = ''
}

function agentName(story: SessionStory, id: number): string {
  return story.agents.find((a) => a.id === id)?.name ?? `agent ${String(id)}`
}

function sessionLabel(story: SessionStory): string {
  return `${story.kind === 'call' ? 'Call' : 'Chat'} ${String(story.id)}`
}

/** The comment of a documented event, if the step is one (the wording is ours; the documents give none). */
function commentOf(
  story: SessionStory,
  step: TimedStep,
): { readonly event: CommentEvent; readonly text: string } | undefined {
  const label = sessionLabel(story)
  if (step.kind === 'transfer_requested') {
    const from = agentName(story, step.fromAgentId)
    const to = agentName(story, step.toAgentId)
    return {
      event: 'transfer_comment',
      text: `${step.warm ? 'Warm' : 'Cold'} transfer from ${from} to ${to} (queue ${String(step.toQueueId)}).`,
    }
  }
  if (step.kind === 'ended') {
    const by = step.by === 'agent' ? 'the agent' : 'the end user'
    // Only the end comments quote the final values.
    const final = crmVariablesAt(story, Number.MAX_SAFE_INTEGER)
    return {
      event: 'session_end',
      text: `${label} ended by ${by} after ${final.CALL_DURATION ?? ''}.`,
    }
  }
  if (step.kind === 'abandoned') {
    return {
      event: 'session_end',
      text: `${label} ended: abandoned in queue after ${crmVariablesAt(story, Number.MAX_SAFE_INTEGER).WAIT_TIME ?? ''}.`,
    }
  }
  if (step.kind === 'csat') {
    return {
      event: 'csat_rating_and_comment',
      text: [
        `CSAT rating: ${String(step.rating)}/5.`,
        ...(step.feedback ? [`Comment: ${step.feedback}`] : []),
      ].join('\n'),
    }
  }
  if (step.kind === 'va_variables') {
    return {
      event: 'custom_data_package',
      text: [
        'Custom data:',
        ...(step.intent ? [`intent: ${step.intent}`] : []),
        ...Object.entries(step.variables).map(([k, v]) => `${k}: ${v}`),
      ].join('\n'),
    }
  }
  if (step.kind === 'wrapup_finished') {
    return {
      event: 'disposition_code_and_notes',
      text: `Disposition: ${step.disposition} (by ${agentName(story, step.agentId)}).`,
    }
  }
  return undefined
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never
/** An action before it has its place in the flow. */
export type CrmFlowDraft = DistributiveOmit<CrmFlowAction, 'ordinal'>

/**
 * Plans a session's generic-API actions as the session happens (reference §5.2; seed 000, API
 * endpoints: account lookup needs Find and Create an account, record setup needs the account
 * endpoints, update/upload/comment need record setup — `genericApiCapabilities`). Each step and each
 * written file may add actions, with the values known at that moment (never a later one): the
 * account and record at setup (`isCrmSetupStep`), a comment per documented event, an upload per
 * configured file, and the update once the files are in.
 */
export class CrmFlowPlanner {
  readonly capabilities: GenericApiCapabilities
  readonly notes: string[] = []
  private setupAt: number | undefined
  private connected = false
  private lastUpload = Number.NEGATIVE_INFINITY
  private finished = false
  private readonly chosen: ReadonlySet<UploadFileKind>
  private readonly updateOn: ReadonlySet<OptionalRecordUpdateEvent>

  constructor(
    readonly settings: CrmIntegrationSettings,
    options: CrmFlowPlannerOptions = {},
  ) {
    this.updateOn = new Set(options.updateRecordOn ?? OPTIONAL_RECORD_UPDATE_EVENTS)
    const capabilities = genericApiCapabilities(settings.endpoints)
    this.capabilities = capabilities
    this.chosen = new Set(settings.endpoints.upload_file?.files_to_attach ?? [])
    const recordSetup = capabilities.recordCreation || capabilities.recordLookup
    if (!capabilities.accountLookup) {
      this.notes.push(
        'account lookup needs Find an account by query and Create an account: no CRM calls at all',
      )
    }
    if (capabilities.accountLookup && !recordSetup) {
      this.notes.push(
        'no Create a record or Find a record endpoint: no record, comments, uploads or update',
      )
    }
    if (recordSetup && !capabilities.comments) this.notes.push('no Comment endpoint: no comments')
    if (capabilities.fileUpload && this.chosen.size === 0) {
      this.notes.push('Upload a file has no files to attach checked: no uploads')
    } else if (!capabilities.fileUpload && recordSetup) {
      this.notes.push('no Upload a file endpoint (or no record creation): no uploads')
    }
    if (!capabilities.recordUpdate && recordSetup) {
      this.notes.push('no Update a record endpoint (or no record creation): no record updates')
    }
  }

  /** Whether record setup makes any request (else the session has no record from the start). */
  get setsUpRecord(): boolean {
    const c = this.capabilities
    return c.accountLookup && (c.recordCreation || c.recordLookup)
  }

  /** The actions a new step of the story so far causes. */
  onStep(story: SessionStory, step: TimedStep): CrmFlowDraft[] {
    const drafts: CrmFlowDraft[] = []
    const { capabilities } = this
    const at = step.at
    if (this.setupAt === undefined && isCrmSetupStep(story.kind, step, this.connected)) {
      this.setupAt = at
      if (capabilities.accountLookup) {
        drafts.push({
          kind: 'account',
          at,
          trigger: step.kind,
          variables: crmVariablesAt(story, at),
        })
      }
      if (this.setsUpRecord) {
        drafts.push({
          kind: 'record',
          at,
          trigger: step.kind,
          variables: crmVariablesAt(story, at),
        })
      }
      if (capabilities.comments) {
        drafts.push({
          kind: 'comment',
          event: 'session_start',
          text: `${sessionLabel(story)} started (${story.legacyType}).`,
          at,
          trigger: step.kind,
          variables: crmVariablesAt(story, at),
        })
      }
    }
    if (step.kind === 'connected') this.connected = true
    if (capabilities.comments && this.setupAt !== undefined) {
      const c = commentOf(story, step)
      if (c) {
        drafts.push({
          kind: 'comment',
          event: c.event,
          text: c.text,
          at,
          trigger: step.kind,
          variables: crmVariablesAt(story, at),
        })
      }
      const survey = surveyCommentOf(story, step)
      if (survey !== undefined) {
        drafts.push({
          kind: 'comment',
          event: 'survey_questions_and_answers',
          text: survey,
          at,
          trigger: step.kind,
          variables: crmVariablesAt(story, at),
        })
      }
    }
    const update = recordUpdateEventOf(step)
    if (
      capabilities.recordUpdate &&
      this.setupAt !== undefined &&
      update !== undefined &&
      this.updateOn.has(update)
    ) {
      drafts.push({
        kind: 'update',
        event: update,
        at,
        trigger: step.kind,
        variables: crmVariablesAt(story, at),
      })
    }
    return drafts
  }

  /** The upload a written storage file causes, when its kind is checked in the settings. */
  onFile(story: SessionStory, file: StorageFile): CrmFlowDraft[] {
    const fileKind = uploadKindOf(file.path)
    if (!this.capabilities.fileUpload || fileKind === undefined || !this.chosen.has(fileKind)) {
      return []
    }
    // Nothing goes out before the record exists (an abandoned call sets up at its end).
    const at = Math.max(file.at, this.setupAt ?? file.at)
    this.lastUpload = Math.max(this.lastUpload, at)
    return [
      {
        kind: 'upload',
        fileKind,
        file: fileOf(file),
        at,
        trigger: 'file_written',
        variables: crmVariablesAt(story, at),
      },
    ]
  }

  /** The final record update, once the session's files are in (after `files_ready`). */
  finish(story: SessionStory): CrmFlowDraft[] {
    if (this.finished || !this.capabilities.recordUpdate) return []
    this.finished = true
    const last = story.steps.at(-1)
    const at = Math.max(last?.at ?? 0, this.lastUpload, this.setupAt ?? 0)
    return [
      {
        kind: 'update',
        event: 'wrap_up',
        at,
        trigger: last?.kind ?? 'ended',
        variables: crmVariablesAt(story, at),
      },
    ]
  }
}

/**
 * Plans a whole story's generic-API flow at once (the CLI's dry run and `ccai-sim run`): the
 * incremental planner fed every step and file in time order.
 *
 * @example
 * const plan = planCrmFlow({ settings, story: generateStory('inbound-ivr-call', { seed: 1 }) })
 * plan.actions.map((a) => a.kind) // ['account', 'record', 'comment', …, 'upload', 'update']
 */
export function planCrmFlow(input: PlanCrmFlowInput): CrmFlowPlan {
  const { settings, story } = input
  const planner = new CrmFlowPlanner(settings, { updateRecordOn: input.updateRecordOn })
  const drafts: CrmFlowDraft[] = []
  const files = [...(input.files ?? projectStorageFiles(story))].sort((a, b) => a.at - b.at)
  let next = 0
  for (const step of story.steps) {
    while (next < files.length && (files[next]?.at ?? 0) < step.at) {
      const file = files[next++]
      if (file) drafts.push(...planner.onFile(story, file))
    }
    drafts.push(...planner.onStep(story, step))
  }
  for (const file of files.slice(next)) drafts.push(...planner.onFile(story, file))
  drafts.push(...planner.finish(story))

  // Stable: actions at the same time keep the documented order they were drafted in.
  const actions = drafts
    .map((draft, index) => ({ draft, index }))
    .sort((a, b) => a.draft.at - b.draft.at || a.index - b.index)
    .map(({ draft }, ordinal): CrmFlowAction => ({ ...draft, ordinal }))

  return {
    sessionId: story.id,
    settings,
    capabilities: planner.capabilities,
    knownAccountId:
      input.knownAccountId === undefined || input.knownAccountId === ''
        ? undefined
        : input.knownAccountId,
    actions,
    notes: planner.notes,
  }
}

// ---------------------------------------------------------------------------------------------
// Running

function headerOf(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  const wanted = name.toLowerCase()
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value
  return undefined
}

/** `Retry-After` as milliseconds from `now`: delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterMs(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined
  const text = value.trim()
  if (/^\d+$/.test(text)) return Number(text) * 1000
  const date = Date.parse(text)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

interface SendResult {
  /** The last exchange (undefined when nothing was sent). */
  readonly exchange?: CrmExchange
  /** 2xx. */
  readonly ok: boolean
}

const isSuccess = (status: number): boolean => status >= 200 && status < 300

function describeFailure(exchange: CrmExchange): string {
  if (exchange.error !== undefined) return exchange.error
  const status = exchange.response?.status
  return status === undefined ? 'no response' : `HTTP ${String(status)}`
}

/**
 * Performs one session's planned flow on a clock: `start()` schedules each action at its time;
 * actions then run one at a time, in order; `report()` tells where it stands.
 *
 * @example
 * const run = new CrmFlowRun(plan, { send: client.send, clock })
 * run.start()
 */
export class CrmFlowRun {
  readonly plan: CrmFlowPlan
  private readonly deps: CrmFlowDeps
  private readonly retry: CrmRetryPolicy
  private readonly gate: CrmRateLimitGate
  private readonly steps: CrmStepReport[] = []
  private readonly released = new Set<number>()
  private readonly finished = new Set<number>()
  private readonly queue: CrmFlowAction[] = []
  private accountId: string | undefined
  private recordId: string | undefined
  /**
   * The account step that failed (an error or no response, not a "not found"): no record is
   * searched for or created without its account.
   */
  private accountFailed: 'find_account_by_query' | 'create_account' | undefined
  private processing = false
  private busy = false
  private cancelled = false
  private quietWaiters: (() => void)[] = []

  /** The plan's actions, and those appended as the session goes on. */
  private readonly actions: CrmFlowAction[]
  private readonly notes: string[]

  constructor(plan: CrmFlowPlan, deps: CrmFlowDeps) {
    this.plan = plan
    this.actions = [...plan.actions]
    this.notes = [...plan.notes]
    this.deps = deps
    this.retry = deps.retry ?? DEFAULT_CRM_RETRY_POLICY
    this.gate = deps.gate ?? new CrmRateLimitGate()
    this.accountId = plan.knownAccountId
  }

  /** Schedules every action on the clock at its time. */
  start(): void {
    for (const action of this.actions) {
      this.deps.clock.schedule(action.at, () => {
        this.release(action.ordinal)
      })
    }
  }

  /**
   * Adds actions the session caused just now (a live session plans as it goes): each runs at its
   * time, after every earlier action.
   */
  append(drafts: readonly CrmFlowDraft[]): void {
    if (this.cancelled) return
    for (const draft of drafts) {
      // Not `{ ...draft, ordinal }`: V8 (Node 20) would give each action a hidden class of its own.
      const action = Object.assign({}, draft, { ordinal: this.actions.length }) as CrmFlowAction
      this.actions.push(action)
      this.deps.clock.schedule(action.at, () => {
        this.release(action.ordinal)
      })
    }
  }

  /** Notes to show with the report ("no Comment endpoint: no comments"). */
  note(text: string): void {
    if (!this.notes.includes(text)) this.notes.push(text)
  }

  /**
   * Lets an action run (its time has come), and any earlier one not yet released: actions run in
   * plan order, one at a time. `start()` calls it at each action's time; a driver may call it itself.
   */
  release(ordinal: number): void {
    if (this.cancelled) return
    const last = Math.min(ordinal + 1, this.actions.length)
    for (let i = 0; i < last; i++) {
      const action = this.actions[i] as CrmFlowAction
      if (this.released.has(action.ordinal)) continue
      this.released.add(action.ordinal)
      this.queue.push(action)
    }
    if (!this.processing && this.queue.length > 0) void this.process()
  }

  /** Stops: no further requests (the runtime's reset). */
  cancel(): void {
    this.cancelled = true
    this.queue.length = 0
    this.setBusy(false)
  }

  /** A live session's flow: more actions will be appended until `close()`. */
  private open = false

  /** Every action has run, and no more will come. */
  get done(): boolean {
    return !this.open && this.finished.size === this.actions.length
  }

  /** The session goes on: actions will be appended (`append`) until `close()`. */
  keepOpen(): void {
    this.open = true
  }

  /** No more actions will be appended: the flow is done once those it has are. */
  close(): void {
    this.open = false
  }

  /** Settles when the flow is not working (waiting for the clock, or done). */
  whenQuiet(): Promise<void> {
    if (!this.busy) return Promise.resolve()
    return new Promise((resolve) => this.quietWaiters.push(resolve))
  }

  /** Where the flow stands: each action's state and every step so far (copies). */
  report(): CrmFlowReport {
    return {
      sessionId: this.plan.sessionId,
      state: this.done ? 'done' : this.busy ? 'running' : 'waiting',
      accountId: this.accountId ?? null,
      recordId: this.recordId ?? null,
      actions: this.actions.map((a) => ({
        ordinal: a.ordinal,
        kind: a.kind,
        at: a.at,
        trigger: a.trigger,
        state: this.finished.has(a.ordinal)
          ? 'done'
          : this.released.has(a.ordinal)
            ? 'released'
            : 'planned',
        ...(a.kind === 'comment' ? { comment: a.event } : {}),
        ...(a.kind === 'upload' ? { file: a.file.path } : {}),
        ...(a.kind === 'update' ? { update: a.event } : {}),
      })),
      steps: this.steps.map((s) => ({ ...s })),
      notes: this.notes,
    }
  }

  private setBusy(busy: boolean): void {
    if (busy === this.busy) return
    this.busy = busy
    if (busy) {
      this.deps.onBusy?.(this.whenQuiet())
    } else {
      const waiters = this.quietWaiters
      this.quietWaiters = []
      for (const resolve of waiters) resolve()
    }
  }

  private async process(): Promise<void> {
    this.processing = true
    this.setBusy(true)
    try {
      for (;;) {
        const action = this.cancelled ? undefined : this.queue.shift()
        if (!action) break
        try {
          await this.perform(action)
        } catch (error) {
          // A settings error the builder throws (a bad function call): the action fails, the flow goes on.
          const step = this.addStep(action, stepNameOf(action))
          this.finish(step, 'failed', {
            error: error instanceof Error ? error.message : String(error),
          })
        }
        this.finished.add(action.ordinal)
      }
    } finally {
      this.processing = false
      this.setBusy(false)
    }
  }

  /** Waits on the clock until `at`; the flow is quiet meanwhile. */
  private async sleepUntil(at: number): Promise<void> {
    this.setBusy(false)
    await new Promise<void>((resolve) => {
      this.deps.clock.schedule(at, () => {
        // Busy at once, inside the timer: whoever moved the clock can wait for what it started.
        if (!this.cancelled) this.setBusy(true)
        resolve()
      })
    })
  }

  private variables(action: CrmFlowAction, extra: CrmVariables = {}): CrmVariables {
    return {
      ...action.variables,
      ACCOUNT_ID: this.accountId ?? '',
      RECORD_ID: this.recordId ?? '',
      ...extra,
    }
  }

  private addStep(
    action: CrmFlowAction,
    step: CrmStepName,
    extra: { comment?: CrmCommentOccasion; file?: string; update?: RecordUpdateEvent } = {},
  ): CrmStepReport {
    const report: CrmStepReport = {
      seq: this.steps.length + 1,
      action: action.ordinal,
      step,
      ...extra,
      outcome: 'pending',
      attempts: 0,
    }
    this.steps.push(report)
    return report
  }

  private finish(
    step: CrmStepReport,
    outcome: CrmStepOutcome,
    details: { error?: string; detail?: string; id?: string; found?: boolean; link?: string } = {},
  ): void {
    step.outcome = outcome
    step.finishedAt = this.deps.clock.now()
    delete step.nextAttemptAt
    // The only detail set before a step ends is a 429's "queued, to be sent again": over now.
    delete step.detail
    if (details.error !== undefined) step.error = details.error
    if (details.detail !== undefined) step.detail = details.detail
    if (details.id !== undefined) step.id = details.id
    if (details.found !== undefined) step.found = details.found
    if (details.link !== undefined) step.link = details.link
  }

  private skip(
    action: CrmFlowAction,
    name: CrmStepName,
    why: {
      detail: string
      comment?: CrmCommentOccasion
      file?: string
      update?: RecordUpdateEvent
    },
  ): void {
    const { detail, ...extra } = why
    this.finish(this.addStep(action, name, extra), 'skipped', { detail })
  }

  private async perform(action: CrmFlowAction): Promise<void> {
    switch (action.kind) {
      case 'account':
        return this.setUpAccount(action)
      case 'record': {
        const before = this.steps.length
        await this.setUpRecord(action)
        this.deps.onRecord?.(
          this.recordId === undefined
            ? { recordId: undefined, accountId: this.accountId, reason: this.recordFailure(before) }
            : { recordId: this.recordId, accountId: this.accountId },
        )
        return
      }
      case 'comment':
        await this.comment(action, action.event, action.text)
        return
      case 'upload':
        return this.upload(action)
      case 'update':
        return this.update(action)
    }
  }

  /** Why record setup ended without a record: its last step's detail or error. */
  private recordFailure(fromStep: number): string {
    const last = this.steps.slice(fromStep).at(-1)
    if (!last) return 'no record step ran'
    const status = last.status === undefined ? '' : ` (HTTP ${String(last.status)})`
    return `${last.step} ${last.outcome}${status}: ${last.error ?? last.detail ?? 'no id'}`
  }

  private learnAccount(id: string): void {
    this.accountId = id
    this.deps.onAccount?.(id)
  }

  private async setUpAccount(action: CrmFlowAction): Promise<void> {
    const { settings, capabilities } = this.plan
    this.accountFailed = undefined
    let byQuery = true
    if (capabilities.findAccountById && this.accountId !== undefined) {
      const find = await this.find(action, 'find_account_by_id')
      if (find.kind === 'found') {
        this.learnAccount(find.id)
        return
      }
      if (find.kind === 'failed') return // keeps the known id (see the decisions)
      // Seed 000: only "a 404 … on failed lookup" leads to find by query; a 2xx with nothing is
      // the generic "200 with no match" (reference §5.3), after which the account is created.
      byQuery = find.via === '404'
    }
    this.accountId = undefined
    if (byQuery) {
      const find = await this.find(action, 'find_account_by_query')
      if (find.kind === 'found') {
        this.learnAccount(find.id)
        return
      }
      if (find.kind === 'failed') {
        this.accountFailed = 'find_account_by_query'
        return
      }
    } else {
      this.skip(action, 'find_account_by_query', {
        detail:
          'Find an account by ID answered 2xx with nothing: only a 404 leads to find by query',
      })
    }
    if (settings.skip_account_creation === true) {
      this.skip(action, 'create_account', {
        detail: 'skip_account_creation: going on without an account id',
      })
      return
    }
    const failedBefore = this.steps.filter((st) => st.outcome === 'failed').length
    const id = await this.create(action, 'create_account')
    if (id !== undefined) this.learnAccount(id)
    else if (this.steps.filter((st) => st.outcome === 'failed').length > failedBefore)
      this.accountFailed = 'create_account'
  }

  private async setUpRecord(action: CrmFlowAction): Promise<void> {
    const { settings, capabilities, knownRecordId } = this.plan
    if (knownRecordId !== undefined && knownRecordId !== '') {
      this.recordId = knownRecordId
      this.skip(action, capabilities.recordCreation ? 'create_record' : 'find_record_by_query', {
        detail: `the API request named the record (ticket_id ${knownRecordId}): no find or create`,
      })
      return
    }
    if (this.accountFailed !== undefined) {
      // Seed 000: records are attached to accounts, "we enforce this requirement"; a record
      // searched for without its account would be any account's.
      const detail = `${this.accountFailed} failed: a record is not searched for or created without its account`
      if (capabilities.recordLookup && settings.reuse_existing_records === true)
        this.skip(action, 'find_record_by_query', { detail })
      if (capabilities.recordCreation) this.skip(action, 'create_record', { detail })
      return
    }
    if (capabilities.recordLookup && settings.reuse_existing_records === true) {
      const find = await this.find(action, 'find_record_by_query')
      if (find.kind === 'found') {
        this.recordId = find.id
        return
      }
      if (find.kind === 'failed') return
    } else if (capabilities.recordLookup) {
      this.skip(action, 'find_record_by_query', {
        detail: 'reuse_existing_records is off: always create',
      })
    }
    if (!capabilities.recordCreation) return
    if (settings.skip_record_creation === true) {
      this.skip(action, 'create_record', {
        detail: 'skip_record_creation: going on without a record id',
      })
      return
    }
    this.recordId = await this.create(action, 'create_record')
  }

  /** A find step: `found` with the id, `not_found` (200 with nothing, or 404), or `failed`. */
  private async find(
    action: CrmFlowAction,
    name: 'find_account_by_id' | 'find_account_by_query' | 'find_record_by_query',
  ): Promise<
    { kind: 'found'; id: string } | { kind: 'not_found'; via: '404' | 'empty' } | { kind: 'failed' }
  > {
    const step = this.addStep(action, name)
    const config = this.plan.settings.endpoints[name]
    const sent = await this.send(step, action, {})
    if (sent === 'skipped' || config == null) return { kind: 'failed' }
    const { exchange, ok } = sent
    const response = exchange?.response
    if (!ok || !response) {
      if (response?.status === 404) {
        this.finish(step, 'succeeded', { found: false, detail: '404: not found' })
        return { kind: 'not_found', via: '404' }
      }
      return { kind: 'failed' }
    }
    const result = readCrmResult(response, config)
    if (!result.found) {
      this.finish(step, 'succeeded', { found: false, detail: 'nothing at the data location' })
      return { kind: 'not_found', via: 'empty' }
    }
    if (result.id === undefined) {
      this.finish(step, 'warning', {
        found: false,
        detail: 'found an object without an id at the configured location: treated as not found',
      })
      return { kind: 'not_found', via: 'empty' }
    }
    this.finish(step, 'succeeded', { found: true, id: result.id })
    return { kind: 'found', id: result.id }
  }

  /** A create step: the new id, or undefined (2xx without the id is a warning; errors fail). */
  private async create(
    action: CrmFlowAction,
    name: 'create_account' | 'create_record',
  ): Promise<string | undefined> {
    const step = this.addStep(action, name)
    const config = this.plan.settings.endpoints[name]
    const sent = await this.send(step, action, {})
    if (sent === 'skipped' || config == null || !sent.ok || !sent.exchange?.response)
      return undefined
    const result = readCrmResult(sent.exchange.response, config)
    if (result.id === undefined) {
      this.finish(step, 'warning', {
        detail: `2xx without an id at ${config.response_data_location ?? '(root)'}/${config.custom_id_location ?? 'id'}: going on without it (not retried)`,
      })
      return undefined
    }
    this.finish(step, 'succeeded', { id: result.id })
    return result.id
  }

  private async comment(
    action: CrmFlowAction,
    occasion: CrmCommentOccasion,
    text: string,
  ): Promise<void> {
    const config = this.plan.settings.endpoints.comment
    if (config == null) return
    if (this.recordId === undefined) {
      this.skip(action, 'comment', {
        detail: 'no record id: comments need {RECORD_ID}',
        comment: occasion,
      })
      return
    }
    const step = this.addStep(action, 'comment', { comment: occasion })
    const body = commentBody(text, config.convert_text_to_html === true)
    const sent = await this.send(step, action, { variables: { COMMENT_BODY: body } })
    if (sent !== 'skipped' && sent.ok) this.finish(step, 'succeeded')
  }

  private async upload(action: CrmFlowAction & { kind: 'upload' }): Promise<void> {
    const config = this.plan.settings.endpoints.upload_file
    if (config == null) return
    const fileExtra = { file: action.file.path }
    if (this.recordId === undefined) {
      this.skip(action, 'upload_file', {
        detail: 'no record id: uploads need {RECORD_ID}',
        ...fileExtra,
      })
      return
    }
    const step = this.addStep(action, 'upload_file', fileExtra)
    const sent = await this.send(step, action, { file: action.file })
    if (sent === 'skipped' || !sent.ok || !sent.exchange?.response) return
    const link = attachmentLink(config, {
      recordId: this.recordId,
      response: sent.exchange.response,
    })
    if (link === undefined) {
      this.finish(step, 'warning', {
        detail: 'uploaded, but the response has no attachment id or URL where configured',
      })
    } else {
      this.finish(step, 'succeeded', { link })
    }
    if (config.add_comment_to_record === true && this.plan.settings.endpoints.comment != null) {
      const text = [
        `File uploaded: ${action.file.filename} (${action.file.contentType}, ${String(action.file.byteLength)} bytes)`,
        ...(link === undefined ? [] : [link]),
      ].join('\n')
      await this.comment(action, 'file_uploaded', text)
    }
  }

  private async update(action: CrmFlowAction & { kind: 'update' }): Promise<void> {
    if (this.recordId === undefined) {
      this.skip(action, 'update_record', {
        detail: 'no record id: the update needs {RECORD_ID}',
        update: action.event,
      })
      return
    }
    const step = this.addStep(action, 'update_record', { update: action.event })
    const sent = await this.send(step, action, {})
    if (sent !== 'skipped' && sent.ok) this.finish(step, 'succeeded')
  }

  /**
   * Builds and sends a step's request under the retry policy. Returns `skipped` when the request
   * cannot be built (URL variable without a value); on failure the step is already finished.
   */
  private async send(
    step: CrmStepReport,
    action: CrmFlowAction,
    input: { variables?: CrmVariables; file?: CrmUploadFile },
  ): Promise<SendResult | 'skipped'> {
    // 'skipped': nothing was sent and the step is already finished (skipped or failed).
    const { settings } = this.plan
    const variables = this.variables(action, input.variables)
    const endpoint = step.step
    const template = settings.endpoints[endpoint]?.url ?? ''
    const missing = missingUrlVariables(template, variables)
    if (missing.length > 0) {
      this.finish(step, 'skipped', {
        detail: `the Request URL needs ${missing.map((m) => `{${m}}`).join(', ')}, which has no value`,
      })
      return 'skipped'
    }
    let request: CrmHttpRequest | undefined
    try {
      // `variables` is this send's own copy: the builder formats the phone numbers in it.
      request = buildCrmRequestFromOwnVariables(settings, endpoint, {
        variables,
        ...(input.file === undefined ? {} : { file: input.file }),
      })
    } catch (error) {
      // A settings error (a parameter value that is not a function call the builder knows).
      this.finish(step, 'failed', { error: error instanceof Error ? error.message : String(error) })
      return 'skipped'
    }
    if (request === undefined) {
      this.finish(step, 'skipped', { detail: `${endpoint} is not configured` })
      return 'skipped'
    }
    const firstAt = this.deps.clock.now()
    step.startedAt = firstAt
    let delay = this.retry.initialDelayMs
    let rateDelay = this.retry.rateLimited.initialDelayMs
    const immediate = this.retry.immediate ?? DEFAULT_CRM_IMMEDIATE_RETRY
    let retriedAtOnce = false
    for (;;) {
      while (this.gate.blockedUntil > this.deps.clock.now()) {
        step.outcome = 'queued'
        step.nextAttemptAt = this.gate.blockedUntil
        await this.sleepUntil(this.gate.blockedUntil)
        if (this.cancelled) return { ok: false }
      }
      step.attempts += 1
      // Called outside the `try`: a send that throws at once (rather than rejecting) still does.
      const pending = this.deps.send(request)
      let exchange: CrmExchange
      try {
        exchange = await pending
      } catch (error) {
        exchange = {
          request,
          sentHeaders: request.headers,
          error: error instanceof Error ? error.message : String(error),
        }
      }
      if (this.cancelled) return { exchange, ok: false }
      const now = this.deps.clock.now()
      const status = exchange.response?.status
      if (status !== undefined) step.status = status

      if (status !== undefined && isSuccess(status)) {
        this.recordExchange({ at: now, step, exchange, outcome: 'ok' })
        return { exchange, ok: true }
      }
      if (status === 429) {
        const wait = retryAfterMs(headerOf(exchange.response?.headers ?? {}, 'retry-after'), now)
        const waitMs = Math.max(1, wait ?? rateDelay)
        rateDelay = Math.min(rateDelay * 2, this.retry.rateLimited.maxDelayMs)
        const giveUp = this.retry.rateLimited.giveUpAfterMs
        if (giveUp !== null && now + waitMs - firstAt > giveUp) {
          this.recordExchange({ at: now, step, exchange, outcome: 'failed' })
          this.finish(step, 'failed', {
            error: `HTTP 429: still rate-limited after ${String(step.attempts)} attempts; gave up`,
          })
          return { exchange, ok: false }
        }
        this.recordExchange(
          { at: now, step, exchange, outcome: 'queued' },
          { nextAttemptAt: now + waitMs },
        )
        this.gate.block(now + waitMs)
        step.outcome = 'queued'
        step.detail = 'the CRM rate-limits: queued, to be sent again'
        continue
      }
      const notFound = status === 404 && endpoint.startsWith('find_')
      if (!notFound && !retriedAtOnce && retriesAtOnce(immediate, exchange)) {
        retriedAtOnce = true
        this.recordExchange(
          { at: now, step, exchange, outcome: 'retrying' },
          { retry: 'immediate', nextAttemptAt: now },
        )
        step.outcome = 'retrying'
        continue
      }
      if (status !== undefined && this.retry.statuses.includes(status)) {
        if (now + delay - firstAt > this.retry.giveUpAfterMs) {
          this.recordExchange({ at: now, step, exchange, outcome: 'failed' })
          this.finish(step, 'failed', {
            error: `HTTP ${String(status)}: gave up after ${String(step.attempts)} attempts`,
          })
          return { exchange, ok: false }
        }
        const next = now + delay
        this.recordExchange(
          { at: now, step, exchange, outcome: 'retrying' },
          { retry: 'scheduled', nextAttemptAt: next },
        )
        delay = Math.min(delay * this.retry.factor, this.retry.maxDelayMs)
        step.outcome = 'retrying'
        step.nextAttemptAt = next
        await this.sleepUntil(next)
        if (this.cancelled) return { exchange, ok: false }
        continue
      }
      this.recordExchange({ at: now, step, exchange, outcome: notFound ? 'not_found' : 'failed' })
      if (!notFound) this.finish(step, 'failed', { error: describeFailure(exchange) })
      return { exchange, ok: false }
    }
  }

  /** Tells the journal of one attempt (the same record, key for key, as it always was). */
  private recordExchange(
    attempt: {
      readonly at: number
      readonly step: CrmStepReport
      readonly exchange: CrmExchange
      readonly outcome: CrmExchangeRecord['outcome']
    },
    next?: { retry?: 'immediate' | 'scheduled'; nextAttemptAt: number },
  ): void {
    const onExchange = this.deps.onExchange
    if (onExchange === undefined) return
    const { at, step, exchange, outcome } = attempt
    const base = {
      at,
      sessionId: this.plan.sessionId,
      step: step.step,
      attempt: step.attempts,
      exchange,
      outcome,
    }
    onExchange(next === undefined ? base : { ...base, ...next })
  }
}

function stepNameOf(action: CrmFlowAction): CrmStepName {
  switch (action.kind) {
    case 'account':
      return 'find_account_by_query'
    case 'record':
      return 'create_record'
    case 'comment':
      return 'comment'
    case 'upload':
      return 'upload_file'
    case 'update':
      return 'update_record'
  }
}

/** A clock of its own for `runCrmFlow`: time jumps to the next timer once the flow is quiet. */
class JumpingClock implements CrmFlowClock {
  private time: number
  private timers: { at: number; seq: number; fn: () => void }[] = []
  private seq = 0

  constructor(start: number) {
    this.time = start
  }

  now(): number {
    return this.time
  }

  schedule(at: number, fn: () => void): void {
    this.timers.push({ at, seq: this.seq++, fn })
    this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq)
  }

  /** Runs the next timer (and any due at the same time); false when there is none. */
  step(): boolean {
    const next = this.timers.shift()
    if (!next) return false
    this.time = Math.max(this.time, next.at)
    next.fn()
    return true
  }
}

export interface RunCrmFlowOptions {
  readonly send: (request: CrmHttpRequest) => Promise<CrmExchange>
  readonly retry?: CrmRetryPolicy | undefined
  readonly onExchange?: ((record: CrmExchangeRecord) => void) | undefined
}

/**
 * Runs a planned flow to the end on a clock of its own (virtual time jumps straight to each next
 * action or retry), for the CLI's `ccai-sim run`: the same rules as in the simulator, no waiting.
 *
 * @example
 * const report = await runCrmFlow(planCrmFlow({ settings, story }), { send: client.send })
 */
export async function runCrmFlow(
  plan: CrmFlowPlan,
  options: RunCrmFlowOptions,
): Promise<CrmFlowReport> {
  const clock = new JumpingClock(plan.actions[0]?.at ?? 0)
  const run = new CrmFlowRun(plan, {
    send: options.send,
    clock,
    retry: options.retry,
    onExchange: options.onExchange,
  })
  run.start()
  do {
    await run.whenQuiet()
  } while (clock.step())
  await run.whenQuiet()
  return run.report()
}
