import { z } from 'zod'
import { IntegerIdSchema } from '../common/primitives.js'

/**
 * An account, record or attachment id in the CRM's own JSON. The documents' examples use integers
 * (`123`, `456`); the platform only substitutes the id into `{ACCOUNT_ID}`/`{RECORD_ID}`, so CRMs
 * with string ids (EspoCRM, Zoho) work too and are accepted.
 * @see seeds/000_2170762ce078838e.txt (API account; API record; Upload a file endpoint)
 * Confidence: doc-example (integers); inferred (strings).
 */
export const CrmIdSchema = z.union([IntegerIdSchema, z.string().min(1)])
export type CrmId = z.infer<typeof CrmIdSchema>
