import {
  CrmIntegrationSettingsSchema,
  GOLDEN_EXAMPLES,
  type CrmEndpoints,
  type CrmIntegrationSettings,
  type PhoneNumberFormat,
  type RequestDataFormat,
} from '@ccai-sim/schemas'
import { describe, expect, it, vi } from 'vitest'
import {
  buildCrmRequest,
  describeCrmRequest,
  jsonBodyText,
  lostFilters,
  phonePurposeOf,
} from './request-builder.js'
import { CRM_ENDPOINTS, type CrmEndpointName, type CrmVariables } from './types.js'

const API = 'https://crm.example.test/api'

/** Settings with basic auth, E.164 and a 5 s timeout, plus what the test gives. */
function settingsWith(
  endpoints: CrmEndpoints,
  overrides: Partial<Omit<CrmIntegrationSettings, 'endpoints'>> = {},
): CrmIntegrationSettings {
  return {
    crm_lookup_method: 'generic_api',
    authentication: { method: 'basic', username: 'u', password: 'p' },
    phone_number_format: 'e164',
    request_timeout: 5,
    endpoints,
    ...overrides,
  }
}

function golden(name: string): CrmIntegrationSettings {
  const example = GOLDEN_EXAMPLES.find(
    (e) => e.contract === 'crm.settings' && e.name.startsWith(name),
  )
  if (!example) throw new Error(`no golden crm.settings ${name}`)
  return CrmIntegrationSettingsSchema.parse(example.payload)
}

function jsonBody(
  settings: CrmIntegrationSettings,
  endpoint: CrmEndpointName,
  variables: CrmVariables,
): unknown {
  const request = buildCrmRequest(settings, endpoint, { variables })
  if (request?.body?.kind !== 'json') throw new Error('expected a JSON body')
  return request.body.json
}

const BYTES = new Uint8Array([0x49, 0x44, 0x33, 0x00, 0xff, 0x10])
const FILE = { filename: 'call-103646.mp3', contentType: 'audio/mpeg', bytes: BYTES }

describe('buildCrmRequest: endpoints', () => {
  it('returns undefined for an endpoint that is not configured', () => {
    const settings = settingsWith({ create_account: { method: 'POST', url: `${API}/contacts` } })
    expect(buildCrmRequest(settings, 'find_account_by_query', { variables: {} })).toBeUndefined()
    expect(buildCrmRequest(settings, 'comment', { variables: {} })).toBeUndefined()
  })

  it('sets the method, the endpoint name and the timeout in milliseconds from request_timeout', () => {
    const settings = settingsWith(
      { update_record: { method: 'PATCH', url: `${API}/tickets/{RECORD_ID}` } },
      { request_timeout: 7 },
    )
    const request = buildCrmRequest(settings, 'update_record', { variables: { RECORD_ID: '456' } })
    expect(request).toMatchObject({
      endpoint: 'update_record',
      method: 'PATCH',
      url: `${API}/tickets/456`,
      timeoutMs: 7000,
    })
  })
})

