import { z } from 'zod'
import { tolerantOnly } from '../internal/modes.js'
import {
  ANY_VARIABLE_URL_PATTERN,
  ATTACHMENT_BUILDER_URL_PATTERN,
  GENERIC_API_URL_PATTERN,
  LOOKUP_URL_PATTERN,
  PARAMETER_VALUE_LOOSE_PATTERN,
  PARAMETER_VALUE_PATTERN,
} from './generic-api-vocabulary.js'

/*
 * Template strings of the Developer Settings. Strict checking accepts the documented variables
 * only, so what we write stays within the documents; tolerant checking also lets through
 * variable-shaped names the documents do not list (later releases keep adding lookup variables).
 * Unknown parameter functions fail in both modes: the platform has exactly three.
 */

/**
 * A request parameter value: literal text, text with `{VARIABLE}`s, or one function call
 * `=DEFAULT_VALUE(…)`, `=CONCAT_OR(…)`, `=CONCAT_AND(…)` whose arguments are such text.
 * Numbers are entered as text too; how the platform types them in a JSON body is not documented.
 * @see seeds/000_2170762ce078838e.txt (Endpoint configuration; Request URL parameter functions)
 * Confidence: documented (vocabulary); the regex-level syntax is inferred.
 */
export const ParameterValueSchema = z.union([
  z.string().regex(PARAMETER_VALUE_PATTERN),
  tolerantOnly(z.string().regex(PARAMETER_VALUE_LOOSE_PATTERN)),
])
export type ParameterValue = z.infer<typeof ParameterValueSchema>

/**
 * An http(s) URL template with generic API `{VARIABLE}`s: endpoint Request URLs, the account and
 * record lookup URLs and the Display URL (`https://www.example.com/record/{RECORD_ID}`).
 * The platform wants valid TLS on every endpoint (EspoCRM page); `http:` is accepted so that a
 * local mock CRM can be configured.
 * @see seeds/000_2170762ce078838e.txt (CRM lookup URLs; Endpoint configuration)
 * Confidence: documented.
 */
export const GenericApiUrlTemplateSchema = z.union([
  z.string().regex(GENERIC_API_URL_PATTERN),
  tolerantOnly(z.string().regex(ANY_VARIABLE_URL_PATTERN)),
])
export type GenericApiUrlTemplate = z.infer<typeof GenericApiUrlTemplateSchema>

/**
 * The upload endpoint's Attachment Builder URL, with `{RECORD_ID}` and `{ATTACHMENT_ID}` only
 * (`https://www.example.com/Accounts/{RECORD_ID}/Attachments/{ATTACHMENT_ID}`).
 * @see seeds/000_2170762ce078838e.txt (Upload a file endpoint)
 * Confidence: documented.
 */
export const AttachmentBuilderUrlTemplateSchema = z.union([
  z.string().regex(ATTACHMENT_BUILDER_URL_PATTERN),
  tolerantOnly(z.string().regex(ANY_VARIABLE_URL_PATTERN)),
])
export type AttachmentBuilderUrlTemplate = z.infer<typeof AttachmentBuilderUrlTemplateSchema>

/**
 * A custom lookup URL with lookup variables (`{ANI}`, `{CUID}`, `{EMAIL}`, `{TYPE}`, …).
 * @see seeds/000_2170762ce078838e.txt (Custom lookup URL configuration)
 * Confidence: documented.
 */
export const LookupUrlTemplateSchema = z.union([
  z.string().regex(LOOKUP_URL_PATTERN),
  tolerantOnly(z.string().regex(ANY_VARIABLE_URL_PATTERN)),
])
export type LookupUrlTemplate = z.infer<typeof LookupUrlTemplateSchema>
