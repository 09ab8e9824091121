import { z } from 'zod'
import { CheckIssueSchema } from './check-issue.js'

/**
 * An HTTP error from any ccai-sim server (`application/problem+json`, RFC 9457). `type` is a stable
 * code from one closed list (the simulator's), so clients can branch on it.
 */
export const ProblemSchema = z.object({
  type: z.string().min(1),
  title: z.string(),
  status: z.int().min(400).max(599),
  detail: z.string().optional(),
  instance: z.string().optional(),
  /** Validation problems list every issue with its path, expectation and what came. */
  issues: z.array(CheckIssueSchema).optional(),
})
export type Problem = z.infer<typeof ProblemSchema>
