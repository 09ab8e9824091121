import { createHash } from 'node:crypto'
import { commentBody } from '@ccai-sim/fixtures'
import type { CrmAuthentication } from '@ccai-sim/schemas'
import {
  attachmentLink,
  lostFilters,
  readCrmResult,
  type CrmEndpointName,
  type CrmHttpResponse,
  type CrmResultLocations,
  type CrmVariables,
} from '@ccai-sim/simulator'
import { runSuite } from '../core/runner.js'
import type {
  ClauseDefinition,
  ClauseResult,
  ClauseTools,
  SuiteDefinition,
  SuiteResult,
} from '../core/types.js'
import {
  arrangedId,
  createCrmSuiteContext,
  type CrmCall,
  type CrmSession,
  type CrmSuiteContext,
  type CrmSuiteContextOptions,
} from './crm-context.js'
import { describeAnswer } from './exchange.js'

export { createCrmSuiteContext, rebaseSettings } from './crm-context.js'
export type {
  CrmSuiteContext,
  CrmSuiteContextOptions,
  CrmCall,
  CrmCredentials,
  CrmSession,
  CrmDownload,
  CrmSendOptions,
} from './crm-context.js'

/*
 * The CRM provider suite: drives a CRM exactly as the platform would (requests from the request
 * builder, the settings' authentication, seeded sessions) and checks the generic API's contract
 * clause by clause (seed 000, Custom CRM generic API; reference §5). Every clause arranges its own
 * account and record with a fresh seeded person, so clauses run alone (`only`) or in any order.
 */

type Tools = ClauseTools
type Context = CrmSuiteContext

// ---------------------------------------------------------------------------------------------
// Skips: areas the settings do not configure

const NO_ACCOUNT_LOOKUP =
  'the settings do not configure account lookup (Find an account by query and Create an account), so the platform calls nothing'

function needsAccountLookup(context: Context): string | undefined {
  return context.capabilities.accountLookup ? undefined : NO_ACCOUNT_LOOKUP
}

function needsFindById(context: Context): string | undefined {
  return (
    needsAccountLookup(context) ??
    (context.capabilities.findAccountById
      ? undefined
      : 'Find an account by ID is not configured (or its URL has no {ACCOUNT_ID})')
  )
}

function needsRecordCreation(context: Context): string | undefined {
  return (
    needsAccountLookup(context) ??
    (context.capabilities.recordCreation ? undefined : 'Create a record is not configured')
  )
}

// ---------------------------------------------------------------------------------------------
// Arrangement: each clause makes its own account and record

function locationText(location: string | null | undefined): string {
  return location == null || location === '' ? '(the root)' : `"${location}"`
}

function isOk(status: number | undefined): boolean {
  return status !== undefined && status >= 200 && status < 300
}

interface ArrangedAccount {
  readonly session: CrmSession
  readonly accountId: string
}

interface ArrangedRecord extends ArrangedAccount {
  readonly recordId: string
}

async function arrangeAccount(
  context: Context,
  tools: Tools,
  input: { readonly label: string; readonly session: CrmSession },
): Promise<ArrangedAccount> {
  const { session, label } = input
  const request = context.request('create_account', { variables: session.account })
  const call = await context.send(tools, request, { label })
  const config = context.settings.endpoints.create_account ?? {}
  const accountId = call.ok ? arrangedId(call.exchange, config) : undefined
  if (accountId === undefined)
    tools.block('CRM-002', {
      message: 'arrange: Create an account gave no account to work with',
      expected: 'a 2xx answer carrying the new account id',
      actual: describeAnswer(call.exchange),
    })
  return { session, accountId }
}

async function arrangeRecord(
  context: Context,
  tools: Tools,
  input: { readonly label: string; readonly binaryUpload?: boolean },
): Promise<ArrangedRecord> {
  const session = context.session(input.label, { binaryUpload: input.binaryUpload === true })
  const { accountId } = await arrangeAccount(context, tools, { label: input.label, session })
  const request = context.request('create_record', {
    variables: { ...session.record, ACCOUNT_ID: accountId },
  })
  const call = await context.send(tools, request, { label: input.label })
  const config = context.settings.endpoints.create_record ?? {}
  const recordId = call.ok ? arrangedId(call.exchange, config) : undefined
  if (recordId === undefined)
    tools.block('CRM-006', {
      message: 'arrange: Create a record gave no record to work with',
      expected: 'a 2xx answer carrying the new record id',
      actual: describeAnswer(call.exchange),
    })
  return { session, accountId, recordId }
}

/** How many other people a clause tries when the CRM already knows its person (a rerun). */
const UNSEEN_ATTEMPTS = 8

