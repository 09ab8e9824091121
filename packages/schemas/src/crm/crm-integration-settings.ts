import { z } from 'zod'
import { CrmAuthenticationSchema } from './crm-authentication.js'
import { customCrmCommonShape } from './custom-crm-common.js'
import { CrmEndpointsSchema } from './endpoint-config.js'
import { PhoneNumberFormatSchema } from './phone-number-format.js'
import { GenericApiUrlTemplateSchema } from './template-string.js'

/** API Request Timeout choices, in whole seconds (portal drop-down 1–10). */
export const REQUEST_TIMEOUT_SECONDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const
export type RequestTimeoutSeconds = (typeof REQUEST_TIMEOUT_SECONDS)[number]

/**
 * The generic API integration as configured in the portal's Developer Settings > CRM > Custom CRM
 * with CRM lookup method Generic API, in a form an integrator can transcribe. Portal label → key:
 * Authentication Method → `authentication`, Phone Number Format → `phone_number_format`, API
 * Request Timeout → `request_timeout`, Account lookup URL → `account_lookup_url`, Record lookup URL
 * → `record_lookup_url`, API endpoints → `endpoints`; "re-use existing records" →
 * `reuse_existing_records`; `skip_account_creation` and `skip_record_creation` are the platform's
 * own names (error-handling page), their portal labels are not documented.
 * @see seeds/000_2170762ce078838e.txt (Custom CRM generic API integration, API settings)
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/custom-crm-generic-api-error-handling
 * Confidence: documented (settings and values); the key spellings are ours.
 */
export const CrmIntegrationSettingsSchema = z.object({
  crm_lookup_method: z.literal('generic_api'),
  ...customCrmCommonShape,
  authentication: CrmAuthenticationSchema,
  /** Applies to `{PHONE_NUMBER}` and `{OUTBOUND_PHONE_NUMBER}`. */
  phone_number_format: PhoneNumberFormatSchema,
  /**
   * Seconds the platform waits for every endpoint. A one-member union rather than a bare literal
   * list, so that the catalog does not take the value for a payload fingerprint.
   */
  request_timeout: z.union([z.literal(REQUEST_TIMEOUT_SECONDS)]),
  /** Page of the current account in the CRM, with `{ACCOUNT_ID}` (`https://www.example.com/contact/{ACCOUNT_ID}`). */
  account_lookup_url: GenericApiUrlTemplateSchema.nullish(),
  /** Page of the current record in the CRM, with `{RECORD_ID}` (`https://www.example.com/record/{RECORD_ID}`). */
  record_lookup_url: GenericApiUrlTemplateSchema.nullish(),
  endpoints: CrmEndpointsSchema,
  /** Use the record that Find a record returns instead of creating a new one; otherwise always create. */
  reuse_existing_records: z.boolean().nullish(),
  /** When find account finds nothing, go on with a null account id instead of creating one. */
  skip_account_creation: z.boolean().nullish(),
  /** When find record finds nothing, go on with a null record id instead of creating one. */
  skip_record_creation: z.boolean().nullish(),
})
export type CrmIntegrationSettings = z.infer<typeof CrmIntegrationSettingsSchema>
