import { checkContract } from '@ccai-sim/schemas'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { SimulatorError } from '../../errors.js'
import { createCrmClient } from '../crm-client.js'
import { buildCrmRequest, type CrmUploadFile } from '../request-builder.js'
import { idText, readLocation } from '../response.js'
import type { CrmEndpointName, CrmExchange, CrmVariables } from '../types.js'
import { createMockCrmApp, type MockCrmDialect } from './app.js'
import type { MockCrmAuth } from './auth.js'
import { defaultMockCrmSettings } from './default-settings.js'
import { MockCrmStore } from './store.js'

const AUTHS: readonly MockCrmAuth[] = [
  { mode: 'none' },
  { mode: 'basic', username: 'ccai', password: 'pw' },
  { mode: 'api-key', header: 'X-Api-Key', value: 'k-1' },
  { mode: 'oauth2', clientId: 'ccai', clientSecret: 's3cret', tokenTtlSeconds: 3600 },
]
const DIALECTS: readonly MockCrmDialect[] = ['generic', 'espocrm']
const BASE = 'http://mock-crm.test/crm'

const VARIABLES: CrmVariables = {
  NAME: 'Kim Lee',
  FIRST_NAME: 'Kim',
  LAST_NAME: 'Lee',
  PHONE_NUMBER: '+12223334444',
  EMAIL: 'kim@example.com',
  UJET_ID: '901',
  LANG: 'en',
  CHANNEL: 'voice_call',
  SESSION_TYPE: 'voice_inbound',
  Call_ID: '1234',
  MENU_PATH: 'Support / Billing',
  QUEUE_ID: '17',
  AGENT_EMAIL: 'ariel@example.com',
  TICKET_SUBJECT: 'Inbound call from +12223334444',
  TICKET_DESCRIPTION: 'Billing question',
  RATING: '5',
}

describe('defaultMockCrmSettings', () => {
  it('passes strict crm.settings validation for every dialect and auth mode', () => {
    for (const dialect of DIALECTS)
      for (const auth of AUTHS) {
        const settings = defaultMockCrmSettings(BASE, { dialect, auth })
        const result = checkContract('crm.settings', settings, { mode: 'strict' })
        expect(result.issues, `${dialect}/${auth.mode}`).toEqual([])
        expect(result.ok).toBe(true)
        expect(Object.values(settings.endpoints).every((e) => e != null)).toBe(true)
      }
  })

  it('points lookup URLs at the pages and carries the auth mode’s credentials', () => {
    const generic = defaultMockCrmSettings(`${BASE}/`, {
      auth: { mode: 'oauth2', clientId: 'c', clientSecret: 's', tokenTtlSeconds: 60 },
    })
    expect(generic.account_lookup_url).toBe(`${BASE}/accounts/{ACCOUNT_ID}`)
    expect(generic.record_lookup_url).toBe(`${BASE}/records/{RECORD_ID}`)
    expect(generic.authentication).toMatchObject({
      method: 'oauth2',
      token_url: `${BASE}/oauth/token`,
      grant_type: 'client_credentials',
    })
    expect(generic.endpoints.upload_file).toMatchObject({
      upload_type: 'multipart',
      attachment_type: { type: 'attachment_url', attachment_url_location: 'url' },
    })
    const espo = defaultMockCrmSettings(BASE, {
      dialect: 'espocrm',
      auth: { mode: 'api-key', header: 'X-Api-Key', value: 'k' },
    })
    expect(espo.record_lookup_url).toBe(`${BASE}/espo/#Case/view/{RECORD_ID}`)
    expect(espo.authentication).toEqual({
      method: 'custom_header',
      fields: [{ field_key: 'X-Api-Key', field_value: 'k' }],
    })
  })

  it('refuses a base URL that is not http(s)', () => {
    expect(() => defaultMockCrmSettings('ftp://x/crm')).toThrow(SimulatorError)
    expect(() => defaultMockCrmSettings('http://x/{crm}')).toThrow(/mock CRM base URL/)
  })
})

