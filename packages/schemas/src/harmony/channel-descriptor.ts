import { z } from 'zod'

/** The channel media types the documents name; CTIs may add their own (`<custom_type>`). */
export const HARMONY_CHANNEL_TYPES = ['TELEPHONY', 'EMAIL', 'CHAT'] as const

/**
 * The `channel` object of `channel.created`: id, endpoint name, type and model type. The document
 * lists `"<custom_type>"` beside the three named types, so any string is accepted.
 * @see seeds/001_6a59e76a77c67195.txt (channel.created) — documented
 */
export const HarmonyChannelDescriptorSchema = z.object({
  id: z.string(),
  /** The endpoint name (extension, station…). */
  name: z.string(),
  type: z.union([z.enum(HARMONY_CHANNEL_TYPES), z.string()]),
  modelType: z.union([z.enum(HARMONY_CHANNEL_TYPES), z.string()]),
})
export type HarmonyChannelDescriptor = z.infer<typeof HarmonyChannelDescriptorSchema>
