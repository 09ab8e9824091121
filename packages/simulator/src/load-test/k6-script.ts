import {
  projectSession,
  projectStorageFiles,
  storageFileByteLength,
  storageFileMedia,
  type GeneratedMedia,
  type StorageFile,
  type SessionStory,
} from '@ccai-sim/fixtures'
import type { CrmIntegrationSettings } from '@ccai-sim/schemas'
import { dryRunSend } from '../cli/crm-command.js'
import { DEFAULT_CRM_RETRY_POLICY } from '../crm/flow-engine.js'
import { DEFAULT_CRM_IMMEDIATE_RETRY } from '../crm/immediate-retry.js'
import { integerOrText } from '../crm/request-builder.js'
import { idText, readLocation, type CrmResultLocations } from '../crm/response.js'
import type { CrmEndpointName, CrmHttpRequest } from '../crm/types.js'
import { webhookHeaders } from '../delivery/webhook-dispatcher.js'
import { SimulatorError } from '../errors.js'
import {
  defaultThresholds,
  type ArtilleryExportOptions,
  type ExportedFile,
  type LoadThresholds,
} from './artillery-script.js'
import { K6_MEDIA_GLOBAL, k6MediaScript } from './k6-media.js'
import { loadTestStory, runnerKey, type LoadTestConfig } from './load-config.js'
import { CrmSessionDriver, type LoadCall } from './session-driver.js'

/*
 * The k6 export (`ccai-sim export k6`): k6 runs JavaScript in its own runtime (no Node, no npm
 * packages), so the project's code runs at export time instead. Each session's requests are planned
 * with the flow engine, request builder and CRM client (auth headers included) against a CRM that
 * finds nothing and creates everything, with placeholder ids; the script sends them in order at the
 * session's pace, puts in the ids the CRM really returns, and keeps the flow's branches and retry rules.
 *
 * Decisions where the documents are silent (and limits of the k6 form):
 * - A find that finds something skips the create it guards (account, record), as the flow engine does.
 * - A step whose URL or JSON body needs an id the CRM did not give is skipped (the engine's "no
 *   record id"); ids go into JSON bodies as the platform puts them (a number where a value is exactly
 *   an integer id, `integerOrText`) and into text, not into the parts around a generated file
 *   (the default settings carry none there).
 * - At most `K6_MAX_SESSIONS` sessions are planned; a longer run replays them in turn, so later
 *   sessions are returning customers (their finds find the accounts made earlier) and ids repeat.
 *   The Artillery export has no such limit.
 * - OAuth 2.0 settings are refused: the token flow needs the CRM client at run time (use Artillery).
 * - A call without an answer (timeout, connection error: k6 status 0) ends the session, as in the
 *   Artillery export.
 * - Uploaded recordings, photos and videos are not in the script: an upload's step carries the
 *   multipart text around its file and what the file is made from (`storageFileMedia`), and the
 *   script makes the bytes when it sends them with the fixtures' own generators, bundled in
 *   (k6-media.ts). Inline, 500 sessions' files made a 150 MB script, which k6 holds once per VU.
 * - The planned sessions are a `SharedArray` (k6/data): one copy for the run, not one per VU.
 */

export const CRM_K6_FILE = 'ccai-crm-load.k6.js'
export const WEBHOOK_K6_FILE = 'ccai-webhooks-load.k6.js'
export const K6_MAX_SESSIONS = 500

/*
 * The placeholder ids the requests are planned with: integers, so that where the platform sends an
 * id as a JSON number (a body value that is exactly `{ACCOUNT_ID}`, `integerOrText`) the planned
 * body holds a number the script can tell from the same digits inside a text.
 */
export const K6_ID_PLACEHOLDERS = {
  create_account: '-918273645546372',
  create_record: '-918273645546381',
} as const
const ACCOUNT_TOKEN = K6_ID_PLACEHOLDERS.create_account
const RECORD_TOKEN = K6_ID_PLACEHOLDERS.create_record

