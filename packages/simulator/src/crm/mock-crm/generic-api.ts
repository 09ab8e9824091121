import { Hono, type Context } from 'hono'
import { SimulatorError } from '../../errors.js'
import { problem } from '../../http/problem.js'
import { firstText, readFields, readUploadedFile } from './body.js'
import { apiRoute, idParam, baseUrlOf, fileResponse, outId, type MockCrmDeps } from './shared.js'
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
 * The query string's parameters (the first value of each name, as `c.req.query(name)` reads it),
 * parsed once per request: a search looks at some twenty names, and each `c.req.query(name)`
 * would scan and decode the URL again.
 */
const parsedQueries = new WeakMap<Request, Readonly<Record<string, string | undefined>>>()

function queryOf(c: Context): Readonly<Record<string, string | undefined>> {
  let query = parsedQueries.get(c.req.raw)
  if (query === undefined) {
    query = c.req.query()
    parsedQueries.set(c.req.raw, query)
  }
  return query
}

function param(c: Context, keys: readonly string[]): string | undefined {
  const query = queryOf(c)
  for (const key of keys) {
    const value = query[key]?.trim()
    if (value) return value
  }
  return undefined
}

function limitOf(c: Context): number | undefined {
  const raw = param(c, LIMIT_PARAMS)
  if (raw === undefined) return undefined
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 0)
    throw new SimulatorError('invalid_request', `limit: expected a whole number, received "${raw}"`)
  return n
}

function notFound(c: Context, what: string, id: string): Response {
  return problem(c, 'not_found', `no ${what} with id ${id}`)
}

function meta(at: number): string {
  return new Date(at).toISOString()
}

/**
 * Views already made, by account (accounts are immutable: an update makes a new object) and base
 * URL: a find answers the same accounts again and again.
 */
const accountViews = new WeakMap<
  MockCrmAccount,
  { readonly base: string; readonly view: Readonly<Record<string, unknown>> }
>()

