import { defineContract, type ContractDefinition } from '../catalog/contract.js'
import { ChatTranscriptSchema } from './chat-transcript.js'

export { ChatTranscriptSchema, CURRENT_TRANSCRIPT_VERSION } from './chat-transcript.js'
export type { ChatTranscript } from './chat-transcript.js'
export {
  TranscriptRoleSchema,
  TranscriptUserDataSchema,
  TextEntrySchema,
  TextTemplateEntrySchema,
  MarkdownEntrySchema,
  MarkdownTemplateEntrySchema,
  PhotoEntrySchema,
  VideoEntrySchema,
  NotiEntrySchema,
  ActionEntrySchema,
  TranscriptEntrySchema,
} from './transcript-entry.js'
export type {
  TranscriptRole,
  TranscriptUserData,
  TextEntry,
  TextTemplateEntry,
  MarkdownEntry,
  MarkdownTemplateEntry,
  PhotoEntry,
  VideoEntry,
  NotiEntry,
  ActionEntry,
  TranscriptEntry,
} from './transcript-entry.js'
export {
  TextBodySchema,
  TextTemplateBodySchema,
  MarkdownBodySchema,
  MarkdownTemplateBodySchema,
  PhotoBodySchema,
  VideoDetailsSchema,
  VideoBodySchema,
  NotiBodySchema,
  ActionBodySchema,
  TranscriptBodySchema,
  TRANSCRIPT_BODY_TYPES,
} from './transcript-body.js'
export type {
  TextBody,
  TextTemplateBody,
  MarkdownBody,
  MarkdownTemplateBody,
  PhotoBody,
  VideoDetails,
  VideoBody,
  NotiBody,
  ActionBody,
  TranscriptBody,
  TranscriptBodyType,
} from './transcript-body.js'
export { CHAT_TRANSCRIPT_TXT } from './transcript-txt.js'

export const TRANSCRIPT_CONTRACTS: readonly ContractDefinition[] = [
  defineContract({
    id: 'transcript.chat',
    family: 'transcript',
    title: 'Chat transcript JSON (chat transcript metadata record)',
    direction: { from: 'ccai-platform', to: 'external-storage' },
    transport: 'file',
    schema: ChatTranscriptSchema,
    source: {
      document:
        'https://docs.cloud.google.com/contact-center/ccai-platform/docs/chat-transcript-metadata',
      section: 'Schema root; entries; Message Definitions (reference §1.4)',
    },
    confidence: 'documented',
    notes:
      'Delivered as an external-storage transcript file and/or a CRM transcript upload, depending on the instance; ' +
      'the storage file name of the JSON form is not documented (seed 000 lists only chat-{id}.txt). ' +
      '`noti` and `action` body fields are undocumented: only `type` is pinned, `content` is inferred. ' +
      'The `video` body lists no `type` on the page; `type: "video"` is inferred from "entry type mirrors body.type".',
  }),
]
