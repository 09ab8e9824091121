import { z } from 'zod'

/**
 * The Phone Number Format choices, as snake_case values. Portal label → value:
 * `Automatic` → `automatic`, `E.164` → `e164`, `US Local` → `us_local`,
 * `US local standard` → `us_local_standard`, `International` → `international`.
 */
export const PHONE_NUMBER_FORMATS = [
  'automatic',
  'e164',
  'us_local',
  'us_local_standard',
  'international',
] as const

/**
 * The format the platform gives `{PHONE_NUMBER}` and `{OUTBOUND_PHONE_NUMBER}` in CRM requests
 * (and `{ANI}` in lookup URLs, we assume). `automatic` uses one form to create and a wildcard form
 * to search.
 * @see seeds/000_2170762ce078838e.txt (Phone number format)
 * Confidence: documented.
 */
export const PhoneNumberFormatSchema = z.enum(PHONE_NUMBER_FORMATS)
export type PhoneNumberFormat = z.infer<typeof PhoneNumberFormatSchema>

/** The portal's label of each format. */
export const PHONE_NUMBER_FORMAT_LABELS: Readonly<Record<PhoneNumberFormat, string>> = {
  automatic: 'Automatic',
  e164: 'E.164',
  us_local: 'US Local',
  us_local_standard: 'US local standard',
  international: 'International',
}

/**
 * The documented rendering of each format. The documents print `(111) 222-3333` for US local
 * standard and `+1 222 333 4444` for the others; the one number is used here throughout.
 */
export const PHONE_NUMBER_FORMAT_EXAMPLES: Readonly<
  Record<PhoneNumberFormat, { readonly create: string; readonly search: string }>
> = {
  automatic: { create: '+1 222 333 4444', search: '*222*333*4444' },
  e164: { create: '+12223334444', search: '+12223334444' },
  us_local: { create: '2223334444', search: '2223334444' },
  us_local_standard: { create: '(222) 333-4444', search: '(222) 333-4444' },
  international: { create: '+1 222 333 4444', search: '+1 222 333 4444' },
}
