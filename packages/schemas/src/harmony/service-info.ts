import { z } from 'zod'

/**
 * The service-specific information every Interaction Processor publishes (through the `getServices`
 * core request and Service Monitor events).
 * @see https://openmethodsdev.atlassian.net/wiki/spaces/HAR/pages/2445803535/Interaction+Processor+Service — documented
 */
export const HarmonyServiceInfoSchema = z.object({
  vendor: z.string(),
  version: z.string(),
  'cti-vendor': z.string(),
  'cti-version': z.string(),
  /** Groups processors on separate integration platforms that serve the same pool of clients. */
  'instance-domain': z.string(),
})
export type HarmonyServiceInfo = z.infer<typeof HarmonyServiceInfoSchema>
