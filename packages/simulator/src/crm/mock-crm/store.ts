import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { z } from 'zod'
import { SimulatorError } from '../../errors.js'

/*
 * The mock CRM's state: accounts (contacts), records (tickets, cases), comments (notes) and
 * attachments, as the generic API's terminology names them (seed 000, "Terminology": accounts
 * contain records, comments belong to records). The fields of each entity are whatever the
 * platform sent (the keys are the admin's parameters, reference §5.1), kept as received; the store
 * only reads a few well-known keys to answer queries (phone, email, external id, account, status).
 */

/** How new ids look: `integer` (`1`, `2`, …, the generic dialect) or EspoCRM's 17-char hex. */
export type MockCrmIdStyle = 'integer' | 'espocrm'

/** The fields of an entity, as the platform sent them (JSON values; multipart fields are strings). */
export type MockCrmFields = Readonly<Record<string, unknown>>

export interface MockCrmAccount {
  readonly id: string
  /** Creation order, 1-based (the integer id in the generic dialect). */
  readonly number: number
  readonly fields: MockCrmFields
  readonly createdAt: number
  readonly updatedAt: number
}

export interface MockCrmRecord {
  readonly id: string
  readonly number: number
  /** The account the record belongs to, read from `RECORD_ACCOUNT_KEYS` (`account_id`, `contactId`, …). */
  readonly accountId: string | undefined
  /** `fields.status` as text, `open` when the platform sent none. */
  readonly status: string
  readonly fields: MockCrmFields
  readonly createdAt: number
  readonly updatedAt: number
}

export interface MockCrmComment {
  readonly id: string
  readonly number: number
  readonly recordId: string
  /** The text (plain or HTML, as the Comment endpoint's Text Format sent it). */
  readonly body: string
  readonly fields: MockCrmFields
  readonly createdAt: number
}

/**
 * A file's bytes, through a function: a session's upload of its recording (in process) is kept as
 * the way to make it, not as bytes, and made only when someone downloads it (about 15% of a
 * session's CPU went to making recordings for uploads, and keeping them to the collector).
 */
export interface MockCrmFileBytes {
  /** The length of what `bytes()` gives. */
  readonly size: number
  /** The file's bytes: the same at every call, possibly made at each; callers must not change them. */
  readonly bytes: () => Uint8Array
}

/** Bytes at hand as a `MockCrmFileBytes`. */
export function fileBytes(bytes: Uint8Array): MockCrmFileBytes {
  return { size: bytes.byteLength, bytes: () => bytes }
}

export interface MockCrmAttachment extends MockCrmFileBytes {
  readonly id: string
  readonly number: number
  /** The record the file is attached to; an EspoCRM attachment may be uploaded before linking. */
  readonly recordId: string | undefined
  readonly filename: string
  readonly contentType: string
  /** The other fields of the upload request (the file data itself is not repeated here). */
  readonly fields: MockCrmFields
  readonly createdAt: number
}

/** Search criteria for accounts; a record matches when ANY given criterion matches (seed 000: "by phone number, email, or internal CRM ID"). */
export interface MockCrmAccountQuery {
  readonly id?: string | undefined
  readonly phone?: string | undefined
  readonly email?: string | undefined
  readonly externalId?: string | undefined
  readonly name?: string | undefined
}

/** Search criteria for records; a record matches when ALL given criteria match. */
export interface MockCrmRecordQuery {
  readonly id?: string | undefined
  readonly accountId?: string | undefined
  readonly status?: string | undefined
  readonly phone?: string | undefined
}

/** The state as JSON (times ISO-8601, attachments without their bytes): `GET /_sim/crm/state`, tests, the journal. */
export interface MockCrmSnapshot {
  readonly accounts: readonly {
    readonly id: string
    readonly number: number
    readonly fields: MockCrmFields
    readonly createdAt: string
    readonly updatedAt: string
  }[]
  readonly records: readonly {
    readonly id: string
    readonly number: number
    readonly accountId: string | null
    readonly status: string
    readonly fields: MockCrmFields
    readonly createdAt: string
    readonly updatedAt: string
  }[]
  readonly comments: readonly {
    readonly id: string
    readonly number: number
    readonly recordId: string
    readonly body: string
    readonly fields: MockCrmFields
    readonly createdAt: string
  }[]
  readonly attachments: readonly {
    readonly id: string
    readonly number: number
    readonly recordId: string | null
    readonly filename: string
    readonly contentType: string
    readonly size: number
    readonly fields: MockCrmFields
    readonly createdAt: string
  }[]
}

export interface MockCrmStoreOptions {
  /** Time source for `createdAt`/`updatedAt` (the virtual clock's `now`). */
  readonly now: () => number
  /** The id style when a create call does not name one. Default `integer`. */
  readonly idStyle?: MockCrmIdStyle | undefined
  /** How much the store keeps; see `MockCrmStoreLimits`. */
  readonly limits?: Partial<MockCrmStoreLimits> | undefined
}

