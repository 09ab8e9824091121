import {
  createSeededFaker,
  generateStory,
  hashSeed,
  projectCrmVariables,
  SCENARIO_NAMES,
  type SessionStory,
} from '@ccai-sim/fixtures'
import {
  checkContract,
  genericApiCapabilities,
  type CrmAuthentication,
  type CrmIntegrationSettings,
  type GenericApiCapabilities,
} from '@ccai-sim/schemas'
import {
  buildCrmRequest,
  createCrmClient,
  idText,
  planCrmFlow,
  readCrmResult,
  type CrmClient,
  type CrmClientEvent,
  type CrmEndpointName,
  type CrmExchange,
  type CrmFlowAction,
  type CrmHttpRequest,
  type CrmRequestInput,
  type CrmResultLocations,
  type CrmUploadFile,
  type CrmVariables,
} from '@ccai-sim/simulator'
import type { ClauseTools, CreatedObject, Exchange } from '../core/types.js'
import { ContractTestsError } from '../errors.js'
import { isTextContentType, reportExchange } from './exchange.js'

/*
 * What the CRM suite's clauses work with: the settings (rebased onto `baseUrl`), a CRM client that
 * authenticates as the platform does, seeded sessions whose values look like real traffic, and
 * helpers that send built requests and record every exchange in the clause's report.
 *
 * Decisions:
 * - Functional clauses wait `lenientTimeoutMs` (default 30 s) for answers; only CRM-012 holds the
 *   CRM to the settings' API Request Timeout. A slow but correct CRM then fails the timing clause
 *   alone, not every clause that happens to use the slow route.
 * - Ids a clause needs for its own arrangement (the account under a record, the record under a
 *   comment) are read where the settings say, else from the first `id` key anywhere in the answer,
 *   else from a `Location` header: a wrong id location fails the create clauses, not every clause
 *   built on a created account or record.
 * - Every customer has a fictional `NXX-555-01xx` number (seeded area code) and an `@example.com`
 *   address with a seeded tag: a CRM with automations can never call or mail a real person, and
 *   two seeds rarely meet the same person.
 * - No seed means a random one (see `context.seed`), so repeated runs against one CRM meet new people;
 *   a rerun with the same seed meets the same people again, which the clauses that search allow for.
 * - Every object a 2xx create, comment or upload made is listed in `created` (the report shows it).
 */

/** How `createCrmSuiteContext` is told what to check. */
export interface CrmSuiteContextOptions {
  /** The generic API integration settings, as configured in the portal (`crm.settings` contract). */
  readonly settings: CrmIntegrationSettings
  /** Sends the requests; default the global `fetch` (pass `app.fetch`-based ones to test in process). */
  readonly fetch?: typeof fetch | undefined
  /**
   * Runs the settings against another host: every settings URL on an endpoint's origin gets this
   * URL in place of that origin (`https://crm.example.com/api/x` → `http://localhost:8080/api/x`;
   * with `http://localhost:8080/crm`, `http://localhost:8080/crm/api/x`).
   */
  readonly baseUrl?: string | undefined
  /** Seeds every session the suite makes up; default a random one. */
  readonly seed?: number | undefined
  /** How long functional clauses wait for an answer (ms); default 30 000. CRM-012 uses the settings' timeout. */
  readonly lenientTimeoutMs?: number | undefined
  /** `redirect_uri` for OAuth settings that include the redirect URL. */
  readonly oauthRedirectUrl?: string | undefined
}

/** Whose credentials a request carries: the settings', none at all, or wrong ones. */
export type CrmCredentials = 'valid' | 'missing' | 'wrong'

/** One request sent by a clause, as the client saw it and as the report shows it. */
export interface CrmCall {
  readonly endpoint: CrmEndpointName
  /** The clause (or probe) that sent it. */
  readonly label: string
  readonly credentials: CrmCredentials
  readonly exchange: CrmExchange
  readonly report: Exchange
  readonly durationMs: number
  /** A 2xx answer came. */
  readonly ok: boolean
}

/** A made-up session's values for each step of the platform's flow (seeded; see `planCrmFlow`). */
export interface CrmSession {
  readonly label: string
  readonly story: SessionStory
  /** Find or create account. */
  readonly account: CrmVariables
  /** Find or create record (`ACCOUNT_ID` still to be set). */
  readonly record: CrmVariables
  /** The session's first comment: its text (plain) and the values at that time. */
  readonly comment: { readonly text: string; readonly variables: CrmVariables }
  /** The final record update. */
  readonly update: CrmVariables
  /** A file the platform would upload, when the settings check a kind the session has. */
  readonly upload: { readonly file: CrmUploadFile; readonly variables: CrmVariables } | undefined
}

