import { z } from 'zod'
import { openVocabulary } from '../internal/modes.js'

/*
 * Scalar vocabularies seen in the REST API examples and the metadata pages. Each list is what the
 * documents show, which is known to be incomplete (reference §1.5, "Full enum lists: gap"), so each
 * field accepts any string in tolerant mode.
 */

/**
 * `disconnected_by`. `disconnected_by_unknown` is the API default and `disconnected_by_end_user`
 * appears in log metrics; the agent and virtual-agent spellings are inferred from the prose
 * ("Disconnected By Agent").
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/apps-api-call
 * doc-example (first two), inferred (the others)
 */
export const DisconnectedBySchema = z.enum([
  'disconnected_by_unknown',
  'disconnected_by_end_user',
  'disconnected_by_agent',
  'disconnected_by_virtual_agent',
])
export type DisconnectedBy = z.infer<typeof DisconnectedBySchema>
export const DisconnectedByFieldSchema = openVocabulary(DisconnectedBySchema)

/**
 * `recording_permission` on call objects. Objects show `not_asked`; `granted`/`denied` are inferred
 * from the request-side vocabulary (`recording_permission_granted`, …).
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/apps-api-call
 * doc-example (`not_asked`), inferred (the others)
 */
export const RecordingPermissionSchema = z.enum(['not_asked', 'granted', 'denied'])
export type RecordingPermission = z.infer<typeof RecordingPermissionSchema>
export const RecordingPermissionFieldSchema = openVocabulary(RecordingPermissionSchema)

/** `voicemail_reason` (`not_voicemail` is the only value shown). @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/apps-api-call doc-example */
export const VoicemailReasonSchema = z.enum(['not_voicemail'])
export type VoicemailReason = z.infer<typeof VoicemailReasonSchema>
export const VoicemailReasonFieldSchema = openVocabulary(VoicemailReasonSchema)

/** `deflection` (`no_deflection` is the only value shown). @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/apps-api-call doc-example */
export const DeflectionSchema = z.enum(['no_deflection'])
export type Deflection = z.infer<typeof DeflectionSchema>
export const DeflectionFieldSchema = openVocabulary(DeflectionSchema)

/** `offer_type` (`cascade`, or null). @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/apps-api-call doc-example */
export const OfferTypeSchema = z.enum(['cascade'])
export type OfferType = z.infer<typeof OfferTypeSchema>
export const OfferTypeFieldSchema = openVocabulary(OfferTypeSchema)

/** `answer_type` (`manual` is the only value shown). @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/apps-api-call doc-example */
export const AnswerTypeSchema = z.enum(['manual'])
export type AnswerType = z.infer<typeof AnswerTypeSchema>
export const AnswerTypeFieldSchema = openVocabulary(AnswerTypeSchema)

/**
 * `menu_type` of a queue (menu). `ivr_menu` appears in objects; `mobile_menu` and `web_menu` are the
 * other values of the wait-times API's `menu_type` filter.
 *
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/Developer_Resources
 * documented
 */
export const MenuTypeSchema = z.enum(['ivr_menu', 'mobile_menu', 'web_menu'])
export type MenuType = z.infer<typeof MenuTypeSchema>
export const MenuTypeFieldSchema = openVocabulary(MenuTypeSchema)
