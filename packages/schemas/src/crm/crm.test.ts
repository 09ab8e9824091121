import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { checkPayload } from '../check.js'
import golden from '../golden/crm.json' with { type: 'json' }
import {
  CreateRecordRequestSchema,
  CrmDeveloperSettingsSchema,
  CrmIntegrationSettingsSchema,
  CrmLookupUrlSettingsSchema,
  GENERIC_API_VARIABLES,
  LOOKUP_URL_VARIABLES,
  PARAMETER_VALUE_PATTERN,
  genericApiCapabilities,
  parameterFunction,
  templateVariables,
  type CrmEndpoints,
  type CrmIntegrationSettings,
} from './index.js'

type Json = Record<string, unknown>

function goldenPayload(contract: string, index = 0): Json {
  const found = golden.filter((g) => g.contract === contract)[index]
  if (!found) throw new Error(`no golden example ${contract}[${index}]`)
  return structuredClone(found.payload)
}

/** The complete settings example, with `edit` applied to a fresh copy. */
function settingsWith(edit: (s: Json & { endpoints: Record<string, Json> }) => void): Json {
  const settings = goldenPayload('crm.settings') as Json & { endpoints: Record<string, Json> }
  edit(settings)
  return settings
}

function issueAt(result: ReturnType<typeof checkPayload>, path: string) {
  return result.issues.find((issue) => issue.path === path)
}

describe('crm.settings request timeout', () => {
  it.each([0, 11])('rejects %i seconds, naming request_timeout and the 1–10 range', (seconds) => {
    const result = checkPayload(
      CrmIntegrationSettingsSchema,
      settingsWith((s) => (s['request_timeout'] = seconds)),
    )
    expect(result.ok).toBe(false)
    const issue = issueAt(result, 'request_timeout')
    expect(issue?.expected).toBe('one of 1, 2, 3, 4, 5, 6, 7, 8, 9, 10')
    expect(issue?.received).toBe(`integer ${seconds}`)
  })

  it.each([1, 10])('accepts %i seconds, the ends of the range', (seconds) => {
    const result = checkPayload(
      CrmIntegrationSettingsSchema,
      settingsWith((s) => (s['request_timeout'] = seconds)),
      {
        mode: 'strict',
      },
    )
    expect(result.issues).toEqual([])
  })

  it.each([2.5, '5'])('rejects %j, which is not a whole number of seconds', (value) => {
    const result = checkPayload(
      CrmIntegrationSettingsSchema,
      settingsWith((s) => (s['request_timeout'] = value)),
    )
    expect(issueAt(result, 'request_timeout')).toBeDefined()
  })
})

describe('crm.settings phone number format', () => {
  it('rejects an unknown format, listing the five documented ones', () => {
    const result = checkPayload(
      CrmIntegrationSettingsSchema,
      settingsWith((s) => (s['phone_number_format'] = 'E.123')),
    )
    expect(issueAt(result, 'phone_number_format')?.expected).toBe(
      'one of "automatic", "e164", "us_local", "us_local_standard", "international"',
    )
  })

  it('rejects the portal label instead of the value', () => {
    const result = checkPayload(
      CrmIntegrationSettingsSchema,
      settingsWith((s) => (s['phone_number_format'] = 'E.164')),
    )
    expect(result.ok).toBe(false)
  })
})