/** An attachment fetched back through its link. */
export interface CrmDownload {
  readonly status?: number
  readonly contentType?: string
  readonly bytes?: Uint8Array
  readonly error?: string
}

export interface CrmSendOptions {
  /** `platform`: the settings' API Request Timeout; `lenient` (default): `lenientTimeoutMs`. */
  readonly deadline?: 'platform' | 'lenient'
  readonly credentials?: CrmCredentials
  /** Who sends it (a clause id), for the timing and format clauses' run-wide checks. */
  readonly label?: string
}

/** What every CRM clause works with. */
export interface CrmSuiteContext {
  readonly settings: CrmIntegrationSettings
  readonly capabilities: GenericApiCapabilities
  readonly seed: number
  /** What is checked: `baseUrl`, else the origin of the endpoints. */
  readonly target: string
  /** The settings' API Request Timeout, in ms. */
  readonly timeoutMs: number
  readonly lenientTimeoutMs: number
  /** The platform's client, with the settings' authentication. */
  readonly client: CrmClient
  /** Every call sent so far in this run (the timing and format clauses look at them too). */
  readonly observed: readonly CrmCall[]
  /** A seeded session for `label` (the same label gives the same session). */
  session(label: string, options?: { readonly binaryUpload?: boolean }): CrmSession
  /** The endpoint's request for these values; throws when the endpoint is not configured. */
  request(endpoint: CrmEndpointName, input: CrmRequestInput): CrmHttpRequest
  /** Sends a built request, records the exchange in the clause's report; never rejects. */
  send(tools: ClauseTools, request: CrmHttpRequest, options?: CrmSendOptions): Promise<CrmCall>
  /** Fetches an attachment link (without credentials, then with them on a 401/403 from the CRM's own origin). */
  download(tools: ClauseTools, url: string): Promise<CrmDownload>
  /** A seeded text for `label`: random but stable within a run. */
  randomFor(label: string): ReturnType<typeof createSeededFaker>
  /** Every object a 2xx create, comment or upload made so far (with valid credentials). */
  readonly created: readonly CreatedObject[]
  /**
   * Deletes what the settings make deletable: accounts at Find an account by ID's URL, records at
   * Update a record's URL (REST: the same URL names the object), with DELETE; returns the list with
   * what happened to each (comments and files have no URL of their own in the settings).
   */
  cleanup(): Promise<CreatedObject[]>
}

const CREATED_KINDS: Partial<Record<CrmEndpointName, string>> = {
  create_account: 'account',
  create_record: 'record',
  comment: 'comment',
  upload_file: 'attachment',
}

const DEFAULT_LENIENT_TIMEOUT_MS = 30_000
const ORIGIN = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i

function originOf(url: string): string | undefined {
  return ORIGIN.exec(url)?.[0]
}

function endpointUrls(settings: CrmIntegrationSettings): string[] {
  return Object.values(settings.endpoints).flatMap((config) => (config ? [config.url] : []))
}

/** The settings with every URL on one of the endpoints' origins moved to `base`. */
export function rebaseSettings(
  settings: CrmIntegrationSettings,
  base: string,
): CrmIntegrationSettings {
  const origins = new Set(endpointUrls(settings).flatMap((u) => originOf(u) ?? []))
  const move = (url: string): string => {
    const origin = originOf(url)
    return origin !== undefined && origins.has(origin) ? base + url.slice(origin.length) : url
  }
  const moveMaybe = <T extends string | null | undefined>(url: T): T =>
    (typeof url === 'string' ? move(url) : url) as T
  const endpoints = Object.fromEntries(
    Object.entries(settings.endpoints).map(([name, config]) => {
      if (config == null) return [name, config]
      const moved = { ...config, url: move(config.url) }
      if ('attachment_type' in moved && moved.attachment_type.type === 'id') {
        moved.attachment_type = {
          ...moved.attachment_type,
          attachment_builder_url: move(moved.attachment_type.attachment_builder_url),
        }
      }
      return [name, moved]
    }),
  ) as CrmIntegrationSettings['endpoints']
  const auth = settings.authentication
  return {
    ...settings,
    authentication:
      auth.method === 'oauth2'
        ? {
            ...auth,
            authorization_url: move(auth.authorization_url),
            token_url: move(auth.token_url),
          }
        : auth,
    display_url: moveMaybe(settings.display_url),
    account_lookup_url: moveMaybe(settings.account_lookup_url),
    record_lookup_url: moveMaybe(settings.record_lookup_url),
    endpoints,
  }
}

