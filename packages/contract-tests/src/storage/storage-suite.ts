import {
  checkContract,
  formatStoragePath,
  STORAGE_FOLDER_NAMES,
  type ParsedStoragePath,
  type StoragePathSpec,
} from '@ccai-sim/schemas'
import { runSuite, type RunSuiteOptions } from '../core/runner.js'
import type {
  ClauseDefinition,
  ClauseTools,
  Exchange,
  SuiteDefinition,
  SuiteResult,
} from '../core/types.js'
import {
  folderListing,
  isDocumentedFolder,
  looksLikePlatformFolder,
  missingFile,
  parsedFiles,
  placedFiles,
  platformSegment,
  readMetadataObject,
  readTreeFile,
  scanTree,
  type StorageSuiteContext,
  type StorageTree,
} from './tree.js'

export type { StorageSuiteContext } from './tree.js'

/*
 * Decisions:
 * - Metadata is checked strictly: the suite checks a tree the platform (or the simulator) wrote,
 *   and strict is what the platform emits. A file that only tolerant checking accepts (a copy
 *   re-serialised by a third-party tool: `sub_status` on a call, `end-user`) fails STORAGE-003,
 *   and the failure says that tolerant checking would take it.
 * - Each clause reads what it needs (no cache between clauses), so a clause run alone with
 *   `only` sees the tree as it is now.
 * - Cross-file clauses use the session id of the file NAME and skip a metadata file that is not a
 *   JSON object, so one broken file fails one clause: a wrong `id` is STORAGE-005's, invalid JSON
 *   STORAGE-003's, a misnamed file STORAGE-002's, an unknown folder STORAGE-001's.
 * - Hidden entries (`.DS_Store`, in-progress `.partial` writes) and symbolic links are not checked;
 *   STORAGE-001 lists them with the folders and files outside the `ujet-*` folders.
 * - Voicemail file names are undocumented (ccai-sim infers `call-{id}.mp3|wav`): a voicemail with
 *   another name is listed, not failed.
 */

interface Offence {
  readonly path: string
  readonly problem: string
  readonly exchanges: readonly Exchange[]
}

const MAX_LISTED = 25

/** Records the offenders' reads and fails the clause naming each, or passes when there are none. */
function conclude(
  tools: ClauseTools,
  offences: readonly Offence[],
  text: { readonly what: string; readonly expected: string },
): void {
  for (const offence of offences.slice(0, MAX_LISTED))
    for (const exchange of offence.exchanges) tools.record(exchange)
  if (offences.length === 0) return
  const lines = offences.slice(0, MAX_LISTED).map((o) => `${o.path}: ${o.problem}`)
  if (offences.length > MAX_LISTED) lines.push(`… and ${offences.length - MAX_LISTED} more`)
  const [first] = offences
  tools.fail({
    message: `${offences.length} ${text.what} (first: ${first?.path ?? ''}: ${first?.problem ?? ''})`,
    expected: text.expected,
    actual: lines.join('\n'),
  })
}

/** A clause that works on the tree as scanned when it starts. */
function clause(definition: {
  readonly id: string
  readonly title: string
  readonly rationale: string
  readonly run: (tree: StorageTree, tools: ClauseTools) => Promise<void> | void
}): ClauseDefinition<StorageSuiteContext> {
  return {
    id: definition.id,
    title: `${definition.id} ${definition.title}`,
    rationale: definition.rationale,
    run: async (context, tools) => {
      const tree = await scanTree(context.dir)
      await definition.run(tree, tools)
    },
  }
}

function sameFolder(parsed: ParsedStoragePath, spec: Omit<StoragePathSpec, 'basePath'>): string {
  return formatStoragePath({ ...spec, basePath: parsed.basePath })
}

function isSet(value: unknown): boolean {
  return value !== null && value !== undefined && value !== ''
}

const FOLDERS_TEXT = STORAGE_FOLDER_NAMES.join(', ')

