import type {
  CrmAuthentication,
  CrmIntegrationSettings,
  EndpointParameter,
} from '@ccai-sim/schemas'
import { UPLOAD_FILE_KINDS } from '@ccai-sim/schemas'
import { SimulatorError } from '../../errors.js'
import type { MockCrmDialect } from './app.js'
import type { MockCrmAuth } from './auth.js'

/*
 * Generic API settings that wire the platform's client to the mock CRM out of the box (seed 000,
 * Custom CRM generic API integration: API settings, API endpoints; reference §5.1): every endpoint,
 * lookup URLs to the mock CRM's pages, the upload as a multipart form whose answer carries the
 * attachment's download URL (generic) or its id for a builder URL (EspoCRM, base64 data URI).
 */

function p(key: string, value: string): EndpointParameter {
  return { key, value }
}

/** The settings' Authentication Method for the mock CRM's auth mode (the same credentials). */
function authentication(base: string, auth: MockCrmAuth): CrmAuthentication {
  switch (auth.mode) {
    case 'none':
      // The settings need a method; the mock CRM ignores this header in `none` mode.
      return {
        method: 'custom_header',
        fields: [{ field_key: 'X-Api-Key', field_value: 'unchecked' }],
      }
    case 'basic':
      return { method: 'basic', username: auth.username, password: auth.password }
    case 'api-key':
      return {
        method: 'custom_header',
        fields: [{ field_key: auth.header, field_value: auth.value }],
      }
    case 'oauth2':
      return {
        method: 'oauth2',
        authorization_url: `${base}/oauth/authorize`,
        token_url: `${base}/oauth/token`,
        client_id: auth.clientId,
        client_secret: auth.clientSecret,
        grant_type: 'client_credentials',
      }
  }
}

function genericEndpoints(base: string): CrmIntegrationSettings['endpoints'] {
  const api = `${base}/api`
  return {
    find_account_by_query: {
      url: `${api}/accounts`,
      method: 'GET',
      parameters: [
        p('phone', '{PHONE_NUMBER}'),
        p('email', '=DEFAULT_VALUE({EMAIL}, {SDK_EMAIL})'),
        p('external_id', '=DEFAULT_VALUE({SDK_IDENTIFIER}, {UJET_ID})'),
        p('limit', '1'),
      ],
      response_data_location: '0',
    },
    find_account_by_id: {
      url: `${api}/accounts/{ACCOUNT_ID}`,
      method: 'GET',
    },
    create_account: {
      url: `${api}/accounts`,
      method: 'POST',
      parameters: [
        p('name', '{NAME}'),
        p('first_name', '{FIRST_NAME}'),
        p('last_name', '{LAST_NAME}'),
        p('phone', '{PHONE_NUMBER}'),
        p('email', '=DEFAULT_VALUE({EMAIL}, {SDK_EMAIL})'),
        p('external_id', '=DEFAULT_VALUE({SDK_IDENTIFIER}, {UJET_ID})'),
        p('custom_user_id', '{CUSTOM_USER_ID}'),
        p('language', '{LANG}'),
      ],
      request_data_format: { type: 'property' },
      custom_id_location: 'id',
    },
    find_record_by_query: {
      url: `${api}/records`,
      method: 'GET',
      // Never dropped: a find without its account would match another customer's open record (CRM-014).
      parameters: [
        p('account_id', '=DEFAULT_VALUE({ACCOUNT_ID}, none)'),
        p('status', 'open'),
        p('limit', '1'),
      ],
      response_data_location: '0',
    },
    create_record: {
      url: `${api}/records`,
      method: 'POST',
      parameters: [
        p('subject', '{TICKET_SUBJECT}'),
        p('description', '{TICKET_DESCRIPTION}'),
        p('account_id', '{ACCOUNT_ID}'),
        p('status', 'open'),
        p('phone', '{PHONE_NUMBER}'),
        p('email', '{EMAIL}'),
        p('channel', '{CHANNEL}'),
        p('session_type', '{SESSION_TYPE}'),
        p('session_id', '{SESSION_ID}'),
        p('call_id', '{Call_ID}'),
        p('chat_id', '{Chat_ID}'),
        p('queue', '{MENU_PATH}'),
        p('queue_id', '{QUEUE_ID}'),
        p('agent_email', '=DEFAULT_VALUE({AGENT_EMAIL}, unassigned)'),
        p('language', '{LANG}'),
      ],
      request_data_format: { type: 'property' },
      custom_id_location: 'id',
    },
    update_record: {
      url: `${api}/records/{RECORD_ID}`,
      method: 'PATCH',
      parameters: [
        p('subject', '{TICKET_SUBJECT}'),
        p('description', '{TICKET_DESCRIPTION}'),
        p('agent_id', '{AGENT_ID}'),
        p('agent_email', '{AGENT_EMAIL}'),
        p('rating', '{RATING}'),
        p('feedback', '{FEEDBACK}'),
        p('call_duration', '{CALL_DURATION}'),
        p('hold_time', '{HOLD_TIME}'),
        p('wait_time', '{WAIT_TIME}'),
        p('disconnected_by', '{DISCONNECTED_BY}'),
        p('device_type', '{DEVICE_TYPE}'),
      ],
      request_data_format: { type: 'property' },
    },
    upload_file: {
      url: `${api}/records/{RECORD_ID}/attachments`,
      method: 'POST',
      parameters: [p('file', '{FILE_DATA}')],
      request_data_format: { type: 'property' },
      upload_type: 'multipart',
      files_to_attach: [...UPLOAD_FILE_KINDS],
      attachment_type: { type: 'attachment_url', attachment_url_location: 'url' },
      add_comment_to_record: true,
    },
    comment: {
      url: `${api}/records/{RECORD_ID}/comments`,
      method: 'POST',
      parameters: [
        p('body', '{COMMENT_BODY}'),
        p('author', '=DEFAULT_VALUE({AGENT_EMAIL}, ccai-platform)'),
      ],
      request_data_format: { type: 'property' },
      convert_text_to_html: false,
    },
  }
}