function checkedBaseUrl(baseUrl: string): string {
  let url: URL | undefined
  try {
    url = new URL(baseUrl)
  } catch {
    url = undefined
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    throw new ContractTestsError(
      'invalid_options',
      `baseUrl: expected an http(s) URL, received "${baseUrl}"`,
    )
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '')
}

/**
 * A wrong value for a credential header: an `Authorization`-style value keeps its scheme
 * (`Bearer <token>` → `Bearer <other token>`), so the CRM must check the token itself, not only
 * that the scheme is there; other values become another secret of the same shape.
 */
function wrongHeaderValue(value: string, faker: ReturnType<typeof createSeededFaker>): string {
  const scheme = /^([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)(\s+)(\S.*)$/.exec(value)
  if (scheme?.[1] !== undefined && scheme[2] !== undefined && scheme[3] !== undefined)
    return `${scheme[1]}${scheme[2]}${wrongSecret(scheme[3], faker)}`
  return wrongSecret(value, faker)
}

/** Another secret of the same length and alphabet, never the real one. */
function wrongSecret(secret: string, faker: ReturnType<typeof createSeededFaker>): string {
  const length = Math.max(secret.length, 12)
  for (;;) {
    const candidate = /^[0-9a-f]+$/.test(secret)
      ? faker.string.hexadecimal({ length, casing: 'lower', prefix: '' })
      : faker.string.alphanumeric({ length })
    if (candidate !== secret) return candidate
  }
}

/** The settings' authentication replaced: no credentials at all, or wrong ones of the same kind. */
function credentialsAs(
  auth: CrmAuthentication,
  kind: 'missing' | 'wrong',
  faker: ReturnType<typeof createSeededFaker>,
): CrmAuthentication {
  if (kind === 'missing') return { method: 'custom_header', fields: [] }
  switch (auth.method) {
    case 'basic':
      return { ...auth, password: wrongSecret(auth.password, faker) }
    case 'custom_header':
      return {
        ...auth,
        fields: auth.fields.map((f) => ({
          ...f,
          field_value: wrongHeaderValue(f.field_value, faker),
        })),
      }
    case 'oauth2':
      return {
        method: 'custom_header',
        fields: [{ field_key: 'Authorization', field_value: `Bearer ${wrongSecret('', faker)}` }],
      }
  }
}

/** The first `id` key, breadth first, anywhere in a JSON value, as id text. */
function firstIdAnywhere(json: unknown): string | undefined {
  const queue: unknown[] = [json]
  while (queue.length > 0) {
    const value = queue.shift()
    if (value === null || typeof value !== 'object') continue
    if (!Array.isArray(value)) {
      const id = idText((value as Record<string, unknown>)['id'])
      if (id !== undefined) return id
    }
    queue.push(...(Object.values(value) as unknown[]))
  }
  return undefined
}

function parseLoosely(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

/**
 * The id a create answer carries, for a clause's own arrangement: at the configured location, else
 * the first `id` key anywhere, else the last segment of a `Location` header. The create clauses
 * check the configured location strictly; this keeps the others independent of it.
 */
export function arrangedId(exchange: CrmExchange, config: CrmResultLocations): string | undefined {
  const response = exchange.response
  if (response === undefined) return undefined
  const json = response.json ?? parseLoosely(response.bodyText)
  const configured = readCrmResult({ ...response, json }, config).id
  if (configured !== undefined) return configured
  const anywhere = firstIdAnywhere(json)
  if (anywhere !== undefined) return anywhere
  const location = response.headers['location']
  const last = location?.split(/[?#]/)[0]?.split('/').filter(Boolean).at(-1)
  return last === undefined || last === '' ? undefined : decodeURIComponent(last)
}

/**
 * North American area codes a seeded customer may get: `NXX` with N 2–9, no `N11` service codes,
 * no `N9X` (reserved for expansion) and not 555 itself.
 */
const AREA_CODES: readonly number[] = Array.from({ length: 800 }, (_, i) => 200 + i).filter(
  (n) => n % 100 !== 11 && Math.floor(n / 10) % 10 !== 9 && n !== 555,
)

/**
 * A seeded number in the fictional `NXX-555-0100…0199` block (the fixtures' `fictionalPhone`), with
 * a seeded area code: one of about 58 000 numbers, so "a person never seen" holds on a CRM that
 * keeps earlier runs' accounts, and no number can ring a real person.
 */
function freshPhone(original: string, faker: ReturnType<typeof createSeededFaker>): string {
  if (!/^\+1\d{10}$/.test(original)) return original
  const area = faker.helpers.arrayElement(AREA_CODES)
  return `+1${area}55501${faker.string.numeric({ length: 2, allowLeadingZeros: true })}`
}

/** The story's `@example.com` address with a seeded tag, so two runs never share an address. */
function freshEmail(original: string, faker: ReturnType<typeof createSeededFaker>): string {
  const at = original.lastIndexOf('@')
  if (at <= 0) return original
  const tag = faker.string.alphanumeric({ length: 6, casing: 'lower' })
  return `${original.slice(0, at)}.${tag}@example.com`
}

function replaceAll(
  values: CrmVariables,
  swaps: readonly (readonly [string, string])[],
): CrmVariables {
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => [
      k,
      typeof v === 'string'
        ? swaps.reduce((text, [from, to]) => (from === '' ? text : text.replaceAll(from, to)), v)
        : v,
    ]),
  )
}

function isBinary(file: CrmUploadFile): boolean {
  return !isTextContentType(file.contentType)
}

function randomSeed(): number {
  return globalThis.crypto.getRandomValues(new Uint32Array(1))[0] ?? 0
}

function urlOf(input: Parameters<typeof fetch>[0]): string {
  if (typeof input === 'string') return input
  return input instanceof URL ? input.href : input.url
}

/**
 * The CRM suite's context: settings checked (`crm.settings`, tolerant) and rebased onto `baseUrl`,
 * the platform's client (`createCrmClient`, real time), seeded sessions from `generateStory` and
 * `planCrmFlow`, and the helpers that send and record. Throws `ContractTestsError` on bad options.
 *
 * @example
 * const context = createCrmSuiteContext({ settings, seed: 7 })
 * const result = await runSuite(CRM_SUITE, context, { target: context.target })
 */
export function createCrmSuiteContext(options: CrmSuiteContextOptions): CrmSuiteContext {
  const checked = checkContract('crm.settings', options.settings, { mode: 'tolerant' })
  if (!checked.ok) {
    const issues = checked.issues.map((i) => `${i.path}: ${i.message}`).join('; ')
    throw new ContractTestsError('invalid_options', `settings: not valid crm.settings (${issues})`)
  }
  const base = options.baseUrl === undefined ? undefined : checkedBaseUrl(options.baseUrl)
  const settings = base === undefined ? options.settings : rebaseSettings(options.settings, base)
  const seed = options.seed ?? randomSeed()
  if (!Number.isSafeInteger(seed))
    throw new ContractTestsError('invalid_options', `seed: expected an integer, received ${seed}`)
  const lenientTimeoutMs = options.lenientTimeoutMs ?? DEFAULT_LENIENT_TIMEOUT_MS
  const fetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
  const now = (): number => performance.now()
  const firstUrl = endpointUrls(settings)[0]
  const target =
    base ?? (firstUrl === undefined ? '(no endpoints)' : (originOf(firstUrl) ?? firstUrl))
  const endpointOrigins = new Set(endpointUrls(settings).flatMap((u) => originOf(u) ?? []))
  const observed: CrmCall[] = []
  const created: CreatedObject[] = []
  const sessions = new Map<string, CrmSession>()
  let recording: ClauseTools | undefined

  const randomFor = (label: string): ReturnType<typeof createSeededFaker> =>
    createSeededFaker(hashSeed(seed, 'crm-suite', label))

  const observe = (event: CrmClientEvent): void => {
    if (event.kind !== 'oauth_token') return
    recording?.record({
      request: {
        method: 'POST',
        url: event.url,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: `grant_type=${event.grant}&client_id=***&client_secret=***`,
      },
      ...(event.status === undefined
        ? {}
        : { response: { status: event.status, headers: {}, body: '' } }),
      ...(event.error === undefined ? {} : { error: event.error }),
      durationMs: event.durationMs,
    })
  }
  const clientFor = (authentication: CrmAuthentication, fetchImpl: typeof fetch): CrmClient =>
    createCrmClient({
      settings: { ...settings, authentication },
      fetch: fetchImpl,
      now,
      observe,
      ...(options.oauthRedirectUrl === undefined
        ? {}
        : { oauthRedirectUrl: options.oauthRedirectUrl }),
    })
  const client = clientFor(settings.authentication, fetchFn)
  const clients: Record<CrmCredentials, CrmClient | undefined> = {
    valid: client,
    missing: undefined,
    wrong: undefined,
  }
  const clientAs = (credentials: CrmCredentials): CrmClient => {
    const existing = clients[credentials]
    if (existing) return existing
    const auth =
      credentials === 'valid'
        ? settings.authentication
        : credentialsAs(
            settings.authentication,
            credentials,
            randomFor(`credentials/${credentials}`),
          )
    const made = clientFor(auth, fetchFn)
    clients[credentials] = made
    return made
  }

  function makeSession(label: string, binaryUpload: boolean): CrmSession {
    const start = hashSeed(seed, 'crm-suite/session', label)
    let chosen: CrmSession | undefined
    for (let attempt = 0; attempt < SCENARIO_NAMES.length; attempt += 1) {
      const scenario =
        SCENARIO_NAMES[(start + attempt) % SCENARIO_NAMES.length] ?? 'inbound-ivr-call'
      const candidate = sessionOf({ label, scenario, index: start % 1_000_000 })
      chosen ??= candidate
      if (!binaryUpload || (candidate.upload && isBinary(candidate.upload.file))) return candidate
      if (!chosen.upload && candidate.upload) chosen = candidate
    }
    return chosen as CrmSession
  }

  function sessionOf(input: { label: string; scenario: string; index: number }): CrmSession {
    const story = generateStory(input.scenario, { seed, index: input.index })
    const plan = planCrmFlow({ settings, story })
    const person = randomFor(`person/${input.label}`)
    const swaps: [string, string][] = [
      [story.endUser.phone, freshPhone(story.endUser.phone, person)],
      [story.endUser.email, freshEmail(story.endUser.email, person)],
    ]
    const base: CrmVariables = { ...projectCrmVariables(story), ACCOUNT_ID: '', RECORD_ID: '' }
    const values = (vars: CrmVariables | undefined): CrmVariables => replaceAll(vars ?? base, swaps)
    const find = (kind: CrmFlowAction['kind']): CrmFlowAction | undefined =>
      plan.actions.find((a) => a.kind === kind)
    const comment = plan.actions.find((a) => a.kind === 'comment')
    const uploads = plan.actions.flatMap((a) => (a.kind === 'upload' ? [a] : []))
    const upload = uploads.find((a) => isBinary(a.file)) ?? uploads[0]
    return {
      label: input.label,
      story,
      account: values(find('account')?.variables),
      record: values(find('record')?.variables),
      comment: {
        text:
          comment?.kind === 'comment'
            ? comment.text
            : `${story.kind === 'call' ? 'Call' : 'Chat'} ${story.id} started (${story.legacyType}).`,
        variables: values(comment?.variables),
      },
      update: values(find('update')?.variables),
      upload:
        upload === undefined
          ? undefined
          : {
              file: {
                filename: upload.file.filename,
                contentType: upload.file.contentType,
                bytes: upload.file.bytes,
              },
              variables: values(upload.variables),
            },
    }
  }

  return {
    settings,
    capabilities: genericApiCapabilities(settings.endpoints),
    seed,
    target,
    timeoutMs: settings.request_timeout * 1000,
    lenientTimeoutMs,
    client,
    observed,
    randomFor,
    session(label, sessionOptions = {}) {
      const key = `${label}\u0000${String(sessionOptions.binaryUpload === true)}`
      let session = sessions.get(key)
      if (!session) {
        session = makeSession(label, sessionOptions.binaryUpload === true)
        sessions.set(key, session)
      }
      return session
    },
    request(endpoint, input) {
      const request = buildCrmRequest(settings, endpoint, input)
      if (request === undefined)
        throw new ContractTestsError(
          'invalid_options',
          `the settings configure no ${endpoint} endpoint`,
        )
      return request
    },
    async send(tools, request, sendOptions = {}) {
      const credentials = sendOptions.credentials ?? 'valid'
      const effective =
        sendOptions.deadline === 'platform'
          ? request
          : { ...request, timeoutMs: Math.max(request.timeoutMs, lenientTimeoutMs) }
      recording = tools
      const started = now()
      let exchange: CrmExchange
      try {
        exchange = await clientAs(credentials).send(effective)
      } finally {
        recording = undefined
      }
      // The report shows the request as the platform builds it (its timeout included).
      exchange = { ...exchange, request }
      const report = reportExchange(exchange, now() - started)
      tools.record(report)
      const status = exchange.response?.status
      const call: CrmCall = {
        endpoint: request.endpoint,
        label: sendOptions.label ?? '',
        credentials,
        exchange,
        report,
        durationMs: report.durationMs,
        ok: status !== undefined && status >= 200 && status < 300,
      }
      observed.push(call)
      const kind = CREATED_KINDS[request.endpoint]
      if (call.ok && credentials === 'valid' && kind !== undefined) {
        const config = settings.endpoints[request.endpoint]
        const id =
          kind === 'comment'
            ? undefined
            : arrangedId(exchange, kind === 'attachment' ? {} : (config ?? {}))
        created.push({
          kind,
          ...(id === undefined ? {} : { id }),
          clause: call.label === '' ? '(suite)' : call.label,
          via: `${request.method} ${request.url}`,
        })
      }
      return call
    },
    created,
    async cleanup() {
      const byId = {
        account: settings.endpoints.find_account_by_id?.url,
        record: settings.endpoints.update_record?.url,
      }
      const variable = { account: '{ACCOUNT_ID}', record: '{RECORD_ID}' } as const
      // Records first: a CRM may refuse to delete an account that still has records.
      const order = [...created].sort(
        (a, b) => Number(b.kind === 'record') - Number(a.kind === 'record'),
      )
      const outcome = new Map<CreatedObject, string>()
      for (const object of order) {
        if (object.kind !== 'account' && object.kind !== 'record') {
          outcome.set(
            object,
            `left: the settings give no URL for one ${object.kind}; it goes with its record if the CRM deletes dependants`,
          )
          continue
        }
        const template = byId[object.kind]
        const name = variable[object.kind]
        if (object.id === undefined) {
          outcome.set(object, 'left: no id was read from the create answer')
          continue
        }
        if (template?.includes(name) !== true) {
          outcome.set(
            object,
            `left: the settings have no ${object.kind === 'account' ? 'Find an account by ID' : 'Update a record'} URL with ${name} to delete it at`,
          )
          continue
        }
        const url = template.replaceAll(name, encodeURIComponent(object.id))
        const exchange = await client.send({
          endpoint: object.kind === 'account' ? 'find_account_by_id' : 'update_record',
          method: 'DELETE',
          url,
          headers: { Accept: 'application/json' },
          timeoutMs: lenientTimeoutMs,
        })
        const status = exchange.response?.status
        outcome.set(
          object,
          status !== undefined && status >= 200 && status < 300
            ? `deleted (DELETE ${url}: HTTP ${status})`
            : `left: DELETE ${url} answered ${status === undefined ? (exchange.error ?? 'nothing') : `HTTP ${status}`}`,
        )
      }
      return created.map((object) => ({ ...object, cleanup: outcome.get(object) ?? 'left' }))
    },
    async download(tools, url) {
      const attempt = async (withCredentials: boolean): Promise<CrmDownload> => {
        let bytes: Uint8Array | undefined
        const capture: typeof fetch = async (input, init) => {
          const response = await fetchFn(input, init)
          if (urlOf(input) === url) bytes = new Uint8Array(await response.clone().arrayBuffer())
          return response
        }
        const auth: CrmAuthentication = withCredentials
          ? settings.authentication
          : { method: 'custom_header', fields: [] }
        const downloader = clientFor(auth, capture)
        const request: CrmHttpRequest = {
          endpoint: 'upload_file',
          method: 'GET',
          url,
          headers: { Accept: '*/*' },
          timeoutMs: lenientTimeoutMs,
        }
        recording = tools
        const started = now()
        let exchange: CrmExchange
        try {
          exchange = await downloader.send(request)
        } finally {
          recording = undefined
        }
        const report = reportExchange(exchange, now() - started)
        const response = exchange.response
        const contentType = response?.headers['content-type']
        tools.record(
          response === undefined || isTextContentType(contentType)
            ? report
            : {
                ...report,
                response: {
                  status: response.status,
                  headers: response.headers,
                  body: `<binary: ${bytes?.byteLength ?? 0} bytes>`,
                },
              },
        )
        return {
          ...(exchange.response === undefined ? {} : { status: exchange.response.status }),
          ...(contentType === undefined ? {} : { contentType }),
          ...(bytes === undefined ? {} : { bytes }),
          ...(exchange.error === undefined ? {} : { error: exchange.error }),
        }
      }
      const first = await attempt(false)
      const refused = first.status === 401 || first.status === 403
      const origin = originOf(url)
      if (refused && origin !== undefined && endpointOrigins.has(origin)) return attempt(true)
      return first
    },
  }
}