/** STORAGE-001: the `ujet-*` folders are the documented five, each in one place. */
const folderNames = clause({
  id: 'STORAGE-001',
  title: 'only the documented ujet-* folders are present',
  rationale: `The platform writes into ${FOLDERS_TEXT} under the optional Folder Path, nothing else (seed 000, External storage: Folder structure; reference §6.1).`,
  run: (tree, tools) => {
    const offences: Offence[] = []
    let documented = 0
    for (const folder of tree.folders) {
      const segment = platformSegment(folder)
      const name = folder.split('/').at(-1) ?? folder
      if (segment === undefined) continue
      const depth = folder.split('/').length - 1
      if (depth !== segment.index) continue // a subfolder inside a ujet-* folder: STORAGE-002's
      if (!isDocumentedFolder(name)) {
        offences.push({
          path: `${folder}/`,
          problem: `"${name}" is not a documented folder`,
          exchanges: [folderListing(tree, folder, `expected one of ${FOLDERS_TEXT}`)],
        })
      } else documented += 1
    }
    // A documented folder nested in another ujet-* folder is misplaced too.
    for (const folder of tree.folders) {
      const segments = folder.split('/')
      const platform = segments.filter(looksLikePlatformFolder)
      if (platform.length > 1 && looksLikePlatformFolder(segments.at(-1) ?? '')) {
        offences.push({
          path: `${folder}/`,
          problem: `a ujet-* folder inside another (${platform.join(' › ')})`,
          exchanges: [folderListing(tree, folder, 'expected the ujet-* folders side by side')],
        })
      }
    }
    // Everything outside the ujet-* folders is not the platform's: listed, not failed.
    for (const path of tree.files) {
      if (platformSegment(path) === undefined) {
        tools.record({
          request: { method: 'READ', url: path, headers: {} },
          response: { status: 200, headers: {}, body: 'not checked: outside the ujet-* folders' },
          durationMs: 0,
        })
      }
    }
    for (const path of tree.skipped) {
      tools.record({
        request: { method: 'READ', url: path, headers: {} },
        response: {
          status: 200,
          headers: {},
          body: 'not checked: a hidden entry or not a regular file',
        },
        durationMs: 0,
      })
    }
    if (documented === 0 && offences.length === 0) {
      tools.record(folderListing(tree, '.', 'no ujet-* folder found'))
      tools.fail({
        message: `no ujet-* folder under ${tree.root}`,
        expected: `at least one of ${FOLDERS_TEXT} (directly, or under the configured Folder Path)`,
        actual: `${tree.files.length} file(s), folders: ${tree.folders.slice(0, 10).join(', ') || 'none'}`,
      })
    }
    conclude(tools, offences, {
      what: 'folder(s) with a ujet-* name the platform does not write',
      expected: `ujet-* folders named exactly ${FOLDERS_TEXT}, side by side`,
    })
  },
})

/** STORAGE-002: every file in a documented folder is named by that folder's pattern. */
const fileNames = clause({
  id: 'STORAGE-002',
  title: "every file in a ujet-* folder is named by its folder's pattern",
  rationale:
    'Recordings are call-{id}.mp3|wav, media call|chat-{id}-photo|video-{media-id}.jpg|mp4, transcripts chat-{id}.txt, metadata call|chat-{id}.json, files directly in their folder (seed 000, File formats and naming conventions; reference §6.1).',
  run: async (tree, tools) => {
    const offences: Offence[] = []
    for (const file of placedFiles(tree)) {
      if (file.parsed.ok) continue
      const inVoicemails = platformSegment(file.path)?.name === 'ujet-voicemails'
      const flat = file.path.split('/').length - 2 === platformSegment(file.path)?.index
      if (inVoicemails && flat) {
        tools.record({
          request: { method: 'READ', url: file.path, headers: {} },
          response: {
            status: 200,
            headers: {},
            body: `not failed: voicemail file names are undocumented (${file.parsed.reason})`,
          },
          durationMs: 0,
        })
        continue
      }
      const { exchange } = await readTreeFile(tree, file.path)
      offences.push({ path: file.path, problem: file.parsed.reason, exchanges: [exchange] })
    }
    conclude(tools, offences, {
      what: "file(s) not named by their folder's pattern",
      expected: 'each file directly in its ujet-* folder, named by one of its documented templates',
    })
  },
})