/**
 * A seeded person the CRM does not know yet, as the platform checks before it creates: a rerun with
 * the same seed meets the people of the earlier run, which a CRM that keeps its data still has, so
 * the next of `label`'s seeded people is taken instead (`label~2`, …). A search that fails is no
 * reason to look further: the clause itself then judges the CRM.
 */
async function unseenPerson(context: Context, tools: Tools, label: string): Promise<CrmSession> {
  const config: CrmResultLocations = context.settings.endpoints.find_account_by_query ?? {}
  let session = context.session(label)
  for (let attempt = 1; attempt <= UNSEEN_ATTEMPTS; attempt += 1) {
    session = context.session(attempt === 1 ? label : `${label}~${attempt}`)
    const call = await context.send(
      tools,
      context.request('find_account_by_query', { variables: session.account }),
      { label },
    )
    if (!call.ok || call.exchange.response === undefined) return session
    if (!readCrmResult(call.exchange.response, config).found) return session
  }
  return session
}

/** The values of a step once the account and record exist. */
function withIds(
  variables: CrmVariables,
  ids: { readonly accountId: string; readonly recordId?: string },
): CrmVariables {
  return {
    ...variables,
    ACCOUNT_ID: ids.accountId,
    ...(ids.recordId === undefined ? {} : { RECORD_ID: ids.recordId }),
  }
}

function requireOk(
  tools: Tools,
  call: CrmCall,
  what: string,
): asserts call is CrmCall & {
  exchange: { response: CrmHttpResponse }
} {
  tools.check(call.ok, {
    message: `${what} did not succeed`,
    expected: 'a 2xx answer',
    actual: describeAnswer(call.exchange),
  })
}

/** An id of the same shape as `id` that no CRM handed out: digits stay digits, hex stays hex. */
function unknownIdLike(id: string, faker: ReturnType<Context['randomFor']>): string {
  if (/^\d+$/.test(id)) {
    const length = Math.min(Math.max(id.length + 4, 7), 14)
    return `9${faker.string.numeric({ length, allowLeadingZeros: true })}`
  }
  const hex = /^[0-9a-f-]+$/i.test(id)
  for (;;) {
    const made = Array.from(id, (ch) => ch)
      .map((ch) => {
        if (/\d/.test(ch)) return faker.string.numeric(1)
        if (/[a-z]/.test(ch))
          return hex
            ? faker.string.hexadecimal({ length: 1, casing: 'lower', prefix: '' })
            : faker.string.alpha({ length: 1, casing: 'lower' })
        if (/[A-Z]/.test(ch))
          return hex
            ? faker.string.hexadecimal({ length: 1, casing: 'upper', prefix: '' })
            : faker.string.alpha({ length: 1, casing: 'upper' })
        return ch
      })
      .join('')
    if (made !== id) return made
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.byteLength, b.byteLength)
  for (let i = 0; i < n; i += 1) if (a[i] !== b[i]) return i
  return n
}

const JSON_TYPE = /^[^;]*[/+]json\s*(;|$)/i

/** The endpoints whose answers the platform reads at a location (reference §5.1, §5.3). */
const LOCATED_ENDPOINTS: ReadonlySet<CrmEndpointName> = new Set([
  'find_account_by_query',
  'find_account_by_id',
  'create_account',
  'find_record_by_query',
  'create_record',
  'upload_file',
])

const ALL_ENDPOINTS: ReadonlySet<CrmEndpointName> = new Set([
  ...LOCATED_ENDPOINTS,
  'comment',
  'update_record',
])

/**
 * One pass through every configured endpoint in the platform's order (a search with no match,
 * create account, find it by query and by ID, create a record, find it, comment, update, upload),
 * for the clauses that judge every answer (timing, format). A step whose prerequisite id is missing
 * is left out: other clauses judge that.
 */
