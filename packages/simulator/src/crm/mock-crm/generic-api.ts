import type { Hono } from 'hono'
import { z } from 'zod'
import { SimulatorError } from '../../errors.js'
import { json, route, routesApp } from '../../http/declare-routes.js'
import { problem } from '../../http/problem.js'
import { firstText, readUploadedFile, type RequestFields, type UploadedFile } from './body.js'
import {
  baseOf,
  jsonAnswer,
  jsonText,
  parseQuery,
  problemAnswer,
  type CoreRoute,
  type CrmAnswer,
  type CrmRequest,
  type QueryParams,
} from './core.js'
import {
  apiResponses,
  apiRoute,
  coreRoute,
  FIELDS_CONTENT,
  FieldsBodySchema,
  fileResponse,
  idParam,
  IdParamsSchema,
  outId,
  type MockCrmDeps,
} from './shared.js'
import type {
  MockCrmAccount,
  MockCrmAccountQuery,
  MockCrmAttachment,
  MockCrmComment,
  MockCrmRecord,
} from './store.js'

/*
 * The generic dialect, `/api/…`: a plain REST API shaped so that the documented requests fit it
 * (seed 000, API account, API record, Upload a file endpoint, Comment endpoint; reference §5.1,
 * §5.3): find by query answers 200 with a list (`[]` when nothing matches, never an error), find
 * by ID answers 404 for an unknown id (so the platform falls back to find by query), creates answer
 * 201 with the object and its integer `id`; comments and files go to `/api/records/:id/…`, or to
 * `/api/comments` and `/api/attachments` with the record id in the body ("optional, this can also
 * just be part of the URL").
 */

const MARKER = '/api/'

const ACCOUNT_QUERY = {
  id: ['id', 'account_id', 'accountId'],
  phone: ['phone', 'phone_number', 'phoneNumber', 'mobile'],
  email: ['email', 'email_address', 'emailAddress'],
  externalId: ['external_id', 'externalId', 'ujet_id', 'sdk_identifier', 'sdkIdentifier'],
  name: ['name'],
} as const
const RECORD_ACCOUNT_PARAMS = ['account_id', 'accountId', 'contact_id', 'contactId', 'customer_id']
const LIMIT_PARAMS = ['limit', 'per_page', 'perPage', 'max', 'maxSize', 'page_size']
const RECORD_ID_FIELDS = ['record_id', 'recordId', 'ticket_id', 'ticketId', 'case_id', 'id']
const COMMENT_FIELDS = ['comment', 'body', 'text', 'content', 'note', 'message', 'post']

/**
 * The query string's parameters (the first value of each name, as Hono's `c.req.query()` reads
 * them), parsed once per request and kept on it: a search looks at some twenty names.
 */
function queryOf(req: CrmRequest): QueryParams {
  return (req.query ??= parseQuery(req.url))
}

function param(req: CrmRequest, keys: readonly string[]): string | undefined {
  const query = queryOf(req)
  for (const key of keys) {
    const value = query.get(key)?.trim()
    if (value) return value
  }
  return undefined
}

function limitOf(req: CrmRequest): number | undefined {
  const raw = param(req, LIMIT_PARAMS)
  if (raw === undefined) return undefined
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 0)
    throw new SimulatorError('invalid_request', `limit: expected a whole number, received "${raw}"`)
  return n
}

function notFound(req: CrmRequest, what: string, id: string): CrmAnswer {
  return problemAnswer(req.url, 'not_found', `no ${what} with id ${id}`)
}

function meta(at: number): string {
  // A view's two times are often one, and answers at one virtual instant share it: the last kept.
  if (at !== lastMetaAt) {
    lastMetaAt = at
    lastMeta = new Date(at).toISOString()
  }
  return lastMeta
}

let lastMetaAt = Number.NaN
let lastMeta = ''

/**
 * Views already made, by account (accounts are immutable: an update makes a new object) and base
 * URL: a find answers the same accounts again and again.
 */
const accountViews = new WeakMap<MockCrmAccount, AccountView>()

interface AccountView {
  readonly base: string
  readonly view: Readonly<Record<string, unknown>>
  /** `JSON.stringify(view)`, made on the first search that answers it. */
  json?: string
  /** `[json]`: the answer of a search that finds this account alone (the usual find by phone). */
  alone?: string
}

