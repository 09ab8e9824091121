import { z } from 'zod'
import { GenericApiUrlTemplateSchema } from './template-string.js'

/**
 * The CRM lookup method of Developer Settings > CRM > Custom CRM: `generic_api` (portal: Generic
 * API) or `custom_url` (portal: Custom URL / custom lookup URL).
 */
export const CRM_LOOKUP_METHODS = ['generic_api', 'custom_url'] as const
export type CrmLookupMethod = (typeof CRM_LOOKUP_METHODS)[number]

/**
 * Custom CRM settings that both lookup methods share, all optional. Portal label → key:
 * Display CRM in CCAI Platform portal → `display_crm_in_portal`, Display URL → `display_url`
 * (the CRM page shown in the portal's CRM tab, e.g. `https://crm.example.com/#Case/view/{RECORD_ID}`),
 * Send session outcome via Email → `send_session_outcome_via_email`, its email address →
 * `session_outcome_email` (global setting; queues may override it).
 */
export const customCrmCommonShape = {
  display_crm_in_portal: z.boolean().nullish(),
  display_url: GenericApiUrlTemplateSchema.nullish(),
  send_session_outcome_via_email: z.boolean().nullish(),
  session_outcome_email: z.email().nullish(),
}
