import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SimulatorError } from '../../errors.js'
import { fileBytes, MockCrmStore, phoneMatches } from './store.js'

const START = Date.parse('2025-03-01T09:00:00.000Z')

function clock(): { now: () => number; advance: (ms: number) => void } {
  let at = START
  return {
    now: () => at,
    advance: (ms) => {
      at += ms
    },
  }
}

let dir = ''
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ccai-sim-mock-crm-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('phoneMatches', () => {
  it('matches the same number in every documented Phone Number Format', () => {
    const stored = '+12223334444'
    for (const searched of [
      '+12223334444',
      '2223334444',
      '(222) 333-4444',
      '+1 222 333 4444',
      '*222*333*4444',
    ])
      expect(phoneMatches(stored, searched), searched).toBe(true)
  })

  it('does not match other numbers, empty searches or an all-wildcard search', () => {
    expect(phoneMatches('+12223334444', '+12223334445')).toBe(false)
    expect(phoneMatches('+12223334444', '')).toBe(false)
    expect(phoneMatches('+12223334444', '***')).toBe(false)
    expect(phoneMatches('', '+12223334444')).toBe(false)
    expect(phoneMatches('+12223334444', '*999*333*4444')).toBe(false)
  })
})

describe('MockCrmStore', () => {
  it('gives integer ids per kind and EspoCRM ids of 17 hex characters, with times from now()', () => {
    const time = clock()
    const store = new MockCrmStore({ now: time.now })
    const a1 = store.createAccount({ fields: { name: 'Kim' } })
    const a2 = store.createAccount({ fields: { name: 'Lee' } })
    const r1 = store.createRecord({ fields: { subject: 'x', account_id: a1.id } })
    expect([a1.id, a2.id, r1.id]).toEqual(['1', '2', '1'])
    expect(a1.createdAt).toBe(START)

    const espo = store.createAccount({ fields: { name: 'Espo' }, idStyle: 'espocrm' })
    const espo2 = store.createAccount({ fields: { name: 'Espo 2' }, idStyle: 'espocrm' })
    expect(espo.id).toMatch(/^[0-9a-f]{17}$/)
    expect(espo2.id).toMatch(/^[0-9a-f]{17}$/)
    expect(espo2.id).not.toBe(espo.id)
  })

  it('finds accounts by phone, email, id or external id (any criterion), and nothing for no criteria', () => {
    const store = new MockCrmStore({ now: clock().now })
    const kim = store.createAccount({
      fields: { name: 'Kim', phone: '+12223334444', email: 'Kim@Agents.co', external_id: 'u-1' },
    })
    const lee = store.createAccount({ fields: { name: 'Lee', phoneNumber: '(555) 000-1111' } })

    expect(store.findAccounts({ phone: '*222*333*4444' })).toEqual([kim])
    expect(store.findAccounts({ email: 'kim@agents.co' })).toEqual([kim])
    expect(store.findAccounts({ id: lee.id })).toEqual([lee])
    expect(store.findAccounts({ externalId: 'u-1' })).toEqual([kim])
    expect(store.findAccounts({ phone: '5550001111', email: 'nobody@x' })).toEqual([lee])
    expect(store.findAccounts({ phone: '+19998887777' })).toEqual([])
    expect(store.findAccounts({})).toEqual([])
    expect(store.findAccounts({ phone: '  ', email: '' })).toEqual([])
  })

  it('finds records by account and status (all criteria), most recently updated first', () => {
    const time = clock()
    const store = new MockCrmStore({ now: time.now })
    const older = store.createRecord({ fields: { subject: 'a', account_id: '7', status: 'open' } })
    time.advance(1000)
    const newer = store.createRecord({ fields: { subject: 'b', contactId: '7' } })
    store.createRecord({ fields: { subject: 'c', account_id: '8' } })
    time.advance(1000)
    store.createRecord({ fields: { subject: 'd', account_id: '7', status: 'closed' } })

    expect(newer.status).toBe('open')
    expect(store.findRecords({ accountId: '7', status: 'OPEN' }).map((r) => r.id)).toEqual([
      newer.id,
      older.id,
    ])
    time.advance(1000)
    store.updateRecord(older.id, { description: 'touched' })
    expect(store.findRecords({ accountId: '7', status: 'open' })[0]?.id).toBe(older.id)
    expect(store.findRecords({ accountId: '999' })).toEqual([])
    expect(store.findRecords({})).toEqual([])
  })

  it('merges updates, keeps comments and attachments per record, and refuses unknown records', () => {
    const time = clock()
    const store = new MockCrmStore({ now: time.now })
    const record = store.createRecord({ fields: { subject: 'first', status: 'open' } })
    time.advance(5000)
    const updated = store.updateRecord(record.id, { subject: 'second', status: 'closed' })
    expect(updated?.fields).toEqual({ subject: 'second', status: 'closed' })
    expect(updated?.status).toBe('closed')
    expect(updated?.updatedAt).toBe(START + 5000)
    expect(updated?.createdAt).toBe(START)
    expect(store.updateRecord('404', { subject: 'x' })).toBeUndefined()

    expect(store.addComment({ recordId: record.id, body: 'hello' })?.body).toBe('hello')
    expect(store.addComment({ recordId: '404', body: 'lost' })).toBeUndefined()
    const bytes = new Uint8Array([0, 1, 2, 255])
    const attachment = store.addAttachment({
      recordId: record.id,
      filename: 'a.bin',
      contentType: 'application/octet-stream',
      ...fileBytes(bytes),
    })
    expect(store.getAttachment(attachment?.id ?? '')?.bytes()).toEqual(bytes)
    expect(
      store.addAttachment({
        recordId: '404',
        filename: 'x',
        contentType: 'x/y',
        ...fileBytes(bytes),
      }),
    ).toBeUndefined()
    expect(store.commentsOf(record.id)).toHaveLength(1)
    expect(store.attachmentsOf(record.id)).toHaveLength(1)
  })

  it('snapshots as JSON with ISO times and attachment sizes, and reset empties it and restarts ids', () => {
    const store = new MockCrmStore({ now: clock().now })
    const record = store.createRecord({ fields: { subject: 's' } })
    store.addAttachment({
      recordId: record.id,
      filename: 'f.txt',
      contentType: 'text/plain',
      ...fileBytes(new Uint8Array([104, 105])),
    })
    const snapshot = store.snapshot()
    expect(snapshot.records[0]).toMatchObject({ id: '1', createdAt: '2025-03-01T09:00:00.000Z' })
    expect(snapshot.attachments[0]).toMatchObject({ filename: 'f.txt', size: 2, recordId: '1' })
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot)

    store.reset()
    expect(store.snapshot()).toEqual({ accounts: [], records: [], comments: [], attachments: [] })
    expect(store.createRecord({ fields: {} }).id).toBe('1')
  })

  it('survives a restart: a new store opened on the same file has the same state, bytes and counters', async () => {
    const file = join(dir, 'nested', 'crm.json')
    const time = clock()
    const first = await MockCrmStore.open({ file, now: time.now })
    expect(first.snapshot().accounts).toEqual([])
    const account = first.createAccount({ fields: { name: 'Kim', phone: '+12223334444' } })
    const record = first.createRecord({ fields: { subject: 's', account_id: account.id } })
    first.addComment({ recordId: record.id, body: '<p>hi</p>' })
    const bytes = new Uint8Array(Array.from({ length: 300 }, (_, i) => i % 256))
    first.addAttachment({
      recordId: record.id,
      filename: 'r.wav',
      contentType: 'audio/wav',
      ...fileBytes(bytes),
    })
    const espo = first.createRecord({ fields: { name: 'case' }, idStyle: 'espocrm' })
    await first.flush()

    const second = await MockCrmStore.open({ file, now: time.now })
    expect(second.snapshot()).toEqual(first.snapshot())
    expect(second.attachmentsOf(record.id)[0]?.bytes()).toEqual(bytes)
    expect(second.getRecord(espo.id)?.fields).toEqual({ name: 'case' })
    expect(second.createAccount({ fields: {} }).id).toBe('2')
    await second.flush()
    // Only the state file is left: temporary files were renamed into place.
    expect(await readdir(join(dir, 'nested'))).toEqual(['crm.json'])
    const onDisk = JSON.parse(await readFile(file, 'utf8')) as { attachments: { base64: string }[] }
    expect(Buffer.from(onDisk.attachments[0]?.base64 ?? '', 'base64')).toEqual(Buffer.from(bytes))
  })

  it('refuses a state file that is not JSON or not a mock CRM state, naming the file', async () => {
    const bad = join(dir, 'bad.json')
    await writeFile(bad, '{ not json')
    await expect(MockCrmStore.open({ file: bad, now: clock().now })).rejects.toThrow(
      /bad\.json: not JSON/,
    )
    await writeFile(bad, JSON.stringify({ format: 'something-else' }))
    const error = await MockCrmStore.open({ file: bad, now: clock().now }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SimulatorError)
    expect((error as SimulatorError).code).toBe('invalid_config')
    expect((error as SimulatorError).message).toContain('is not a ccai-sim mock CRM state')
  })
})