async function probeFlow(
  context: Context,
  tools: Tools,
  input: {
    readonly label: string
    readonly deadline: 'platform' | 'lenient'
    readonly endpoints: ReadonlySet<CrmEndpointName>
  },
): Promise<CrmCall[]> {
  const { label, deadline } = input
  const { endpoints } = context.settings
  const calls: CrmCall[] = []
  const send = async (
    endpoint: CrmEndpointName,
    request: Parameters<Context['request']>[1],
  ): Promise<CrmCall | undefined> => {
    if (endpoints[endpoint] == null) return undefined
    const call = await context.send(tools, context.request(endpoint, request), { deadline, label })
    calls.push(call)
    return call
  }
  const wanted = (endpoint: CrmEndpointName): boolean => input.endpoints.has(endpoint)

  const nobody = context.session(`${label}/nobody`)
  const session = context.session(label)
  if (wanted('find_account_by_query'))
    await send('find_account_by_query', { variables: nobody.account })
  const account = await send('create_account', { variables: session.account })
  const accountId =
    account?.ok === true ? arrangedId(account.exchange, endpoints.create_account ?? {}) : undefined
  if (wanted('find_account_by_query'))
    await send('find_account_by_query', { variables: session.account })
  if (accountId === undefined) return calls
  if (wanted('find_account_by_id') && context.capabilities.findAccountById)
    await send('find_account_by_id', { variables: withIds(session.account, { accountId }) })
  if (!context.capabilities.recordCreation) return calls
  const record = await send('create_record', {
    variables: withIds(session.record, { accountId }),
  })
  const recordId =
    record?.ok === true ? arrangedId(record.exchange, endpoints.create_record ?? {}) : undefined
  if (wanted('find_record_by_query'))
    await send('find_record_by_query', { variables: withIds(session.record, { accountId }) })
  if (recordId === undefined) return calls
  const ids = { accountId, recordId }
  if (wanted('comment')) {
    const html = endpoints.comment?.convert_text_to_html === true
    await send('comment', {
      variables: {
        ...withIds(session.comment.variables, ids),
        COMMENT_BODY: commentBody(session.comment.text, html),
      },
    })
  }
  if (wanted('update_record'))
    await send('update_record', { variables: withIds(session.update, ids) })
  if (
    wanted('upload_file') &&
    session.upload &&
    (endpoints.upload_file?.files_to_attach ?? []).length > 0
  )
    await send('upload_file', {
      variables: withIds(session.upload.variables, ids),
      file: session.upload.file,
    })
  return calls
}

function callLine(call: CrmCall, text: string): string {
  return `${call.endpoint}${call.label === '' ? '' : ` (${call.label})`}: ${text}`
}

function missingLabel(auth: CrmAuthentication): string {
  switch (auth.method) {
    case 'basic':
      return 'without an Authorization header'
    case 'custom_header':
      return `without the ${auth.fields.map((f) => f.field_key).join(', ')} header${auth.fields.length === 1 ? '' : 's'}`
    case 'oauth2':
      return 'without a bearer token'
  }
}

function wrongLabel(auth: CrmAuthentication): string {
  switch (auth.method) {
    case 'basic':
      return `with user "${auth.username}" and a wrong password`
    case 'custom_header':
      return `with wrong ${auth.fields.map((f) => f.field_key).join(', ')} values`
    case 'oauth2':
      return 'with an invalid bearer token'
  }
}

// ---------------------------------------------------------------------------------------------
// The clauses

const CRM_001: ClauseDefinition<Context> = {
  id: 'CRM-001',
  title: 'a search for an account with no match answers 2xx with nothing at the data location',
  rationale:
    'Seed 000 (Find an account by query) and reference §5.3 (error-handling page): a find answering 200 OK with no match is the normal "not found", after which the platform creates the account; an error status breaks the flow or is retried instead.',
  skipIf: needsAccountLookup,
  async run(context: Context, tools: Tools): Promise<void> {
    const session = context.session('CRM-001')
    const config: CrmResultLocations = context.settings.endpoints.find_account_by_query ?? {}
    const call = await context.send(
      tools,
      context.request('find_account_by_query', { variables: session.account }),
      { label: 'CRM-001' },
    )
    requireOk(tools, call, 'a search for a person the CRM has never seen')
    const result = readCrmResult(call.exchange.response, config)
    tools.check(!result.found, {
      message: 'a search for a person the CRM has never seen found something',
      expected: `nothing (null, [] or {}) at the data location ${locationText(config.response_data_location)}`,
      actual: JSON.stringify(result.data)?.slice(0, 300) ?? 'undefined',
    })
  },
}

/** Create answered 2xx: the new id must be at `custom_id_location` inside the data location. */
function checkCreatedId(
  tools: Tools,
  input: {
    readonly call: CrmCall & { readonly exchange: { readonly response: CrmHttpResponse } }
    readonly config: CrmResultLocations
    readonly what: 'account' | 'record'
  },
): void {
  const { call, config, what } = input
  const result = readCrmResult(call.exchange.response, config)
  tools.check(result.id !== undefined, {
    message: `the answer has no ${what} id where the settings say`,
    expected: `an id (integer or non-empty string) at ${locationText(config.custom_id_location ?? 'id')} inside the data location ${locationText(config.response_data_location)}`,
    actual:
      call.exchange.response.json === undefined
        ? `no JSON answer: ${describeAnswer(call.exchange)}`
        : result.found
          ? `data without an id there: ${JSON.stringify(result.data).slice(0, 300)}`
          : `nothing at the data location: ${describeAnswer(call.exchange)}`,
  })
}