/** An account as the generic dialect answers it (the same object for the same account: do not change it). */
function accountView(base: string, account: MockCrmAccount): Readonly<Record<string, unknown>> {
  const cached = accountViews.get(account)
  if (cached?.base === base) return cached.view
  const { id: _ignored, ...fields } = account.fields
  const view = {
    id: outId(account.id),
    ...fields,
    created_at: meta(account.createdAt),
    updated_at: meta(account.updatedAt),
    page_url: `${base}/accounts/${account.id}`,
  }
  accountViews.set(account, { base, view })
  return view
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
    size: attachment.bytes.byteLength,
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

function findAccounts(deps: MockCrmDeps, c: Context): MockCrmAccount[] {
  const criteria = param(c, ['criteria', 'q', 'query'])
  const direct: MockCrmAccountQuery = {
    id: param(c, ACCOUNT_QUERY.id),
    phone: param(c, ACCOUNT_QUERY.phone),
    email: param(c, ACCOUNT_QUERY.email),
    externalId: param(c, ACCOUNT_QUERY.externalId),
    name: param(c, ACCOUNT_QUERY.name),
  }
  const parsed = criteria ? criteriaQueries(criteria) : { queries: [], all: false }
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
  return union.sort((a, b) => a.number - b.number)
}

/** The generic dialect's routes, relative to the mock CRM's mount point. */
export function genericApiRoutes(deps: MockCrmDeps): Hono {
  const app = new Hono()
  const { store } = deps
  const base = (c: Context): string => baseUrlOf(deps, { c, marker: MARKER })

  // ----- accounts -----
  app.get(
    '/api/accounts',
    apiRoute(deps, 'find_account_by_query', (c) => {
      const limit = limitOf(c)
      const found = findAccounts(deps, c)
      const page = limit === undefined ? found : found.slice(0, limit)
      const baseUrl = base(c)
      return c.json(page.map((a) => accountView(baseUrl, a)))
    }),
  )
  app.get(
    '/api/accounts/:id',
    apiRoute(deps, 'find_account_by_id', (c) => {
      const account = store.getAccount(idParam(c))
      if (!account) return notFound(c, 'account', idParam(c))
      return c.json(accountView(base(c), account))
    }),
  )
  app.post(
    '/api/accounts',
    apiRoute(deps, 'create_account', async (c) => {
      const { fields } = await readFields(c)
      const account = store.createAccount({ fields, idStyle: 'integer' })
      const view = accountView(base(c), account)
      return c.json(view, 201, { location: `${base(c)}/api/accounts/${account.id}` })
    }),
  )
  const updateAccount = apiRoute(deps, 'update_account', async (c) => {
    const { fields } = await readFields(c)
    const account = store.updateAccount(idParam(c), fields)
    if (!account) return notFound(c, 'account', idParam(c))
    return c.json(accountView(base(c), account))
  })
  app.patch('/api/accounts/:id', updateAccount)
  app.put('/api/accounts/:id', updateAccount)

  // ----- records -----
  app.get(
    '/api/records',
    apiRoute(deps, 'find_record_by_query', (c) => {
      const limit = limitOf(c)
      const found = store.findRecords({
        id: param(c, ['id', 'record_id']),
        accountId: param(c, RECORD_ACCOUNT_PARAMS),
        status: param(c, ['status']),
        phone: param(c, ['phone', 'phone_number', 'phoneNumber']),
      })
      const page = limit === undefined ? found : found.slice(0, limit)
      const baseUrl = base(c)
      return c.json(page.map((r) => recordView(baseUrl, r)))
    }),
  )
  app.get(
    '/api/records/:id',
    apiRoute(deps, 'find_record_by_id', (c) => {
      const record = store.getRecord(idParam(c))
      if (!record) return notFound(c, 'record', idParam(c))
      return c.json(recordView(base(c), record))
    }),
  )
  app.post(
    '/api/records',
    apiRoute(deps, 'create_record', async (c) => {
      const { fields } = await readFields(c)
      const record = store.createRecord({ fields, idStyle: 'integer' })
      return c.json(recordView(base(c), record), 201, {
        location: `${base(c)}/api/records/${record.id}`,
      })
    }),
  )
  const updateRecord = apiRoute(deps, 'update_record', async (c) => {
    const { fields } = await readFields(c)
    const record = store.updateRecord(idParam(c), fields)
    if (!record) return notFound(c, 'record', idParam(c))
    return c.json(recordView(base(c), record))
  })
  app.patch('/api/records/:id', updateRecord)
  app.put('/api/records/:id', updateRecord)

  // ----- comments -----
  const addComment = apiRoute(deps, 'comment', async (c) => {
    const { fields } = await readFields(c)
    const recordId = c.req.param('id') ?? firstText(fields, RECORD_ID_FIELDS)
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
    if (!comment) return notFound(c, 'record', recordId)
    return c.json(commentView(comment), 201)
  })
  app.post('/api/records/:id/comments', addComment)
  app.post('/api/comments', addComment)

  // ----- attachments -----
  const upload = apiRoute(deps, 'upload_file', async (c) => {
    const body = await readFields(c)
    const recordId = c.req.param('id') ?? firstText(body.fields, RECORD_ID_FIELDS)
    if (recordId === undefined)
      throw new SimulatorError(
        'invalid_request',
        `no record: post to /api/records/{id}/attachments or send one of ${RECORD_ID_FIELDS.join(', ')}`,
      )
    if (!store.getRecord(recordId)) return notFound(c, 'record', recordId)
    const file = await readUploadedFile(body)
    const attachment = store.addAttachment({ recordId, ...file, idStyle: 'integer' })
    if (!attachment) return notFound(c, 'record', recordId)
    return c.json(attachmentView(base(c), attachment), 201, {
      location: `${base(c)}/api/attachments/${attachment.id}`,
    })
  })
  app.post('/api/records/:id/attachments', upload)
  app.post('/api/attachments', upload)
  app.get(
    '/api/attachments/:id',
    apiRoute(deps, 'download_attachment', (c) => {
      const attachment = store.getAttachment(idParam(c))
      if (!attachment) return notFound(c, 'attachment', idParam(c))
      return fileResponse(attachment)
    }),
  )

  return app
}