describe('crm.settings parameter values', () => {
  const path = 'endpoints.find_account_by_query.parameters[0].value'
  const withValue = (value: string) =>
    settingsWith((s) => {
      s.endpoints['find_account_by_query'] = {
        url: 'https://crm.example.com/api/contacts',
        method: 'GET',
        parameters: [{ key: 'q', value }],
      }
    })

  it.each([
    '{PHONE_NUMBER}',
    'Inbound call from {PHONE_NUMBER}',
    'open',
    '42',
    '',
    '=DEFAULT_VALUE({AGENT_EMAIL}, support@example.com)',
    '=CONCAT_OR((Id:equals:{ACCOUNT_ID}), (Email:equals:{EMAIL}))',
    '=CONCAT_AND({FIRST_NAME}, {LAST_NAME})',
    '=CONCAT_OR(val1, val2,\n val3)',
    '{Call_ID}',
  ])('accepts %j in strict mode', (value) => {
    expect(
      checkPayload(CrmIntegrationSettingsSchema, withValue(value), { mode: 'strict' }).issues,
    ).toEqual([])
  })

  it.each(['tolerant', 'strict'] as const)(
    'rejects an unknown function =CONCAT_XOR(...) in %s mode, naming the value',
    (mode) => {
      const result = checkPayload(
        CrmIntegrationSettingsSchema,
        withValue('=CONCAT_XOR({EMAIL}, {PHONE_NUMBER})'),
        { mode },
      )
      expect(result.ok).toBe(false)
      expect(issueAt(result, path)?.code).toBe('invalid_format')
    },
  )

  it.each(['=concat_or({EMAIL})', '=DEFAULT_VALUE', '=CONCAT_OR({EMAIL}'])(
    'rejects the malformed function call %j',
    (value) => {
      expect(
        issueAt(checkPayload(CrmIntegrationSettingsSchema, withValue(value)), path),
      ).toBeDefined()
    },
  )

  it('accepts an undocumented variable in tolerant mode only', () => {
    const settings = withValue('{CUSTOMER_TIER}')
    expect(checkPayload(CrmIntegrationSettingsSchema, settings).issues).toEqual([])
    expect(
      issueAt(checkPayload(CrmIntegrationSettingsSchema, settings, { mode: 'strict' }), path),
    ).toBeDefined()
  })

  it('rejects the upper-cased {CALL_ID} in strict mode, since the documents print {Call_ID}', () => {
    expect(
      issueAt(
        checkPayload(CrmIntegrationSettingsSchema, withValue('{CALL_ID}'), { mode: 'strict' }),
        path,
      ),
    ).toBeDefined()
  })

  it('rejects a parameter without a key', () => {
    const settings = settingsWith((s) => {
      s.endpoints['create_account'] = {
        url: 'https://crm.example.com/c',
        method: 'POST',
        parameters: [{ key: '', value: 'x' }],
      }
    })
    expect(
      issueAt(
        checkPayload(CrmIntegrationSettingsSchema, settings),
        'endpoints.create_account.parameters[0].key',
      ),
    ).toBeDefined()
  })

  it('exports a pattern that the JSON Schema export keeps', () => {
    expect(PARAMETER_VALUE_PATTERN.test('=DEFAULT_VALUE({AGENT_EMAIL}, x)')).toBe(true)
    expect(PARAMETER_VALUE_PATTERN.test('=CONCAT_XOR(a, b)')).toBe(false)
    const schema = JSON.stringify(z.toJSONSchema(CrmIntegrationSettingsSchema))
    expect(schema).toContain('CONCAT_OR')
  })
})

describe('crm.settings request data format', () => {
  const at = 'endpoints.create_record.request_data_format'
  const withFormat = (format: unknown) =>
    settingsWith((s) => {
      const createRecord = s.endpoints['create_record']
      if (createRecord) createRecord['request_data_format'] = format
    })

  it.each(['map', 'array'])('accepts a %s container in strict mode', (containerType) => {
    const settings = withFormat({
      type: 'container',
      container_type: containerType,
      container_name: 'ticket',
    })
    expect(checkPayload(CrmIntegrationSettingsSchema, settings, { mode: 'strict' }).issues).toEqual(
      [],
    )
  })

  it('accepts property format, and no format at all', () => {
    expect(
      checkPayload(CrmIntegrationSettingsSchema, withFormat({ type: 'property' }), {
        mode: 'strict',
      }).ok,
    ).toBe(true)
    expect(
      checkPayload(CrmIntegrationSettingsSchema, withFormat(undefined), { mode: 'strict' }).ok,
    ).toBe(true)
  })

  it('rejects a container type other than map or array, listing both', () => {
    const result = checkPayload(
      CrmIntegrationSettingsSchema,
      withFormat({ type: 'container', container_type: 'list', container_name: 'ticket' }),
    )
    expect(issueAt(result, `${at}.container_type`)?.expected).toBe('one of "map", "array"')
  })

  it('rejects a container without a name', () => {
    const result = checkPayload(
      CrmIntegrationSettingsSchema,
      withFormat({ type: 'container', container_type: 'map' }),
    )
    expect(issueAt(result, `${at}.container_name`)).toBeDefined()
  })

  it('rejects an unknown format, listing property and container', () => {
    const result = checkPayload(CrmIntegrationSettingsSchema, withFormat({ type: 'form' }))
    expect(issueAt(result, `${at}.type`)?.expected).toBe('one of "property", "container"')
  })

  it('does not offer a request data format for GET: strict rejects it, tolerant notes it', () => {
    const settings = settingsWith((s) => {
      const find = s.endpoints['find_record_by_query']
      if (find) find['request_data_format'] = { type: 'property' }
    })
    const strict = checkPayload(CrmIntegrationSettingsSchema, settings, { mode: 'strict' })
    expect(issueAt(strict, 'endpoints.find_record_by_query.request_data_format')?.code).toBe(
      'unrecognized_keys',
    )
    const tolerant = checkPayload(CrmIntegrationSettingsSchema, settings)
    expect(tolerant.ok).toBe(true)
    expect(tolerant.notes.map((n) => n.path)).toContain(
      'endpoints.find_record_by_query.request_data_format',
    )
  })
})