/** One planned request of a k6 session. */
interface K6Step {
  /** Virtual ms since the session's first request. */
  readonly at: number
  readonly name: CrmEndpointName
  readonly method: string
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body?: string
  readonly bodyBase64?: string
  /** A binary body around a generated file: the script concatenates the parts (`uploadBody`). */
  readonly bodyParts?: readonly K6BodyPart[]
}

/** Part of an upload's body: bytes as they are, or a file the script generates. */
type K6BodyPart = { readonly base64: string } | { readonly media: GeneratedMedia }

/**
 * `body` as the text around one of `files`' generated files and that file's description, or
 * undefined when it holds none (the upload endpoint sends one file per request).
 */
function bodyAroundFile(body: Uint8Array, files: readonly StorageFile[]): K6BodyPart[] | undefined {
  const buffer = Buffer.from(body.buffer, body.byteOffset, body.byteLength)
  for (const file of files) {
    const media = storageFileMedia(file)
    if (media === undefined || storageFileByteLength(file) > body.byteLength) continue
    const bytes = file.content as Uint8Array
    const at = buffer.indexOf(bytes)
    if (at === -1) continue
    const before = buffer.subarray(0, at)
    const after = buffer.subarray(at + bytes.byteLength)
    return [
      ...(before.byteLength === 0 ? [] : [{ base64: before.toString('base64') }]),
      { media },
      ...(after.byteLength === 0 ? [] : [{ base64: after.toString('base64') }]),
    ]
  }
  return undefined
}

/**
 * A planned step's body: text, the parts around a generated file (`files`: the session's, made
 * on the first binary body), or base64.
 */
function stepBody(
  bytes: Uint8Array,
  files: () => readonly StorageFile[],
): Pick<K6Step, 'body' | 'bodyBase64' | 'bodyParts'> {
  if (bytes.byteLength === 0) return {}
  if (isText(bytes)) return { body: new TextDecoder().decode(bytes) }
  const parts = bodyAroundFile(bytes, files())
  return parts ? { bodyParts: parts } : { bodyBase64: Buffer.from(bytes).toString('base64') }
}

function isText(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    return !bytes.includes(0)
  } catch {
    return false
  }
}

/**
 * A session's CRM calls as the simulator's load driver makes them, each answered by a CRM that
 * finds nothing and creates with `ids` (`dryRunSend`), with the driver's virtual time: what the
 * k6 export plans, and what its tests compare the script's requests with.
 */
export async function* dryRunCalls(
  settings: CrmIntegrationSettings,
  story: SessionStory,
  ids: Partial<Record<CrmEndpointName, string>>,
): AsyncGenerator<{ readonly call: LoadCall; readonly at: number }> {
  const dry = dryRunSend(settings, ids)
  const driver = new CrmSessionDriver({
    settings,
    story,
    retry: DEFAULT_CRM_RETRY_POLICY,
    timeScale: 'max',
    sleep: () => Promise.resolve(),
  })
  for (let call = await driver.next(); call; call = await driver.next()) {
    yield { call, at: driver.now() }
    const request: CrmHttpRequest = {
      endpoint: call.name as CrmEndpointName,
      method: 'GET',
      url: call.url,
      headers: call.headers,
      timeoutMs: call.timeoutMs,
    }
    const answer = (await dry(request)).response
    driver.answer({
      status: answer?.status ?? 200,
      headers: answer?.headers ?? {},
      body: answer?.bodyText ?? '',
    })
  }
}

