import { z } from 'zod'

/**
 * The Apps API error body: a single human-readable `message` (HTTP 400 for validation and business
 * errors such as "Agent is not available to take this call"; 404 for an unknown subdomain).
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/apps-api-call
 * doc-example
 */
export const AppsApiErrorSchema = z.object({
  message: z.string(),
})
export type AppsApiError = z.infer<typeof AppsApiErrorSchema>