/**
 * How many entities of each kind the store keeps. Past a limit the oldest of that kind go, a tenth
 * of the limit at a time (so lookups' indexes are rebuilt rarely): a long run stays flat in memory.
 */
export interface MockCrmStoreLimits {
  /** Accounts, records and comments, each. */
  readonly entities: number
  /** Attachments (those uploaded over HTTP hold their files' bytes). */
  readonly attachments: number
}

export const DEFAULT_MOCK_CRM_STORE_LIMITS: MockCrmStoreLimits = {
  entities: 50_000,
  attachments: 1_000,
}

/** Keys read as an account's phone number, email, external id; a record's account. */
export const ACCOUNT_PHONE_KEYS = [
  'phone',
  'phone_number',
  'phoneNumber',
  'mobile',
  'mobile_phone',
  'mobilePhone',
  'telephone',
] as const
export const ACCOUNT_EMAIL_KEYS = ['email', 'email_address', 'emailAddress'] as const
export const ACCOUNT_EXTERNAL_ID_KEYS = [
  'external_id',
  'externalId',
  'ujet_id',
  'sdk_identifier',
  'sdkIdentifier',
  'custom_user_id',
] as const
/** `contactId` before `accountId`: an EspoCRM Case's `accountId` is a company, its contact the account. */
export const RECORD_ACCOUNT_KEYS = [
  'account_id',
  'contact_id',
  'contactId',
  'accountId',
  'customer_id',
  'customerId',
] as const

type Kind = 'accounts' | 'records' | 'comments' | 'attachments'

interface Counters {
  accounts: number
  records: number
  comments: number
  attachments: number
  /** Feeds the tail of EspoCRM-style ids. */
  ids: number
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return undefined
}

/** The first non-empty text value among `keys`. */
export function fieldText(fields: MockCrmFields, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = text(fields[key])?.trim()
    if (value) return value
  }
  return undefined
}

/** The digits of a phone number (`\D` removed); an E.164 number (`+` and digits) without a copy. */
export function digitsOf(value: string): string {
  let from = value.charCodeAt(0) === 43 /* + */ ? 1 : 0
  for (let i = from; i < value.length; i++) {
    const ch = value.charCodeAt(i)
    if (ch < 48 || ch > 57) {
      from = -1
      break
    }
  }
  if (from === 0) return value
  if (from === 1) return value.slice(1)
  return value.replace(/\D/g, '')
}

/**
 * Whether a stored phone number matches a searched one, whatever the Phone Number Format (seed 000:
 * E.164 `+12223334444`, US Local `2223334444`, `(222) 333-4444`, `+1 222 333 4444`): digits are
 * compared, a missing country code is tolerated (the last ten digits), and Automatic's search form
 * `*222*333*4444` is a wildcard pattern.
 */
export function phoneMatches(stored: string, searched: string): boolean {
  const have = digitsOf(stored)
  return have !== '' && phoneMatcher(searched)(have)
}

const NO_PHONE = (): boolean => false

/**
 * `phoneMatches` split in two for searches over many numbers: the searched number is worked out
 * once, and the matcher takes a stored number's digits (non-empty).
 */
function phoneMatcher(searched: string): (storedDigits: string) => boolean {
  if (searched.includes('*')) {
    const pieces = searched.split('*').map(digitsOf)
    if (pieces.every((p) => p === '')) return NO_PHONE
    const pattern = new RegExp(`^${pieces.join('.*')}$`)
    return (have) => pattern.test(have)
  }
  const want = digitsOf(searched)
  if (want === '') return NO_PHONE
  const wantTail = want.length >= 10 ? want.slice(-10) : undefined
  return (have) =>
    have === want || (wantTail !== undefined && have.length >= 10 && have.endsWith(wantTail))
}

/** What an account search compares, worked out once per account (see `AccountIndex`). */
interface AccountSearchKeys {
  readonly id: string
  /** The digits of every non-empty phone field (`ACCOUNT_PHONE_KEYS`, in order). */
  readonly phoneDigits: readonly string[]
  /** Lower-cased. */
  readonly email: string | undefined
  readonly externalId: string | undefined
  /** Lower-cased `accountName`. */
  readonly name: string
}

function searchKeysOf(account: MockCrmAccount): AccountSearchKeys {
  const f = account.fields
  const phoneDigits: string[] = []
  for (const key of ACCOUNT_PHONE_KEYS) {
    const stored = text(f[key])
    if (!stored) continue
    const digits = digitsOf(stored)
    if (digits !== '') phoneDigits.push(digits)
  }
  return {
    id: account.id.trim(),
    phoneDigits,
    email: fieldText(f, ACCOUNT_EMAIL_KEYS)?.toLowerCase(),
    externalId: fieldText(f, ACCOUNT_EXTERNAL_ID_KEYS),
    name: accountName(account).toLowerCase(),
  }
}