function espoEndpoints(base: string): CrmIntegrationSettings['endpoints'] {
  const api = `${base}/espo/api/v1`
  return {
    find_account_by_query: {
      url: `${api}/Contact`,
      method: 'GET',
      parameters: [
        // Phone or email: an omitted (empty) value matches nothing, so the other still can.
        p('where[0][type]', 'or'),
        p('where[0][value][0][type]', 'equals'),
        p('where[0][value][0][attribute]', 'phoneNumber'),
        p('where[0][value][0][value]', '{PHONE_NUMBER}'),
        p('where[0][value][1][type]', 'equals'),
        p('where[0][value][1][attribute]', 'emailAddress'),
        p('where[0][value][1][value]', '=DEFAULT_VALUE({EMAIL}, {SDK_EMAIL})'),
        p('orderBy', 'createdAt'),
        p('order', 'asc'),
        p('maxSize', '1'),
      ],
      response_data_location: 'list.0',
    },
    find_account_by_id: {
      url: `${api}/Contact/{ACCOUNT_ID}`,
      method: 'GET',
    },
    create_account: {
      url: `${api}/Contact`,
      method: 'POST',
      parameters: [
        p('firstName', '{FIRST_NAME}'),
        p('lastName', '{LAST_NAME}'),
        p('phoneNumber', '{PHONE_NUMBER}'),
        p('emailAddress', '=DEFAULT_VALUE({EMAIL}, {SDK_EMAIL})'),
        p('description', '=DEFAULT_VALUE({SDK_IDENTIFIER}, {UJET_ID})'),
      ],
      request_data_format: { type: 'property' },
      custom_id_location: 'id',
    },
    find_record_by_query: {
      url: `${api}/Case`,
      method: 'GET',
      parameters: [
        p('where[0][type]', 'equals'),
        p('where[0][attribute]', 'contactId'),
        p('where[0][value]', '{ACCOUNT_ID}'),
        p('where[1][type]', 'in'),
        p('where[1][attribute]', 'status'),
        p('where[1][value][]', 'New'),
        p('where[1][value][]', 'Assigned'),
        p('where[1][value][]', 'Pending'),
        p('orderBy', 'createdAt'),
        p('order', 'desc'),
        p('maxSize', '1'),
      ],
      response_data_location: 'list.0',
    },
    create_record: {
      url: `${api}/Case`,
      method: 'POST',
      parameters: [
        p('name', '{TICKET_SUBJECT}'),
        p('description', '{TICKET_DESCRIPTION}'),
        p('contactId', '{ACCOUNT_ID}'),
        p('status', 'New'),
      ],
      request_data_format: { type: 'property' },
      custom_id_location: 'id',
    },
    update_record: {
      url: `${api}/Case/{RECORD_ID}`,
      method: 'PUT',
      parameters: [p('name', '{TICKET_SUBJECT}'), p('description', '{TICKET_DESCRIPTION}')],
      request_data_format: { type: 'property' },
    },
    upload_file: {
      url: `${api}/Attachment`,
      method: 'POST',
      parameters: [
        p('role', 'Attachment'),
        p('parentType', 'Case'),
        p('parentId', '{RECORD_ID}'),
        p('field', 'attachments'),
        // EspoCRM wants the file as a data URI; the documents give no variable for its type or name.
        p('file', 'data:application/octet-stream;base64,{FILE_DATA}'),
      ],
      request_data_format: { type: 'property' },
      upload_type: 'base64',
      files_to_attach: [...UPLOAD_FILE_KINDS],
      attachment_type: {
        type: 'id',
        attachment_id_location: 'id',
        attachment_builder_url: `${base}/espo/?entryPoint=download&id={ATTACHMENT_ID}`,
      },
      add_comment_to_record: true,
    },
    comment: {
      url: `${api}/Note`,
      method: 'POST',
      parameters: [
        p('type', 'Post'),
        p('parentType', 'Case'),
        p('parentId', '{RECORD_ID}'),
        p('post', '{COMMENT_BODY}'),
      ],
      request_data_format: { type: 'property' },
      convert_text_to_html: false,
    },
  }
}