/** STORAGE-003: metadata files are valid JSON and pass strict `metadata.call` / `metadata.chat`. */
const metadataValid = clause({
  id: 'STORAGE-003',
  title: 'every metadata file is JSON that passes strict metadata.call / metadata.chat checking',
  rationale:
    'ujet-metadata holds one JSON session metadata record per session, in the documented schema (call-session-metadata, chat-session-metadata; seed 000; reference §1.2, §1.3, §6.1).',
  run: async (tree, tools) => {
    const files = parsedFiles(tree, 'metadata')
    if (files.length === 0) return tools.skip('no metadata files in the tree')
    const offences: Offence[] = []
    for (const file of files) {
      const { bytes, exchange } = await readTreeFile(tree, file.path)
      let value: unknown
      try {
        value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error)
        offences.push({
          path: file.path,
          problem: `not valid JSON (${reason})`,
          exchanges: [exchange],
        })
        continue
      }
      const contract = `metadata.${file.sessionType}`
      const strict = checkContract(contract, value, { mode: 'strict' })
      if (strict.ok) continue
      const tolerant = checkContract(contract, value, { mode: 'tolerant' })
      const issues = strict.issues.slice(0, 5).map((issue) => issue.message)
      const more = strict.issues.length > 5 ? `; … ${strict.issues.length - 5} more` : ''
      const note = tolerant.ok
        ? ' (tolerant checking accepts it: a documented alternate or an unknown key, not what the platform writes)'
        : ''
      offences.push({
        path: file.path,
        problem: `fails strict ${contract}: ${issues.join('; ')}${more}${note}`,
        exchanges: [exchange],
      })
    }
    conclude(tools, offences, {
      what: 'metadata file(s) that are not a valid metadata record',
      expected:
        'JSON passing strict metadata.call (call-{id}.json) or metadata.chat (chat-{id}.json)',
    })
  },
})

/** STORAGE-004: chat transcripts are non-empty UTF-8 text. */
const transcriptsText = clause({
  id: 'STORAGE-004',
  title: 'every chat transcript is non-empty UTF-8 text',
  rationale:
    'ujet-chat-transcripts holds each chat transcript as a TXT file, uploaded within seconds of the session; its line format is undocumented, so it is checked as opaque text (seed 000; reference §1.4, §6.1).',
  run: async (tree, tools) => {
    const files = parsedFiles(tree, 'transcript')
    if (files.length === 0) return tools.skip('no chat transcripts in the tree')
    const offences: Offence[] = []
    for (const file of files) {
      const { bytes, exchange } = await readTreeFile(tree, file.path)
      let problem: string | undefined
      try {
        const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
        if (bytes.byteLength === 0) problem = 'empty file'
        else if (text.trim() === '') problem = 'only whitespace'
      } catch {
        problem = 'not valid UTF-8'
      }
      if (problem !== undefined) offences.push({ path: file.path, problem, exchanges: [exchange] })
    }
    conclude(tools, offences, {
      what: 'chat transcript(s) that are not non-empty UTF-8 text',
      expected: 'a non-empty UTF-8 text file per transcript',
    })
  },
})

