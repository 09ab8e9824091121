import { PHONE_NUMBER_FORMAT_EXAMPLES, PHONE_NUMBER_FORMATS } from '@ccai-sim/schemas'
import type { PhoneNumberFormat } from '@ccai-sim/schemas'
import { describe, expect, it } from 'vitest'
import { formatPhoneNumber } from './phone-format.js'
import type { PhonePurpose } from './types.js'

describe('formatPhoneNumber: the documented forms (seed 000, Phone number format)', () => {
  it.each<[PhoneNumberFormat, PhonePurpose, string]>([
    ['automatic', 'create', '+1 222 333 4444'],
    ['automatic', 'search', '*222*333*4444'],
    ['e164', 'create', '+12223334444'],
    ['e164', 'search', '+12223334444'],
    ['us_local', 'create', '2223334444'],
    ['us_local', 'search', '2223334444'],
    ['us_local_standard', 'create', '(222) 333-4444'],
    ['us_local_standard', 'search', '(222) 333-4444'],
    ['international', 'create', '+1 222 333 4444'],
    ['international', 'search', '+1 222 333 4444'],
  ])('writes +12223334444 in %s for %s as %j', (format, purpose, expected) => {
    expect(formatPhoneNumber('+12223334444', format, purpose)).toBe(expected)
  })

  it('prints (111) 222-3333 for the US local standard example number', () => {
    expect(formatPhoneNumber('+11112223333', 'us_local_standard', 'create')).toBe('(111) 222-3333')
  })

  it('agrees with the schema package example table for every format and purpose', () => {
    for (const format of PHONE_NUMBER_FORMATS) {
      const examples = PHONE_NUMBER_FORMAT_EXAMPLES[format]
      expect(formatPhoneNumber('+12223334444', format, 'create')).toBe(examples.create)
      expect(formatPhoneNumber('+12223334444', format, 'search')).toBe(examples.search)
    }
  })
})

describe('formatPhoneNumber: numbers outside +1', () => {
  it.each<[PhoneNumberFormat, PhonePurpose, string]>([
    ['e164', 'create', '+442079460958'],
    ['international', 'create', '+44 207 946 0958'],
    ['automatic', 'create', '+44 207 946 0958'],
    ['automatic', 'search', '*207*946*0958'],
    ['us_local', 'create', '+442079460958'],
    ['us_local_standard', 'create', '+442079460958'],
  ])('writes +442079460958 in %s for %s as %j', (format, purpose, expected) => {
    expect(formatPhoneNumber('+442079460958', format, purpose)).toBe(expected)
  })

  it.each([
    ['+79161234567', '+7 916 123 4567'],
    ['+5511987654321', '+55 119 8765 4321'],
    ['+353851234567', '+353 851 23 4567'],
  ])('splits the country code of %s by the ITU assignment', (e164, expected) => {
    expect(formatPhoneNumber(e164, 'international', 'create')).toBe(expected)
  })
})

describe('formatPhoneNumber: input that is not E.164', () => {
  it.each<[string, PhoneNumberFormat, PhonePurpose, string]>([
    ['(222) 333-4444', 'e164', 'create', '+12223334444'],
    ['222.333.4444', 'automatic', 'search', '*222*333*4444'],
    ['1 222 333 4444', 'us_local', 'create', '2223334444'],
    [' +1 222 333 4444 ', 'e164', 'create', '+12223334444'],
    ['', 'e164', 'create', ''],
    ['anonymous', 'international', 'create', 'anonymous'],
    ['12345', 'e164', 'search', '12345'],
  ])('writes %j in %s for %s as %j', (...[input, format, purpose, expected]) => {
    expect(formatPhoneNumber(input, format, purpose)).toBe(expected)
  })
})