describe('defaultMockCrmSettings wired to the mock CRM through the platform client', () => {
  const FILE: CrmUploadFile = {
    filename: 'call-1234.mp3',
    contentType: 'audio/mpeg',
    bytes: new Uint8Array(Array.from({ length: 700 }, (_, i) => (i * 11) % 256)),
  }

  for (const dialect of DIALECTS)
    for (const auth of AUTHS)
      it(`runs find → create → find → record → update → comment → upload (${dialect}, ${auth.mode})`, async () => {
        const now = (): number => Date.parse('2025-03-01T09:00:00.000Z')
        const store = new MockCrmStore({ now })
        const root = new Hono()
        root.route('/crm', createMockCrmApp({ store, auth, dialect, now }))
        const inProcess: typeof fetch = (input, init) =>
          Promise.resolve(root.request(input instanceof Request ? input : String(input), init))
        const settings = defaultMockCrmSettings(BASE, { dialect, auth })
        const client = createCrmClient({ settings, fetch: inProcess, now })
        const variables: { -readonly [K in keyof CrmVariables]: CrmVariables[K] } = { ...VARIABLES }

        const call = async (
          endpoint: CrmEndpointName,
          file?: CrmUploadFile,
        ): Promise<{ exchange: CrmExchange; json: unknown }> => {
          const request = buildCrmRequest(settings, endpoint, {
            variables,
            ...(file ? { file } : {}),
          })
          if (!request) throw new Error(`${endpoint} is not configured`)
          const exchange = await client.send(request)
          expect(exchange.error, endpoint).toBeUndefined()
          expect(
            exchange.response?.status,
            `${endpoint}: ${exchange.response?.bodyText ?? ''}`,
          ).toBeLessThan(300)
          return { exchange, json: exchange.response?.json }
        }
        const found = (endpoint: CrmEndpointName, json: unknown): unknown =>
          readLocation(json, settings.endpoints[endpoint]?.response_data_location)

        expect(
          found('find_account_by_query', (await call('find_account_by_query')).json),
        ).toBeUndefined()
        const createdAccount = (await call('create_account')).json
        const accountId = idText(readLocation(createdAccount, 'id'))
        expect(accountId).toBeDefined()
        variables.ACCOUNT_ID = accountId ?? ''
        const again = found('find_account_by_query', (await call('find_account_by_query')).json)
        expect(idText(readLocation(again, 'id'))).toBe(accountId)
        expect(idText(readLocation((await call('find_account_by_id')).json, 'id'))).toBe(accountId)

        expect(
          found('find_record_by_query', (await call('find_record_by_query')).json),
        ).toBeUndefined()
        const recordId = idText(readLocation((await call('create_record')).json, 'id'))
        expect(recordId).toBeDefined()
        variables.RECORD_ID = recordId ?? ''
        const reused = found('find_record_by_query', (await call('find_record_by_query')).json)
        expect(idText(readLocation(reused, 'id'))).toBe(recordId)

        variables.TICKET_DESCRIPTION = 'Resolved on the call'
        await call('update_record')
        variables.COMMENT_BODY = 'Call ended'
        await call('comment')
        const uploaded = (await call('upload_file', FILE)).json

        const record = store.getRecord(recordId ?? '')
        expect(record?.accountId).toBe(accountId)
        expect(record?.fields).toMatchObject({ description: 'Resolved on the call' })
        expect(store.commentsOf(recordId ?? '').map((c) => c.body)).toEqual(['Call ended'])
        const [attachment] = store.attachmentsOf(recordId ?? '')
        expect(attachment?.bytes()).toEqual(FILE.bytes)

        const upload = settings.endpoints.upload_file
        const attachmentType = upload?.attachment_type
        const link =
          attachmentType?.type === 'attachment_url'
            ? String(readLocation(uploaded, attachmentType.attachment_url_location))
            : (attachmentType?.attachment_builder_url ?? '')
                .replace('{RECORD_ID}', recordId ?? '')
                .replace(
                  '{ATTACHMENT_ID}',
                  idText(readLocation(uploaded, attachmentType?.attachment_id_location)) ?? '',
                )
        const download = await root.request(link)
        expect(download.status).toBe(200)
        expect(new Uint8Array(await download.arrayBuffer())).toEqual(FILE.bytes)
        const page = await root.request(
          (settings.record_lookup_url ?? '')
            .replace('{RECORD_ID}', recordId ?? '')
            .replace('/espo/#Case/view/', '/records/'),
        )
        expect(page.status).toBe(200)
      })
})
