import type { Hono } from 'hono'
import { z } from 'zod'
import { SimulatorError } from '../../errors.js'
import { json, route, routesApp } from '../../http/declare-routes.js'
import { firstText, readUploadedFile, type RequestFields, type UploadedFile } from './body.js'
import {
  jsonAnswer,
  problemAnswer,
  toResponse,
  type CoreRoute,
  type CrmAnswer,
  type CrmRequest,
} from './core.js'
import {
  apiResponses,
  apiRoute,
  coreRoute,
  requestOf,
  FieldsBodySchema,
  fileResponse,
  idParam,
  IdParamsSchema,
  type MockCrmDeps,
} from './shared.js'
import {
  ACCOUNT_EMAIL_KEYS,
  ACCOUNT_PHONE_KEYS,
  accountName,
  fieldText,
  phoneMatches,
  type MockCrmAccount,
  type MockCrmAttachment,
  type MockCrmComment,
  type MockCrmRecord,
  type MockCrmStore,
} from './store.js'

/*
 * The EspoCRM dialect, `/espo/api/v1/…`, answering as EspoCRM's REST API does for the reference
 * implementation of the platform documents (reference §5 sources: espo-example-implementation;
 * the `X-Api-Key` custom header and `#Case/view/{RECORD_ID}` display URL of that page; the golden
 * EspoCRM settings): `GET /Contact?where[0][type]=equals&where[0][attribute]=phoneNumber&where[0][value]=…`
 * → `{ total, list }`; `POST /Contact` and `POST /Case` → 200 with the entity and its 17-character
 * id; `PUT`/`PATCH /Case/:id`; `POST /Note` (a stream post on a Case) for comments; `POST /Attachment`
 * with `file` as a data URI; `GET /Attachment/file/:id` for the bytes. Following EspoCRM, creates
 * answer 200 (not 201) and list queries without `where` list everything.
 */

const DEFAULT_MAX_SIZE = 20
const MAX_MAX_SIZE = 200

/** EspoCRM's date-time format: UTC `YYYY-MM-DD HH:mm:ss`. */
function espoDate(at: number): string {
  return new Date(at).toISOString().slice(0, 19).replace('T', ' ')
}

function withoutKeys(
  fields: Readonly<Record<string, unknown>>,
  keys: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(fields)) if (!keys.includes(key)) out[key] = value
  return out
}

function contactView(account: MockCrmAccount): Record<string, unknown> {
  const f = account.fields
  return {
    id: account.id,
    name: accountName(account),
    deleted: false,
    salutationName: null,
    firstName: fieldText(f, ['firstName', 'first_name']) ?? null,
    lastName: fieldText(f, ['lastName', 'last_name']) ?? null,
    emailAddress: fieldText(f, ACCOUNT_EMAIL_KEYS) ?? null,
    phoneNumber: fieldText(f, ACCOUNT_PHONE_KEYS) ?? null,
    ...withoutKeys(f, ['id', 'name']),
    createdAt: espoDate(account.createdAt),
    modifiedAt: espoDate(account.updatedAt),
  }
}

function caseView(store: MockCrmStore, record: MockCrmRecord): Record<string, unknown> {
  const f = record.fields
  const contact = record.accountId === undefined ? undefined : store.getAccount(record.accountId)
  const attachments = store.attachmentsOf(record.id)
  return {
    id: record.id,
    name: fieldText(f, ['name', 'subject', 'title']) ?? `Case ${record.number}`,
    deleted: false,
    number: record.number,
    priority: 'Normal',
    type: null,
    description: null,
    accountId: null,
    ...withoutKeys(f, ['id', 'name', 'number', 'status', 'contactId']),
    status: record.status,
    contactId: record.accountId ?? null,
    contactName: contact ? accountName(contact) : null,
    attachmentsIds: attachments.map((a) => a.id),
    attachmentsNames: Object.fromEntries(attachments.map((a) => [a.id, a.filename])),
    attachmentsTypes: Object.fromEntries(attachments.map((a) => [a.id, a.contentType])),
    createdAt: espoDate(record.createdAt),
    modifiedAt: espoDate(record.updatedAt),
  }
}