/**
 * A phone number's index key: its last ten digits, or all of them when it has fewer. Two numbers
 * match (`phoneMatches`, without wildcards) exactly when their keys are equal: equal digits, or
 * both at least ten digits long with the same last ten.
 */
function phoneKey(digits: string): string {
  return digits.length >= 10 ? digits.slice(-10) : digits
}

type AccountIndexKind = 'id' | 'externalId' | 'phone' | 'email' | 'name'

/** The search's one non-empty criterion, or undefined when it has none or several. */
function onlyCriterion(
  criteria: Readonly<Record<AccountIndexKind, string | undefined>>,
): AccountIndexKind | undefined {
  let only: AccountIndexKind | undefined
  for (const kind of INDEX_KINDS) {
    if (!criteria[kind]) continue
    if (only !== undefined) return undefined
    only = kind
  }
  return only
}

const INDEX_KINDS: readonly AccountIndexKind[] = ['id', 'externalId', 'phone', 'email', 'name']

/**
 * Exact-match lookups over the accounts (by id, external id, phone key, email, name), so that a
 * search costs a few map reads instead of a pass over every account. Built from the account list
 * when first needed, kept up to date by creates, dropped by updates and resets (accounts are
 * immutable objects: an update replaces one).
 */
class AccountIndex {
  /** One map per kind: a lookup reads the searched value as it is, without building a key. */
  private readonly byKind: Readonly<Record<AccountIndexKind, Map<string, MockCrmAccount[]>>> = {
    id: new Map(),
    externalId: new Map(),
    phone: new Map(),
    email: new Map(),
    name: new Map(),
  }
  private readonly position = new Map<MockCrmAccount, number>()
  /** Every account with its keys, in list order (wildcard phone searches go through them). */
  readonly entries: { readonly account: MockCrmAccount; readonly keys: AccountSearchKeys }[] = []

  constructor(accounts: readonly MockCrmAccount[]) {
    for (const account of accounts) this.add(account)
  }

  add(account: MockCrmAccount): void {
    const keys = searchKeysOf(account)
    this.position.set(account, this.entries.length)
    this.entries.push({ account, keys })
    this.put('id', keys.id, account)
    if (keys.externalId !== undefined) this.put('externalId', keys.externalId, account)
    for (const digits of keys.phoneDigits) this.put('phone', phoneKey(digits), account)
    if (keys.email !== undefined) this.put('email', keys.email, account)
    this.put('name', keys.name, account)
  }

  /** The accounts with this key, in list order, each once. */
  lookup(kind: AccountIndexKind, value: string): readonly MockCrmAccount[] {
    return this.byKind[kind].get(value) ?? NO_ACCOUNTS
  }

  /** List order, for sorting a search's hits. */
  positionOf(account: MockCrmAccount): number {
    return this.position.get(account) ?? Number.MAX_SAFE_INTEGER
  }

  private put(kind: AccountIndexKind, value: string, account: MockCrmAccount): void {
    const map = this.byKind[kind]
    const list = map.get(value)
    if (list === undefined) map.set(value, [account])
    else if (list.at(-1) !== account) list.push(account)
  }
}

const NO_ACCOUNTS: readonly MockCrmAccount[] = Object.freeze([])

/** EspoCRM ids are 17 hex characters (a `uniqid`: seconds, microseconds, then more). */
function espoId(at: number, sequence: number): string {
  const safe = Math.max(0, Math.floor(at))
  const seconds = Math.floor(safe / 1000)
    .toString(16)
    .padStart(8, '0')
    .slice(-8)
  const micros = ((safe % 1000) * 1000).toString(16).padStart(5, '0')
  const tail = (sequence % 0x10000).toString(16).padStart(4, '0')
  return `${seconds}${micros}${tail}`
}

function iso(at: number): string {
  return new Date(at).toISOString()
}

/** Adds `key` to the set of `owner` (trimmed) in `index`. */
function link(index: Map<string, Set<string>>, owner: string, key: string): void {
  const trimmed = owner.trim()
  const set = index.get(trimmed)
  if (set === undefined) {
    // Not `new Set([key])`: a Set built from an array walks it through its iterator.
    const created = new Set<string>()
    created.add(key)
    index.set(trimmed, created)
  } else set.add(key)
}

function unlink(index: Map<string, Set<string>>, owner: string, key: string): void {
  const trimmed = owner.trim()
  const set = index.get(trimmed)
  if (set === undefined) return
  set.delete(key)
  if (set.size === 0) index.delete(trimmed)
}

/** Unwraps a stored id for comparison: ids are compared as text (`1` and `"1"` are the same). */
function sameId(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.trim() === b.trim()
}