const CRM_002: ClauseDefinition<Context> = {
  id: 'CRM-002',
  title: 'creating an account answers 2xx with the new id at the configured id location',
  rationale:
    'Reference §5.3 (error-handling page): create endpoints must return the id at the exact configured location (custom_id_location inside response_data_location); a 2xx without it counts as success, and later steps run without {ACCOUNT_ID}.',
  skipIf: needsAccountLookup,
  async run(context: Context, tools: Tools): Promise<void> {
    const session = context.session('CRM-002')
    const config: CrmResultLocations = context.settings.endpoints.create_account ?? {}
    const call = await context.send(
      tools,
      context.request('create_account', { variables: session.account }),
      { label: 'CRM-002' },
    )
    requireOk(tools, call, 'Create an account')
    checkCreatedId(tools, { call, config, what: 'account' })
  },
}

const CRM_003: ClauseDefinition<Context> = {
  id: 'CRM-003',
  title: 'a created account is then found by query',
  rationale:
    "Seed 000 (Find an account by query: by phone number, email or internal CRM ID, the default find): the person's next session must find the account made for them, not create a duplicate.",
  skipIf: needsAccountLookup,
  async run(context: Context, tools: Tools): Promise<void> {
    const session = await unseenPerson(context, tools, 'CRM-003')
    const { accountId } = await arrangeAccount(context, tools, { label: 'CRM-003', session })
    const config: CrmResultLocations = context.settings.endpoints.find_account_by_query ?? {}
    const call = await context.send(
      tools,
      context.request('find_account_by_query', { variables: session.account }),
      { label: 'CRM-003' },
    )
    requireOk(tools, call, 'a search for the account just created')
    const result = readCrmResult(call.exchange.response, config)
    tools.check(result.found && result.id === accountId, {
      message: 'a search for the account just created did not find it',
      expected: `the account ${accountId} at the data location ${locationText(config.response_data_location)}`,
      actual: !result.found
        ? 'nothing found'
        : result.id === undefined
          ? `data without an id: ${JSON.stringify(result.data).slice(0, 300)}`
          : `another account: ${result.id}`,
    })
  },
}

const CRM_004: ClauseDefinition<Context> = {
  id: 'CRM-004',
  title: 'a created account is then found by ID',
  rationale:
    'Seed 000 (Find an account by ID): the ID is part of the URL and the endpoint "will follow REST standards"; the platform uses it for end users whose account it already knows.',
  skipIf: needsFindById,
  async run(context: Context, tools: Tools): Promise<void> {
    const session = context.session('CRM-004')
    const { accountId } = await arrangeAccount(context, tools, { label: 'CRM-004', session })
    const config: CrmResultLocations = context.settings.endpoints.find_account_by_id ?? {}
    const call = await context.send(
      tools,
      context.request('find_account_by_id', {
        variables: withIds(session.account, { accountId }),
      }),
      { label: 'CRM-004' },
    )
    requireOk(tools, call, 'Find an account by ID for the account just created')
    const result = readCrmResult(call.exchange.response, config)
    tools.check(result.found && result.id === accountId, {
      message: 'Find an account by ID did not answer with the account just created',
      expected: `the account ${accountId} at the data location ${locationText(config.response_data_location)}`,
      actual: !result.found
        ? `nothing at the data location: ${describeAnswer(call.exchange)}`
        : result.id === undefined
          ? `data without an id: ${JSON.stringify(result.data).slice(0, 300)}`
          : `another account: ${result.id}`,
    })
  },
}

const CRM_005: ClauseDefinition<Context> = {
  id: 'CRM-005',
  title: 'an unknown account ID answers 404',
  rationale:
    'Seed 000 (Find an account by ID): the endpoint "will follow REST standards. If a 404 is returned on failed lookup, find by query will be next". Only the 404 leads to find by query: a 2xx with nothing at the data location is the generic "200 with no match" of the error-handling page (reference §5.3), after which the platform creates an account, a duplicate of the one find by query would have found.',
  skipIf: needsFindById,
  async run(context: Context, tools: Tools): Promise<void> {
    const session = context.session('CRM-005')
    const { accountId } = await arrangeAccount(context, tools, { label: 'CRM-005', session })
    const unknown = unknownIdLike(accountId, context.randomFor('CRM-005/unknown-id'))
    const call = await context.send(
      tools,
      context.request('find_account_by_id', {
        variables: withIds(session.account, { accountId: unknown }),
      }),
      { label: 'CRM-005' },
    )
    tools.check(call.exchange.response?.status === 404, {
      message: `Find an account by ID for an id no account has (${unknown}) did not answer 404`,
      expected: 'HTTP 404',
      actual: describeAnswer(call.exchange),
    })
  },
}

