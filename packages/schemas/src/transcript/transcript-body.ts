import { z } from 'zod'
import { IntegerIdSchema, UrlSchema } from '../common/primitives.js'

/*
 * Bodies of chat transcript entries, discriminated by `body.type`. The field lists come from the
 * "Message Definitions" of the chat transcript metadata page (older revision, `?hl=ja`/`?hl=ko`);
 * the newer revision names `noti` and `action` too but their fields could not be read.
 */

/**
 * A plain text message.
 *
 * `lang` is listed in the definition but the page does not say whether it is required; it is
 * nullish so that SMS-style messages without a detected language still pass.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/chat-transcript-metadata ("text")
 * confidence: documented
 */
export const TextBodySchema = z.object({
  type: z.literal('text'),
  content: z.string(),
  lang: z.string().nullish(),
})
export type TextBody = z.infer<typeof TextBodySchema>

/**
 * A templated text message; `content` may still contain placeholders.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/chat-transcript-metadata ("text_template")
 * confidence: documented
 */
export const TextTemplateBodySchema = z.object({
  type: z.literal('text_template'),
  content: z.string(),
})
export type TextTemplateBody = z.infer<typeof TextTemplateBodySchema>

/**
 * A message formatted as Markdown.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/chat-transcript-metadata ("markdown")
 * confidence: documented
 */
export const MarkdownBodySchema = z.object({
  type: z.literal('markdown'),
  content: z.string(),
})
export type MarkdownBody = z.infer<typeof MarkdownBodySchema>

/**
 * A templated Markdown message; `content` may contain placeholders.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/chat-transcript-metadata ("markdown_template")
 * confidence: documented
 */
export const MarkdownTemplateBodySchema = z.object({
  type: z.literal('markdown_template'),
  content: z.string(),
})
export type MarkdownTemplateBody = z.infer<typeof MarkdownTemplateBodySchema>

/**
 * A photo; `media_id` is the id of the media file (the `{photo-id}` of `ujet-media/chat-{id}-photo-{photo-id}.jpg`).
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/chat-transcript-metadata ("photo")
 * confidence: documented
 */
export const PhotoBodySchema = z.object({
  type: z.literal('photo'),
  media_id: IntegerIdSchema,
})
export type PhotoBody = z.infer<typeof PhotoBodySchema>

/**
 * The `video` object inside a video body: where the video is and its alternative text.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/chat-transcript-metadata ("video")
 * confidence: documented
 */
export const VideoDetailsSchema = z.object({
  url: UrlSchema,
  /** Alternative text of the video. */
  text: z.string().nullish(),
})
export type VideoDetails = z.infer<typeof VideoDetailsSchema>

/**
 * A video. The readable definition lists `title`, `video` and `media_id` but not `type`, so a body
 * without `type` (the entry's own `type: "video"` says what it is) is accepted strictly; the
 * simulator still writes `type: "video"`, as every other body has it (the page: the entry's `type`
 * mirrors `body.type`).
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/chat-transcript-metadata ("video")
 * confidence: documented (fields), inferred (`type: "video"` when present)
 */
export const VideoBodySchema = z.object({
  type: z.literal('video').optional(),
  title: z.string().nullish(),
  video: VideoDetailsSchema,
  media_id: IntegerIdSchema,
})
export type VideoBody = z.infer<typeof VideoBodySchema>

/**
 * A notification entry (a system notice in the conversation). The page names the `noti` type but
 * its fields could not be read: only `type` is pinned. `content` is our inference (the key every
 * documented text-like body uses), so the simulator can emit a readable notice; any other key a real
 * platform sends passes tolerant checking as a note.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/chat-transcript-metadata (entry discriminator)
 * confidence: documented (`type`), inferred (`content`)
 */
export const NotiBodySchema = z.object({
  type: z.literal('noti'),
  content: z.string().nullish(),
})
export type NotiBody = z.infer<typeof NotiBodySchema>

/**
 * An action entry (something done in the conversation rather than said). Named by the page, fields
 * unreadable: as for `noti`, only `type` is pinned and `content` is inferred.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/chat-transcript-metadata (entry discriminator)
 * confidence: documented (`type`), inferred (`content`)
 */
export const ActionBodySchema = z.object({
  type: z.literal('action'),
  content: z.string().nullish(),
})
export type ActionBody = z.infer<typeof ActionBodySchema>

/**
 * Any transcript entry body, on its own `type` field. The page says the list of body types is an
 * example list ("such as text, markdown, photo, noti, action"); a type not listed here is rejected
 * even in tolerant mode, because nothing is known of it.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/chat-transcript-metadata
 * confidence: documented
 */
export const TranscriptBodySchema = z.discriminatedUnion('type', [
  TextBodySchema,
  TextTemplateBodySchema,
  MarkdownBodySchema,
  MarkdownTemplateBodySchema,
  PhotoBodySchema,
  VideoBodySchema,
  NotiBodySchema,
  ActionBodySchema,
])
export type TranscriptBody = z.infer<typeof TranscriptBodySchema>

/** The body types, in the order of the page's definitions. */
export const TRANSCRIPT_BODY_TYPES = [
  'text',
  'text_template',
  'markdown',
  'markdown_template',
  'photo',
  'video',
  'noti',
  'action',
] as const satisfies readonly TranscriptBody['type'][]
export type TranscriptBodyType = (typeof TRANSCRIPT_BODY_TYPES)[number]
