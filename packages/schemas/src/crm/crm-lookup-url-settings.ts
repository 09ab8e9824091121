import { z } from 'zod'
import { customCrmCommonShape } from './custom-crm-common.js'
import { PhoneNumberFormatSchema } from './phone-number-format.js'
import { LookupUrlTemplateSchema } from './template-string.js'

/**
 * The custom lookup URL method as configured in the portal's Developer Settings > CRM > Custom CRM
 * (CRM lookup → custom URLs, Phone Number Format). The documents ask for two URLs, one for
 * IVR/PSTN/SMS sessions (keyed on `{ANI}`) and one for web and mobile SDK sessions (keyed on
 * `{CUID}` and `{EMAIL}`); their portal labels are not documented, so the keys are ours. The
 * platform puts only non-empty variables in the URL and does not store the generated URL.
 * @see seeds/000_2170762ce078838e.txt (Custom lookup URL details and configuration)
 * Confidence: documented (settings); the key spellings are ours.
 */
export const CrmLookupUrlSettingsSchema = z.object({
  crm_lookup_method: z.literal('custom_url'),
  ...customCrmCommonShape,
  phone_number_format: PhoneNumberFormatSchema,
  /** Lookup URL for IVR, PSTN and SMS sessions. */
  ivr_pstn_sms_lookup_url: LookupUrlTemplateSchema.nullish(),
  /** Lookup URL for web and mobile SDK sessions. */
  web_mobile_sdk_lookup_url: LookupUrlTemplateSchema.nullish(),
})
export type CrmLookupUrlSettings = z.infer<typeof CrmLookupUrlSettingsSchema>