function cachedAccountView(base: string, account: MockCrmAccount): AccountView {
  const cached = accountViews.get(account)
  if (cached?.base === base) return cached
  const { id: _ignored, ...fields } = account.fields
  const view = {
    id: outId(account.id),
    ...fields,
    created_at: meta(account.createdAt),
    updated_at: meta(account.updatedAt),
    page_url: `${base}/accounts/${account.id}`,
  }
  const entry: AccountView = { base, view }
  accountViews.set(account, entry)
  return entry
}

/** An account as the generic dialect answers it (the same object for the same account: do not change it). */
function accountView(base: string, account: MockCrmAccount): Readonly<Record<string, unknown>> {
  return cachedAccountView(base, account).view
}

/**
 * A list of accounts as JSON text, exactly `JSON.stringify(accounts.map(accountView))`, from each
 * account's text kept with its view: a search answers the same accounts again and again.
 */
function accountListJson(base: string, accounts: readonly MockCrmAccount[]): string {
  if (accounts.length === 1) {
    const entry = cachedAccountView(base, accounts[0] as MockCrmAccount)
    return (entry.alone ??= `[${(entry.json ??= JSON.stringify(entry.view))}]`)
  }
  let text = '['
  for (let i = 0; i < accounts.length; i++) {
    const entry = cachedAccountView(base, accounts[i] as MockCrmAccount)
    entry.json ??= JSON.stringify(entry.view)
    text += i === 0 ? entry.json : `,${entry.json}`
  }
  return `${text}]`
}

function recordView(base: string, record: MockCrmRecord): Record<string, unknown> {
  const { id: _ignored, ...fields } = record.fields
  return {
    id: outId(record.id),
    ...fields,
    account_id: record.accountId === undefined ? null : outId(record.accountId),
    status: record.status,
    created_at: meta(record.createdAt),
    updated_at: meta(record.updatedAt),
    page_url: `${base}/records/${record.id}`,
  }
}

function commentView(comment: MockCrmComment): Record<string, unknown> {
  const { id: _ignored, ...fields } = comment.fields
  return {
    id: outId(comment.id),
    ...fields,
    record_id: outId(comment.recordId),
    body: comment.body,
    created_at: meta(comment.createdAt),
  }
}

function attachmentView(base: string, attachment: MockCrmAttachment): Record<string, unknown> {
  return {
    id: outId(attachment.id),
    record_id: attachment.recordId === undefined ? null : outId(attachment.recordId),
    filename: attachment.filename,
    content_type: attachment.contentType,
    size: attachment.size,
    /** A download link that needs no credentials (for agents and reports). */
    url: `${base}/attachments/${attachment.id}`,
    created_at: meta(attachment.createdAt),
  }
}

/**
 * Zoho-style criteria, as the documents' `=CONCAT_OR` example builds them:
 * `(Phone:equals:+12223334444) or (Email:equals:kim@example)`; `and` intersects instead.
 */
function criteriaQueries(criteria: string): { queries: MockCrmAccountQuery[]; all: boolean } {
  const queries: MockCrmAccountQuery[] = []
  for (const match of criteria.matchAll(/\(\s*([^:()]+?)\s*:\s*equals\s*:\s*([^()]*?)\s*\)/gi)) {
    const field = (match[1] ?? '').toLowerCase().replace(/[^a-z]/g, '')
    const value = match[2] ?? ''
    if (value === '') continue
    if (field === 'id' || field === 'accountid') queries.push({ id: value })
    else if (field.includes('phone') || field === 'mobile') queries.push({ phone: value })
    else if (field.includes('email')) queries.push({ email: value })
    else if (field.includes('external') || field === 'ujetid') queries.push({ externalId: value })
    else if (field.includes('name')) queries.push({ name: value })
  }
  return { queries, all: /\)\s+and\s+\(/i.test(criteria) }
}

const CRITERIA_PARAMS = ['criteria', 'q', 'query']
const byNumber = (a: MockCrmAccount, b: MockCrmAccount): number => a.number - b.number