const FieldsSchema = z.record(z.string(), z.unknown())
const TimeSchema = z.iso.datetime()
const StateFileSchema = z.object({
  format: z.literal('ccai-sim.mock-crm'),
  version: z.literal(1),
  counters: z.object({
    accounts: z.number().int().min(0),
    records: z.number().int().min(0),
    comments: z.number().int().min(0),
    attachments: z.number().int().min(0),
    ids: z.number().int().min(0),
  }),
  accounts: z.array(
    z.object({
      id: z.string(),
      number: z.number().int(),
      fields: FieldsSchema,
      createdAt: TimeSchema,
      updatedAt: TimeSchema,
    }),
  ),
  records: z.array(
    z.object({
      id: z.string(),
      number: z.number().int(),
      fields: FieldsSchema,
      createdAt: TimeSchema,
      updatedAt: TimeSchema,
    }),
  ),
  comments: z.array(
    z.object({
      id: z.string(),
      number: z.number().int(),
      recordId: z.string(),
      body: z.string(),
      fields: FieldsSchema,
      createdAt: TimeSchema,
    }),
  ),
  attachments: z.array(
    z.object({
      id: z.string(),
      number: z.number().int(),
      recordId: z.string().nullable(),
      filename: z.string(),
      contentType: z.string(),
      base64: z.string(),
      fields: FieldsSchema,
      createdAt: TimeSchema,
    }),
  ),
})
type StateFile = z.infer<typeof StateFileSchema>

function emptyCounters(): Counters {
  return { accounts: 0, records: 0, comments: 0, attachments: 0, ids: 0 }
}

function toRecord(input: {
  id: string
  number: number
  fields: MockCrmFields
  createdAt: number
  updatedAt: number
}): MockCrmRecord {
  return {
    ...input,
    accountId: fieldText(input.fields, RECORD_ACCOUNT_KEYS),
    status: fieldText(input.fields, ['status']) ?? 'open',
  }
}

/**
 * The mock CRM's embedded store: in memory (`new MockCrmStore({ now })`) or backed by a JSON file
 * (`await MockCrmStore.open({ file, now })`), which every write saves atomically (a temporary file,
 * then a rename) so that the state survives a restart. Writes apply at once in memory; `flush()`
 * waits until they are on disk (the HTTP routes flush before they answer).
 * Reference §5.1 (accounts, records, comments, attachments); seed 000 (Terminology).
 */
export class MockCrmStore {
  readonly file: string | undefined
  private readonly now: () => number
  private readonly idStyle: MockCrmIdStyle
  private counters: Counters = emptyCounters()
  /*
   * Each kind by its (trimmed) id. A Map keeps insertion order, and replacing a value keeps its
   * place: oldest first, as the lists they replace, with lookups by id in one read.
   */
  private accountMap = new Map<string, MockCrmAccount>()
  /** Built on the first search; see `AccountIndex`. */
  private accountIndex: AccountIndex | undefined
  private recordMap = new Map<string, MockCrmRecord>()
  private commentMap = new Map<string, MockCrmComment>()
  private attachmentMap = new Map<string, MockCrmAttachment>()
  /** Secondary indexes: records by account, comments and attachments by record (trimmed ids). */
  private recordsByAccount = new Map<string, Set<string>>()
  private commentsByRecord = new Map<string, Set<string>>()
  private attachmentsByRecord = new Map<string, Set<string>>()
  private limits: MockCrmStoreLimits = DEFAULT_MOCK_CRM_STORE_LIMITS
  private readonly resetListeners = new Set<() => void>()
  private queued: Promise<void> | undefined
  private last: Promise<void> = Promise.resolve()
  private saveError: unknown
  private temporaries = 0

  constructor(options: MockCrmStoreOptions & { readonly file?: string | undefined }) {
    this.now = options.now
    this.idStyle = options.idStyle ?? 'integer'
    this.file = options.file
    if (options.limits) this.setLimits(options.limits)
  }

  /** Changes how much the store keeps (see `MockCrmStoreLimits`), pruning at once if need be. */
  setLimits(limits: Partial<MockCrmStoreLimits>): void {
    const next = { ...this.limits, ...limits }
    for (const [key, value] of Object.entries(next))
      if (!Number.isInteger(value) || value < 1)
        throw new SimulatorError(
          'invalid_config',
          `mock CRM limits.${key}: expected a whole number ≥ 1, received ${String(value)}`,
        )
    this.limits = next
    this.prune()
  }

  /** Runs `listener` after every `reset()` (the authenticator forgets its tokens); returns an unsubscribe. */
  onReset(listener: () => void): () => void {
    this.resetListeners.add(listener)
    return () => {
      this.resetListeners.delete(listener)
    }
  }

  /**
   * A store persisted to `file`: loads it when it exists (a missing file is an empty CRM), and
   * saves every later write to it. A file that is not a mock CRM state is `invalid_config`.
   */
  static async open(
    options: MockCrmStoreOptions & { readonly file: string },
  ): Promise<MockCrmStore> {
    const store = new MockCrmStore(options)
    let raw: string | undefined
    try {
      raw = await readFile(options.file, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new SimulatorError(
          'invalid_config',
          `mock CRM state file ${options.file}: cannot read it`,
          {
            cause: error,
          },
        )
      }
    }
    if (raw !== undefined) store.load(options.file, raw)
    return store
  }