const CRM_006: ClauseDefinition<Context> = {
  id: 'CRM-006',
  title: 'creating a record answers 2xx with the new id at the configured id location',
  rationale:
    "Reference §5.3 and §5.2: {RECORD_ID} is read at create_record's custom_id_location inside response_data_location; without it comments, uploads and updates have no record to go to.",
  skipIf: needsRecordCreation,
  async run(context: Context, tools: Tools): Promise<void> {
    const session = context.session('CRM-006')
    const { accountId } = await arrangeAccount(context, tools, { label: 'CRM-006', session })
    const config: CrmResultLocations = context.settings.endpoints.create_record ?? {}
    const call = await context.send(
      tools,
      context.request('create_record', { variables: withIds(session.record, { accountId }) }),
      { label: 'CRM-006' },
    )
    requireOk(tools, call, 'Create a record')
    checkCreatedId(tools, { call, config, what: 'record' })
  },
}

const CRM_007: ClauseDefinition<Context> = {
  id: 'CRM-007',
  title: 'a created record is then found by query for its account',
  rationale:
    "Seed 000 (Find a record by query; re-use existing records): with re-use on, the platform looks for the account's record and uses the one found; a record it created must be found, or every session opens a new one.",
  skipIf(context) {
    const missing = needsRecordCreation(context)
    if (missing !== undefined) return missing
    if (!context.capabilities.recordLookup) return 'Find a record by query is not configured'
    return context.settings.reuse_existing_records === true
      ? undefined
      : 're-use existing records is off, so the platform never looks records up'
  },
  async run(context: Context, tools: Tools): Promise<void> {
    const { session, accountId, recordId } = await arrangeRecord(context, tools, {
      label: 'CRM-007',
    })
    const config: CrmResultLocations = context.settings.endpoints.find_record_by_query ?? {}
    const call = await context.send(
      tools,
      context.request('find_record_by_query', {
        variables: withIds(session.record, { accountId }),
      }),
      { label: 'CRM-007' },
    )
    requireOk(tools, call, "a search for the account's records")
    const result = readCrmResult(call.exchange.response, config)
    tools.check(result.found && result.id === recordId, {
      message: 'a search for the record just created did not find it',
      expected: `the record ${recordId} at the data location ${locationText(config.response_data_location)}`,
      actual: !result.found
        ? 'nothing found'
        : result.id === undefined
          ? `data without an id: ${JSON.stringify(result.data).slice(0, 300)}`
          : `another record: ${result.id}`,
    })
  },
}

const CRM_008: ClauseDefinition<Context> = {
  id: 'CRM-008',
  title: 'a comment on a record succeeds',
  rationale:
    'Seed 000 (Comment endpoint): the platform comments on the record at call or chat start and end, CSAT, transfers, dispositions and more; a refused comment is lost (only 400 is retried, seed 000 API account).',
  skipIf: (context) =>
    needsRecordCreation(context) ??
    (context.capabilities.comments ? undefined : 'the Comment endpoint is not configured'),
  async run(context: Context, tools: Tools): Promise<void> {
    const { session, accountId, recordId } = await arrangeRecord(context, tools, {
      label: 'CRM-008',
    })
    const html = context.settings.endpoints.comment?.convert_text_to_html === true
    const call = await context.send(
      tools,
      context.request('comment', {
        variables: {
          ...withIds(session.comment.variables, { accountId, recordId }),
          COMMENT_BODY: commentBody(session.comment.text, html),
        },
      }),
      { label: 'CRM-008' },
    )
    requireOk(tools, call, `a comment on record ${recordId}`)
  },
}

const CRM_009: ClauseDefinition<Context> = {
  id: 'CRM-009',
  title: 'updating a record succeeds',
  rationale:
    "Seed 000 (Update a record endpoint): the platform updates the record's title and description and, on events, its session values (CSAT, durations, agent) after the session.",
  skipIf: (context) =>
    needsRecordCreation(context) ??
    (context.capabilities.recordUpdate ? undefined : 'Update a record is not configured'),
  async run(context: Context, tools: Tools): Promise<void> {
    const { session, accountId, recordId } = await arrangeRecord(context, tools, {
      label: 'CRM-009',
    })
    const call = await context.send(
      tools,
      context.request('update_record', {
        variables: withIds(session.update, { accountId, recordId }),
      }),
      { label: 'CRM-009' },
    )
    requireOk(tools, call, `the update of record ${recordId}`)
  },
}