function findAccounts(deps: MockCrmDeps, req: CrmRequest): MockCrmAccount[] {
  const criteria = param(req, CRITERIA_PARAMS)
  const direct: MockCrmAccountQuery = {
    id: param(req, ACCOUNT_QUERY.id),
    phone: param(req, ACCOUNT_QUERY.phone),
    email: param(req, ACCOUNT_QUERY.email),
    externalId: param(req, ACCOUNT_QUERY.externalId),
    name: param(req, ACCOUNT_QUERY.name),
  }
  if (!criteria) {
    // The usual search (one query, no criteria): the store's hits are distinct and a new array,
    // so the union below would only copy them.
    const found =
      direct.id === undefined &&
      direct.phone === undefined &&
      direct.email === undefined &&
      direct.externalId === undefined &&
      direct.name === undefined
        ? []
        : deps.store.findAccounts(direct)
    return found.length > 1 ? found.sort(byNumber) : found
  }
  const parsed = criteriaQueries(criteria)
  const asked = [direct, ...parsed.queries].filter((q) =>
    Object.values(q).some((v) => v !== undefined),
  )
  const results = asked.map((q) => deps.store.findAccounts(q))
  if (parsed.all && results.length > 1) {
    const [first = [], ...rest] = results
    return first.filter((a) => rest.every((r) => r.some((b) => b.id === a.id)))
  }
  const seen = new Set<string>()
  const union: MockCrmAccount[] = []
  for (const account of results.flat()) {
    if (seen.has(account.id)) continue
    seen.add(account.id)
    union.push(account)
  }
  return union.sort(byNumber)
}

const id = z.union([z.int(), z.string()]).describe('An integer id (a string for EspoCRM-style ids)')
const time = z.string().describe('ISO 8601')

const AccountViewSchema = z
  .looseObject({ id, created_at: time, updated_at: time, page_url: z.string() })
  .meta({ id: 'GenericAccount', description: 'An account: its fields as created, plus these.' })
const RecordViewSchema = z
  .looseObject({
    id,
    account_id: id.nullable(),
    status: z.string(),
    created_at: time,
    updated_at: time,
    page_url: z.string(),
  })
  .meta({
    id: 'GenericRecord',
    description: 'A record (ticket): its fields as created, plus these.',
  })
const CommentViewSchema = z
  .looseObject({ id, record_id: id, body: z.string(), created_at: time })
  .meta({ id: 'GenericComment' })
const AttachmentViewSchema = z
  .object({
    id,
    record_id: id.nullable(),
    filename: z.string(),
    content_type: z.string(),
    size: z.int(),
    /** A download link that needs no credentials (for agents and reports). */
    url: z.string(),
    created_at: time,
  })
  .meta({ id: 'GenericAttachment' })

const q = z.string().optional()
/** The query names the finds understand (documentation: the handler reads the query itself). */
const AccountQuerySchema = z.object({
  phone: q.describe(`Also: ${ACCOUNT_QUERY.phone.slice(1).join(', ')}`),
  email: q.describe(`Also: ${ACCOUNT_QUERY.email.slice(1).join(', ')}`),
  id: q.describe(`Also: ${ACCOUNT_QUERY.id.slice(1).join(', ')}`),
  external_id: q.describe(`Also: ${ACCOUNT_QUERY.externalId.slice(1).join(', ')}`),
  name: q,
  criteria: q.describe('Zoho-style `(Phone:equals:…) or (Email:equals:…)`; also q, query'),
  limit: q.describe(`Also: ${LIMIT_PARAMS.slice(1).join(', ')}`),
})
const RecordQuerySchema = z.object({
  id: q.describe('Also: record_id'),
  account_id: q.describe(`Also: ${RECORD_ACCOUNT_PARAMS.slice(1).join(', ')}`),
  status: q,
  phone: q.describe('Also: phone_number, phoneNumber'),
  limit: q.describe(`Also: ${LIMIT_PARAMS.slice(1).join(', ')}`),
})
const RecordIdParamsSchema = z.object({ id: z.string().describe('The record id') })

const FILE_CONTENT = {
  'multipart/form-data': {
    type: 'object',
    properties: { file: { type: 'string', contentMediaType: 'application/octet-stream' } },
    additionalProperties: true,
  },
  'application/json': FieldsBodySchema,
} as const

/** A body route's fields (the transports read them before the handler). */
function fieldsOf(req: CrmRequest): RequestFields {
  return req.fields ?? { fields: {}, files: {} }
}

