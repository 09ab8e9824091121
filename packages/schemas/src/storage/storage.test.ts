import { describe, expect, it } from 'vitest'
import { checkPayload } from '../check.js'
import {
  formatStoragePath,
  parseStoragePath,
  STORAGE_CONTRACTS,
  STORAGE_FILE_PATTERNS,
  STORAGE_FOLDERS,
  StoragePathSchema,
  type ParsedStoragePath,
} from './index.js'

function parsed(path: string): ParsedStoragePath {
  const result = parseStoragePath(path)
  if (!result.ok) throw new Error(`expected ${path} to parse: ${result.reason}`)
  return result
}

function reason(path: string): string {
  const result = parseStoragePath(path)
  if (result.ok) throw new Error(`expected ${path} to be rejected`)
  return result.reason
}

describe('storage folders', () => {
  it('names the five folders exactly as the documents do, in their order', () => {
    expect(STORAGE_FOLDERS.map((f) => f.name)).toEqual([
      'ujet-chat-transcripts',
      'ujet-media',
      'ujet-metadata',
      'ujet-voice-recordings',
      'ujet-voicemails',
    ])
  })

  it('marks only the voicemail names as inferred', () => {
    expect(STORAGE_FILE_PATTERNS.filter((p) => !p.documented).map((p) => p.kind)).toEqual([
      'voicemail',
      'voicemail',
    ])
  })
})

describe('parseStoragePath on every documented pattern', () => {
  const cases = [
    [
      'ujet-voice-recordings/call-103646.mp3',
      { kind: 'recording', sessionType: 'call', sessionId: 103646, extension: 'mp3', media: null },
    ],
    [
      'ujet-voice-recordings/call-103646.wav',
      { kind: 'recording', sessionType: 'call', sessionId: 103646, extension: 'wav', media: null },
    ],
    [
      'ujet-media/call-103646-photo-4411.jpg',
      {
        kind: 'media',
        sessionType: 'call',
        sessionId: 103646,
        extension: 'jpg',
        media: { type: 'photo', id: 4411 },
      },
    ],
    [
      'ujet-media/call-103646-video-4412.mp4',
      {
        kind: 'media',
        sessionType: 'call',
        sessionId: 103646,
        extension: 'mp4',
        media: { type: 'video', id: 4412 },
      },
    ],
    [
      'ujet-media/chat-73522-photo-1.jpg',
      {
        kind: 'media',
        sessionType: 'chat',
        sessionId: 73522,
        extension: 'jpg',
        media: { type: 'photo', id: 1 },
      },
    ],
    [
      'ujet-media/chat-73522-video-2.mp4',
      {
        kind: 'media',
        sessionType: 'chat',
        sessionId: 73522,
        extension: 'mp4',
        media: { type: 'video', id: 2 },
      },
    ],
    [
      'ujet-chat-transcripts/chat-73522.txt',
      { kind: 'transcript', sessionType: 'chat', sessionId: 73522, extension: 'txt', media: null },
    ],
    [
      'ujet-metadata/call-103646.json',
      { kind: 'metadata', sessionType: 'call', sessionId: 103646, extension: 'json', media: null },
    ],
    [
      'ujet-metadata/chat-73522.json',
      { kind: 'metadata', sessionType: 'chat', sessionId: 73522, extension: 'json', media: null },
    ],
  ] as const

  it.each(cases)('reads %s', (path, expected) => {
    const result = parsed(path)
    expect(result).toMatchObject({
      ...expected,
      basePath: null,
      documented: true,
      fileName: path.split('/')[1],
    })
    expect(result.folder).toBe(path.split('/')[0])
    expect(checkPayload(StoragePathSchema, path, { mode: 'strict' }).ok).toBe(true)
  })

  it('covers every documented template', () => {
    const templates = new Set(cases.map(([path]) => parsed(path).template))
    expect(
      STORAGE_FILE_PATTERNS.filter((p) => p.documented && !templates.has(p.template)).map(
        (p) => p.template,
      ),
    ).toEqual([])
  })

  it('reads the inferred voicemail names and flags them undocumented', () => {
    expect(parsed('ujet-voicemails/call-9.wav')).toMatchObject({
      kind: 'voicemail',
      sessionType: 'call',
      sessionId: 9,
      documented: false,
    })
  })

  it('accepts a configured Folder Path in front and returns it as basePath', () => {
    expect(parsed('exports/ccai/ujet-metadata/chat-73522.json')).toMatchObject({
      basePath: 'exports/ccai',
      folder: 'ujet-metadata',
      kind: 'metadata',
      sessionId: 73522,
    })
  })
})