  private load(file: string, raw: string): void {
    let json: unknown
    try {
      json = JSON.parse(raw) as unknown
    } catch (error) {
      throw new SimulatorError('invalid_config', `mock CRM state file ${file}: not JSON`, {
        cause: error,
      })
    }
    const parsed = StateFileSchema.safeParse(json)
    if (!parsed.success) {
      const first = parsed.error.issues[0]
      const where = first ? `${first.path.join('.') || '$'}: ${first.message}` : 'invalid'
      throw new SimulatorError(
        'invalid_config',
        `mock CRM state file ${file} is not a ccai-sim mock CRM state (${where})`,
      )
    }
    const state = parsed.data
    this.counters = { ...state.counters }
    this.accountIndex = undefined
    const accounts = state.accounts.map((a) => ({
      id: a.id,
      number: a.number,
      fields: a.fields,
      createdAt: Date.parse(a.createdAt),
      updatedAt: Date.parse(a.updatedAt),
    }))
    const records = state.records.map((r) =>
      toRecord({
        id: r.id,
        number: r.number,
        fields: r.fields,
        createdAt: Date.parse(r.createdAt),
        updatedAt: Date.parse(r.updatedAt),
      }),
    )
    const comments = state.comments.map((c) => ({
      id: c.id,
      number: c.number,
      recordId: c.recordId,
      body: c.body,
      fields: c.fields,
      createdAt: Date.parse(c.createdAt),
    }))
    const attachments = state.attachments.map((a) => ({
      id: a.id,
      number: a.number,
      recordId: a.recordId ?? undefined,
      filename: a.filename,
      contentType: a.contentType,
      ...fileBytes(new Uint8Array(Buffer.from(a.base64, 'base64'))),
      fields: a.fields,
      createdAt: Date.parse(a.createdAt),
    }))
    for (const a of accounts) this.putAccount(a)
    for (const r of records) this.putRecord(r)
    for (const c of comments) this.putComment(c)
    for (const a of attachments) this.putAttachment(a)
  }

  // ----- the maps and their indexes -----

  private putAccount(account: MockCrmAccount): void {
    this.accountMap.set(account.id.trim(), account)
  }

  private putRecord(record: MockCrmRecord): void {
    const key = record.id.trim()
    const previous = this.recordMap.get(key)
    if (previous?.accountId !== undefined) unlink(this.recordsByAccount, previous.accountId, key)
    this.recordMap.set(key, record)
    if (record.accountId !== undefined) link(this.recordsByAccount, record.accountId, key)
  }

  private putComment(comment: MockCrmComment): void {
    this.commentMap.set(comment.id.trim(), comment)
    link(this.commentsByRecord, comment.recordId, comment.id.trim())
  }

  private putAttachment(attachment: MockCrmAttachment): void {
    const key = attachment.id.trim()
    const previous = this.attachmentMap.get(key)
    if (previous?.recordId !== undefined) unlink(this.attachmentsByRecord, previous.recordId, key)
    this.attachmentMap.set(key, attachment)
    if (attachment.recordId !== undefined) link(this.attachmentsByRecord, attachment.recordId, key)
  }

  /** Drops the oldest of each kind past its limit, down to nine tenths of it. */
  private prune(): void {
    const { entities, attachments } = this.limits
    const keep = (limit: number): number => limit - Math.floor(limit / 10)
    if (this.accountMap.size > entities) {
      for (const key of this.accountMap.keys()) {
        if (this.accountMap.size <= keep(entities)) break
        this.accountMap.delete(key)
      }
      this.accountIndex = undefined
    }
    if (this.recordMap.size > entities) {
      for (const [key, record] of this.recordMap) {
        if (this.recordMap.size <= keep(entities)) break
        this.recordMap.delete(key)
        if (record.accountId !== undefined) unlink(this.recordsByAccount, record.accountId, key)
      }
    }
    if (this.commentMap.size > entities) {
      for (const [key, comment] of this.commentMap) {
        if (this.commentMap.size <= keep(entities)) break
        this.commentMap.delete(key)
        unlink(this.commentsByRecord, comment.recordId, key)
      }
    }
    if (this.attachmentMap.size > attachments) {
      for (const [key, attachment] of this.attachmentMap) {
        if (this.attachmentMap.size <= keep(attachments)) break
        this.attachmentMap.delete(key)
        if (attachment.recordId !== undefined)
          unlink(this.attachmentsByRecord, attachment.recordId, key)
      }
    }
  }

  private mapOf(kind: Kind): ReadonlyMap<string, unknown> {
    switch (kind) {
      case 'accounts':
        return this.accountMap
      case 'records':
        return this.recordMap
      case 'comments':
        return this.commentMap
      case 'attachments':
        return this.attachmentMap
    }
  }