/** The generic dialect's routes as core handlers (see core.ts), by name. */
export function genericCore(deps: MockCrmDeps) {
  const { store } = deps
  const base = (req: CrmRequest): string => baseOf(deps, req.url, MARKER)
  const id = (req: CrmRequest): string => req.params.id ?? ''

  const updateAccount: CoreRoute = {
    name: 'update_account',
    body: true,
    handle: (req) => {
      const account = store.updateAccount(id(req), fieldsOf(req).fields)
      if (!account) return notFound(req, 'account', id(req))
      return jsonAnswer(accountView(base(req), account))
    },
  }
  const updateRecord: CoreRoute = {
    name: 'update_record',
    body: true,
    handle: (req) => {
      const record = store.updateRecord(id(req), fieldsOf(req).fields)
      if (!record) return notFound(req, 'record', id(req))
      return jsonAnswer(recordView(base(req), record))
    },
  }
  const addComment: CoreRoute = {
    name: 'comment',
    body: true,
    handle: (req) => {
      const { fields } = fieldsOf(req)
      const recordId = req.params.id ?? firstText(fields, RECORD_ID_FIELDS)
      if (recordId === undefined)
        throw new SimulatorError(
          'invalid_request',
          `no record: post to /api/records/{id}/comments or send one of ${RECORD_ID_FIELDS.join(', ')}`,
        )
      const key = COMMENT_FIELDS.find((k) => typeof fields[k] === 'string')
      if (key === undefined)
        throw new SimulatorError(
          'invalid_request',
          `no comment text: send it in one of ${COMMENT_FIELDS.join(', ')}`,
        )
      const { [key]: body, ...rest } = fields
      const comment = store.addComment({
        recordId,
        body: body as string,
        fields: rest,
        idStyle: 'integer',
      })
      if (!comment) return notFound(req, 'record', recordId)
      return jsonAnswer(commentView(comment), 201)
    },
  }
  const upload: CoreRoute = {
    name: 'upload_file',
    body: true,
    handle: (req) => {
      const body = fieldsOf(req)
      const recordId = req.params.id ?? firstText(body.fields, RECORD_ID_FIELDS)
      if (recordId === undefined)
        throw new SimulatorError(
          'invalid_request',
          `no record: post to /api/records/{id}/attachments or send one of ${RECORD_ID_FIELDS.join(', ')}`,
        )
      if (!store.getRecord(recordId)) return notFound(req, 'record', recordId)
      const stored = (file: UploadedFile): CrmAnswer => {
        const attachment = store.addAttachment({ recordId, ...file, idStyle: 'integer' })
        if (!attachment) return notFound(req, 'record', recordId)
        return jsonAnswer(attachmentView(base(req), attachment), 201, {
          location: `${base(req)}/api/attachments/${attachment.id}`,
        })
      }
      // An in-process upload is answered in this turn; a file whose bytes are read, once read.
      const file = readUploadedFile(body)
      return file instanceof Promise ? file.then(stored) : stored(file)
    },
  }
  const findAccountsRoute: CoreRoute = {
    name: 'find_account_by_query',
    body: false,
    handle: (req) => {
      const limit = limitOf(req)
      const found = findAccounts(deps, req)
      const page = limit === undefined ? found : found.slice(0, limit)
      return jsonText(accountListJson(base(req), page))
    },
  }
  const findAccountById: CoreRoute = {
    name: 'find_account_by_id',
    body: false,
    handle: (req) => {
      const account = store.getAccount(id(req))
      if (!account) return notFound(req, 'account', id(req))
      return jsonAnswer(accountView(base(req), account))
    },
  }
  const createAccount: CoreRoute = {
    name: 'create_account',
    body: true,
    handle: (req) => {
      const account = store.createAccount({ fields: fieldsOf(req).fields, idStyle: 'integer' })
      const view = accountView(base(req), account)
      return jsonAnswer(view, 201, { location: `${base(req)}/api/accounts/${account.id}` })
    },
  }
  const findRecords: CoreRoute = {
    name: 'find_record_by_query',
    body: false,
    handle: (req) => {
      const limit = limitOf(req)
      const found = store.findRecords({
        id: param(req, ['id', 'record_id']),
        accountId: param(req, RECORD_ACCOUNT_PARAMS),
        status: param(req, ['status']),
        phone: param(req, ['phone', 'phone_number', 'phoneNumber']),
      })
      const page = limit === undefined ? found : found.slice(0, limit)
      const baseUrl = base(req)
      return jsonAnswer(page.map((r) => recordView(baseUrl, r)))
    },
  }
  const findRecordById: CoreRoute = {
    name: 'find_record_by_id',
    body: false,
    handle: (req) => {
      const record = store.getRecord(id(req))
      if (!record) return notFound(req, 'record', id(req))
      return jsonAnswer(recordView(base(req), record))
    },
  }
  const createRecord: CoreRoute = {
    name: 'create_record',
    body: true,
    handle: (req) => {
      const record = store.createRecord({ fields: fieldsOf(req).fields, idStyle: 'integer' })
      return jsonAnswer(recordView(base(req), record), 201, {
        location: `${base(req)}/api/records/${record.id}`,
      })
    },
  }
  return {
    updateAccount,
    updateRecord,
    addComment,
    upload,
    findAccounts: findAccountsRoute,
    findAccountById,
    createAccount,
    findRecords,
    findRecordById,
    createRecord,
  }
}

