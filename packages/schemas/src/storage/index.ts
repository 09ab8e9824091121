import { defineContract, type ContractDefinition } from '../catalog/contract.js'
import { StoragePathSchema } from './storage-path.js'

export {
  STORAGE_FILE_KINDS,
  STORAGE_SESSION_TYPES,
  STORAGE_MEDIA_TYPES,
  STORAGE_FILE_EXTENSIONS,
  STORAGE_FOLDERS,
  STORAGE_FOLDER_NAMES,
  STORAGE_FOLDER_BY_KIND,
  STORAGE_FILE_PATTERNS,
  STORAGE_ID_PATTERN,
} from './storage-folders.js'
export type {
  StorageFileKind,
  StorageSessionType,
  StorageMediaType,
  StorageFileExtension,
  StorageFolderInfo,
  StorageFolder,
  StorageFilePattern,
} from './storage-folders.js'
export {
  StoragePathSchema,
  STORAGE_PATH_REGEX,
  parseStoragePath,
  formatStoragePath,
} from './storage-path.js'
export type {
  StoragePath,
  ParsedStoragePath,
  RejectedStoragePath,
  StoragePathResult,
  StoragePathExtra,
  StoragePathSpec,
  FormatStoragePathArgs,
} from './storage-path.js'

export const STORAGE_CONTRACTS: readonly ContractDefinition[] = [
  defineContract({
    id: 'storage.path',
    family: 'storage',
    title: 'External storage file path (folder and file name)',
    direction: { from: 'ccai-platform', to: 'external-storage' },
    transport: 'file',
    schema: StoragePathSchema,
    source: {
      document: 'seeds/000_2170762ce078838e.txt',
      section:
        'External storage for custom CRM solutions: Folder structure; File formats and naming conventions (reference §6.1)',
    },
    confidence: 'documented',
    notes:
      'A path relative to the Cloud Storage bucket or the SFTP root, optionally under the configured Folder Path. ' +
      'The ujet-voicemails folder is documented but its file names are not: call-{id}.mp3|wav is inferred. ' +
      'The files’ contents are other contracts: metadata.call / metadata.chat (JSON), transcript.chat (JSON form of the transcript).',
  }),
]