const CRM_010: ClauseDefinition<Context> = {
  id: 'CRM-010',
  title: 'an uploaded file comes back with identical bytes through its attachment link',
  rationale:
    'Seed 000 (Upload a file endpoint): files go as base64 or a multipart form per Type, and the answer gives an Attachment URL, or an ID for the Attachment Builder URL, from which agents download the file; other bytes there are a lost recording or transcript.',
  skipIf(context) {
    const missing = needsRecordCreation(context)
    if (missing !== undefined) return missing
    if (!context.capabilities.fileUpload) return 'Upload a file is not configured'
    return (context.settings.endpoints.upload_file?.files_to_attach ?? []).length === 0
      ? 'Upload a file has no files to attach checked, so the platform uploads nothing'
      : undefined
  },
  async run(context: Context, tools: Tools): Promise<void> {
    const { session, accountId, recordId } = await arrangeRecord(context, tools, {
      label: 'CRM-010',
      binaryUpload: true,
    })
    const config = context.settings.endpoints.upload_file
    const upload = session.upload
    if (config == null || upload === undefined)
      tools.skip('no session of the fixtures has a file of the kinds checked in files to attach')
    const { file } = upload
    const call = await context.send(
      tools,
      context.request('upload_file', {
        variables: withIds(upload.variables, { accountId, recordId }),
        file,
      }),
      { label: 'CRM-010' },
    )
    requireOk(tools, call, `the ${config.upload_type} upload of ${file.filename}`)
    const link = attachmentLink(config, { recordId, response: call.exchange.response })
    const where =
      config.attachment_type.type === 'attachment_url'
        ? `an attachment URL at ${locationText(config.attachment_type.attachment_url_location)}`
        : `an attachment id at ${locationText(config.attachment_type.attachment_id_location)} for ${config.attachment_type.attachment_builder_url}`
    tools.check(link !== undefined, {
      message: 'the upload answer gives no link to the file',
      expected: where,
      actual: describeAnswer(call.exchange),
    })
    const got = await context.download(tools, link)
    tools.check(isOk(got.status) && got.bytes !== undefined, {
      message: `the attachment link ${link} did not give the file`,
      expected: 'HTTP 2xx with the file',
      actual: got.status === undefined ? `no answer: ${got.error ?? ''}` : `HTTP ${got.status}`,
    })
    const expected = file.bytes
    const actual = got.bytes
    const same =
      actual.byteLength === expected.byteLength &&
      firstDifference(actual, expected) === expected.byteLength
    tools.check(same, {
      message: `the file at ${link} is not the file uploaded`,
      expected: `${file.filename}: ${expected.byteLength} bytes, sha256 ${sha256(expected)}`,
      actual: `${actual.byteLength} bytes, sha256 ${sha256(actual)}, first difference at byte ${firstDifference(actual, expected)}${got.contentType === undefined ? '' : ` (${got.contentType})`}`,
    })
  },
}

const CRM_011: ClauseDefinition<Context> = {
  id: 'CRM-011',
  title: 'requests without valid credentials are refused with 401 or 403',
  rationale:
    "Seed 000 (API settings, Authentication method): the platform always authenticates (Basic, custom header or OAuth 2.0); a CRM that answers without valid credentials hands its customers' records to anyone.",
  skipIf: needsAccountLookup,
  async run(context: Context, tools: Tools): Promise<void> {
    const session = context.session('CRM-011')
    const request = context.request('find_account_by_query', { variables: session.account })
    const auth = context.settings.authentication
    const missing = await context.send(tools, request, {
      credentials: 'missing',
      label: 'CRM-011',
    })
    const wrong = await context.send(tools, request, { credentials: 'wrong', label: 'CRM-011' })
    const refused = (call: CrmCall): boolean =>
      call.exchange.response?.status === 401 || call.exchange.response?.status === 403
    const accepted = [
      ...(refused(missing) ? [] : [`${missingLabel(auth)}: ${describeAnswer(missing.exchange)}`]),
      ...(refused(wrong) ? [] : [`${wrongLabel(auth)}: ${describeAnswer(wrong.exchange)}`]),
    ]
    tools.check(accepted.length === 0, {
      message: 'a request without valid credentials was not refused',
      expected: `HTTP 401 or 403 ${missingLabel(auth)} and ${wrongLabel(auth)}`,
      actual: accepted.join('\n'),
    })
  },
}