describe('crm.settings endpoints', () => {
  it('rejects an endpoint without a Request URL, naming its path', () => {
    const settings = settingsWith((s) => {
      delete s.endpoints['create_record']?.['url']
    })
    const result = checkPayload(CrmIntegrationSettingsSchema, settings)
    expect(issueAt(result, 'endpoints.create_record.url')?.received).toBe(
      'nothing (the key is missing)',
    )
  })

  it('rejects a Request URL that is not http(s)', () => {
    const settings = settingsWith((s) => {
      const comment = s.endpoints['comment']
      if (comment) comment['url'] = 'ftp://crm.example.com/comments'
    })
    expect(
      issueAt(checkPayload(CrmIntegrationSettingsSchema, settings), 'endpoints.comment.url'),
    ).toBeDefined()
  })

  it('rejects an unknown method, listing the four', () => {
    const settings = settingsWith((s) => {
      const update = s.endpoints['update_record']
      if (update) update['method'] = 'DELETE'
    })
    const issue = issueAt(
      checkPayload(CrmIntegrationSettingsSchema, settings),
      'endpoints.update_record.method',
    )
    expect(issue?.expected).toBe('one of "GET", "POST", "PUT", "PATCH"')
    expect(issue?.received).toBe('string "DELETE"')
  })

  it('accepts settings with no endpoints configured', () => {
    expect(
      checkPayload(
        CrmIntegrationSettingsSchema,
        settingsWith((s) => (s.endpoints = {})),
        { mode: 'strict' },
      ).ok,
    ).toBe(true)
  })

  it('rejects GET for the upload endpoint, which needs a body', () => {
    const settings = settingsWith((s) => {
      const upload = s.endpoints['upload_file']
      if (upload) upload['method'] = 'GET'
    })
    expect(
      issueAt(checkPayload(CrmIntegrationSettingsSchema, settings), 'endpoints.upload_file.method'),
    ).toBeDefined()
  })

  it('rejects an unknown upload type, listing base64 and multipart', () => {
    const settings = settingsWith((s) => {
      const upload = s.endpoints['upload_file']
      if (upload) upload['upload_type'] = 'binary'
    })
    expect(
      issueAt(
        checkPayload(CrmIntegrationSettingsSchema, settings),
        'endpoints.upload_file.upload_type',
      )?.expected,
    ).toBe('one of "base64", "multipart"')
  })

  it('rejects an unknown file kind to attach', () => {
    const settings = settingsWith((s) => {
      const upload = s.endpoints['upload_file']
      if (upload) upload['files_to_attach'] = ['call_recordings', 'screenshots']
    })
    expect(
      issueAt(
        checkPayload(CrmIntegrationSettingsSchema, settings),
        'endpoints.upload_file.files_to_attach[1]',
      ),
    ).toBeDefined()
  })

  it('needs the Attachment Builder URL when the attachment type is ID', () => {
    const settings = settingsWith((s) => {
      const upload = s.endpoints['upload_file']
      if (upload) upload['attachment_type'] = { type: 'id', attachment_id_location: 'id' }
    })
    const result = checkPayload(CrmIntegrationSettingsSchema, settings)
    expect(
      issueAt(result, 'endpoints.upload_file.attachment_type.attachment_builder_url'),
    ).toBeDefined()
  })

  it('accepts the Attachment URL type with the location of the download URL', () => {
    const settings = settingsWith((s) => {
      const upload = s.endpoints['upload_file']
      if (upload)
        upload['attachment_type'] = { type: 'attachment_url', attachment_url_location: 'url' }
    })
    expect(checkPayload(CrmIntegrationSettingsSchema, settings, { mode: 'strict' }).ok).toBe(true)
  })

  it('allows only {RECORD_ID} and {ATTACHMENT_ID} in the Attachment Builder URL in strict mode', () => {
    const settings = settingsWith((s) => {
      const upload = s.endpoints['upload_file']
      if (upload)
        upload['attachment_type'] = {
          type: 'id',
          attachment_id_location: 'id',
          attachment_builder_url: 'https://crm.example.com/{ACCOUNT_ID}/files/{ATTACHMENT_ID}',
        }
    })
    const path = 'endpoints.upload_file.attachment_type.attachment_builder_url'
    expect(
      issueAt(checkPayload(CrmIntegrationSettingsSchema, settings, { mode: 'strict' }), path),
    ).toBeDefined()
    expect(checkPayload(CrmIntegrationSettingsSchema, settings).ok).toBe(true)
  })

  it('rejects a non-boolean Convert text to HTML', () => {
    const settings = settingsWith((s) => {
      const comment = s.endpoints['comment']
      if (comment) comment['convert_text_to_html'] = 'yes'
    })
    expect(
      issueAt(
        checkPayload(CrmIntegrationSettingsSchema, settings),
        'endpoints.comment.convert_text_to_html',
      ),
    ).toBeDefined()
  })
})