  private nextId(kind: Kind, style: MockCrmIdStyle | undefined): { id: string; number: number } {
    this.counters[kind] += 1
    const number = this.counters[kind]
    // Ids in use are the map's keys (integer ids repeat across kinds, as database ids do).
    const ids = this.mapOf(kind)
    if ((style ?? this.idStyle) === 'integer') {
      let id = String(number)
      // An id loaded from an older file may already be taken: skip ahead.
      while (ids.has(id)) {
        this.counters[kind] += 1
        id = String(this.counters[kind])
      }
      return { id, number: this.counters[kind] }
    }
    let id: string
    do {
      this.counters.ids += 1
      id = espoId(this.now(), this.counters.ids)
    } while (ids.has(id))
    return { id, number }
  }

  // ----- accounts -----

  /** Creates an account from the fields the platform sent. */
  createAccount(input: {
    readonly fields: MockCrmFields
    readonly idStyle?: MockCrmIdStyle | undefined
  }): MockCrmAccount {
    const at = this.now()
    const account: MockCrmAccount = {
      ...this.nextId('accounts', input.idStyle),
      fields: { ...input.fields },
      createdAt: at,
      updatedAt: at,
    }
    this.putAccount(account)
    this.accountIndex?.add(account)
    this.prune()
    this.persist()
    return account
  }

  getAccount(id: string): MockCrmAccount | undefined {
    return this.accountMap.get(id.trim())
  }

  /** Merges `fields` into the account (shallow); `undefined` when there is no such account. */
  updateAccount(id: string, fields: MockCrmFields): MockCrmAccount | undefined {
    const current = this.accountMap.get(id.trim())
    if (!current) return undefined
    const updated = { ...current, fields: { ...current.fields, ...fields }, updatedAt: this.now() }
    this.putAccount(updated)
    this.accountIndex = undefined
    this.persist()
    return updated
  }

  /** Every account, oldest first. */
  accounts(): readonly MockCrmAccount[] {
    return [...this.accountMap.values()]
  }

  /**
   * Accounts matching ANY of the given criteria (empty criteria are ignored; none at all finds
   * nothing), oldest first: by id, by external id (`external_id`, `sdk_identifier`, …), by phone
   * (see `phoneMatches`), by email (case-insensitive), by name (case-insensitive, exact).
   */
  findAccounts(query: MockCrmAccountQuery): MockCrmAccount[] {
    const id = query.id?.trim()
    const phone = query.phone?.trim()
    const email = query.email?.trim().toLowerCase()
    const externalId = query.externalId?.trim()
    const name = query.name?.trim().toLowerCase()
    if (!id && !phone && !email && !externalId && !name) return []
    this.accountIndex ??= new AccountIndex([...this.accountMap.values()])
    const index = this.accountIndex
    // One exact criterion (the usual search): its index list is already distinct and in list order.
    if (!phone?.includes('*')) {
      const criteria = { id, externalId, phone, email, name }
      const only = onlyCriterion(criteria)
      if (only !== undefined) {
        const value = criteria[only] ?? ''
        if (only !== 'phone') return index.lookup(only, value).slice()
        const digits = digitsOf(value)
        return digits === '' ? [] : index.lookup('phone', phoneKey(digits)).slice()
      }
    }
    const hits = new Set<MockCrmAccount>()
    const add = (accounts: readonly MockCrmAccount[]): void => {
      for (const account of accounts) hits.add(account)
    }
    if (id) add(index.lookup('id', id))
    if (externalId) add(index.lookup('externalId', externalId))
    if (phone?.includes('*')) {
      const matches = phoneMatcher(phone)
      for (const { account, keys } of index.entries)
        if (keys.phoneDigits.some(matches)) hits.add(account)
    } else if (phone) {
      const digits = digitsOf(phone)
      if (digits !== '') add(index.lookup('phone', phoneKey(digits)))
    }
    if (email) add(index.lookup('email', email))
    if (name) add(index.lookup('name', name))
    return [...hits].sort((a, b) => index.positionOf(a) - index.positionOf(b))
  }

  // ----- records -----

  /** Creates a record; its account and status are read from its fields. */
  createRecord(input: {
    readonly fields: MockCrmFields
    readonly idStyle?: MockCrmIdStyle | undefined
  }): MockCrmRecord {
    const at = this.now()
    const record = toRecord({
      ...this.nextId('records', input.idStyle),
      fields: { ...input.fields },
      createdAt: at,
      updatedAt: at,
    })
    this.putRecord(record)
    this.prune()
    this.persist()
    return record
  }

  getRecord(id: string): MockCrmRecord | undefined {
    return this.recordMap.get(id.trim())
  }