const CRM_012: ClauseDefinition<Context> = {
  id: 'CRM-012',
  title: 'every answer arrives within the configured API Request Timeout',
  rationale:
    'Seed 000 (API request timeout): 1–10 s, "applied to all endpoints you configure"; an answer after it is no answer to the platform (reference §5.4, §8).',
  skipIf: needsAccountLookup,
  async run(context: Context, tools: Tools): Promise<void> {
    const probe = await probeFlow(context, tools, {
      label: 'CRM-012',
      deadline: 'platform',
      endpoints: ALL_ENDPOINTS,
    })
    const mine = new Set(probe)
    const late = (call: CrmCall): string | undefined => {
      if (call.exchange.error?.startsWith('timeout') === true)
        return `no answer within ${context.timeoutMs} ms`
      // Nothing came at all (refused, reset, DNS): no answer within the timeout either.
      if (call.exchange.response === undefined)
        return `no answer: ${call.exchange.error ?? 'nothing came back'}`
      const took = call.exchange.response?.durationMs
      return took !== undefined && took > context.timeoutMs
        ? `answered after ${Math.round(took)} ms`
        : undefined
    }
    const lines: string[] = []
    for (const call of [...probe, ...context.observed.filter((c) => !mine.has(c))]) {
      const text = late(call)
      if (text === undefined) continue
      if (!mine.has(call)) tools.record(call.report)
      lines.push(callLine(call, text))
    }
    tools.check(lines.length === 0, {
      message: `${lines.length} request${lines.length === 1 ? '' : 's'} got no answer within the API Request Timeout`,
      expected: `every answer within ${context.timeoutMs} ms (request_timeout ${context.settings.request_timeout} s)`,
      actual: lines.join('\n'),
    })
  },
}

const CRM_013: ClauseDefinition<Context> = {
  id: 'CRM-013',
  title: 'answers the platform reads at a data, id or attachment location are JSON',
  rationale:
    'Seed 000 (Response Data Location "locate the target response object in the JSON response"; Upload a file: "the format of the response JSON") and reference §5.1: find, create and upload answers are read at JSON locations, so a 2xx there must be declared as JSON and parse as JSON.',
  skipIf: needsAccountLookup,
  async run(context: Context, tools: Tools): Promise<void> {
    const probe = await probeFlow(context, tools, {
      label: 'CRM-013',
      deadline: 'lenient',
      endpoints: LOCATED_ENDPOINTS,
    })
    const mine = new Set(probe)
    const problem = (call: CrmCall): string | undefined => {
      const response = call.exchange.response
      if (!LOCATED_ENDPOINTS.has(call.endpoint) || !call.ok || response === undefined)
        return undefined
      const type = response.headers['content-type']
      const declared = type !== undefined && JSON_TYPE.test(type)
      let parses = true
      try {
        JSON.parse(response.bodyText)
      } catch {
        parses = false
      }
      if (declared && parses) return undefined
      const body = response.bodyText.replace(/\s+/g, ' ').trim().slice(0, 120)
      return `HTTP ${response.status}, ${declared ? 'declared JSON but does not parse' : `content type ${type ?? '(none)'}`}${parses ? '' : `, body ${body === '' ? '(empty)' : JSON.stringify(body)}`}`
    }
    const lines: string[] = []
    // A run where no answer the platform reads came back has judged nothing: that is no pass.
    const judged = [...probe, ...context.observed].filter(
      (call) => LOCATED_ENDPOINTS.has(call.endpoint) && call.ok,
    )
    for (const call of probe) {
      if (call.exchange.response === undefined)
        lines.push(callLine(call, `no answer: ${call.exchange.error ?? 'nothing came back'}`))
    }
    if (judged.length === 0 && lines.length === 0)
      lines.push(
        `no find, create or upload answered 2xx (${probe.map((c) => `${c.endpoint}: ${describeAnswer(c.exchange)}`).join('; ') || 'nothing was sent'})`,
      )
    for (const call of [...probe, ...context.observed.filter((c) => !mine.has(c))]) {
      const text = problem(call)
      if (text === undefined) continue
      if (!mine.has(call)) tools.record(call.report)
      lines.push(callLine(call, text))
    }
    tools.check(lines.length === 0, {
      message:
        judged.length === 0
          ? 'no answer the platform reads came back, so none could be checked'
          : `${lines.length} answer${lines.length === 1 ? '' : 's'} the platform reads ${lines.length === 1 ? 'is' : 'are'} not JSON`,
      expected:
        'find, create and upload answers (2xx) with a JSON content type (application/json or +json) and a body that parses as JSON',
      actual: lines.join('\n'),
    })
  },
}