describe('crm.settings authentication', () => {
  it('rejects an unknown method, listing the three', () => {
    const result = checkPayload(
      CrmIntegrationSettingsSchema,
      settingsWith((s) => (s['authentication'] = { method: 'bearer' })),
    )
    expect(issueAt(result, 'authentication.method')?.expected).toBe(
      'one of "basic", "custom_header", "oauth2"',
    )
  })

  it.each(['authorization_url', 'token_url', 'client_id', 'client_secret'])(
    'needs the OAuth 2.0 %s',
    (key) => {
      const settings = settingsWith((s) => {
        // Set to undefined rather than deleted: zod treats both as a missing key.
        ;(s['authentication'] as Json)[key] = undefined
      })
      expect(
        issueAt(checkPayload(CrmIntegrationSettingsSchema, settings), `authentication.${key}`),
      ).toBeDefined()
    },
  )

  it('lets scope, state, access type and the redirect option be left out', () => {
    const settings = settingsWith((s) => {
      const auth = s['authentication'] as Json
      for (const key of ['scope', 'state', 'access_type', 'include_redirect_url'])
        auth[key] = undefined
    })
    expect(checkPayload(CrmIntegrationSettingsSchema, settings, { mode: 'strict' }).ok).toBe(true)
  })

  it('rejects an unknown grant type', () => {
    const settings = settingsWith((s) => ((s['authentication'] as Json)['grant_type'] = 'implicit'))
    expect(
      issueAt(checkPayload(CrmIntegrationSettingsSchema, settings), 'authentication.grant_type'),
    ).toBeDefined()
  })

  it('needs at least one custom header, with a valid header name', () => {
    const empty = settingsWith(
      (s) => (s['authentication'] = { method: 'custom_header', fields: [] }),
    )
    expect(
      issueAt(checkPayload(CrmIntegrationSettingsSchema, empty), 'authentication.fields'),
    ).toBeDefined()
    const spaced = settingsWith(
      (s) =>
        (s['authentication'] = {
          method: 'custom_header',
          fields: [{ field_key: 'X Api Key', field_value: 'k' }],
        }),
    )
    expect(
      issueAt(
        checkPayload(CrmIntegrationSettingsSchema, spaced),
        'authentication.fields[0].field_key',
      ),
    ).toBeDefined()
  })

  it('needs a username for basic authentication', () => {
    const settings = settingsWith((s) => (s['authentication'] = { method: 'basic', password: 'p' }))
    expect(
      issueAt(checkPayload(CrmIntegrationSettingsSchema, settings), 'authentication.username'),
    ).toBeDefined()
  })
})