/** Plans one session's CRM requests: its driver, answered by a CRM that finds nothing. */
export async function planK6CrmSession(input: {
  readonly settings: CrmIntegrationSettings
  readonly config: Pick<LoadTestConfig, 'seed' | 'mix'>
  readonly key: string
  readonly n: number
}): Promise<{ readonly id: number; readonly steps: readonly K6Step[] }> {
  const { settings, config, key, n } = input
  const story = loadTestStory(config, key, n)
  const steps: K6Step[] = []
  // The files the driver's flow uploads (`planCrmFlow`'s default), so the same bytes.
  let storage: StorageFile[] | undefined
  const files = (): StorageFile[] => (storage ??= projectStorageFiles(story))
  let start: number | undefined
  for await (const { call, at } of dryRunCalls(settings, story, K6_ID_PLACEHOLDERS)) {
    start ??= at
    steps.push({
      at: at - start,
      name: call.name as CrmEndpointName,
      method: call.method,
      url: call.url,
      headers: call.headers,
      ...stepBody(call.body ?? new Uint8Array(), files),
    })
  }
  return { id: story.id, steps }
}

/** The session count a k6 export plans: the run's arrivals, at most `K6_MAX_SESSIONS`. */
function plannedSessions(options: ArtilleryExportOptions): number {
  const arrivals = Math.max(1, Math.round(options.rate * options.durationSeconds))
  return Math.min(arrivals, K6_MAX_SESSIONS)
}

function k6Options(
  options: ArtilleryExportOptions,
  thresholds: LoadThresholds,
  names: readonly string[],
): unknown {
  const arrivals = Math.max(1, Math.round(options.rate * options.durationSeconds))
  const duration = `${String(Math.ceil(options.durationSeconds))}s`
  const perEndpoint = Object.fromEntries(
    names.map((name) => [`http_req_duration{name:${name}}`, [`p(99)<${String(thresholds.p99Ms)}`]]),
  )
  return {
    scenarios: {
      sessions: {
        executor: 'constant-arrival-rate',
        // `arrivals` sessions spread evenly over the run.
        rate: arrivals,
        timeUnit: duration,
        duration,
        preAllocatedVUs: Math.min(arrivals, 50),
        maxVUs: Math.max(arrivals, 1),
      },
    },
    thresholds: {
      http_req_duration: [`p(95)<${String(thresholds.p95Ms)}`, `p(99)<${String(thresholds.p99Ms)}`],
      ...perEndpoint,
      ccai_calls_failed: [`rate<=${String(thresholds.errorBudget)}`],
    },
  }
}

/** Functions of the project inlined into the script (k6 cannot import npm packages). */
const INLINED = [readLocation, idText, integerOrText].map((fn) => fn.toString()).join('\n\n')