describe('buildCrmRequest: GET parameters in the query string', () => {
  it('form-encodes the parameters in row order, repeats repeated keys and drops empty ones', () => {
    const settings = settingsWith({
      find_record_by_query: {
        method: 'GET',
        url: `${API}/tickets`,
        parameters: [
          { key: 'where[0][value]', value: '{ACCOUNT_ID}' },
          { key: 'status', value: 'open' },
          { key: 'status', value: 'pending' },
          { key: 'rating', value: '{RATING}' },
          { key: 'q', value: 'a b&c' },
        ],
      },
    })
    const request = buildCrmRequest(settings, 'find_record_by_query', {
      variables: { ACCOUNT_ID: '123', RATING: '' },
    })
    expect(request?.url).toBe(
      `${API}/tickets?where%5B0%5D%5Bvalue%5D=123&status=open&status=pending&q=a+b%26c`,
    )
    expect(request?.body).toBeUndefined()
    expect(request?.headers).toEqual({ Accept: 'application/json' })
  })

  it('appends to a query the Request URL already has', () => {
    const settings = settingsWith({
      find_account_by_query: {
        method: 'GET',
        url: `${API}/contacts?limit=1`,
        parameters: [{ key: 'email', value: '{EMAIL}' }],
      },
    })
    const request = buildCrmRequest(settings, 'find_account_by_query', {
      variables: { EMAIL: 'kim@example.com' },
    })
    expect(request?.url).toBe(`${API}/contacts?limit=1&email=kim%40example.com`)
  })

  it('sends no query string when every parameter is dropped', () => {
    const settings = settingsWith({
      find_account_by_query: {
        method: 'GET',
        url: `${API}/contacts`,
        parameters: [{ key: 'email', value: '{EMAIL}' }],
      },
    })
    expect(buildCrmRequest(settings, 'find_account_by_query', { variables: {} })?.url).toBe(
      `${API}/contacts`,
    )
  })

  it('substitutes the Request URL variables, percent-encoded', () => {
    const settings = settingsWith({
      find_account_by_id: { method: 'GET', url: `${API}/contacts/{ACCOUNT_ID}` },
    })
    const request = buildCrmRequest(settings, 'find_account_by_id', {
      variables: { ACCOUNT_ID: 'c/42' },
    })
    expect(request?.url).toBe(`${API}/contacts/c%2F42`)
  })

  it('builds the documented CONCAT_OR criteria from the complete golden settings', () => {
    const request = buildCrmRequest(golden('complete settings'), 'find_account_by_query', {
      variables: { ACCOUNT_ID: '', PHONE_NUMBER: '+12223334444', EMAIL: 'kim@example' },
    })
    const url = new URL(request?.url ?? '')
    expect(url.origin + url.pathname).toBe('https://api.acme-support.example/v2/contacts/search')
    expect([...url.searchParams]).toEqual([
      ['criteria', '(Phone:equals:+12223334444) or (Email:equals:kim@example)'],
      ['per_page', '1'],
    ])
  })
})