/** STORAGE-005: a metadata record's `id` (and session type) match its file name. */
const metadataIds = clause({
  id: 'STORAGE-005',
  title: 'every metadata record has the id and session type of its file name',
  rationale:
    'The record is keyed by its top-level integer id and stored as call-{id}.json or chat-{id}.json (call-session-metadata, chat-session-metadata; seed 000; reference §0, §6.1).',
  run: async (tree, tools) => {
    const files = parsedFiles(tree, 'metadata')
    if (files.length === 0) return tools.skip('no metadata files in the tree')
    const offences: Offence[] = []
    for (const file of files) {
      const record = await readMetadataObject(tree, file.path)
      if (record === undefined || !('id' in record.value)) continue
      const id = record.value.id
      const problems: string[] = []
      if (String(id) !== String(file.sessionId))
        problems.push(`id is ${JSON.stringify(id)}, the file name says ${file.sessionId}`)
      const other = file.sessionType === 'call' ? 'chat' : 'call'
      if (`${other}_type` in record.value && !(`${file.sessionType}_type` in record.value))
        problems.push(`it is a ${other} record (has ${other}_type) in a ${file.sessionType} file`)
      if (problems.length > 0)
        offences.push({
          path: file.path,
          problem: problems.join('; '),
          exchanges: [record.exchange],
        })
    }
    conclude(tools, offences, {
      what: 'metadata record(s) whose id or type differ from the file name',
      expected:
        '"id" equal to the {id} of call-{id}.json / chat-{id}.json, and a record of that session type',
    })
  },
})

/** STORAGE-006: a chat whose metadata shows messages has its transcript. */
const chatTranscripts = clause({
  id: 'STORAGE-006',
  title: 'every chat whose metadata shows messages has its transcript',
  rationale:
    'The transcript is uploaded within seconds after the session and the metadata about 15 minutes later, so a chat record with first_msg_sent_at has chat-{id}.txt beside it (seed 000, External storage; reference §6.1).',
  run: async (tree, tools) => {
    const chats = parsedFiles(tree, 'metadata').filter((f) => f.sessionType === 'chat')
    if (chats.length === 0) return tools.skip('no chat metadata files in the tree')
    const present = new Set(tree.files)
    const offences: Offence[] = []
    for (const file of chats) {
      const record = await readMetadataObject(tree, file.path)
      if (record === undefined) continue
      if (!isSet(record.value.first_msg_sent_at) && !isSet(record.value.last_msg_sent_at)) continue
      const expected = sameFolder(file, {
        kind: 'transcript',
        sessionType: 'chat',
        sessionId: file.sessionId,
      })
      if (present.has(expected)) continue
      offences.push({
        path: file.path,
        problem: `first_msg_sent_at is ${JSON.stringify(record.value.first_msg_sent_at)} but ${expected} is missing`,
        exchanges: [record.exchange, missingFile(expected)],
      })
    }
    conclude(tools, offences, {
      what: 'chat(s) with messages but no transcript',
      expected:
        'ujet-chat-transcripts/chat-{id}.txt for every chat whose metadata has first_msg_sent_at',
    })
  },
})

/** STORAGE-007: a call whose metadata lists recordings has its recording file. */
const callRecordings = clause({
  id: 'STORAGE-007',
  title: 'every call whose metadata lists a recording has its recording file',
  rationale:
    'ujet-voice-recordings holds the call recording as call-{id}.mp3 or call-{id}.wav; a record with recordings or a recording_url was recorded (seed 000; call-session-metadata; reference §1.5, §6.1).',
  run: async (tree, tools) => {
    const calls = parsedFiles(tree, 'metadata').filter((f) => f.sessionType === 'call')
    if (calls.length === 0) return tools.skip('no call metadata files in the tree')
    const present = new Set(tree.files)
    const offences: Offence[] = []
    for (const file of calls) {
      const record = await readMetadataObject(tree, file.path)
      if (record === undefined) continue
      const { recordings, recording_url: recordingUrl } = record.value
      const listed = Array.isArray(recordings) && recordings.length > 0
      if (!listed && !isSet(recordingUrl)) continue
      const spec = { kind: 'recording', sessionType: 'call', sessionId: file.sessionId } as const
      const candidates = (['mp3', 'wav'] as const).map((extension) =>
        sameFolder(file, { ...spec, extension }),
      )
      if (candidates.some((path) => present.has(path))) continue
      const why = listed
        ? `recordings lists ${(recordings as unknown[]).length}`
        : `recording_url is ${JSON.stringify(recordingUrl)}`
      offences.push({
        path: file.path,
        problem: `${why} but neither ${candidates.join(' nor ')} exists`,
        exchanges: [record.exchange, ...candidates.map(missingFile)],
      })
    }
    conclude(tools, offences, {
      what: 'recorded call(s) without a recording file',
      expected:
        'ujet-voice-recordings/call-{id}.mp3 or .wav for every call whose metadata lists a recording',
    })
  },
})