const K6_RUNTIME = `
function pause(virtualMs) {
  if (TIME_SCALE === 'max' || virtualMs <= 0) return
  sleep(virtualMs / TIME_SCALE / 1000)
}

function statusOk(name, status) {
  return (status >= 200 && status < 300) || (status === 404 && name.indexOf('find_') === 0)
}

// An upload's body: the bytes around its file, and the file made here from its seed by the
// fixtures' generators (${K6_MEDIA_GLOBAL}, bundled above), the bytes the simulator sends. Made
// when sent, so a VU holds one file at a time, however many sessions the script plans.
function uploadBody(parts) {
  var chunks = []
  var length = 0
  for (var i = 0; i < parts.length; i++) {
    var chunk = parts[i].media !== undefined
      ? ${K6_MEDIA_GLOBAL}.renderMedia(parts[i].media)
      : new Uint8Array(encoding.b64decode(parts[i].base64))
    chunks.push(chunk)
    length += chunk.length
  }
  var out = new Uint8Array(length)
  var at = 0
  for (var j = 0; j < chunks.length; j++) {
    out.set(chunks[j], at)
    at += chunks[j].length
  }
  return out.buffer
}

function retryAfterMs(value) {
  if (value === undefined || value === null || value === '') return undefined
  var text = String(value).trim()
  if (/^\\d+$/.test(text)) return Number(text) * 1000
  var date = Date.parse(text)
  return isNaN(date) ? undefined : Math.max(0, date - Date.now())
}

// One call under the documented retry rules: no answer or RETRY.immediate.statuses once more at
// once, RETRY.statuses on a growing schedule, 429 after Retry-After or a doubling backoff; anything
// else is final. Returns the response, or null when the session must end (no answer at all).
function send(call, state) {
  var delay = RETRY.initialDelayMs
  // Webhooks have no rate-limit rule (null): their 429 is retried like any other refusal.
  var rateDelay = RETRY.rateLimited === null ? 0 : RETRY.rateLimited.initialDelayMs
  var firstAt = state.clock
  var retriedAtOnce = false
  for (;;) {
    var res = http.request(call.method, call.url, call.body === undefined ? null : call.body, {
      headers: call.headers,
      timeout: TIMEOUT_MS + 'ms',
      redirects: 0,
      tags: { name: call.name },
    })
    calls.add(1)
    failed.add(!statusOk(call.name, res.status))
    if (statusOk(call.name, res.status)) return res
    var atOnce = res.status === 0
      ? RETRY.immediate.noResponse
      : res.status !== 429 && RETRY.immediate.statuses.indexOf(res.status) !== -1
    if (!retriedAtOnce && atOnce) {
      retriedAtOnce = true
      continue
    }
    if (res.status === 0) return null
    var wait
    if (res.status === 429 && RETRY.rateLimited !== null) {
      var after = retryAfterMs(res.headers['Retry-After'])
      wait = Math.max(1, after === undefined ? rateDelay : after)
      rateDelay = Math.min(rateDelay * 2, RETRY.rateLimited.maxDelayMs)
      var giveUp = RETRY.rateLimited.giveUpAfterMs
      if (giveUp !== null && state.clock + wait - firstAt > giveUp) return res
    } else if (RETRY.statuses.indexOf(res.status) !== -1) {
      wait = delay
      delay = Math.min(delay * RETRY.factor, RETRY.maxDelayMs)
      if (state.clock + wait - firstAt > RETRY.giveUpAfterMs) return res
    } else {
      return res
    }
    pause(wait)
    state.clock += wait
  }
}
`

/** The CRM script's body: the flow's branches over the planned requests. */
const K6_CRM_FLOW = `
function fill(text, ids, encode) {
  return text
    .split(ACCOUNT_TOKEN).join(encode(ids.account))
    .split(RECORD_TOKEN).join(encode(ids.record))
}

function identity(value) {
  return value
}

/**
 * A planned text body with the CRM's ids. JSON: a number where the platform sends one, else text
 * (the body is the simulator's JSON.stringify, so parsing and writing it again gives it back). Any
 * other text (a multipart body of text files) gets the ids' text.
 */
function fillBody(text, ids) {
  if (text.indexOf(ACCOUNT_TOKEN) === -1 && text.indexOf(RECORD_TOKEN) === -1) return text
  var json
  try {
    json = JSON.parse(text, function (key, value) {
      if (typeof value === 'string') return fill(value, ids, identity)
      if (typeof value !== 'number') return value
      var digits = String(value)
      if (digits === ACCOUNT_TOKEN) return integerOrText(ids.account)
      if (digits === RECORD_TOKEN) return integerOrText(ids.record)
      return value
    })
  } catch (e) {
    return fill(text, ids, identity)
  }
  return JSON.stringify(json)
}

function learn(step, res) {
  var where = LOCATIONS[step.name] || {}
  var json
  try { json = res.json() } catch (e) { return undefined }
  var data = readLocation(json, where.data)
  if (data === undefined || data === null) return undefined
  return idText(readLocation(data, where.id === undefined || where.id === null || where.id === '' ? 'id' : where.id))
}

export default function () {
  var session = SESSIONS[exec.scenario.iterationInTest % SESSIONS.length]
  var ids = { account: '', record: '' }
  var found = { account: false, record: false }
  var state = { clock: 0 }
  for (var i = 0; i < session.steps.length; i++) {
    var step = session.steps[i]
    if (step.name === 'create_account' && found.account) continue
    if (step.name === 'create_record' && found.record) continue
    var needs = (step.url + (step.body || ''))
    if ((needs.indexOf(ACCOUNT_TOKEN) !== -1 && ids.account === '') ||
        (needs.indexOf(RECORD_TOKEN) !== -1 && ids.record === '')) continue
    pause(step.at - state.clock)
    state.clock = Math.max(state.clock, step.at)
    var call = {
      name: step.name,
      method: step.method,
      url: fill(step.url, ids, encodeURIComponent),
      headers: step.headers,
      body: step.bodyParts !== undefined ? uploadBody(step.bodyParts) :
        step.bodyBase64 !== undefined ? encoding.b64decode(step.bodyBase64) :
        step.body === undefined ? undefined : fillBody(step.body, ids),
    }
    var res = send(call, state)
    if (res === null) return
    if (res.status < 200 || res.status >= 300) continue
    var id = step.name.indexOf('find_') === 0 || step.name.indexOf('create_') === 0 ? learn(step, res) : undefined
    if (id === undefined) continue
    if (step.name.indexOf('account') !== -1) { ids.account = id; found.account = step.name.indexOf('find_') === 0 }
    if (step.name.indexOf('record') !== -1) { ids.record = id; found.record = step.name.indexOf('find_') === 0 }
  }
}
`

