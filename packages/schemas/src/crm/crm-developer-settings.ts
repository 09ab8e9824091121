import { z } from 'zod'
import { CrmIntegrationSettingsSchema } from './crm-integration-settings.js'
import { CrmLookupUrlSettingsSchema } from './crm-lookup-url-settings.js'

/**
 * The Custom CRM part of Developer Settings, whichever CRM lookup method is chosen.
 * @see seeds/000_2170762ce078838e.txt (Generic API; Custom lookup URL)
 * Confidence: documented.
 */
export const CrmDeveloperSettingsSchema = z.discriminatedUnion('crm_lookup_method', [
  CrmIntegrationSettingsSchema,
  CrmLookupUrlSettingsSchema,
])
export type CrmDeveloperSettings = z.infer<typeof CrmDeveloperSettingsSchema>