describe('buildCrmRequest: POST/PUT/PATCH bodies per Request Data Format', () => {
  const parameters = [
    { key: 'subject', value: '{TICKET_SUBJECT}' },
    { key: 'contactId', value: '{ACCOUNT_ID}' },
    { key: 'rating', value: '{RATING}' },
  ]
  const variables: CrmVariables = { TICKET_SUBJECT: 'Inbound call', ACCOUNT_ID: '123', RATING: '5' }
  // Numbers as in the create-record example (`"contactId": 123`, `"rating": 5`).
  const params = { subject: 'Inbound call', contactId: 123, rating: 5 }

  it.each<[string, RequestDataFormat | undefined, unknown]>([
    ['Property: the flat parameter map', { type: 'property' }, params],
    ['absent: Property', undefined, params],
    [
      'Container Map: { name: { …parameters } }',
      { type: 'container', container_type: 'map', container_name: 'ticket' },
      { ticket: params },
    ],
    [
      'Container Array: { name: [ { …parameters } ] }',
      { type: 'container', container_type: 'array', container_name: 'tickets' },
      { tickets: [params] },
    ],
  ])('%s', (_title, format, expected) => {
    const settings = settingsWith({
      create_record: {
        method: 'POST',
        url: `${API}/tickets`,
        parameters,
        ...(format === undefined ? {} : { request_data_format: format }),
      },
    })
    const request = buildCrmRequest(settings, 'create_record', { variables })
    expect(request?.body).toEqual({ kind: 'json', json: expected })
    expect(request?.headers).toEqual({
      Accept: 'application/json',
      'Content-Type': 'application/json',
    })
  })

  it.each(['POST', 'PUT', 'PATCH'] as const)('builds a JSON body for %s', (method) => {
    const settings = settingsWith({
      update_record: { method, url: `${API}/t/1`, parameters: [{ key: 'a', value: 'b' }] },
    })
    expect(jsonBody(settings, 'update_record', {})).toEqual({ a: 'b' })
  })

  it('omits parameters whose variables are empty and those whose function yields nothing', () => {
    const settings = settingsWith({
      update_record: {
        method: 'PUT',
        url: `${API}/tickets/{RECORD_ID}`,
        parameters: [
          { key: 'subject', value: '{TICKET_SUBJECT}' },
          { key: 'csat_rating', value: '{RATING}' },
          { key: 'csat_feedback', value: '{FEEDBACK}' },
          { key: 'session_ref', value: '=DEFAULT_VALUE({Call_ID}, {Chat_ID})' },
          { key: 'assignee', value: '=DEFAULT_VALUE({AGENT_EMAIL}, queue@example.com)' },
        ],
      },
    })
    const body = jsonBody(settings, 'update_record', {
      RECORD_ID: '456',
      TICKET_SUBJECT: 'Call',
      RATING: '',
      Call_ID: '',
      Chat_ID: '',
      AGENT_EMAIL: '',
    })
    expect(body).toEqual({ subject: 'Call', assignee: 'queue@example.com' })
  })

  it('sends a value that is exactly one numeric variable as a JSON number, as the create-record example does', () => {
    const settings = settingsWith({
      create_record: {
        method: 'POST',
        url: `${API}/tickets`,
        parameters: [
          { key: 'contactId', value: '{ACCOUNT_ID}' },
          { key: 'rating', value: '{RATING}' },
          { key: 'phone', value: '{PHONE_NUMBER}' },
          { key: 'subject', value: 'Call {Call_ID}' },
          { key: 'externalId', value: '{RECORD_ID}' },
        ],
      },
    })
    const body = jsonBody(settings, 'create_record', {
      ACCOUNT_ID: '123',
      RATING: '5',
      PHONE_NUMBER: '+11234567890',
      Call_ID: '42',
      RECORD_ID: 'TCK-9',
    })
    expect(body).toMatchObject({
      contactId: 123,
      rating: 5,
      subject: 'Call 42',
      externalId: 'TCK-9',
    })
    // Phone numbers stay strings ("phone": "11234567890" in the same example).
    expect(typeof (body as Record<string, unknown>)['phone']).toBe('string')
  })

  it('collects the values of a repeated key into an array, in row order', () => {
    const settings = settingsWith({
      create_record: {
        method: 'POST',
        url: `${API}/tickets`,
        parameters: [
          { key: 'tags', value: 'ccai' },
          { key: 'subject', value: 'x' },
          { key: 'tags', value: '{CHANNEL}' },
          { key: 'tags', value: '{QUEUE_NAME}' },
        ],
      },
    })
    expect(jsonBody(settings, 'create_record', { CHANNEL: 'chat', QUEUE_NAME: '' })).toEqual({
      tags: ['ccai', 'chat'],
      subject: 'x',
    })
  })

  it('builds the complete golden settings: create account as Container Map, comment as Container Array', () => {
    const settings = golden('complete settings')
    expect(
      jsonBody(settings, 'create_account', {
        FIRST_NAME: 'Kim',
        LAST_NAME: '--',
        PHONE_NUMBER: '+12223334444',
        EMAIL: '',
        SDK_EMAIL: 'kim@sdk.example',
        SDK_IDENTIFIER: '',
        UJET_ID: '88',
        LANG: 'en',
      }),
    ).toEqual({
      contact: {
        first_name: 'Kim',
        last_name: '--',
        phone: '+12223334444',
        email: 'kim@sdk.example',
        external_id: '88',
        language: 'en',
      },
    })
    const comment = buildCrmRequest(settings, 'comment', {
      variables: { RECORD_ID: '456', COMMENT_BODY: '<p>Call started</p>', AGENT_EMAIL: '' },
    })
    expect(comment?.url).toBe('https://api.acme-support.example/v2/tickets/456/comments')
    expect(comment?.body).toEqual({
      kind: 'json',
      json: {
        comments: [
          {
            body: '<p>Call started</p>',
            author_email: 'support-queue@acme-support.example',
            public: 'false',
          },
        ],
      },
    })
  })
})

