import { describe, expect, it } from 'vitest'
import { SimulatorError } from '../errors.js'
import {
  evaluateParameterValue,
  missingUrlVariables,
  splitArguments,
  substituteUrl,
} from './template.js'
import type { CrmVariables } from './types.js'

/** The Zoho example parameter of seed 000 ("Request URL parameter functions", Concatenation). */
const ZOHO_CRITERIA =
  '=CONCAT_OR((Id:equals:{ACCOUNT_ID}), (Phone:equals:{PHONE_NUMBER}), (Email:equals:{EMAIL}))'

describe('evaluateParameterValue: the documented CONCAT_OR examples (seed 000)', () => {
  it.each<[string, CrmVariables, string]>([
    ['ACCOUNT_ID', { ACCOUNT_ID: '<uuid>', PHONE_NUMBER: '', EMAIL: '' }, '(Id:equals:<uuid>)'],
    [
      'ACCOUNT_ID, EMAIL',
      { ACCOUNT_ID: '<uuid>', EMAIL: 'kim@example' },
      '(Id:equals:<uuid>) or (Email:equals:kim@example)',
    ],
    [
      'PHONE_NUMBER, EMAIL',
      { ACCOUNT_ID: '', PHONE_NUMBER: '+12223334444', EMAIL: 'kim@example' },
      '(Phone:equals:+12223334444) or (Email:equals:kim@example)',
    ],
  ])('with keys %s present, yields %j', (_keys, variables, expected) => {
    expect(evaluateParameterValue(ZOHO_CRITERIA, variables)).toBe(expected)
  })

  it('joins with " and " instead for CONCAT_AND, following the same rules', () => {
    const value =
      '=CONCAT_AND((Id:equals:{ACCOUNT_ID}), (Phone:equals:{PHONE_NUMBER}), (Email:equals:{EMAIL}))'
    expect(evaluateParameterValue(value, { ACCOUNT_ID: '<uuid>', EMAIL: 'kim@example' })).toBe(
      '(Id:equals:<uuid>) and (Email:equals:kim@example)',
    )
  })

  it('drops the parameter (undefined) when no argument has a value', () => {
    expect(evaluateParameterValue(ZOHO_CRITERIA, {})).toBeUndefined()
    expect(evaluateParameterValue('=CONCAT_AND({EMAIL}, {NAME})', { EMAIL: '' })).toBeUndefined()
  })
})

describe('evaluateParameterValue: plain values', () => {
  it.each<[string, string, CrmVariables, string | undefined]>([
    ['keeps literal text', 'open', {}, 'open'],
    ['keeps a number as text', '42', {}, '42'],
    ['substitutes a variable', '{EMAIL}', { EMAIL: 'kim@example.com' }, 'kim@example.com'],
    [
      'substitutes variables inside text',
      'Inbound call from {PHONE_NUMBER} ({NAME})',
      { PHONE_NUMBER: '+12223334444', NAME: 'Kim' },
      'Inbound call from +12223334444 (Kim)',
    ],
    ['drops a parameter whose only variable is empty', '{RATING}', { RATING: '' }, undefined],
    ['drops a parameter whose only variable is absent', '{FEEDBACK}', {}, undefined],
    [
      'omits an empty variable inside text and keeps the text',
      'Inbound call from {PHONE_NUMBER}',
      { PHONE_NUMBER: '' },
      'Inbound call from ',
    ],
    ['drops an empty literal value', '', {}, undefined],
    ['matches the mixed-case variables exactly', '{Call_ID}', { Call_ID: '77' }, '77'],
    ['leaves an undocumented variable-shaped name literal', '{CALL_ID}', {}, '{CALL_ID}'],
    ['leaves literal JSON braces alone', '{"a":1}', {}, '{"a":1}'],
    ['does not treat a comma in a value specially', '{NAME}', { NAME: 'Doe, Jane' }, 'Doe, Jane'],
  ])('%s', (...[_title, value, variables, expected]) => {
    expect(evaluateParameterValue(value, variables)).toBe(expected)
  })
})

