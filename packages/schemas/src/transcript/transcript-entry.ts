import { z } from 'zod'
import { EpochSecondsSchema } from '../common/primitives.js'
import {
  ActionBodySchema,
  MarkdownBodySchema,
  MarkdownTemplateBodySchema,
  NotiBodySchema,
  PhotoBodySchema,
  TextBodySchema,
  TextTemplateBodySchema,
  VideoBodySchema,
} from './transcript-body.js'

/**
 * Who produced a transcript entry.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/chat-transcript-metadata (`entries[].role`)
 * confidence: documented
 */
export const TranscriptRoleSchema = z.enum([
  'end_user',
  'agent',
  'manager',
  'virtual_agent',
  'external_agent',
  'task_virtual_agent',
  'system',
])
export type TranscriptRole = z.infer<typeof TranscriptRoleSchema>

/**
 * Sender display data of an entry. For `end_user` and `system` entries it is an empty object; for
 * the other roles `name` is present only when sender metadata is available (newer revision).
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/chat-transcript-metadata?hl=zh-cn (`user_data`)
 * confidence: documented
 */
export const TranscriptUserDataSchema = z.object({
  name: z.string().nullish(),
})
export type TranscriptUserData = z.infer<typeof TranscriptUserDataSchema>

// Every entry carries the same four fields beside `body`; the entry `type` mirrors `body.type`, so
// each member pins both to the same literal and a mismatch is rejected at `body.type`.
const entryFields = {
  /** Unix epoch seconds, an integer (not the ISO strings of the metadata file). */
  timestamp: EpochSecondsSchema,
  role: TranscriptRoleSchema,
  user_data: TranscriptUserDataSchema,
}

/**
 * A transcript entry holding a text message.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/chat-transcript-metadata (`entries[]`)
 * confidence: documented
 */
export const TextEntrySchema = z.object({
  ...entryFields,
  type: z.literal('text'),
  body: TextBodySchema,
})
export type TextEntry = z.infer<typeof TextEntrySchema>

/**
 * A transcript entry holding a templated text message.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/chat-transcript-metadata (`entries[]`)
 * confidence: documented
 */
export const TextTemplateEntrySchema = z.object({
  ...entryFields,
  type: z.literal('text_template'),
  body: TextTemplateBodySchema,
})
export type TextTemplateEntry = z.infer<typeof TextTemplateEntrySchema>

/**
 * A transcript entry holding a Markdown message.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/chat-transcript-metadata (`entries[]`)
 * confidence: documented
 */
export const MarkdownEntrySchema = z.object({
  ...entryFields,
  type: z.literal('markdown'),
  body: MarkdownBodySchema,
})
export type MarkdownEntry = z.infer<typeof MarkdownEntrySchema>

/**
 * A transcript entry holding a templated Markdown message.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/chat-transcript-metadata (`entries[]`)
 * confidence: documented
 */
export const MarkdownTemplateEntrySchema = z.object({
  ...entryFields,
  type: z.literal('markdown_template'),
  body: MarkdownTemplateBodySchema,
})
export type MarkdownTemplateEntry = z.infer<typeof MarkdownTemplateEntrySchema>

/**
 * A transcript entry holding a photo.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/chat-transcript-metadata (`entries[]`)
 * confidence: documented
 */
export const PhotoEntrySchema = z.object({
  ...entryFields,
  type: z.literal('photo'),
  body: PhotoBodySchema,
})
export type PhotoEntry = z.infer<typeof PhotoEntrySchema>

/**
 * A transcript entry holding a video.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/chat-transcript-metadata (`entries[]`)
 * confidence: documented
 */
export const VideoEntrySchema = z.object({
  ...entryFields,
  type: z.literal('video'),
  body: VideoBodySchema,
})
export type VideoEntry = z.infer<typeof VideoEntrySchema>

/**
 * A transcript entry holding a notification (body fields undocumented, see `NotiBodySchema`).
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/chat-transcript-metadata (`entries[]`)
 * confidence: documented (`type`), inferred (body fields)
 */
export const NotiEntrySchema = z.object({
  ...entryFields,
  type: z.literal('noti'),
  body: NotiBodySchema,
})
export type NotiEntry = z.infer<typeof NotiEntrySchema>

/**
 * A transcript entry holding an action (body fields undocumented, see `ActionBodySchema`).
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/chat-transcript-metadata (`entries[]`)
 * confidence: documented (`type`), inferred (body fields)
 */
export const ActionEntrySchema = z.object({
  ...entryFields,
  type: z.literal('action'),
  body: ActionBodySchema,
})
export type ActionEntry = z.infer<typeof ActionEntrySchema>

/**
 * One transcript entry (a message, a notification or an action), on the entry's own `type` field.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/chat-transcript-metadata (`entries[]`)
 * confidence: documented
 */
export const TranscriptEntrySchema = z.discriminatedUnion('type', [
  TextEntrySchema,
  TextTemplateEntrySchema,
  MarkdownEntrySchema,
  MarkdownTemplateEntrySchema,
  PhotoEntrySchema,
  VideoEntrySchema,
  NotiEntrySchema,
  ActionEntrySchema,
])
export type TranscriptEntry = z.infer<typeof TranscriptEntrySchema>
