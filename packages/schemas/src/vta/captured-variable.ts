import { z } from 'zod'
import { EpochSecondsStringSchema, UtcTimestampTextSchema } from '../common/primitives.js'

/**
 * One batch of session variables a virtual task assistant captured, as listed in `captured_variables`
 * of `Task_VA_Left` and `Task_VA_Variables_Received`.
 *
 * `variables` values are strings in every example; they come from Dialogflow session parameters, so
 * other JSON values are not excluded by the docs.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/post-events-for-vtas
 * @see seeds/002_5e2fa59d62bac538.txt (payload examples)
 * confidence: doc-example (only visible in the payload examples; no field table)
 */
export const CapturedVariableSchema = z.object({
  /** `null` in every example; presumably the Dialogflow intent that captured the variables. */
  intent_name: z.string().nullish(),
  variables: z.record(z.string(), z.unknown()),
  captured_at: UtcTimestampTextSchema,
  timestamp: EpochSecondsStringSchema,
})
export type CapturedVariable = z.infer<typeof CapturedVariableSchema>