const CRM_014: ClauseDefinition<Context> = {
  id: 'CRM-014',
  title: 'a find that loses its filters (their variables empty) matches nobody',
  severity: 'warning',
  rationale:
    "Seed 000 (Endpoint configuration): a parameter whose variable is empty is dropped, so a find whose only filter is {ACCOUNT_ID} (empty with skip_account_creation and a new caller) or {PHONE_NUMBER} (empty for chats) goes out with its literal parameters alone; if the CRM then answers with someone, the platform uses another customer's account or record, which receives this session's comments, files and updates. Advice, not a failure: the settings decide whether it can happen.",
  skipIf: needsAccountLookup,
  async run(context: Context, tools: Tools): Promise<void> {
    const { settings } = context
    const finds: ('find_account_by_query' | 'find_record_by_query')[] = ['find_account_by_query']
    const recordFind = context.capabilities.recordLookup && settings.reuse_existing_records === true
    if (recordFind && context.capabilities.recordCreation) {
      finds.push('find_record_by_query')
      // Someone else's account and record, for a find without its filter to match.
      await arrangeRecord(context, tools, { label: 'CRM-014' })
    } else {
      await arrangeAccount(context, tools, {
        label: 'CRM-014',
        session: context.session('CRM-014'),
      })
    }
    const lines: string[] = []
    const advice: string[] = []
    let probed = 0
    for (const endpoint of finds) {
      // Every variable empty: what a find sends when the session has none of the values it names.
      const request = context.request(endpoint, { variables: {} })
      const lost = lostFilters(settings, request)
      if (lost.length === 0) continue
      probed += 1
      const call = await context.send(tools, request, { label: 'CRM-014' })
      if (!call.ok || call.exchange.response === undefined) continue
      const config: CrmResultLocations = settings.endpoints[endpoint] ?? {}
      const result = readCrmResult(call.exchange.response, config)
      if (!result.found) continue
      const what = endpoint === 'find_account_by_query' ? 'account' : 'record'
      lines.push(
        `${endpoint} without ${lost.map((f) => `"${f.key}" (${f.value})`).join(', ')} found ${what} ${result.id ?? '(no id)'}: ${request.method} ${request.url}`,
      )
      advice.push(...lost.map((f) => `${f.key}: ${f.advice}`))
    }
    if (probed === 0)
      tools.skip(
        'every find keeps a filter when its variables are empty (literal or DEFAULT_VALUE fallbacks)',
      )
    tools.check(lines.length === 0, {
      message: `a find that lost its filters matched someone: a session without those values would use another customer's data. To avoid it: ${advice.join('; ')}`,
      expected: 'nothing at the data location (or a 4xx) for a find without its filters',
      actual: lines.join('\n'),
    })
  },
}

/**
 * The CRM provider suite: `CRM-001` to `CRM-013` over the generic API's endpoints, authentication,
 * timeout and answer format, and the warning-level `CRM-014` (finds that lose their filters)
 * (seed 000; reference §5). Run it with
 * `runCrmSuite`, or `runSuite(CRM_SUITE, createCrmSuiteContext(options), { target })`.
 */
export const CRM_SUITE: SuiteDefinition<CrmSuiteContext> = {
  name: 'crm',
  clauses: [
    CRM_001,
    CRM_002,
    CRM_003,
    CRM_004,
    CRM_005,
    CRM_006,
    CRM_007,
    CRM_008,
    CRM_009,
    CRM_010,
    CRM_011,
    CRM_012,
    CRM_013,
    CRM_014,
  ],
}

/** What `runCrmSuite` takes: the context's options plus which clauses to run. */
export interface RunCrmSuiteOptions extends CrmSuiteContextOptions {
  /** Only clauses whose id is listed (or matches). */
  readonly only?: readonly string[] | RegExp | undefined
  /** Told of each clause's result as it finishes. */
  readonly onClause?: ((result: ClauseResult) => void) | undefined
  /**
   * After the run, DELETE what the settings make deletable (accounts at Find an account by ID's
   * URL, records at Update a record's URL); `created` says what happened to each object.
   */
  readonly cleanup?: boolean | undefined
}

/**
 * Runs the CRM provider suite against the CRM the settings point at (or `baseUrl`) and returns a
 * result per clause, with the exchanges behind it and, for failures, what was expected and what
 * came. Throws `ContractTestsError` for options it cannot run with.
 *
 * @example
 * const result = await runCrmSuite({ settings, baseUrl: 'http://localhost:8080', seed: 7 })
 * result.summary // { passed: 13, failed: 0, skipped: 0, total: 13 }
 */
export async function runCrmSuite(options: RunCrmSuiteOptions): Promise<SuiteResult> {
  const context = createCrmSuiteContext(options)
  const result = await runSuite(CRM_SUITE, context, {
    target: context.target,
    seed: context.seed,
    ...(options.only === undefined ? {} : { only: options.only }),
    ...(options.onClause === undefined ? {} : { onClause: options.onClause }),
  })
  const created = options.cleanup === true ? await context.cleanup() : [...context.created]
  return { ...result, created }
}