describe('crm.settings lookup URLs', () => {
  it('accepts the documented account and record lookup URLs', () => {
    const settings = settingsWith((s) => {
      s['account_lookup_url'] = 'https://www.example.com/contact/{ACCOUNT_ID}'
      s['record_lookup_url'] = 'https://www.example.com/record/{RECORD_ID}'
    })
    expect(checkPayload(CrmIntegrationSettingsSchema, settings, { mode: 'strict' }).ok).toBe(true)
  })

  it('rejects a lookup URL with an unclosed brace', () => {
    const settings = settingsWith(
      (s) => (s['record_lookup_url'] = 'https://www.example.com/record/{RECORD_ID'),
    )
    expect(
      issueAt(checkPayload(CrmIntegrationSettingsSchema, settings), 'record_lookup_url'),
    ).toBeDefined()
  })

  it('rejects a lookup URL with whitespace', () => {
    const settings = settingsWith(
      (s) => (s['account_lookup_url'] = 'https://www.example.com/contact/ {ACCOUNT_ID}'),
    )
    expect(
      issueAt(checkPayload(CrmIntegrationSettingsSchema, settings), 'account_lookup_url'),
    ).toBeDefined()
  })
})

describe('crm.lookupUrl.settings', () => {
  it('accepts lookup-URL variables such as {ANI} and {TYPE} in strict mode', () => {
    expect(
      checkPayload(CrmLookupUrlSettingsSchema, goldenPayload('crm.lookupUrl.settings'), {
        mode: 'strict',
      }).ok,
    ).toBe(true)
  })

  it('accepts the release 3.40 variables', () => {
    const settings = goldenPayload('crm.lookupUrl.settings')
    settings['ivr_pstn_sms_lookup_url'] =
      'https://crm.example.com/l?c={CUSTOMER_PHONE_NUMBER}&s={SUPPORT_PHONE_NUMBER}&a={CUSTOM_AGENT_ID}'
    expect(checkPayload(CrmLookupUrlSettingsSchema, settings, { mode: 'strict' }).ok).toBe(true)
  })

  it('rejects a generic-API-only variable in strict mode and tolerates it otherwise', () => {
    const settings = goldenPayload('crm.lookupUrl.settings')
    settings['web_mobile_sdk_lookup_url'] = 'https://crm.example.com/lookup?agent={AGENT_ID}'
    expect(
      issueAt(
        checkPayload(CrmLookupUrlSettingsSchema, settings, { mode: 'strict' }),
        'web_mobile_sdk_lookup_url',
      ),
    ).toBeDefined()
    expect(checkPayload(CrmLookupUrlSettingsSchema, settings).ok).toBe(true)
  })

  it('rejects an invalid session outcome email', () => {
    const settings = goldenPayload('crm.lookupUrl.settings')
    settings['session_outcome_email'] = 'not-an-email'
    expect(
      issueAt(checkPayload(CrmLookupUrlSettingsSchema, settings), 'session_outcome_email'),
    ).toBeDefined()
  })
})

describe('CrmDeveloperSettingsSchema', () => {
  it('picks the member by crm_lookup_method', () => {
    const generic = checkPayload(CrmDeveloperSettingsSchema, goldenPayload('crm.settings'), {
      mode: 'strict',
    })
    const lookup = checkPayload(
      CrmDeveloperSettingsSchema,
      goldenPayload('crm.lookupUrl.settings'),
      { mode: 'strict' },
    )
    expect(generic.ok && generic.value.crm_lookup_method).toBe('generic_api')
    expect(lookup.ok && lookup.value.crm_lookup_method).toBe('custom_url')
  })

  it('rejects an unknown lookup method, listing both', () => {
    const settings = goldenPayload('crm.lookupUrl.settings')
    settings['crm_lookup_method'] = 'email'
    expect(
      issueAt(checkPayload(CrmDeveloperSettingsSchema, settings), 'crm_lookup_method')?.expected,
    ).toBe('one of "generic_api", "custom_url"')
  })

  it('checks a generic API payload against the generic API member only', () => {
    const settings = goldenPayload('crm.lookupUrl.settings')
    settings['crm_lookup_method'] = 'generic_api'
    const result = checkPayload(CrmDeveloperSettingsSchema, settings)
    expect(result.issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(['authentication', 'request_timeout', 'endpoints']),
    )
  })
})