describe('MockCrmStore limits and indexes', () => {
  it('forgets the oldest accounts past its limit, a tenth at a time, and searches only what it keeps', () => {
    const store = new MockCrmStore({ now: clock().now, limits: { entities: 10 } })
    for (let i = 0; i < 11; i++)
      store.createAccount({
        fields: { name: `A${String(i)}`, phone: `+1201555000${String(i % 10)}` },
      })
    expect(store.accounts().map((a) => a.fields['name'])).toEqual([
      'A2',
      'A3',
      'A4',
      'A5',
      'A6',
      'A7',
      'A8',
      'A9',
      'A10',
    ])
    expect(store.getAccount('1')).toBeUndefined()
    expect(store.findAccounts({ name: 'a1' })).toEqual([])
    expect(store.findAccounts({ phone: '+12015550000' }).map((a) => a.fields['name'])).toEqual([
      'A10',
    ])
    expect(store.getAccount(' 11 ')?.fields['name']).toBe('A10')
  })

  it('forgets the oldest records, comments and attachments past their limits, keeping its indexes right', () => {
    const store = new MockCrmStore({ now: clock().now, limits: { entities: 10, attachments: 2 } })
    for (let i = 0; i < 11; i++)
      store.createRecord({ fields: { subject: `R${String(i)}`, account_id: 'acc' } })
    expect(store.records()).toHaveLength(9)
    expect(store.getRecord('2')).toBeUndefined()
    expect(store.findRecords({ accountId: 'acc' })).toHaveLength(9)
    const bytes = new Uint8Array([1, 2, 3])
    for (let i = 0; i < 3; i++)
      store.addAttachment({
        recordId: '11',
        filename: `f${String(i)}.txt`,
        contentType: 'text/plain',
        ...fileBytes(bytes),
      })
    expect(store.attachmentsOf('11').map((a) => a.filename)).toEqual(['f1.txt', 'f2.txt'])
    expect(store.getAttachment('1')).toBeUndefined()
  })

  it('finds a record’s comments and attachments through its indexes, in creation order, also after linking', () => {
    const store = new MockCrmStore({ now: clock().now })
    const first = store.createRecord({ fields: { subject: 'one', account_id: '7' } })
    const second = store.createRecord({ fields: { subject: 'two', account_id: '7' } })
    store.addComment({ recordId: first.id, body: 'a' })
    store.addComment({ recordId: second.id, body: 'b' })
    store.addComment({ recordId: first.id, body: 'c' })
    expect(store.commentsOf(first.id).map((c) => c.body)).toEqual(['a', 'c'])
    const bytes = new Uint8Array([1])
    const loose = store.addAttachment({
      filename: 'early.txt',
      contentType: 'text/plain',
      ...fileBytes(bytes),
    })
    store.addAttachment({
      recordId: first.id,
      filename: 'late.txt',
      contentType: 'text/plain',
      ...fileBytes(bytes),
    })
    store.linkAttachment({ attachmentId: loose?.id ?? '', recordId: first.id })
    expect(store.attachmentsOf(first.id).map((a) => a.filename)).toEqual(['early.txt', 'late.txt'])
    store.updateRecord(second.id, { account_id: '8' })
    expect(store.findRecords({ accountId: '7' }).map((r) => r.id)).toEqual([first.id])
    expect(store.findRecords({ accountId: '8' }).map((r) => r.id)).toEqual([second.id])
  })

  it('refuses a limit that is not a whole number of at least 1', () => {
    const store = new MockCrmStore({ now: clock().now })
    expect(() => {
      store.setLimits({ entities: 0 })
    }).toThrow(/limits\.entities: expected a whole number ≥ 1, received 0/)
  })
})
