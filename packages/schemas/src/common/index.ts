import { defineContract, type ContractDefinition } from '../catalog/contract.js'
import { ProblemSchema } from './problem.js'

export {
  IsoDateTimeSchema,
  EpochSecondsStringSchema,
  EpochSecondsSchema,
  UtcTimestampTextSchema,
  TimeOfDaySchema,
  IntegerIdSchema,
  NumericStringIdSchema,
  DurationSecondsSchema,
  MinutesSecondsSchema,
  UrlSchema,
} from './primitives.js'
export type {
  IsoDateTime,
  EpochSecondsString,
  EpochSeconds,
  UtcTimestampText,
  TimeOfDay,
  IntegerId,
  NumericStringId,
  DurationSeconds,
  MinutesSeconds,
  Url,
} from './primitives.js'
export { ProblemSchema } from './problem.js'
export type { Problem } from './problem.js'
export { CheckIssueSchema } from './check-issue.js'
export type { CheckIssueWire } from './check-issue.js'

export const COMMON_CONTRACTS: readonly ContractDefinition[] = [
  defineContract({
    id: 'common.problem',
    family: 'common',
    title: 'ccai-sim HTTP error (problem+json)',
    direction: { from: 'ccai-platform', to: 'api-client' },
    transport: 'http-response',
    schema: ProblemSchema,
    source: {
      document: 'https://www.rfc-editor.org/rfc/rfc9457',
      section: 'DESIGN.md, Errors and diagnostics',
    },
    confidence: 'documented',
    notes:
      'The simulator’s own error body, not a platform payload; kept in the catalog so contract tests can assert error shapes.',
  }),
]