/** The generic dialect's core routes by method and path (for the transports' routers). */
export function genericCoreRoutes(deps: MockCrmDeps): [string, string, CoreRoute][] {
  const core = genericCore(deps)
  return [
    ['GET', '/api/accounts', core.findAccounts],
    ['GET', '/api/accounts/:id', core.findAccountById],
    ['POST', '/api/accounts', core.createAccount],
    ['PATCH', '/api/accounts/:id', core.updateAccount],
    ['PUT', '/api/accounts/:id', core.updateAccount],
    ['GET', '/api/records', core.findRecords],
    ['GET', '/api/records/:id', core.findRecordById],
    ['POST', '/api/records', core.createRecord],
    ['PATCH', '/api/records/:id', core.updateRecord],
    ['PUT', '/api/records/:id', core.updateRecord],
    ['POST', '/api/records/:id/comments', core.addComment],
    ['POST', '/api/comments', core.addComment],
    ['POST', '/api/records/:id/attachments', core.upload],
    ['POST', '/api/attachments', core.upload],
  ]
}

/** The generic dialect's routes, relative to the mock CRM's mount point. */
export function genericApiRoutes(deps: MockCrmDeps): Hono {
  const { store } = deps
  const core = genericCore(deps)
  const updateAccount = coreRoute(deps, core.updateAccount)
  const updateRecord = coreRoute(deps, core.updateRecord)
  const addComment = coreRoute(deps, core.addComment)
  const upload = coreRoute(deps, core.upload)
  const location = {
    location: { description: 'The created entity', schema: { type: 'string' } },
  } as const
  const fieldsBody = { content: FIELDS_CONTENT, bodyRequired: false }

  return routesApp('mock CRM', [
    // ----- accounts -----
    route({
      method: 'get',
      path: '/api/accounts',
      summary: 'Generic dialect: find accounts by query',
      description:
        'Answers 200 with a list (`[]` when nothing matches, never an error). Several names per field; see the parameters.',
      request: { query: AccountQuerySchema, validate: false },
      responses: apiResponses(
        { 200: json('Matching accounts, oldest first', z.array(AccountViewSchema)) },
        'invalid_request',
      ),
      handler: coreRoute(deps, core.findAccounts),
    }),
    route({
      method: 'get',
      path: '/api/accounts/:id',
      summary: 'Generic dialect: find an account by id',
      request: { params: IdParamsSchema },
      responses: apiResponses({ 200: json('The account', AccountViewSchema) }, 'not_found'),
      handler: coreRoute(deps, core.findAccountById),
    }),
    route({
      method: 'post',
      path: '/api/accounts',
      summary: 'Generic dialect: create an account',
      request: fieldsBody,
      responses: apiResponses(
        {
          201: {
            ...json('The account, with its integer id', AccountViewSchema),
            headers: location,
          },
        },
        'invalid_request',
      ),
      handler: coreRoute(deps, core.createAccount),
    }),
    ...(['patch', 'put'] as const).map((method) =>
      route({
        method,
        path: '/api/accounts/:id',
        summary: `Generic dialect: update an account (${method.toUpperCase()}: fields merge)`,
        request: { params: IdParamsSchema, ...fieldsBody },
        responses: apiResponses(
          { 200: json('The account', AccountViewSchema) },
          'not_found',
          'invalid_request',
        ),
        handler: updateAccount,
      }),
    ),

    // ----- records -----
    route({
      method: 'get',
      path: '/api/records',
      summary: 'Generic dialect: find records by query',
      request: { query: RecordQuerySchema, validate: false },
      responses: apiResponses(
        { 200: json('Matching records', z.array(RecordViewSchema)) },
        'invalid_request',
      ),
      handler: coreRoute(deps, core.findRecords),
    }),
    route({
      method: 'get',
      path: '/api/records/:id',
      summary: 'Generic dialect: find a record by id',
      request: { params: RecordIdParamsSchema },
      responses: apiResponses({ 200: json('The record', RecordViewSchema) }, 'not_found'),
      handler: coreRoute(deps, core.findRecordById),
    }),
    route({
      method: 'post',
      path: '/api/records',
      summary: 'Generic dialect: create a record',
      request: fieldsBody,
      responses: apiResponses(
        {
          201: { ...json('The record, with its integer id', RecordViewSchema), headers: location },
        },
        'invalid_request',
      ),
      handler: coreRoute(deps, core.createRecord),
    }),
    ...(['patch', 'put'] as const).map((method) =>
      route({
        method,
        path: '/api/records/:id',
        summary: `Generic dialect: update a record (${method.toUpperCase()}: fields merge)`,
        request: { params: RecordIdParamsSchema, ...fieldsBody },
        responses: apiResponses(
          { 200: json('The record', RecordViewSchema) },
          'not_found',
          'invalid_request',
        ),
        handler: updateRecord,
      }),
    ),

    // ----- comments -----
    route({
      method: 'post',
      path: '/api/records/:id/comments',
      summary: 'Generic dialect: comment on a record',
      description: `The text in one of ${COMMENT_FIELDS.join(', ')}.`,
      request: { params: RecordIdParamsSchema, ...fieldsBody },
      responses: apiResponses(
        { 201: json('The comment', CommentViewSchema) },
        'not_found',
        'invalid_request',
      ),
      handler: addComment,
    }),
    route({
      method: 'post',
      path: '/api/comments',
      summary: 'Generic dialect: comment, the record id in the body',
      description: `The record id in one of ${RECORD_ID_FIELDS.join(', ')}; the text in one of ${COMMENT_FIELDS.join(', ')}.`,
      request: fieldsBody,
      responses: apiResponses(
        { 201: json('The comment', CommentViewSchema) },
        'not_found',
        'invalid_request',
      ),
      handler: addComment,
    }),

    // ----- attachments -----
    route({
      method: 'post',
      path: '/api/records/:id/attachments',
      summary: 'Generic dialect: upload a file to a record',
      description:
        'A multipart file part, or base64 data (or a data: URI) in file, file_data, data, content, attachment or body.',
      request: { params: RecordIdParamsSchema, content: FILE_CONTENT },
      responses: apiResponses(
        { 201: { ...json('The attachment', AttachmentViewSchema), headers: location } },
        'not_found',
        'invalid_request',
      ),
      handler: upload,
    }),
    route({
      method: 'post',
      path: '/api/attachments',
      summary: 'Generic dialect: upload a file, the record id in the body',
      request: { content: FILE_CONTENT },
      responses: apiResponses(
        { 201: { ...json('The attachment', AttachmentViewSchema), headers: location } },
        'not_found',
        'invalid_request',
      ),
      handler: upload,
    }),
    route({
      method: 'get',
      path: '/api/attachments/:id',
      summary: 'Generic dialect: download an attachment',
      request: { params: IdParamsSchema },
      responses: apiResponses(
        {
          200: {
            description: 'The bytes, with their content type and filename',
            content: {
              'application/octet-stream': {
                type: 'string',
                contentMediaType: 'application/octet-stream',
              },
            },
          },
        },
        'not_found',
      ),
      handler: apiRoute(deps, 'download_attachment', (c) => {
        const attachment = store.getAttachment(idParam(c))
        if (!attachment) return problem(c, 'not_found', `no attachment with id ${idParam(c)}`)
        return fileResponse(attachment)
      }),
    }),
  ])
}