function noteView(store: MockCrmStore, comment: MockCrmComment): Record<string, unknown> {
  const record = store.getRecord(comment.recordId)
  return {
    id: comment.id,
    deleted: false,
    type: fieldText(comment.fields, ['type']) ?? 'Post',
    ...withoutKeys(comment.fields, ['id', 'type', 'parentType', 'parentId']),
    post: comment.body,
    parentType: 'Case',
    parentId: comment.recordId,
    parentName: record ? (fieldText(record.fields, ['name', 'subject']) ?? null) : null,
    createdAt: espoDate(comment.createdAt),
    modifiedAt: espoDate(comment.createdAt),
  }
}

function attachmentView(attachment: MockCrmAttachment): Record<string, unknown> {
  const f = attachment.fields
  return {
    id: attachment.id,
    deleted: false,
    ...withoutKeys(f, ['id', 'name', 'type', 'size', 'file']),
    name: attachment.filename,
    type: attachment.contentType,
    size: attachment.size,
    role: fieldText(f, ['role']) ?? 'Attachment',
    parentType: attachment.recordId === undefined ? (f.parentType ?? null) : 'Case',
    parentId: attachment.recordId ?? f.parentId ?? null,
    isBeingUploaded: false,
    createdAt: espoDate(attachment.createdAt),
  }
}

// ----- where[…] query parameters -----

type Tree = Record<string, unknown>

function isTree(value: unknown): value is Tree {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** `{ "0": a, "1": b }` → `[a, b]`, recursively: PHP-style bracket parameters as JSON. */
function arrays(value: unknown): unknown {
  if (!isTree(value)) return value
  const keys = Object.keys(value)
  const converted = Object.fromEntries(keys.map((k) => [k, arrays(value[k])]))
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k)))
    return keys.sort((a, b) => Number(a) - Number(b)).map((k) => converted[k])
  return converted
}

/** Reads PHP-style bracket parameters (`where[0][value][]=…`) under `root` into JSON. */
export function bracketParam(search: URLSearchParams, root: string): unknown {
  const tree: Tree = {}
  for (const [key, value] of search) {
    if (!key.startsWith(`${root}[`)) continue
    const segments = [...key.slice(root.length).matchAll(/\[([^\]]*)\]/g)].map((m) => m[1] ?? '')
    let node = tree
    segments.forEach((segment, i) => {
      const name = segment === '' ? String(Object.keys(node).length) : segment
      if (i === segments.length - 1) {
        node[name] = value
        return
      }
      const next = node[name]
      if (isTree(next)) node = next
      else {
        const created: Tree = {}
        node[name] = created
        node = created
      }
    })
  }
  return Object.keys(tree).length === 0 ? undefined : arrays(tree)
}

function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return undefined
}

function sameValue(input: { attribute: string; actual: unknown; wanted: unknown }): boolean {
  const actual = asText(input.actual)
  const wanted = asText(input.wanted)
  // An omitted value (the platform drops empty variables) matches nothing.
  if (actual === undefined || wanted === undefined || wanted === '') return false
  if (/phone/i.test(input.attribute)) return phoneMatches(actual, wanted)
  if (/email/i.test(input.attribute)) return actual.toLowerCase() === wanted.toLowerCase()
  return actual === wanted
}

function likePattern(pattern: string): RegExp {
  const escaped = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replaceAll('%', '.*')
  return new RegExp(`^${escaped}$`, 'i')
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b
  const x = asText(a) ?? ''
  const y = asText(b) ?? ''
  const nx = Number(x)
  const ny = Number(y)
  if (x !== '' && y !== '' && !Number.isNaN(nx) && !Number.isNaN(ny)) return nx - ny
  return x.localeCompare(y)
}

