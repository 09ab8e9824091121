import type { UploadFileEndpointConfig } from '@ccai-sim/schemas'
import { describe, expect, it } from 'vitest'
import { attachmentLink, readCrmResult, readLocation, type CrmResultLocations } from './response.js'
import type { CrmHttpResponse } from './types.js'

function jsonResponse(json: unknown, status = 200): CrmHttpResponse {
  return {
    status,
    headers: { 'content-type': 'application/json' },
    bodyText: JSON.stringify(json),
    json,
    durationMs: 3,
  }
}

const TEXT_RESPONSE: CrmHttpResponse = {
  status: 200,
  headers: { 'content-type': 'application/json' },
  bodyText: '{"id": 1,',
  durationMs: 1,
}

describe('readLocation', () => {
  const doc = {
    data: [{ id: 7, details: { id: 'x' } }],
    list: [],
    '0': 'zero',
    nested: { deep: { value: null } },
  }

  it.each<[string, string | null | undefined, unknown]>([
    ['an absent path is the root', undefined, doc],
    ['a null path is the root', null, doc],
    ['an empty path is the root', '', doc],
    ['reads an object key', 'nested.deep', { value: null }],
    ['indexes arrays with numeric segments', 'data.0.id', 7],
    ['goes through arrays into objects', 'data.0.details.id', 'x'],
    ['reads a numeric key of an object', '0', 'zero'],
    ['gives undefined past the end of an array', 'list.0', undefined],
    ['gives undefined for a missing key', 'data.0.nope', undefined],
    ['gives undefined for a named segment on an array', 'data.first', undefined],
    ['gives undefined when stepping into a scalar', 'data.0.id.more', undefined],
    ['keeps null as found', 'nested.deep.value', null],
    ['skips empty segments', 'data..0.id.', 7],
    ['does not read inherited properties', 'nested.toString', undefined],
  ])('%s (%j)', (_title, path, expected) => {
    expect(readLocation(doc, path)).toEqual(expected)
  })

  it('gives undefined for a path into an undefined document', () => {
    expect(readLocation(undefined, 'id')).toBeUndefined()
  })
})

describe('readCrmResult', () => {
  it.each<[string, unknown, CrmResultLocations, ReturnType<typeof readCrmResult>]>([
    [
      'reads the documented example at the root with the default id location',
      { id: 123, name: 'Kim' },
      {},
      { data: { id: 123, name: 'Kim' }, found: true, id: '123' },
    ],
    [
      'reads the object at response_data_location (EspoCRM list.0)',
      { total: 1, list: [{ id: '64f1a', name: 'Kim' }] },
      { response_data_location: 'list.0' },
      { data: { id: '64f1a', name: 'Kim' }, found: true, id: '64f1a' },
    ],
    [
      'reads custom_id_location inside the data location',
      { ticket: { details: { ticket_id: 99 } } },
      { response_data_location: 'ticket', custom_id_location: 'details.ticket_id' },
      { data: { details: { ticket_id: 99 } }, found: true, id: '99' },
    ],
    [
      'treats an empty list as not found (a find 200 without a match)',
      { total: 0, list: [] },
      { response_data_location: 'list.0' },
      { data: undefined, found: false },
    ],
    [
      'treats null at the data location as not found',
      { data: null },
      { response_data_location: 'data' },
      { data: null, found: false },
    ],
    ['treats an empty object as not found', {}, {}, { data: {}, found: false }],
    [
      'flags a found object without an id where configured as missingId',
      { contact: { name: 'Kim' } },
      { response_data_location: 'contact', custom_id_location: 'id' },
      { data: { name: 'Kim' }, found: true, missingId: true },
    ],
    [
      'does not take an empty string or a boolean for an id',
      { id: '', other: { id: true } },
      {},
      { data: { id: '', other: { id: true } }, found: true, missingId: true },
    ],
  ])('%s', (...[_title, json, config, expected]) => {
    expect(readCrmResult(jsonResponse(json), config)).toEqual(expected)
  })

  it('finds nothing in a body that is not JSON (malformed JSON keeps bodyText only)', () => {
    expect(readCrmResult(TEXT_RESPONSE, { response_data_location: 'data' })).toEqual({
      data: undefined,
      found: false,
    })
  })
})

describe('attachmentLink', () => {
  const byId: Pick<UploadFileEndpointConfig, 'attachment_type'> = {
    attachment_type: {
      type: 'id',
      attachment_id_location: 'id',
      attachment_builder_url:
        'https://www.example.com/Accounts/{RECORD_ID}/Attachments/{ATTACHMENT_ID}',
    },
  }
  const byUrl: Pick<UploadFileEndpointConfig, 'attachment_type'> = {
    attachment_type: { type: 'attachment_url', attachment_url_location: 'url' },
  }

  it('builds the Attachment Builder URL from the record id and the attachment id (Example B)', () => {
    expect(attachmentLink(byId, { recordId: '456', response: jsonResponse({ id: 123 }) })).toBe(
      'https://www.example.com/Accounts/456/Attachments/123',
    )
  })

  it('reads the attachment id at a nested location', () => {
    const nested = {
      attachment_type: { ...byId.attachment_type, attachment_id_location: 'attachment.id' },
    } as Pick<UploadFileEndpointConfig, 'attachment_type'>
    expect(
      attachmentLink(nested, {
        recordId: 'r 1',
        response: jsonResponse({ attachment: { id: 'a/9' } }),
      }),
    ).toBe('https://www.example.com/Accounts/r%201/Attachments/a%2F9')
  })

  it('reads the download URL at attachment_url_location (Example A)', () => {
    const response = jsonResponse({ id: 123, url: 'https://some-hosted-url.com' })
    expect(attachmentLink(byUrl, { recordId: '456', response })).toBe('https://some-hosted-url.com')
  })

  it.each<[string, Pick<UploadFileEndpointConfig, 'attachment_type'>, CrmHttpResponse]>([
    ['no attachment id', byId, jsonResponse({ name: 'x' })],
    ['no download URL', byUrl, jsonResponse({ id: 123 })],
    ['an empty download URL', byUrl, jsonResponse({ url: '' })],
    ['a malformed body', byId, TEXT_RESPONSE],
  ])('gives undefined for %s', (_title, config, response) => {
    expect(attachmentLink(config, { recordId: '456', response })).toBeUndefined()
  })
})
