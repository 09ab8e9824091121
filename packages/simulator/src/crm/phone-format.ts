import type { PhoneNumberFormat } from '@ccai-sim/schemas'
import type { PhonePurpose } from './types.js'

/*
 * The Phone Number Format of the generic API (seed 000, "Phone number format"; reference §5.1),
 * applied to `{PHONE_NUMBER}` and `{OUTBOUND_PHONE_NUMBER}`:
 *
 *   Automatic          create `+1 222 333 4444`, search `*222*333*4444`
 *   E.164              `+12223334444`
 *   US Local           `2223334444`
 *   US local standard  `(222) 333-4444`   (the documents print `(111) 222-3333`)
 *   International      `+1 222 333 4444`
 *
 * Decisions where the documents are silent (they only show a North American number):
 * - The country code is found with the ITU's prefix-free assignment (1 and 7 are one digit, a
 *   fixed list two digits, everything else three).
 * - Outside +1, the national number is grouped as the documented one is: its last four digits,
 *   the digits before them in threes from the left, a lone leftover digit joining the group before
 *   it (`+44 207 946 0958`, search `*207*946*0958`; `+55 119 8765 4321`).
 * - US Local and US local standard only exist for +1 numbers; any other number is sent in E.164,
 *   which stays unambiguous.
 * - Input that is not E.164 is normalised first: punctuation dropped, ten digits or eleven starting
 *   with 1 read as +1; anything else is sent as given, and an empty number stays empty.
 */

const TWO_DIGIT_COUNTRY_CODES: ReadonlySet<string> = new Set([
  '20',
  '27',
  '30',
  '31',
  '32',
  '33',
  '34',
  '36',
  '39',
  '40',
  '41',
  '43',
  '44',
  '45',
  '46',
  '47',
  '48',
  '49',
  '51',
  '52',
  '53',
  '54',
  '55',
  '56',
  '57',
  '58',
  '60',
  '61',
  '62',
  '63',
  '64',
  '65',
  '66',
  '81',
  '82',
  '84',
  '86',
  '90',
  '91',
  '92',
  '93',
  '94',
  '95',
  '98',
])

interface ParsedNumber {
  readonly countryCode: string
  readonly national: string
}

/** Splits E.164 digits (without `+`) into country code and national significant number. */
function splitCountryCode(digits: string): ParsedNumber {
  const first = digits.slice(0, 1)
  const length =
    first === '1' || first === '7' ? 1 : TWO_DIGIT_COUNTRY_CODES.has(digits.slice(0, 2)) ? 2 : 3
  return { countryCode: digits.slice(0, length), national: digits.slice(length) }
}

/** The number as E.164 digits (no `+`), or undefined when it cannot be read as one. */
function e164Digits(input: string): string | undefined {
  const trimmed = input.trim()
  const compact = trimmed.replace(/[\s().\-/]/g, '')
  if (/^\+[1-9]\d{1,14}$/.test(compact)) return compact.slice(1)
  if (/^\d{10}$/.test(compact)) return `1${compact}`
  if (/^1\d{10}$/.test(compact)) return compact
  return undefined
}

/** The national number in groups: the last four digits, the ones before in threes from the left. */
function groups(national: string): string[] {
  if (national.length <= 4) return [national]
  const head = national.slice(0, -4)
  const out: string[] = []
  for (let i = 0; i < head.length; i += 3) out.push(head.slice(i, i + 3))
  // A lone digit left over joins the group before it (`119 8765 4321`, not `119 876 5 4321`).
  const last = out.at(-1)
  if (out.length > 1 && last?.length === 1) out.splice(-2, 2, `${out.at(-2) ?? ''}${last}`)
  out.push(national.slice(-4))
  return out
}

/**
 * A phone number in the configured Phone Number Format. `purpose` matters for `automatic` only:
 * records are created with the international form and searched for with the wildcard form,
 * whose `*`s match any punctuation the CRM stored (seed 000, Phone number format).
 *
 * @example
 * formatPhoneNumber('+12223334444', 'automatic', 'search') // '*222*333*4444'
 * formatPhoneNumber('+12223334444', 'us_local_standard', 'create') // '(222) 333-4444'
 */
export function formatPhoneNumber(
  e164: string,
  format: PhoneNumberFormat,
  purpose: PhonePurpose,
): string {
  const digits = e164Digits(e164)
  if (digits === undefined) return e164.trim()
  const { countryCode, national } = splitCountryCode(digits)
  const nanp = countryCode === '1' && national.length === 10
  const international = `+${countryCode} ${groups(national).join(' ')}`
  switch (format) {
    case 'e164':
      return `+${digits}`
    case 'international':
      return international
    case 'automatic':
      return purpose === 'search' ? `*${groups(national).join('*')}` : international
    case 'us_local':
      return nanp ? national : `+${digits}`
    case 'us_local_standard':
      return nanp
        ? `(${national.slice(0, 3)}) ${national.slice(3, 6)}-${national.slice(6)}`
        : `+${digits}`
  }
}