/** Whether an entity (its EspoCRM view) satisfies one `where` item. */
function satisfies(view: Record<string, unknown>, item: unknown): boolean {
  if (!isTree(item)) return false
  const type = asText(item.type) ?? ''
  const attribute = asText(item.attribute) ?? ''
  const value = item.value
  const actual = view[attribute]
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value]
  const text = asText(actual) ?? ''
  switch (type) {
    case 'or':
      return list.some((inner) => satisfies(view, inner))
    case 'and':
      return list.every((inner) => satisfies(view, inner))
    case 'not':
      return !list.every((inner) => satisfies(view, inner))
    case 'equals':
      return sameValue({ attribute, actual, wanted: value })
    case 'notEquals':
      return !sameValue({ attribute, actual, wanted: value })
    case 'in':
      return list.some((wanted) => sameValue({ attribute, actual, wanted }))
    case 'notIn':
      return !list.some((wanted) => sameValue({ attribute, actual, wanted }))
    case 'isNull':
      return actual === null || actual === undefined || actual === ''
    case 'isNotNull':
      return !(actual === null || actual === undefined || actual === '')
    case 'isTrue':
      return actual === true || actual === 'true' || actual === '1'
    case 'isFalse':
      return !(actual === true || actual === 'true' || actual === '1')
    case 'contains':
      return (
        asText(value) !== undefined &&
        text.toLowerCase().includes((asText(value) ?? '').toLowerCase())
      )
    case 'notContains':
      return !text.toLowerCase().includes((asText(value) ?? '').toLowerCase())
    case 'startsWith':
      return text.toLowerCase().startsWith((asText(value) ?? '').toLowerCase())
    case 'endsWith':
      return text.toLowerCase().endsWith((asText(value) ?? '').toLowerCase())
    case 'like':
      return likePattern(asText(value) ?? '').test(text)
    case 'notLike':
      return !likePattern(asText(value) ?? '').test(text)
    case 'greaterThan':
      return actual != null && compare(actual, value) > 0
    case 'lessThan':
      return actual != null && compare(actual, value) < 0
    case 'greaterThanOrEquals':
      return actual != null && compare(actual, value) >= 0
    case 'lessThanOrEquals':
      return actual != null && compare(actual, value) <= 0
    default:
      return false
  }
}

const WHERE_TYPES: ReadonlySet<string> = new Set([
  'or',
  'and',
  'not',
  'equals',
  'notEquals',
  'in',
  'notIn',
  'isNull',
  'isNotNull',
  'isTrue',
  'isFalse',
  'contains',
  'notContains',
  'startsWith',
  'endsWith',
  'like',
  'notLike',
  'greaterThan',
  'lessThan',
  'greaterThanOrEquals',
  'lessThanOrEquals',
])

/** Checks every `where` item (nested ones too) before any entity is looked at. */
function checkWhere(item: unknown, path: string): void {
  if (!isTree(item))
    throw new SimulatorError('invalid_request', `${path}: expected an object with type`)
  const type = asText(item.type) ?? ''
  if (!WHERE_TYPES.has(type))
    throw new SimulatorError(
      'invalid_request',
      `${path}[type]: "${type}" is not supported by the mock EspoCRM (${[...WHERE_TYPES].join(', ')})`,
    )
  if (type === 'or' || type === 'and' || type === 'not') {
    const inner = Array.isArray(item.value) ? item.value : []
    inner.forEach((nested, i) => {
      checkWhere(nested, `${path}[value][${i}]`)
    })
  }
}

function listAnswer(
  req: CrmRequest,
  views: Record<string, unknown>[],
  defaults: { orderBy: string; order: 'asc' | 'desc' },
): CrmAnswer {
  const search = new URL(req.url).searchParams
  const where = bracketParam(search, 'where')
  const items = where === undefined ? [] : Array.isArray(where) ? where : [where]
  items.forEach((item, i) => {
    checkWhere(item, `where[${i}]`)
  })
  let matched = views.filter((view) => items.every((item) => satisfies(view, item)))
  const q = search.get('textFilter') ?? search.get('q')
  if (q) {
    const needle = q.replaceAll('*', '').toLowerCase()
    matched = matched.filter((v) =>
      ['name', 'emailAddress', 'phoneNumber', 'number'].some((k) =>
        (asText(v[k]) ?? '').toLowerCase().includes(needle),
      ),
    )
  }
  const orderBy = search.get('orderBy') ?? search.get('sortBy') ?? defaults.orderBy
  const asc = search.get('asc')
  const order =
    search.get('order') ?? (asc === null ? defaults.order : asc === 'true' ? 'asc' : 'desc')
  const sign = order.toLowerCase() === 'asc' ? 1 : -1
  // Stable: equal keys keep their store order (oldest first), reversed for descending order.
  const ordered = matched
    .map((view, index) => ({ view, index }))
    .sort((a, b) => sign * (compare(a.view[orderBy], b.view[orderBy]) || a.index - b.index))
    .map((x) => x.view)
  const offset = Math.max(0, Number(search.get('offset') ?? 0) || 0)
  const requested = Number(search.get('maxSize') ?? DEFAULT_MAX_SIZE)
  const maxSize =
    Number.isInteger(requested) && requested >= 0
      ? Math.min(requested, MAX_MAX_SIZE)
      : DEFAULT_MAX_SIZE
  const select = search
    .get('select')
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  const page = ordered
    .slice(offset, offset + maxSize)
    .map((view) =>
      select ? Object.fromEntries(['id', ...select].map((k) => [k, view[k] ?? null])) : view,
    )
  return jsonAnswer({ total: ordered.length, list: page })
}