/** STORAGE-008: photos and videos listed in metadata have their media files. */
const mediaFiles = clause({
  id: 'STORAGE-008',
  title: 'every photo and video listed in metadata has its media file',
  rationale:
    'ujet-media holds the end user’s Smart Action uploads as {call|chat}-{id}-photo-{photo-id}.jpg and …-video-{video-id}.mp4, one per item of the record’s photos and videos (seed 000; apps-api-call; reference §1.5, §6.1).',
  run: async (tree, tools) => {
    const files = parsedFiles(tree, 'metadata')
    if (files.length === 0) return tools.skip('no metadata files in the tree')
    const present = new Set(tree.files)
    const offences: Offence[] = []
    for (const file of files) {
      const record = await readMetadataObject(tree, file.path)
      if (record === undefined) continue
      const missing: string[] = []
      for (const type of ['photo', 'video'] as const) {
        const items = record.value[`${type}s`]
        if (!Array.isArray(items)) continue
        for (const item of items as unknown[]) {
          const id = (item as { id?: unknown } | null)?.id
          if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) continue
          const expected = sameFolder(file, {
            kind: 'media',
            sessionType: file.sessionType,
            sessionId: file.sessionId,
            media: { type, id },
          })
          if (!present.has(expected)) missing.push(expected)
        }
      }
      if (missing.length > 0) {
        offences.push({
          path: file.path,
          problem: `lists media whose files are missing: ${missing.join(', ')}`,
          exchanges: [record.exchange, ...missing.map(missingFile)],
        })
      }
    }
    conclude(tools, offences, {
      what: 'session(s) listing photos or videos whose files are missing',
      expected: 'a ujet-media file for every item of photos and videos',
    })
  },
})

/**
 * The storage tree suite: folder names, file-name patterns, metadata and transcript validity, and
 * cross-file consistency of a tree the platform (or the simulator) wrote.
 */
export const STORAGE_SUITE: SuiteDefinition<StorageSuiteContext> = {
  name: 'storage',
  clauses: [
    folderNames,
    fileNames,
    metadataValid,
    transcriptsText,
    metadataIds,
    chatTranscripts,
    callRecordings,
    mediaFiles,
  ],
}

/** What `runStorageSuite` needs: the folder, and optional run settings. */
export interface RunStorageSuiteOptions extends StorageSuiteContext, Omit<RunSuiteOptions, 'now'> {}

/**
 * Runs the storage tree suite on a folder and returns a result per clause, naming each offending
 * file and what was expected.
 *
 * @example
 * const result = await runStorageSuite({ dir: './bucket-download' })
 * for (const clause of result.clauses) if (clause.failure) console.log(clause.id, clause.failure.actual)
 */
export async function runStorageSuite(options: RunStorageSuiteOptions): Promise<SuiteResult> {
  const { only, onClause, dir } = options
  return runSuite(
    STORAGE_SUITE,
    { dir },
    {
      target: dir,
      ...(only === undefined ? {} : { only }),
      ...(onClause === undefined ? {} : { onClause }),
    },
  )
}