describe('parseStoragePath on bad paths', () => {
  const bad: readonly (readonly [string, string, RegExp])[] = [
    ['an empty string', '', /expected a path like "ujet-metadata\/call-123\.json"/],
    [
      'an absolute path',
      '/ujet-metadata/call-1.json',
      /expected a path relative to the bucket or SFTP root/,
    ],
    ['a Windows drive path', 'C:/ujet-metadata/call-1.json', /relative to the bucket or SFTP root/],
    ['a backslash path', 'ujet-metadata\\call-1.json', /expected "\/" as the separator/],
    ['a URL', 'gs://bucket/ujet-metadata/call-1.json', /got a URL/],
    ['a traversal', 'ujet-metadata/../ujet-media/call-1.json', /no "\." or "\.\." segments/],
    ['a traversal in the base path', '../ujet-metadata/call-1.json', /path traversal/],
    ['a dot segment', './ujet-metadata/call-1.json', /path traversal/],
    ['an empty segment', 'exports//ujet-metadata/call-1.json', /no empty segments/],
    ['a folder path', 'ujet-metadata/', /expected a file name after the last "\/"/],
    [
      'a file at the root',
      'call-1.json',
      /expected the file inside one of ujet-chat-transcripts, ujet-media/,
    ],
    [
      'an unknown folder',
      'ujet-recordings/call-1.mp3',
      /folder to be one of .*ujet-voice-recordings.*, got "ujet-recordings"/,
    ],
    [
      'a subfolder of a ujet folder',
      'ujet-metadata/2024/call-1.json',
      /directly inside "ujet-metadata", got them in its subfolder "2024"/,
    ],
    [
      'two ujet folders',
      'ujet-media/ujet-metadata/call-1.json',
      /expected one ujet-\* folder, got "ujet-media" in the base path/,
    ],
    [
      'a file name of another folder',
      'ujet-metadata/call-1.mp3',
      /"ujet-metadata" holds call-\{id\}\.json or chat-\{id\}\.json/,
    ],
    ['a chat recording', 'ujet-voice-recordings/chat-1.mp3', /it has no chat files/],
    [
      'a call transcript',
      'ujet-chat-transcripts/call-1.txt',
      /"ujet-chat-transcripts" holds chat-\{id\}\.txt; it has no call files/,
    ],
    [
      'a non-integer id',
      'ujet-metadata/call-12.5.json',
      /session id must be a positive integer.*got "12\.5"/,
    ],
    [
      'a non-numeric id',
      'ujet-metadata/chat-abc.json',
      /session id must be a positive integer.*got "abc"/,
    ],
    ['a zero id', 'ujet-metadata/chat-0.json', /session id must be a positive integer.*got "0"/],
    ['a negative id', 'ujet-metadata/chat--5.json', /session id must be a positive integer/],
    [
      'a leading-zero id',
      'ujet-metadata/call-007.json',
      /without sign, decimals or leading zeros, got "007"/,
    ],
    ['a too long id', 'ujet-metadata/call-1234567890123456.json', /at most 15 digits/],
    [
      'a non-integer photo id',
      'ujet-media/chat-1-photo-x.jpg',
      /the photo id must be a positive integer.*got "x"/,
    ],
    [
      'a photo saved as png',
      'ujet-media/chat-1-photo-2.png',
      /"ujet-media" holds call-\{id\}-photo-\{photo-id\}\.jpg, .* or chat-\{id\}-video-\{video-id\}\.mp4/,
    ],
    [
      'an upper-case extension',
      'ujet-metadata/call-1.JSON',
      /holds call-\{id\}\.json or chat-\{id\}\.json; file names are lower case/,
    ],
    [
      'an upper-case session word',
      'ujet-metadata/Call-1.json',
      /holds call-\{id\}\.json.*; file names are lower case, got "Call-1\.json"/,
    ],
    [
      'a metadata.json generic name',
      'ujet-metadata/metadata.json',
      /holds call-\{id\}\.json or chat-\{id\}\.json/,
    ],
    [
      'a voicemail in another naming',
      'ujet-voicemails/vm-1.mp3',
      /inferred: voicemail naming is undocumented/,
    ],
  ]

  it.each(bad)('rejects %s with a reason naming what was expected', (_what, path, expected) => {
    expect(reason(path)).toMatch(expected)
    expect(checkPayload(StoragePathSchema, path).ok).toBe(false)
  })

  it('never throws, whatever it is given', () => {
    expect(parseStoragePath(42 as unknown as string)).toMatchObject({ ok: false })
  })
})