  /** Merges `fields` into the record (shallow); `undefined` when there is no such record. */
  updateRecord(id: string, fields: MockCrmFields): MockCrmRecord | undefined {
    const current = this.recordMap.get(id.trim())
    if (!current) return undefined
    const updated = toRecord({
      id: current.id,
      number: current.number,
      fields: { ...current.fields, ...fields },
      createdAt: current.createdAt,
      updatedAt: this.now(),
    })
    this.putRecord(updated)
    this.persist()
    return updated
  }

  /** Every record, oldest first. */
  records(): readonly MockCrmRecord[] {
    return [...this.recordMap.values()]
  }

  /**
   * Records matching ALL the given criteria (none at all finds nothing), most recently updated
   * first, so that "the first one" is the one to re-use. Status compares case-insensitively.
   */
  findRecords(query: MockCrmRecordQuery): MockCrmRecord[] {
    const id = query.id?.trim()
    const accountId = query.accountId?.trim()
    const status = query.status?.trim().toLowerCase()
    const phone = query.phone?.trim()
    if (!id && !accountId && !status && !phone) return []
    // The narrowest index first: by id, by account, else every record.
    let pool: Iterable<MockCrmRecord>
    if (id) {
      const record = this.recordMap.get(id)
      pool = record ? [record] : []
    } else if (accountId) {
      pool = [...(this.recordsByAccount.get(accountId) ?? [])].flatMap((key) => {
        const record = this.recordMap.get(key)
        return record ? [record] : []
      })
    } else {
      pool = this.recordMap.values()
    }
    return [...pool]
      .filter((record) => {
        if (id && !sameId(record.id, id)) return false
        if (accountId && !sameId(record.accountId, accountId)) return false
        if (status && record.status.toLowerCase() !== status) return false
        if (phone) {
          const stored = fieldText(record.fields, ACCOUNT_PHONE_KEYS)
          if (!stored || !phoneMatches(stored, phone)) return false
        }
        return true
      })
      .sort((a, b) => b.updatedAt - a.updatedAt || b.number - a.number)
  }

  // ----- comments -----

  /** Adds a comment to a record; `undefined` when there is no such record. */
  addComment(input: {
    readonly recordId: string
    readonly body: string
    readonly fields?: MockCrmFields | undefined
    readonly idStyle?: MockCrmIdStyle | undefined
  }): MockCrmComment | undefined {
    const record = this.getRecord(input.recordId)
    if (!record) return undefined
    const comment: MockCrmComment = {
      ...this.nextId('comments', input.idStyle),
      recordId: record.id,
      body: input.body,
      fields: { ...input.fields },
      createdAt: this.now(),
    }
    this.putComment(comment)
    this.prune()
    this.persist()
    return comment
  }

  /** A record's comments, oldest first. */
  commentsOf(recordId: string): MockCrmComment[] {
    return this.byKeys(this.commentMap, this.commentsByRecord.get(recordId.trim()))
  }

  comments(): readonly MockCrmComment[] {
    return [...this.commentMap.values()]
  }

  // ----- attachments -----

  /**
   * Stores a file. With a `recordId` the record must exist (else `undefined`); without one the
   * file waits to be linked (`linkAttachment`), as EspoCRM attachments do.
   */
  addAttachment(
    input: MockCrmFileBytes & {
      readonly recordId?: string | undefined
      readonly filename: string
      readonly contentType: string
      readonly fields?: MockCrmFields | undefined
      readonly idStyle?: MockCrmIdStyle | undefined
    },
  ): MockCrmAttachment | undefined {
    let recordId: string | undefined
    if (input.recordId !== undefined) {
      const record = this.getRecord(input.recordId)
      if (!record) return undefined
      recordId = record.id
    }
    const attachment: MockCrmAttachment = {
      ...this.nextId('attachments', input.idStyle),
      recordId,
      filename: input.filename,
      contentType: input.contentType,
      // Kept as given, not copied, not made: callers hand over bytes read from a request, which
      // nothing changes, or a session's recording, made when downloaded. A store saved to a file
      // writes every attachment at each save: there the bytes are made once, here.
      ...(this.file === undefined
        ? { size: input.size, bytes: input.bytes }
        : fileBytes(input.bytes())),
      fields: { ...input.fields },
      createdAt: this.now(),
    }
    this.putAttachment(attachment)
    this.prune()
    this.persist()
    return attachment
  }

  getAttachment(id: string): MockCrmAttachment | undefined {
    return this.attachmentMap.get(id.trim())
  }

  /** Attaches a stored file to a record; `undefined` when either does not exist. */
  linkAttachment(input: {
    readonly attachmentId: string
    readonly recordId: string
  }): MockCrmAttachment | undefined {
    const record = this.getRecord(input.recordId)
    const current = this.attachmentMap.get(input.attachmentId.trim())
    if (!record || !current) return undefined
    const linked = { ...current, recordId: record.id }
    this.putAttachment(linked)
    this.persist()
    return linked
  }

