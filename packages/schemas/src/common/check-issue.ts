import { z } from 'zod'

/** The wire form of a validation issue, as `checkPayload` returns it and problem+json carries it. */
export const CheckIssueSchema = z.object({
  path: z.string(),
  code: z.string(),
  expected: z.string(),
  received: z.string(),
  message: z.string(),
})
export type CheckIssueWire = z.infer<typeof CheckIssueSchema>