/**
 * Complete generic API integration settings for the mock CRM at `baseUrl` (its mount point, e.g.
 * `http://127.0.0.1:4010/crm`): every endpoint of the dialect (default `generic`), the account and
 * record lookup URLs and the Display URL on the mock CRM's pages, E.164 phone numbers, a 5 s
 * timeout, re-use of open records, and the Authentication Method matching `auth` (default `none`;
 * OAuth 2.0 with `grant_type: client_credentials` at `<baseUrl>/oauth/token`). They pass strict
 * `checkContract('crm.settings', …)`. A `baseUrl` that is not http(s) is `invalid_config`.
 * Seed 000 (API settings, CRM lookup URLs, API endpoints); reference §5.1.
 */
export function defaultMockCrmSettings(
  baseUrl: string,
  options: {
    readonly dialect?: MockCrmDialect | undefined
    readonly auth?: MockCrmAuth | undefined
  } = {},
): CrmIntegrationSettings {
  if (!/^https?:\/\/[^\s{}]+$/.test(baseUrl))
    throw new SimulatorError(
      'invalid_config',
      `mock CRM base URL: expected an http(s) URL without braces or spaces, received "${baseUrl}"`,
    )
  const base = baseUrl.replace(/\/+$/, '')
  const espo = options.dialect === 'espocrm'
  const accountPage = espo
    ? `${base}/espo/#Contact/view/{ACCOUNT_ID}`
    : `${base}/accounts/{ACCOUNT_ID}`
  const recordPage = espo ? `${base}/espo/#Case/view/{RECORD_ID}` : `${base}/records/{RECORD_ID}`
  return {
    crm_lookup_method: 'generic_api',
    display_crm_in_portal: true,
    display_url: recordPage,
    authentication: authentication(base, options.auth ?? { mode: 'none' }),
    phone_number_format: 'e164',
    request_timeout: 5,
    account_lookup_url: accountPage,
    record_lookup_url: recordPage,
    endpoints: espo ? espoEndpoints(base) : genericEndpoints(base),
    reuse_existing_records: true,
    skip_account_creation: false,
    skip_record_creation: false,
  }
}
