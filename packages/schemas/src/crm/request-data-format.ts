import { z } from 'zod'

/**
 * Request Data Format → Property: the body is the flat map of the parameters, `{ ...parameters }`.
 * @see seeds/000_2170762ce078838e.txt (Endpoint configuration)
 * Confidence: documented.
 */
export const PropertyRequestDataFormatSchema = z.object({
  type: z.literal('property'),
})
export type PropertyRequestDataFormat = z.infer<typeof PropertyRequestDataFormatSchema>

/** Container Type: `map` (portal: Map) or `array` (portal: Array). */
export const CONTAINER_TYPES = ['map', 'array'] as const

/**
 * Request Data Format → Container: the parameters are nested under Container Name, as an object
 * (Map: `{ "<container_name>": { ...parameters } }`) or as a one-element array
 * (Array: `{ "<container_name>": [ { ...parameters } ] }`).
 * @see seeds/000_2170762ce078838e.txt (Endpoint configuration)
 * Confidence: documented.
 */
export const ContainerRequestDataFormatSchema = z.object({
  type: z.literal('container'),
  container_type: z.enum(CONTAINER_TYPES),
  container_name: z.string().min(1),
})
export type ContainerRequestDataFormat = z.infer<typeof ContainerRequestDataFormatSchema>

/**
 * How a POST/PUT/PATCH body is built from the parameters (portal: Request Data Format).
 * @see seeds/000_2170762ce078838e.txt (Endpoint configuration)
 * Confidence: documented.
 */
export const RequestDataFormatSchema = z.discriminatedUnion('type', [
  PropertyRequestDataFormatSchema,
  ContainerRequestDataFormatSchema,
])
export type RequestDataFormat = z.infer<typeof RequestDataFormatSchema>