const K6_WEBHOOK_FLOW = `
export default function () {
  var session = SESSIONS[exec.scenario.iterationInTest % SESSIONS.length]
  var state = { clock: 0 }
  for (var i = 0; i < session.steps.length; i++) {
    var step = session.steps[i]
    pause(step.at - state.clock)
    state.clock = Math.max(state.clock, step.at)
    if (send(step, state) === null) return
  }
}
`

/**
 * The planned sessions as a k6 `SharedArray`: built once for the whole run and shared by every
 * VU, each iteration getting a copy of its one session, so a VU's memory does not grow with the
 * number of sessions planned.
 */
function sharedSessions(sessions: readonly unknown[]): string {
  return `new SharedArray('ccai-sim sessions', function () {\n  return ${JSON.stringify(sessions)}\n})`
}

function k6Header(options: ArtilleryExportOptions, what: string, sessions: number): string {
  return `// Generated by ${options.command}
// ${what}, one k6 iteration per session (${String(sessions)} sessions planned at export time
// with the simulator's flow engine and request builder). Run: k6 run <this file>.
// Not run in this project's CI (k6 is not installable there): CI bundles it with esbuild to check it.
import http from 'k6/http'
import { sleep } from 'k6'
import exec from 'k6/execution'
import encoding from 'k6/encoding'
import { Counter, Rate } from 'k6/metrics'
import { SharedArray } from 'k6/data'

const calls = new Counter('ccai_calls_sent')
const failed = new Rate('ccai_calls_failed')
`
}