function notFound(req: CrmRequest, entity: string, id: string): CrmAnswer {
  const answer = problemAnswer(req.url, 'not_found', `no ${entity} with id ${id}`)
  return { ...answer, headers: { ...answer.headers, 'x-status-reason': 'Not Found' } }
}

/** A body route's fields (the transports read them before the handler). */
function fieldsOf(req: CrmRequest): RequestFields {
  return req.fields ?? { fields: {}, files: {} }
}

function idsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.map(asText).filter((v): v is string => v !== undefined) : []
}

const espoTime = z.string().describe('UTC `YYYY-MM-DD HH:mm:ss`')
const ContactSchema = z
  .looseObject({
    id: z.string(),
    name: z.string(),
    deleted: z.boolean(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    emailAddress: z.string().nullable(),
    phoneNumber: z.string().nullable(),
    createdAt: espoTime,
    modifiedAt: espoTime,
  })
  .meta({
    id: 'EspoContact',
    description: 'An EspoCRM Contact (the account): its fields, plus these.',
  })
const CaseSchema = z
  .looseObject({
    id: z.string(),
    name: z.string(),
    deleted: z.boolean(),
    number: z.int(),
    status: z.string(),
    contactId: z.string().nullable(),
    contactName: z.string().nullable(),
    attachmentsIds: z.array(z.string()),
    createdAt: espoTime,
    modifiedAt: espoTime,
  })
  .meta({ id: 'EspoCase', description: 'An EspoCRM Case (the record): its fields, plus these.' })
const NoteSchema = z
  .looseObject({
    id: z.string(),
    deleted: z.boolean(),
    type: z.string(),
    post: z.string(),
    parentType: z.literal('Case'),
    parentId: z.string(),
    parentName: z.string().nullable(),
    createdAt: espoTime,
    modifiedAt: espoTime,
  })
  .meta({ id: 'EspoNote', description: 'A stream post on a Case (the comment).' })
const AttachmentSchema = z
  .looseObject({
    id: z.string(),
    deleted: z.boolean(),
    name: z.string(),
    type: z.string(),
    size: z.int(),
    role: z.string(),
    parentType: z.unknown(),
    parentId: z.unknown(),
    isBeingUploaded: z.boolean(),
    createdAt: espoTime,
  })
  .meta({ id: 'EspoAttachment' })

function listOf(item: z.ZodType): z.ZodType {
  return z.object({ total: z.int(), list: z.array(item) })
}

const qs = z.string().optional()
/** EspoCRM's list parameters (documentation: `where[…]` are PHP-style bracket parameters). */
const ListQuerySchema = z.object({
  'where[0][type]': qs.describe(
    `A where item: ${[...WHERE_TYPES].join(', ')} (nest with or/and/not)`,
  ),
  'where[0][attribute]': qs,
  'where[0][value]': qs,
  textFilter: qs.describe('Also: q'),
  orderBy: qs.describe('Also: sortBy'),
  order: qs.describe('asc or desc (also: asc=true|false)'),
  offset: qs,
  maxSize: qs.describe(`Default ${DEFAULT_MAX_SIZE}, at most ${MAX_MAX_SIZE}`),
  select: qs.describe('Comma-separated attributes'),
})
const ENTITY_CONTENT = { 'application/json': FieldsBodySchema } as const
const bytes = {
  description: 'The bytes, with their content type and filename',
  content: {
    'application/octet-stream': { type: 'string', contentMediaType: 'application/octet-stream' },
  },
} as const

/** The EspoCRM dialect's routes as core handlers (see core.ts), by name. */
export function espoCrmCore(deps: MockCrmDeps) {
  const { store } = deps
  const id = (req: CrmRequest): string => req.params.id ?? ''
  const linkAll = (ids: readonly string[], recordId: string): void => {
    for (const attachmentId of ids) store.linkAttachment({ attachmentId, recordId })
  }
  const route = (
    name: CoreRoute['name'],
    body: boolean,
    handle: CoreRoute['handle'],
  ): CoreRoute => ({ name, body, handle })
  return {
    listContacts: route('find_account_by_query', false, (req) =>
      listAnswer(req, store.accounts().map(contactView), { orderBy: 'createdAt', order: 'desc' }),
    ),
    readContact: route('find_account_by_id', false, (req) => {
      const account = store.getAccount(id(req))
      if (!account) return notFound(req, 'Contact', id(req))
      return jsonAnswer(contactView(account))
    }),
    createContact: route('create_account', true, (req) =>
      jsonAnswer(
        contactView(store.createAccount({ fields: fieldsOf(req).fields, idStyle: 'espocrm' })),
      ),
    ),
    updateContact: route('update_account', true, (req) => {
      const account = store.updateAccount(id(req), fieldsOf(req).fields)
      if (!account) return notFound(req, 'Contact', id(req))
      return jsonAnswer(contactView(account))
    }),
    listCases: route('find_record_by_query', false, (req) =>
      listAnswer(
        req,
        store.records().map((r) => caseView(store, r)),
        { orderBy: 'number', order: 'desc' },
      ),
    ),
    readCase: route('find_record_by_id', false, (req) => {
      const record = store.getRecord(id(req))
      if (!record) return notFound(req, 'Case', id(req))
      return jsonAnswer(caseView(store, record))
    }),
    caseStream: route('find_record_by_id', false, (req) => {
      const record = store.getRecord(id(req))
      if (!record) return notFound(req, 'Case', id(req))
      const notes = store.commentsOf(record.id).reverse()
      return jsonAnswer({ total: notes.length, list: notes.map((n) => noteView(store, n)) })
    }),
    createCase: route('create_record', true, (req) => {
      const { fields } = fieldsOf(req)
      const record = store.createRecord({
        fields: { status: 'New', ...withoutKeys(fields, ['attachmentsIds']) },
        idStyle: 'espocrm',
      })
      linkAll(idsOf(fields.attachmentsIds), record.id)
      return jsonAnswer(caseView(store, record))
    }),
    updateCase: route('update_record', true, (req) => {
      const { fields } = fieldsOf(req)
      const record = store.updateRecord(id(req), withoutKeys(fields, ['attachmentsIds']))
      if (!record) return notFound(req, 'Case', id(req))
      linkAll(idsOf(fields.attachmentsIds), record.id)
      return jsonAnswer(caseView(store, record))
    }),
    postNote: route('comment', true, (req) => {
      const { fields } = fieldsOf(req)
      const parentType = firstText(fields, ['parentType']) ?? 'Case'
      if (parentType !== 'Case')
        throw new SimulatorError(
          'invalid_request',
          `parentType: the mock EspoCRM keeps notes on Cases only, received "${parentType}"`,
        )
      const parentId = firstText(fields, ['parentId'])
      if (parentId === undefined)
        throw new SimulatorError('invalid_request', 'parentId: the Case to post on is required')
      const post = typeof fields.post === 'string' ? fields.post : ''
      const attachmentsIds = idsOf(fields.attachmentsIds)
      if (post === '' && attachmentsIds.length === 0)
        throw new SimulatorError('invalid_request', 'post: a note needs text or attachments')
      const comment = store.addComment({
        recordId: parentId,
        body: post,
        fields: withoutKeys(fields, ['post']),
        idStyle: 'espocrm',
      })
      if (!comment) return notFound(req, 'Case', parentId)
      linkAll(attachmentsIds, comment.recordId)
      return jsonAnswer(noteView(store, comment))
    }),
    uploadAttachment: route('upload_file', true, (req) => {
      const request = fieldsOf(req)
      const { fields } = request
      const parentType = firstText(fields, ['parentType', 'relatedType'])
      const parentId = firstText(fields, ['parentId', 'relatedId'])
      const recordId = parentType === 'Case' && parentId !== undefined ? parentId : undefined
      if (recordId !== undefined && !store.getRecord(recordId))
        return notFound(req, 'Case', recordId)
      const stored = (file: UploadedFile): CrmAnswer => {
        const attachment = store.addAttachment({ ...file, recordId, idStyle: 'espocrm' })
        if (!attachment) return notFound(req, 'Case', recordId ?? '')
        return jsonAnswer(attachmentView(attachment))
      }
      // An in-process upload is answered in this turn; a file whose bytes are read, once read.
      const file = readUploadedFile(request)
      return file instanceof Promise ? file.then(stored) : stored(file)
    }),
    readAttachment: route('download_attachment', false, (req) => {
      const attachment = store.getAttachment(id(req))
      if (!attachment) return notFound(req, 'Attachment', id(req))
      return jsonAnswer(attachmentView(attachment))
    }),
  }
}

const ESPO_PREFIX = '/espo/api/v1'

/** The EspoCRM dialect's core routes by method and path (for the transports' routers). */
export function espoCrmCoreRoutes(deps: MockCrmDeps): [string, string, CoreRoute][] {
  const core = espoCrmCore(deps)
  const p = ESPO_PREFIX
  return [
    ['GET', `${p}/Contact`, core.listContacts],
    ['GET', `${p}/Contact/:id`, core.readContact],
    ['POST', `${p}/Contact`, core.createContact],
    ['PUT', `${p}/Contact/:id`, core.updateContact],
    ['PATCH', `${p}/Contact/:id`, core.updateContact],
    ['GET', `${p}/Case`, core.listCases],
    ['GET', `${p}/Case/:id`, core.readCase],
    ['GET', `${p}/Case/:id/stream`, core.caseStream],
    ['POST', `${p}/Case`, core.createCase],
    ['PUT', `${p}/Case/:id`, core.updateCase],
    ['PATCH', `${p}/Case/:id`, core.updateCase],
    ['POST', `${p}/Note`, core.postNote],
    ['POST', `${p}/Attachment`, core.uploadAttachment],
    // `/Attachment/file/:id` (bytes) is Hono's alone; `/Attachment/:id` would not match it.
    ['GET', `${p}/Attachment/:id`, core.readAttachment],
  ]
}

/** The EspoCRM dialect's routes, relative to the mock CRM's mount point. */
export function espoCrmRoutes(deps: MockCrmDeps): Hono {
  const { store } = deps
  const core = espoCrmCore(deps)
  const updateContact = coreRoute(deps, core.updateContact)
  const updateCase = coreRoute(deps, core.updateCase)
  const prefix = '/espo/api/v1'
  const body = { content: ENTITY_CONTENT, bodyRequired: false }

  return routesApp('mock CRM', [
    // ----- Contact (the account) -----
    route({
      method: 'get',
      path: `${prefix}/Contact`,
      summary: 'EspoCRM dialect: list Contacts',
      description: 'Without `where`, every Contact; newest first by default.',
      request: { query: ListQuerySchema, validate: false },
      responses: apiResponses(
        { 200: json('{ total, list }', listOf(ContactSchema)) },
        'invalid_request',
      ),
      handler: coreRoute(deps, core.listContacts),
    }),
    route({
      method: 'get',
      path: `${prefix}/Contact/:id`,
      summary: 'EspoCRM dialect: read a Contact',
      request: { params: IdParamsSchema },
      responses: apiResponses({ 200: json('The Contact', ContactSchema) }, 'not_found'),
      handler: coreRoute(deps, core.readContact),
    }),
    route({
      method: 'post',
      path: `${prefix}/Contact`,
      summary: 'EspoCRM dialect: create a Contact (200, as EspoCRM answers)',
      request: body,
      responses: apiResponses(
        { 200: json('The Contact, with its 17-character id', ContactSchema) },
        'invalid_request',
      ),
      handler: coreRoute(deps, core.createContact),
    }),
    ...(['put', 'patch'] as const).map((method) =>
      route({
        method,
        path: `${prefix}/Contact/:id`,
        summary: `EspoCRM dialect: update a Contact (${method.toUpperCase()})`,
        request: { params: IdParamsSchema, ...body },
        responses: apiResponses(
          { 200: json('The Contact', ContactSchema) },
          'not_found',
          'invalid_request',
        ),
        handler: updateContact,
      }),
    ),

    // ----- Case (the record) -----
    route({
      method: 'get',
      path: `${prefix}/Case`,
      summary: 'EspoCRM dialect: list Cases',
      description: 'Without `where`, every Case; highest number first by default.',
      request: { query: ListQuerySchema, validate: false },
      responses: apiResponses(
        { 200: json('{ total, list }', listOf(CaseSchema)) },
        'invalid_request',
      ),
      handler: coreRoute(deps, core.listCases),
    }),
    route({
      method: 'get',
      path: `${prefix}/Case/:id`,
      summary: 'EspoCRM dialect: read a Case',
      request: { params: IdParamsSchema },
      responses: apiResponses({ 200: json('The Case', CaseSchema) }, 'not_found'),
      handler: coreRoute(deps, core.readCase),
    }),
    route({
      method: 'get',
      path: `${prefix}/Case/:id/stream`,
      summary: "EspoCRM dialect: a Case's stream (its notes, newest first)",
      request: { params: IdParamsSchema },
      responses: apiResponses({ 200: json('{ total, list }', listOf(NoteSchema)) }, 'not_found'),
      handler: coreRoute(deps, core.caseStream),
    }),
    route({
      method: 'post',
      path: `${prefix}/Case`,
      summary: 'EspoCRM dialect: create a Case (200, as EspoCRM answers)',
      description: '`attachmentsIds` links uploaded Attachments to the Case.',
      request: body,
      responses: apiResponses(
        { 200: json('The Case, with its 17-character id', CaseSchema) },
        'invalid_request',
      ),
      handler: coreRoute(deps, core.createCase),
    }),
    ...(['put', 'patch'] as const).map((method) =>
      route({
        method,
        path: `${prefix}/Case/:id`,
        summary: `EspoCRM dialect: update a Case (${method.toUpperCase()})`,
        request: { params: IdParamsSchema, ...body },
        responses: apiResponses(
          { 200: json('The Case', CaseSchema) },
          'not_found',
          'invalid_request',
        ),
        handler: updateCase,
      }),
    ),

    // ----- Note (a stream post: the comment) -----
    route({
      method: 'post',
      path: `${prefix}/Note`,
      summary: 'EspoCRM dialect: post a Note on a Case (the comment)',
      description: '`parentType` Case, `parentId`, and `post` text or `attachmentsIds`.',
      request: body,
      responses: apiResponses(
        { 200: json('The Note', NoteSchema) },
        'not_found',
        'invalid_request',
      ),
      handler: coreRoute(deps, core.postNote),
    }),

    // ----- Attachment -----
    route({
      method: 'post',
      path: `${prefix}/Attachment`,
      summary: 'EspoCRM dialect: upload an Attachment',
      description:
        '`file` as a data URI (or base64), `name`, `type`; `parentType` Case and `parentId` link it.',
      request: body,
      responses: apiResponses(
        { 200: json('The Attachment', AttachmentSchema) },
        'not_found',
        'invalid_request',
      ),
      handler: coreRoute(deps, core.uploadAttachment),
    }),
    route({
      method: 'get',
      path: `${prefix}/Attachment/file/:id`,
      summary: "EspoCRM dialect: an Attachment's bytes",
      request: { params: IdParamsSchema },
      responses: apiResponses({ 200: bytes }, 'not_found'),
      handler: apiRoute(deps, 'download_attachment', (c) => {
        const attachment = store.getAttachment(idParam(c))
        if (!attachment) return toResponse(c, notFound(requestOf(c), 'Attachment', idParam(c)))
        return fileResponse(attachment)
      }),
    }),
    route({
      method: 'get',
      path: `${prefix}/Attachment/:id`,
      summary: 'EspoCRM dialect: read an Attachment',
      request: { params: IdParamsSchema },
      responses: apiResponses({ 200: json('The Attachment', AttachmentSchema) }, 'not_found'),
      handler: coreRoute(deps, core.readAttachment),
    }),
  ])
}