describe('formatStoragePath', () => {
  it('builds documented paths', () => {
    expect(formatStoragePath('metadata', 'call', 103646)).toBe('ujet-metadata/call-103646.json')
    expect(formatStoragePath('transcript', 'chat', 73522)).toBe(
      'ujet-chat-transcripts/chat-73522.txt',
    )
    expect(formatStoragePath('recording', 'call', 5)).toBe('ujet-voice-recordings/call-5.mp3')
    expect(formatStoragePath('recording', 'call', 5, { extension: 'wav' })).toBe(
      'ujet-voice-recordings/call-5.wav',
    )
    expect(formatStoragePath('media', 'chat', 7, { media: { type: 'video', id: 8 } })).toBe(
      'ujet-media/chat-7-video-8.mp4',
    )
    expect(formatStoragePath('metadata', 'chat', 7, { basePath: '/exports/ccai/' })).toBe(
      'exports/ccai/ujet-metadata/chat-7.json',
    )
  })

  it('round-trips every golden and documented path through parseStoragePath', () => {
    const paths = [
      ...STORAGE_FILE_PATTERNS.map(
        (p) =>
          `base/${p.folder}/${p.template.replace('{id}', '31').replace(/\{(photo|video)-id\}/, '32')}`,
      ),
      'ujet-voice-recordings/call-1.wav',
      'a/b/c/ujet-media/call-123456789012345-photo-9.jpg',
    ]
    for (const path of paths) {
      const parts = parsed(path)
      expect(formatStoragePath(parts)).toBe(path)
      expect(
        formatStoragePath(parts.kind, parts.sessionType, parts.sessionId, {
          extension: parts.extension,
          media: parts.media,
          basePath: parts.basePath,
        }),
      ).toBe(path)
    }
  })

  it('builds paths that parse back to the same parts', () => {
    const path = formatStoragePath('media', 'call', 11, {
      media: { type: 'photo', id: 12 },
      basePath: 'x',
    })
    expect(parsed(path)).toMatchObject({
      kind: 'media',
      sessionType: 'call',
      sessionId: 11,
      media: { type: 'photo', id: 12 },
      basePath: 'x',
    })
  })

  const refused: readonly (readonly [string, () => string, RegExp])[] = [
    [
      'a chat recording',
      () => formatStoragePath('recording', 'chat', 1),
      /there is no recording file for a chat/,
    ],
    [
      'a call transcript',
      () => formatStoragePath('transcript', 'call', 1),
      /"ujet-chat-transcripts" holds chat-\{id\}\.txt/,
    ],
    [
      'a media file without its media id',
      () => formatStoragePath('media', 'call', 1),
      /needs media/,
    ],
    [
      'a media id on a metadata file',
      () => formatStoragePath('metadata', 'call', 1, { media: { type: 'photo', id: 2 } }),
      /only media files/,
    ],
    [
      'an extension the kind does not use',
      () => formatStoragePath('recording', 'call', 1, { extension: 'json' }),
      /got extension "json"/,
    ],
    [
      'a photo as mp4',
      () =>
        formatStoragePath('media', 'chat', 1, {
          extension: 'mp4',
          media: { type: 'photo', id: 2 },
        }),
      /for a photo/,
    ],
    [
      'a fractional id',
      () => formatStoragePath('metadata', 'call', 1.5),
      /sessionId must be a positive integer/,
    ],
    [
      'a zero id',
      () => formatStoragePath('metadata', 'call', 0),
      /sessionId must be a positive integer/,
    ],
    [
      'a bad media id',
      () => formatStoragePath('media', 'call', 1, { media: { type: 'video', id: -3 } }),
      /media id must be a positive integer/,
    ],
    [
      'a traversal in basePath',
      () => formatStoragePath('metadata', 'call', 1, { basePath: 'a/../b' }),
      /basePath must be plain folder names/,
    ],
    [
      'a ujet folder in basePath',
      () => formatStoragePath('metadata', 'call', 1, { basePath: 'ujet-media' }),
      /basePath/,
    ],
    [
      'an unknown kind',
      () => formatStoragePath('recordings' as 'recording', 'call', 1),
      /kind must be one of transcript, media/,
    ],
  ]

  it.each(refused)('refuses %s with INVALID_STORAGE_PATH', (_what, build, message) => {
    expect(build).toThrow(
      expect.objectContaining({
        code: 'INVALID_STORAGE_PATH',
        message: expect.stringMatching(message) as unknown,
      }),
    )
  })
})

describe('the storage.path contract', () => {
  it('is a file contract from the platform to external storage', () => {
    expect(STORAGE_CONTRACTS.map((c) => [c.id, c.transport, c.direction.to])).toEqual([
      ['storage.path', 'file', 'external-storage'],
    ])
  })

  it('rejects a non-string at the root', () => {
    expect(checkPayload(StoragePathSchema, { path: 'x' }).issues[0]?.path).toBe('$')
  })
})
