import { z } from 'zod'
import { ParameterValueSchema } from './template-string.js'

/**
 * One row of an endpoint's Parameters (portal: key and value). Rows keep their order and a key may
 * repeat (query strings such as `ids[]=…&ids[]=…`). For GET the rows become the query string; for
 * POST/PUT/PATCH they become the body as `request_data_format` says. A row whose function yields
 * nothing is dropped before the request is sent.
 * @see seeds/000_2170762ce078838e.txt (Endpoint configuration; Request URL parameter functions)
 * Confidence: documented; that GET parameters go to the query string is inferred.
 */
export const EndpointParameterSchema = z.object({
  key: z.string().min(1),
  value: ParameterValueSchema,
})
export type EndpointParameter = z.infer<typeof EndpointParameterSchema>