/** The k6 scripts of an export: one for the CRM (`--settings`), one for the receiver (`--receiver`). */
export async function k6ScriptFiles(options: ArtilleryExportOptions): Promise<ExportedFile[]> {
  const { config } = options
  const key = runnerKey({ runnerId: config.runnerId })
  const count = plannedSessions(options)
  const files: ExportedFile[] = []
  if (config.crm) {
    const { settings, retry } = config.crm
    if (settings.authentication.method === 'oauth2') {
      throw new SimulatorError(
        'invalid_config',
        'settings.authentication: the k6 export supports basic and custom-header authentication, received oauth2 (use the Artillery export)',
      )
    }
    const sessions = []
    for (let n = 0; n < count; n += 1)
      sessions.push(await planK6CrmSession({ settings, config, key, n }))
    const locations: Record<string, { data: string | null; id: string | null }> = {}
    for (const [name, endpoint] of Object.entries(settings.endpoints)) {
      const config: CrmResultLocations | null | undefined = endpoint
      if (config == null) continue
      locations[name] = {
        data: config.response_data_location ?? null,
        id: config.custom_id_location ?? null,
      }
    }
    const timeoutMs = settings.request_timeout * 1000
    const thresholds = { ...defaultThresholds(timeoutMs), ...options.thresholds }
    const names = Object.keys(locations)
    const generates = sessions.some((session) =>
      session.steps.some((step) => step.bodyParts !== undefined),
    )
    const media = generates
      ? `\n// The fixtures' file generators (@ccai-sim/fixtures media.ts), bundled: ${K6_MEDIA_GLOBAL}.renderMedia.\n${await k6MediaScript()}`
      : ''
    files.push({
      path: CRM_K6_FILE,
      content: `${k6Header(options, "The platform's generic-API calls to your CRM", count)}
export const options = ${JSON.stringify(k6Options(options, thresholds, names), null, 2)}

const TIME_SCALE = ${JSON.stringify(config.timeScale)}
const TIMEOUT_MS = ${String(timeoutMs)}
const RETRY = ${JSON.stringify({ ...retry, immediate: retry.immediate ?? DEFAULT_CRM_IMMEDIATE_RETRY })}
const ACCOUNT_TOKEN = ${JSON.stringify(ACCOUNT_TOKEN)}
const RECORD_TOKEN = ${JSON.stringify(RECORD_TOKEN)}
const LOCATIONS = ${JSON.stringify(locations)}
const SESSIONS = ${sharedSessions(sessions)}

// From @ccai-sim/simulator (crm/response.ts), inlined.
${INLINED}${media}
${K6_RUNTIME}${K6_CRM_FLOW}`,
    })
  }
  if (config.webhooks) {
    const hooks = config.webhooks
    const surfaces = new Set<string>(hooks.surfaces)
    const sessions = []
    for (let n = 0; n < count; n += 1) {
      const story = loadTestStory(config, key, n)
      const emissions = projectSession(story).emissions.filter((e) =>
        surfaces.has(e.surface === 'vta' ? 'adapter' : e.surface),
      )
      const start = emissions[0]?.at ?? 0
      sessions.push({
        id: story.id,
        steps: emissions.map((e) => ({
          at: e.at - start,
          name: `webhook.${e.surface === 'vta' ? 'adapter' : e.surface}`,
          method: 'POST',
          url: hooks.url,
          headers: webhookHeaders(e, hooks.headers),
          body: JSON.stringify(e.payload),
        })),
      })
    }
    const thresholds = { ...defaultThresholds(hooks.timeoutMs), ...options.thresholds }
    // Webhooks: any non-2xx is retried with doubling backoff (the dispatcher's rule), no 429 special
    // case and nothing sent again at once (the runtime's `send` reads `immediate` for every answer).
    const retry = {
      immediate: { statuses: [], noResponse: false },
      statuses: Array.from({ length: 500 }, (_, i) => i + 100).filter((s) => s < 200 || s >= 300),
      initialDelayMs: hooks.retry.initialDelayMs,
      factor: 2,
      maxDelayMs: hooks.retry.maxDelayMs,
      giveUpAfterMs: hooks.retry.giveUpAfterMs,
      rateLimited: null,
    }
    files.push({
      path: WEBHOOK_K6_FILE,
      content: `${k6Header(options, `The platform's ${hooks.surfaces.join(' and ')} webhooks to your receiver`, count)}
export const options = ${JSON.stringify(
        k6Options(
          options,
          thresholds,
          hooks.surfaces.map((s) => `webhook.${s}`),
        ),
        null,
        2,
      )}

const TIME_SCALE = ${JSON.stringify(config.timeScale)}
const TIMEOUT_MS = ${String(hooks.timeoutMs)}
const RETRY = ${JSON.stringify(retry)}
const SESSIONS = ${sharedSessions(sessions)}
${K6_RUNTIME}${K6_WEBHOOK_FLOW}`,
    })
  }
  return files
}