describe('crm.createRecord.request', () => {
  it('accepts a rating sent as a string in tolerant mode only', () => {
    const body = { ...goldenPayload('crm.createRecord.request'), rating: '5' }
    expect(checkPayload(CreateRecordRequestSchema, body).ok).toBe(true)
    expect(
      issueAt(checkPayload(CreateRecordRequestSchema, body, { mode: 'strict' }), 'rating'),
    ).toBeDefined()
  })

  it('rejects a rating outside 1–5', () => {
    const body = { ...goldenPayload('crm.createRecord.request'), rating: 6 }
    expect(issueAt(checkPayload(CreateRecordRequestSchema, body), 'rating')).toBeDefined()
  })

  it('rejects a source type other than PHONE or CHAT', () => {
    const body = { ...goldenPayload('crm.createRecord.request'), sourceType: 'EMAIL' }
    expect(issueAt(checkPayload(CreateRecordRequestSchema, body), 'sourceType')?.expected).toBe(
      'one of "PHONE", "CHAT"',
    )
  })
})

describe('genericApiCapabilities', () => {
  const endpoint = { url: 'https://crm.example.com/x', method: 'POST' as const }
  const upload = {
    ...endpoint,
    upload_type: 'base64' as const,
    attachment_type: { type: 'attachment_url' as const, attachment_url_location: 'url' },
  }

  it('enables everything for the complete example', () => {
    const settings = goldenPayload('crm.settings') as unknown as CrmIntegrationSettings
    expect(Object.values(genericApiCapabilities(settings.endpoints)).every(Boolean)).toBe(true)
  })

  it('needs both find and create account before anything else', () => {
    const endpoints: CrmEndpoints = {
      find_account_by_query: endpoint,
      create_record: endpoint,
      update_record: endpoint,
      upload_file: upload,
      comment: endpoint,
    }
    expect(genericApiCapabilities(endpoints)).toEqual({
      accountLookup: false,
      findAccountById: false,
      recordLookup: false,
      recordCreation: false,
      recordUpdate: false,
      fileUpload: false,
      comments: false,
    })
  })

  it('needs record creation before update, upload and comment', () => {
    const endpoints: CrmEndpoints = {
      find_account_by_query: endpoint,
      create_account: endpoint,
      find_record_by_query: endpoint,
      update_record: endpoint,
      comment: endpoint,
    }
    const capabilities = genericApiCapabilities(endpoints)
    expect(capabilities.recordLookup).toBe(true)
    expect(capabilities.recordUpdate).toBe(false)
    expect(capabilities.comments).toBe(false)
  })

  it('skips find by ID when its URL does not hold {ACCOUNT_ID}', () => {
    const endpoints: CrmEndpoints = {
      find_account_by_query: endpoint,
      create_account: endpoint,
      find_account_by_id: { url: 'https://crm.example.com/contacts', method: 'GET' },
    }
    expect(genericApiCapabilities(endpoints).findAccountById).toBe(false)
  })
})

describe('template helpers', () => {
  it('lists the variables a template uses, in order', () => {
    expect(templateVariables('=CONCAT_OR((Id:equals:{ACCOUNT_ID}), {Call_ID}, x)')).toEqual([
      'ACCOUNT_ID',
      'Call_ID',
    ])
  })

  it('names the function a value calls, and nothing for plain or unknown values', () => {
    expect(parameterFunction('=CONCAT_AND(a, b)')).toBe('CONCAT_AND')
    expect(parameterFunction('{EMAIL}')).toBeUndefined()
    expect(parameterFunction('=CONCAT_XOR(a, b)')).toBeUndefined()
  })

  it('keeps the documented mixed-case call and chat id variables and the lookup-only ones apart', () => {
    expect(GENERIC_API_VARIABLES).toContain('Call_ID')
    expect(GENERIC_API_VARIABLES).not.toContain('ANI')
    expect(LOOKUP_URL_VARIABLES).toContain('ANI')
    expect(GENERIC_API_VARIABLES).not.toContain('ATTACHMENT_ID')
  })
})