  /** A record's attachments, oldest first. */
  attachmentsOf(recordId: string): MockCrmAttachment[] {
    // Linking appends to the record's set: sort back into creation order.
    return this.byKeys(this.attachmentMap, this.attachmentsByRecord.get(recordId.trim())).sort(
      (a, b) => a.number - b.number,
    )
  }

  attachments(): readonly MockCrmAttachment[] {
    return [...this.attachmentMap.values()]
  }

  private byKeys<T>(map: ReadonlyMap<string, T>, keys: ReadonlySet<string> | undefined): T[] {
    const out: T[] = []
    for (const key of keys ?? []) {
      const found = map.get(key)
      if (found !== undefined) out.push(found)
    }
    return out
  }

  // ----- whole state -----

  /** Empties the CRM and restarts the id counters (saved to the file too). */
  reset(): void {
    this.counters = emptyCounters()
    this.accountMap = new Map()
    this.accountIndex = undefined
    this.recordMap = new Map()
    this.commentMap = new Map()
    this.attachmentMap = new Map()
    this.recordsByAccount = new Map()
    this.commentsByRecord = new Map()
    this.attachmentsByRecord = new Map()
    this.persist()
    for (const listener of this.resetListeners) listener()
  }

  /** The state as JSON values (no attachment bytes; their size instead). */
  snapshot(): MockCrmSnapshot {
    return {
      accounts: [...this.accountMap.values()].map((a) => ({
        id: a.id,
        number: a.number,
        fields: a.fields,
        createdAt: iso(a.createdAt),
        updatedAt: iso(a.updatedAt),
      })),
      records: [...this.recordMap.values()].map((r) => ({
        id: r.id,
        number: r.number,
        accountId: r.accountId ?? null,
        status: r.status,
        fields: r.fields,
        createdAt: iso(r.createdAt),
        updatedAt: iso(r.updatedAt),
      })),
      comments: [...this.commentMap.values()].map((c) => ({
        id: c.id,
        number: c.number,
        recordId: c.recordId,
        body: c.body,
        fields: c.fields,
        createdAt: iso(c.createdAt),
      })),
      attachments: [...this.attachmentMap.values()].map((a) => ({
        id: a.id,
        number: a.number,
        recordId: a.recordId ?? null,
        filename: a.filename,
        contentType: a.contentType,
        size: a.size,
        fields: a.fields,
        createdAt: iso(a.createdAt),
      })),
    }
  }

  /** Resolves once every write so far is on disk; rejects with the save error, if one happened. */
  async flush(): Promise<void> {
    await this.last
    if (this.saveError !== undefined) {
      const error = this.saveError
      this.saveError = undefined
      throw new SimulatorError('internal', `mock CRM state file ${this.file ?? ''}: save failed`, {
        cause: error,
      })
    }
  }

  private serialize(): StateFile {
    const snapshot = this.snapshot()
    return {
      format: 'ccai-sim.mock-crm',
      version: 1,
      counters: { ...this.counters },
      accounts: snapshot.accounts.map((a) => ({ ...a, fields: { ...a.fields } })),
      records: snapshot.records.map((r) => ({
        id: r.id,
        number: r.number,
        fields: { ...r.fields },
        createdAt: r.createdAt,
        updatedAt: r.updatedAt,
      })),
      comments: snapshot.comments.map((c) => ({ ...c, fields: { ...c.fields } })),
      attachments: [...this.attachmentMap.values()].map((a) => ({
        id: a.id,
        number: a.number,
        recordId: a.recordId ?? null,
        filename: a.filename,
        contentType: a.contentType,
        base64: Buffer.from(a.bytes()).toString('base64'),
        fields: { ...a.fields },
        createdAt: iso(a.createdAt),
      })),
    }
  }

  /** Queues one save; writes made while it waits are coalesced into it. */
  private persist(): void {
    const file = this.file
    if (file === undefined || this.queued) return
    const run = this.last.then(async () => {
      this.queued = undefined
      const body = JSON.stringify(this.serialize(), null, 1)
      this.temporaries += 1
      const temporary = `${file}.${process.pid}.${this.temporaries}.tmp`
      await mkdir(dirname(file), { recursive: true })
      await writeFile(temporary, body)
      await rename(temporary, file)
    })
    this.queued = run
    this.last = run.catch((error: unknown) => {
      this.queued = undefined
      this.saveError = error
    })
  }
}

/** An account's display name: `name`, else first and last name, else its email or phone. */
export function accountName(account: MockCrmAccount): string {
  const f = account.fields
  const name = fieldText(f, ['name', 'full_name', 'fullName'])
  if (name) return name
  const first = fieldText(f, ['first_name', 'firstName'])
  const last = fieldText(f, ['last_name', 'lastName'])
  const joined = [first, last].filter(Boolean).join(' ')
  if (joined) return joined
  return fieldText(f, [...ACCOUNT_EMAIL_KEYS, ...ACCOUNT_PHONE_KEYS]) ?? `Account ${account.id}`
}