describe('buildCrmRequest: phone numbers in the configured format', () => {
  it.each<[CrmEndpointName, 'search' | 'create']>(
    CRM_ENDPOINTS.map((endpoint) => [endpoint, endpoint.startsWith('find_') ? 'search' : 'create']),
  )('uses the %s form for %s', (endpoint, purpose) => {
    expect(phonePurposeOf(endpoint)).toBe(purpose)
  })

  it.each<[PhoneNumberFormat, string, string]>([
    ['automatic', '*222*333*4444', '+1 222 333 4444'],
    ['e164', '+12223334444', '+12223334444'],
    ['us_local', '2223334444', '2223334444'],
    ['us_local_standard', '(222) 333-4444', '(222) 333-4444'],
    ['international', '+1 222 333 4444', '+1 222 333 4444'],
  ])('writes %s as %j to search and %j to create', (format, search, create) => {
    const phoneParams = [
      { key: 'phone', value: '{PHONE_NUMBER}' },
      { key: 'outbound', value: '{OUTBOUND_PHONE_NUMBER}' },
    ]
    const settings = settingsWith(
      {
        find_account_by_query: { method: 'GET', url: `${API}/contacts`, parameters: phoneParams },
        create_account: { method: 'POST', url: `${API}/contacts`, parameters: phoneParams },
        update_record: { method: 'PATCH', url: `${API}/t/1`, parameters: phoneParams },
      },
      { phone_number_format: format },
    )
    const variables = { PHONE_NUMBER: '+12223334444', OUTBOUND_PHONE_NUMBER: '+12223334444' }
    const find = new URL(
      buildCrmRequest(settings, 'find_account_by_query', { variables })?.url ?? '',
    )
    expect(find.searchParams.get('phone')).toBe(search)
    expect(find.searchParams.get('outbound')).toBe(search)
    expect(jsonBody(settings, 'create_account', variables)).toEqual({
      phone: create,
      outbound: create,
    })
    expect(jsonBody(settings, 'update_record', variables)).toEqual({
      phone: create,
      outbound: create,
    })
  })

  it('formats the phone number in the Request URL too', () => {
    const settings = settingsWith(
      { find_account_by_query: { method: 'GET', url: `${API}/contacts/phone/{PHONE_NUMBER}` } },
      { phone_number_format: 'automatic' },
    )
    const request = buildCrmRequest(settings, 'find_account_by_query', {
      variables: { PHONE_NUMBER: '+12223334444' },
    })
    expect(request?.url).toBe(`${API}/contacts/phone/*222*333*4444`)
  })

  it('leaves the SDK phone as given (the format applies to the two phone variables only)', () => {
    const settings = settingsWith(
      {
        create_account: {
          method: 'POST',
          url: `${API}/c`,
          parameters: [{ key: 'sdk', value: '{SDK_PHONE}' }],
        },
      },
      { phone_number_format: 'us_local' },
    )
    expect(jsonBody(settings, 'create_account', { SDK_PHONE: '+12223334444' })).toEqual({
      sdk: '+12223334444',
    })
  })
})

describe('buildCrmRequest: the upload endpoint', () => {
  function uploadSettings(
    uploadType: 'base64' | 'multipart',
    parameters: { key: string; value: string }[],
    format?: RequestDataFormat,
  ): CrmIntegrationSettings {
    return settingsWith({
      upload_file: {
        method: 'POST',
        url: `${API}/tickets/{RECORD_ID}/attachments`,
        parameters,
        upload_type: uploadType,
        attachment_type: { type: 'attachment_url', attachment_url_location: 'url' },
        ...(format === undefined ? {} : { request_data_format: format }),
      },
    })
  }

  it('sends base64 file data in the {FILE_DATA} parameter of a JSON body', () => {
    const settings = uploadSettings(
      'base64',
      [
        { key: 'file', value: '{FILE_DATA}' },
        { key: 'id', value: '{RECORD_ID}' },
      ],
      { type: 'container', container_type: 'map', container_name: 'attachment' },
    )
    const request = buildCrmRequest(settings, 'upload_file', {
      variables: { RECORD_ID: '456' },
      file: FILE,
    })
    expect(request?.url).toBe(`${API}/tickets/456/attachments`)
    expect(request?.headers['Content-Type']).toBe('application/json')
    expect(request?.body).toEqual({
      kind: 'json',
      json: { attachment: { file: Buffer.from(BYTES).toString('base64'), id: 456 } },
    })
  })

  it('sends a multipart form: the parameters as fields and the file as the {FILE_DATA} part', () => {
    const settings = uploadSettings(
      'multipart',
      [
        { key: 'upload', value: '{FILE_DATA}' },
        { key: 'id', value: '{RECORD_ID}' },
        { key: 'note', value: '{FEEDBACK}' },
      ],
      { type: 'container', container_type: 'map', container_name: 'ignored' },
    )
    const request = buildCrmRequest(settings, 'upload_file', {
      variables: { RECORD_ID: '456', FEEDBACK: '' },
      file: FILE,
    })
    expect(request?.body).toEqual({
      kind: 'multipart',
      fields: [
        { name: 'upload', file: FILE },
        { name: 'id', value: '456' },
      ],
    })
    expect(request?.headers).toEqual({ Accept: 'application/json' })
  })

  it('adds the file as a part named file when no multipart parameter names {FILE_DATA}', () => {
    const settings = uploadSettings('multipart', [{ key: 'id', value: '{RECORD_ID}' }])
    const request = buildCrmRequest(settings, 'upload_file', {
      variables: { RECORD_ID: '1' },
      file: FILE,
    })
    expect(request?.body).toEqual({
      kind: 'multipart',
      fields: [
        { name: 'id', value: '1' },
        { name: 'file', file: FILE },
      ],
    })
  })

  it('drops the {FILE_DATA} parameter when no file is given', () => {
    const settings = uploadSettings('base64', [
      { key: 'file', value: '{FILE_DATA}' },
      { key: 'id', value: '{RECORD_ID}' },
    ])
    expect(jsonBody(settings, 'upload_file', { RECORD_ID: '1' })).toEqual({ id: 1 })
  })
})

