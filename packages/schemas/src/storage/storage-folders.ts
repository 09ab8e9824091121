/*
 * The external-storage layout, as data. Seed 000 ("External storage for custom CRM solutions")
 * gives the folders and the file-name templates; the newer external-storage page adds nothing
 * to the naming. Everything below is documented except the voicemail file names (see there).
 */

/** The kinds of file the platform writes to external storage, one folder each. */
export const STORAGE_FILE_KINDS = [
  'transcript',
  'media',
  'metadata',
  'recording',
  'voicemail',
] as const
export type StorageFileKind = (typeof STORAGE_FILE_KINDS)[number]

/** The two session types that appear in file names (`call-{id}…`, `chat-{id}…`). */
export const STORAGE_SESSION_TYPES = ['call', 'chat'] as const
export type StorageSessionType = (typeof STORAGE_SESSION_TYPES)[number]

export const STORAGE_MEDIA_TYPES = ['photo', 'video'] as const
export type StorageMediaType = (typeof STORAGE_MEDIA_TYPES)[number]

export const STORAGE_FILE_EXTENSIONS = ['txt', 'jpg', 'mp4', 'json', 'mp3', 'wav'] as const
export type StorageFileExtension = (typeof STORAGE_FILE_EXTENSIONS)[number]

export interface StorageFolderInfo {
  /** The folder name exactly as the documents spell it. */
  readonly name: string
  readonly kind: StorageFileKind
  /** What the documents say goes there. */
  readonly holds: string
}

/**
 * The folders created under the configured Folder Path (or the bucket / SFTP root when no Folder
 * Path is set), in the documents' order.
 *
 * @see seeds/000_2170762ce078838e.txt ("Folder structure")
 * confidence: documented
 */
export const STORAGE_FOLDERS = [
  { name: 'ujet-chat-transcripts', kind: 'transcript', holds: 'Chat transcripts (TXT)' },
  {
    name: 'ujet-media',
    kind: 'media',
    holds: 'Photos and videos uploaded by the end-user (smart actions)',
  },
  { name: 'ujet-metadata', kind: 'metadata', holds: 'Session metadata files (JSON)' },
  { name: 'ujet-voice-recordings', kind: 'recording', holds: 'Call recordings' },
  { name: 'ujet-voicemails', kind: 'voicemail', holds: 'Voicemails (file naming undocumented)' },
] as const satisfies readonly StorageFolderInfo[]
export type StorageFolder = (typeof STORAGE_FOLDERS)[number]['name']

export const STORAGE_FOLDER_NAMES: readonly StorageFolder[] = STORAGE_FOLDERS.map(
  (folder) => folder.name,
)

/** The folder of each file kind. */
export const STORAGE_FOLDER_BY_KIND = {
  transcript: 'ujet-chat-transcripts',
  media: 'ujet-media',
  metadata: 'ujet-metadata',
  recording: 'ujet-voice-recordings',
  voicemail: 'ujet-voicemails',
} as const satisfies Record<StorageFileKind, StorageFolder>

export interface StorageFilePattern {
  readonly kind: StorageFileKind
  readonly folder: StorageFolder
  readonly sessionType: StorageSessionType
  /** The template as the documents write it: `call-{id}.mp3`, `chat-{id}-photo-{photo-id}.jpg`. */
  readonly template: string
  readonly extension: StorageFileExtension
  /** Media files carry a second id, the photo's or the video's. */
  readonly media: StorageMediaType | null
  /** `false` only for the voicemail names, which ccai-sim infers. */
  readonly documented: boolean
}

/**
 * Every file-name pattern per kind.
 *
 * The voicemail rows are an inference: the `ujet-voicemails` folder is documented but no file name
 * is. Voicemails are calls (the `{TYPE}` lookup variable lists `Voicemail` among call types), so
 * ccai-sim names them like call recordings: `call-{id}.mp3` / `call-{id}.wav`.
 *
 * @see seeds/000_2170762ce078838e.txt ("File formats and naming conventions")
 * confidence: documented (voicemail rows: inferred)
 */
export const STORAGE_FILE_PATTERNS = [
  {
    kind: 'recording',
    folder: 'ujet-voice-recordings',
    sessionType: 'call',
    template: 'call-{id}.mp3',
    extension: 'mp3',
    media: null,
    documented: true,
  },
  {
    kind: 'recording',
    folder: 'ujet-voice-recordings',
    sessionType: 'call',
    template: 'call-{id}.wav',
    extension: 'wav',
    media: null,
    documented: true,
  },
  {
    kind: 'media',
    folder: 'ujet-media',
    sessionType: 'call',
    template: 'call-{id}-photo-{photo-id}.jpg',
    extension: 'jpg',
    media: 'photo',
    documented: true,
  },
  {
    kind: 'media',
    folder: 'ujet-media',
    sessionType: 'call',
    template: 'call-{id}-video-{video-id}.mp4',
    extension: 'mp4',
    media: 'video',
    documented: true,
  },
  {
    kind: 'media',
    folder: 'ujet-media',
    sessionType: 'chat',
    template: 'chat-{id}-photo-{photo-id}.jpg',
    extension: 'jpg',
    media: 'photo',
    documented: true,
  },
  {
    kind: 'media',
    folder: 'ujet-media',
    sessionType: 'chat',
    template: 'chat-{id}-video-{video-id}.mp4',
    extension: 'mp4',
    media: 'video',
    documented: true,
  },
  {
    kind: 'transcript',
    folder: 'ujet-chat-transcripts',
    sessionType: 'chat',
    template: 'chat-{id}.txt',
    extension: 'txt',
    media: null,
    documented: true,
  },
  {
    kind: 'metadata',
    folder: 'ujet-metadata',
    sessionType: 'call',
    template: 'call-{id}.json',
    extension: 'json',
    media: null,
    documented: true,
  },
  {
    kind: 'metadata',
    folder: 'ujet-metadata',
    sessionType: 'chat',
    template: 'chat-{id}.json',
    extension: 'json',
    media: null,
    documented: true,
  },
  {
    kind: 'voicemail',
    folder: 'ujet-voicemails',
    sessionType: 'call',
    template: 'call-{id}.mp3',
    extension: 'mp3',
    media: null,
    documented: false,
  },
  {
    kind: 'voicemail',
    folder: 'ujet-voicemails',
    sessionType: 'call',
    template: 'call-{id}.wav',
    extension: 'wav',
    media: null,
    documented: false,
  },
] as const satisfies readonly StorageFilePattern[]

/**
 * A session or media id in a file name: a positive integer in plain decimal, no sign, no leading
 * zeros, at most 15 digits (so it is always a safe JavaScript integer).
 */
export const STORAGE_ID_PATTERN = '[1-9]\\d{0,14}'

/** The regex source of one template, without anchors; `capture` makes the ids capturing groups. */
export function templateRegexSource(template: string, capture: boolean): string {
  const id = capture ? `(${STORAGE_ID_PATTERN})` : STORAGE_ID_PATTERN
  return template
    .replaceAll('.', '\\.')
    .replaceAll('{id}', id)
    .replaceAll('{photo-id}', id)
    .replaceAll('{video-id}', id)
}