describe('evaluateParameterValue: =DEFAULT_VALUE (seed 000, Default example)', () => {
  const agentEmail = '=DEFAULT_VALUE({AGENT_EMAIL}, support@example.com)'

  it.each<[string, string, CrmVariables, string | undefined]>([
    ['uses val1 when it has a value', agentEmail, { AGENT_EMAIL: 'ari@x.co' }, 'ari@x.co'],
    [
      'falls back to val2 when val1 is empty',
      agentEmail,
      { AGENT_EMAIL: '' },
      'support@example.com',
    ],
    ['falls back to val2 when val1 is absent', agentEmail, {}, 'support@example.com'],
    [
      'falls back from one variable to another',
      '=DEFAULT_VALUE({Call_ID}, {Chat_ID})',
      { Call_ID: '', Chat_ID: '9' },
      '9',
    ],
    [
      'drops the parameter when both are empty',
      '=DEFAULT_VALUE({Call_ID}, {Chat_ID})',
      { Call_ID: '', Chat_ID: '' },
      undefined,
    ],
    [
      'takes the first non-empty of more than two values',
      '=DEFAULT_VALUE({SDK_EMAIL}, {EMAIL}, nobody@example.com)',
      { EMAIL: 'kim@example.com' },
      'kim@example.com',
    ],
    [
      'omits an argument when any of its variables is empty',
      '=DEFAULT_VALUE({FIRST_NAME} {LAST_NAME}, Unknown)',
      { FIRST_NAME: 'Kim', LAST_NAME: '' },
      'Unknown',
    ],
  ])('%s', (...[_title, value, variables, expected]) => {
    expect(evaluateParameterValue(value, variables)).toBe(expected)
  })
})

describe('evaluateParameterValue: argument splitting', () => {
  it('does not split on commas inside parentheses', () => {
    expect(splitArguments('(a, b), c ,d')).toEqual(['(a, b)', 'c', 'd'])
    expect(evaluateParameterValue('=CONCAT_OR((a,b), c)', {})).toBe('(a,b) or c')
  })

  it('does not split on commas that a substituted value brings', () => {
    expect(
      evaluateParameterValue('=CONCAT_AND(Name:{NAME}, Lang:{LANG})', {
        NAME: 'Doe, Jane',
        LANG: 'en',
      }),
    ).toBe('Name:Doe, Jane and Lang:en')
  })

  it('skips empty arguments', () => {
    expect(evaluateParameterValue('=CONCAT_OR(a, , b)', {})).toBe('a or b')
  })
})

describe('evaluateParameterValue: malformed functions', () => {
  it.each(['=LOWER({EMAIL})', '=CONCAT_OR({EMAIL}', '=5', '=concat_or(a, b)'])(
    'rejects %j as invalid configuration',
    (value) => {
      expect(() => evaluateParameterValue(value, {})).toThrow(SimulatorError)
      try {
        evaluateParameterValue(value, {})
      } catch (error) {
        expect((error as SimulatorError).code).toBe('invalid_config')
      }
    },
  )
})

describe('substituteUrl', () => {
  it.each<[string, string, Record<string, string>, string]>([
    [
      'encodes a path value so it stays one segment',
      'https://crm.example/contacts/{ACCOUNT_ID}',
      { ACCOUNT_ID: 'a/b c' },
      'https://crm.example/contacts/a%2Fb%20c',
    ],
    [
      'encodes a query value so a + is not read as a space',
      'https://crm.example/search?phone={PHONE_NUMBER}&x=1',
      { PHONE_NUMBER: '+12223334444' },
      'https://crm.example/search?phone=%2B12223334444&x=1',
    ],
    [
      'encodes & and = so a value cannot add a parameter',
      'https://crm.example/search?q={NAME}',
      { NAME: 'a&b=c' },
      'https://crm.example/search?q=a%26b%3Dc',
    ],
    [
      'leaves a variable without a value empty',
      'https://crm.example/contacts/{ACCOUNT_ID}',
      {},
      'https://crm.example/contacts/',
    ],
    [
      'fills the Attachment Builder URL',
      'https://www.example.com/Accounts/{RECORD_ID}/Attachments/{ATTACHMENT_ID}',
      { RECORD_ID: '456', ATTACHMENT_ID: '123' },
      'https://www.example.com/Accounts/456/Attachments/123',
    ],
  ])('%s', (...[_title, template, variables, expected]) => {
    expect(substituteUrl(template, variables)).toBe(expected)
  })

  it('lists the variables a URL needs but does not have', () => {
    const template = 'https://crm.example/{ACCOUNT_ID}/records/{RECORD_ID}'
    expect(missingUrlVariables(template, { ACCOUNT_ID: '1', RECORD_ID: '' })).toEqual(['RECORD_ID'])
    expect(missingUrlVariables(template, { ACCOUNT_ID: '1', RECORD_ID: '2' })).toEqual([])
  })
})