describe('describeCrmRequest', () => {
  it('prints a GET request as a curl command with its timeout', () => {
    const settings = settingsWith({
      find_account_by_query: {
        method: 'GET',
        url: `${API}/contacts`,
        parameters: [{ key: 'name', value: "O'Brien" }],
      },
    })
    const request = buildCrmRequest(settings, 'find_account_by_query', { variables: {} })
    expect(describeCrmRequest(request!)).toBe(
      [
        '# find_account_by_query (timeout 5 s; auth added when sent)',
        `curl -X GET '${API}/contacts?name=O%27Brien' \\`,
        '  --max-time 5 \\',
        "  -H 'Accept: application/json'",
      ].join('\n'),
    )
  })

  it('prints a JSON body, quoting single quotes for the shell', () => {
    const settings = settingsWith({
      comment: {
        method: 'POST',
        url: `${API}/comments`,
        parameters: [{ key: 'comment', value: "it's {NAME}" }],
      },
    })
    const request = buildCrmRequest(settings, 'comment', { variables: { NAME: 'Kim' } })
    expect(describeCrmRequest(request!)).toBe(
      [
        '# comment (timeout 5 s; auth added when sent)',
        `curl -X POST '${API}/comments' \\`,
        '  --max-time 5 \\',
        "  -H 'Accept: application/json' \\",
        "  -H 'Content-Type: application/json' \\",
        `  --data-raw '{\n  "comment": "it'\\''s Kim"\n}'`,
      ].join('\n'),
    )
  })

  it('prints multipart fields and the file part, and shortens long base64 values', () => {
    const settings = settingsWith({
      upload_file: {
        method: 'PUT',
        url: `${API}/upload`,
        parameters: [
          { key: 'file', value: '{FILE_DATA}' },
          { key: 'id', value: '7' },
        ],
        upload_type: 'multipart',
        attachment_type: { type: 'attachment_url', attachment_url_location: 'url' },
      },
    })
    const multipart = buildCrmRequest(settings, 'upload_file', { variables: {}, file: FILE })
    const text = describeCrmRequest(multipart!)
    expect(text).toContain("  -F 'file=@call-103646.mp3;type=audio/mpeg' \\")
    expect(text).toContain("  --form-string 'id=7'")

    const big = { ...FILE, bytes: new Uint8Array(3000) }
    const base64Settings = settingsWith({
      upload_file: { ...settings.endpoints.upload_file!, upload_type: 'base64' },
    })
    const base64 = buildCrmRequest(base64Settings, 'upload_file', { variables: {}, file: big })
    expect(describeCrmRequest(base64!)).toContain(`…(+${4000 - 200} chars)`)
  })
})

describe('lostFilters', () => {
  const findRecord = (
    parameters: { key: string; value: string }[],
    method: 'GET' | 'POST' = 'GET',
  ): CrmIntegrationSettings =>
    settingsWith({
      find_record_by_query: {
        url: `${API}/records`,
        method,
        parameters,
        response_data_location: '0',
      },
    })

  it('names the only variable filter a find went without, and the setting that avoids it', () => {
    const settings = {
      ...findRecord([
        { key: 'account_id', value: '{ACCOUNT_ID}' },
        { key: 'status', value: 'open' },
      ]),
      skip_account_creation: true,
    }
    const request = buildCrmRequest(settings, 'find_record_by_query', {
      variables: { ACCOUNT_ID: '' },
    })!
    expect(request.url).toBe(`${API}/records?status=open`)
    const lost = lostFilters(settings, request)
    expect(lost).toMatchObject([
      { endpoint: 'find_record_by_query', key: 'account_id', variables: ['ACCOUNT_ID'] },
    ])
    expect(lost[0]!.advice).toMatch(/skip_account_creation off.*=DEFAULT_VALUE\(\{ACCOUNT_ID\}/)
  })

  it('finds lost filters in a JSON body too, container and all', () => {
    const settings = findRecord([{ key: 'accountId', value: '{ACCOUNT_ID}' }], 'POST')
    const request = buildCrmRequest(settings, 'find_record_by_query', { variables: {} })!
    const [lost] = lostFilters(settings, request)
    expect(lost?.key).toBe('accountId')
    // One sentence a user can read: when the variable is empty, then what to write.
    expect(lost?.advice).toBe(
      '{ACCOUNT_ID} is empty when a session got no account id (the account lookup or Create an account failed, or gave none): write the value as =DEFAULT_VALUE({ACCOUNT_ID}, <a value nothing matches>) so "accountId" is never dropped',
    )
    const kept = buildCrmRequest(settings, 'find_record_by_query', {
      variables: { ACCOUNT_ID: '7' },
    })!
    expect(lostFilters(settings, kept)).toEqual([])
  })

  it('gives nothing while one variable filter is left, or for a DEFAULT_VALUE with a literal fallback', () => {
    const settings = findRecord([
      { key: 'phone', value: '{PHONE_NUMBER}' },
      { key: 'email', value: '{EMAIL}' },
    ])
    const request = buildCrmRequest(settings, 'find_record_by_query', {
      variables: { EMAIL: 'kim@example.com' },
    })!
    expect(lostFilters(settings, request)).toEqual([])
    const safe = findRecord([{ key: 'account_id', value: '=DEFAULT_VALUE({ACCOUNT_ID}, none)' }])
    const safeRequest = buildCrmRequest(safe, 'find_record_by_query', { variables: {} })!
    expect(safeRequest.url).toBe(`${API}/records?account_id=none`)
    expect(lostFilters(safe, safeRequest)).toEqual([])
  })
})

describe('jsonBodyText', () => {
  it("is the JSON body's text, made once for a built request; other bodies are stringified", () => {
    const settings = settingsWith({
      create_record: {
        method: 'POST',
        url: `${API}/tickets`,
        parameters: [
          { key: 'subject', value: '{TICKET_SUBJECT}' },
          { key: 'contactId', value: '{ACCOUNT_ID}' },
        ],
      },
    })
    const request = buildCrmRequest(settings, 'create_record', {
      variables: { TICKET_SUBJECT: 'Call "1"', ACCOUNT_ID: '7' },
    })
    const body = request?.body
    if (body?.kind !== 'json') throw new Error('expected a JSON body')
    // The body still reads as its two keys; its text is stringified at the first read only.
    expect(Object.keys(body)).toEqual(['kind', 'json'])
    const stringify = vi.spyOn(JSON, 'stringify')
    try {
      expect(jsonBodyText(body)).toBe('{"subject":"Call \\"1\\"","contactId":7}')
      expect(jsonBodyText(body)).toBe('{"subject":"Call \\"1\\"","contactId":7}')
      expect(stringify).toHaveBeenCalledTimes(1)
    } finally {
      stringify.mockRestore()
    }
    expect(jsonBodyText({ json: { a: [1, 'b'] } })).toBe('{"a":[1,"b"]}')
  })
})
