import { describe, expect, it } from 'vitest'
import { checkPayload } from '../check.js'
import {
  ChatTranscriptSchema,
  CHAT_TRANSCRIPT_TXT,
  TRANSCRIPT_BODY_TYPES,
  TRANSCRIPT_CONTRACTS,
  TranscriptBodySchema,
  TranscriptEntrySchema,
  type TranscriptEntry,
} from './index.js'

const agent = { timestamp: 1731688815, role: 'agent', user_data: { name: 'Kim' } } as const
const endUser = { timestamp: 1731688802, role: 'end_user', user_data: {} } as const

const ENTRY_OF_EACH_TYPE: Record<(typeof TRANSCRIPT_BODY_TYPES)[number], TranscriptEntry> = {
  text: {
    ...endUser,
    type: 'text',
    body: { type: 'text', content: 'Where is my order?', lang: 'en' },
  },
  text_template: {
    ...agent,
    type: 'text_template',
    body: { type: 'text_template', content: 'Hi {name}' },
  },
  markdown: { ...agent, type: 'markdown', body: { type: 'markdown', content: '**Done**' } },
  markdown_template: {
    ...agent,
    type: 'markdown_template',
    body: { type: 'markdown_template', content: '*{x}*' },
  },
  photo: { ...endUser, type: 'photo', body: { type: 'photo', media_id: 4411 } },
  video: {
    ...endUser,
    type: 'video',
    body: {
      type: 'video',
      title: 'Parcel',
      video: { url: 'https://example.com/v.mp4', text: 'alt' },
      media_id: 4412,
    },
  },
  noti: {
    timestamp: 1731688820,
    role: 'system',
    user_data: {},
    type: 'noti',
    body: { type: 'noti', content: 'Kim joined' },
  },
  action: {
    timestamp: 1731688821,
    role: 'system',
    user_data: {},
    type: 'action',
    body: { type: 'action' },
  },
}

function transcript(entries: readonly unknown[]): Record<string, unknown> {
  return {
    comm_type: 'chat',
    comm_id: 73522,
    transcript_version: '1.0',
    assigned_at: '2024-11-15T16:40:02.000Z',
    timezone: 'America/Los_Angeles',
    entries,
  }
}

describe('chat transcript entries', () => {
  it.each(TRANSCRIPT_BODY_TYPES.map((type) => [type, ENTRY_OF_EACH_TYPE[type]] as const))(
    'accepts a %s entry in strict mode and picks the member of its type',
    (type, entry) => {
      const result = checkPayload(TranscriptEntrySchema, entry, { mode: 'strict' })
      expect(result.issues).toEqual([])
      expect(result.ok && result.value.type).toBe(type)
      expect(result.ok && result.value.body.type).toBe(type)
    },
  )

  it('accepts a transcript holding every body type', () => {
    const result = checkPayload(
      ChatTranscriptSchema,
      transcript(Object.values(ENTRY_OF_EACH_TYPE)),
      { mode: 'strict' },
    )
    expect(result.issues).toEqual([])
  })

  it('rejects an entry whose type does not mirror body.type, at body.type', () => {
    const entry = { ...endUser, type: 'text', body: { type: 'photo', media_id: 1 } }
    const result = checkPayload(TranscriptEntrySchema, entry)
    expect(result.ok).toBe(false)
    expect(result.issues[0]?.path).toBe('body.type')
    expect(result.issues[0]?.expected).toBe('"text"')
  })

  it('rejects an undocumented body type even in tolerant mode, listing the known types', () => {
    const result = checkPayload(
      ChatTranscriptSchema,
      transcript([{ ...endUser, type: 'carousel', body: { type: 'carousel' } }]),
    )
    expect(result.ok).toBe(false)
    expect(result.issues[0]?.path).toBe('entries[0].type')
    expect(result.issues[0]?.expected).toContain('"noti"')
  })

  it('wants an integer epoch-seconds timestamp, not an ISO string or a fraction', () => {
    for (const timestamp of ['2024-11-15T16:40:02.000Z', '1731688802', 1731688802.5, -1]) {
      const result = checkPayload(TranscriptEntrySchema, { ...ENTRY_OF_EACH_TYPE.text, timestamp })
      expect(result.ok, String(timestamp)).toBe(false)
      expect(result.issues[0]?.path).toBe('timestamp')
    }
  })

  it('rejects a role outside the documented seven, naming entries[i].role', () => {
    const result = checkPayload(
      ChatTranscriptSchema,
      transcript([{ ...ENTRY_OF_EACH_TYPE.text, role: 'customer' }]),
    )
    expect(result.issues.map((i) => i.path)).toEqual(['entries[0].role'])
  })

  it('uses content, not text, for message text', () => {
    const entry = { ...endUser, type: 'text', body: { type: 'text', text: 'Hello', lang: 'en' } }
    const result = checkPayload(TranscriptEntrySchema, entry)
    expect(result.issues.map((i) => i.path)).toEqual(['body.content'])
  })

  it('accepts a video body as the page defines it (title, video{url,text}, media_id, no type) strictly', () => {
    const entry = {
      ...endUser,
      type: 'video',
      body: {
        title: 'Unboxing',
        video: { url: 'https://cdn.example.com/v.mp4', text: 'v' },
        media_id: 7,
      },
    }
    expect(checkPayload(TranscriptEntrySchema, entry, { mode: 'strict' }).issues).toEqual([])
    // Without `type` the body is only a video body: under a text entry it is refused.
    const mislabelled = { ...entry, type: 'text' }
    expect(checkPayload(TranscriptEntrySchema, mislabelled, { mode: 'strict' }).ok).toBe(false)
  })

  it('wants an integer media_id on photos and a video URL on videos', () => {
    const photo = checkPayload(TranscriptBodySchema, { type: 'photo', media_id: '4411' })
    expect(photo.issues.map((i) => i.path)).toEqual(['media_id'])
    const video = checkPayload(TranscriptBodySchema, {
      type: 'video',
      video: { url: 'not a url' },
      media_id: 1,
    })
    expect(video.issues.map((i) => i.path)).toEqual(['video.url'])
  })

  it('tolerates undocumented noti/action fields as notes, and refuses them in strict mode', () => {
    const entry = { ...ENTRY_OF_EACH_TYPE.noti, body: { type: 'noti', event: 'agent_joined' } }
    const tolerant = checkPayload(TranscriptEntrySchema, entry)
    expect(tolerant.ok).toBe(true)
    expect(tolerant.notes.map((n) => n.path)).toEqual(['body.event'])
    const strict = checkPayload(TranscriptEntrySchema, entry, { mode: 'strict' })
    expect(strict.issues.map((i) => i.path)).toEqual(['body.event'])
  })

  it('wants user_data as an object, even an empty one', () => {
    const { user_data: _dropped, ...withoutUserData } = ENTRY_OF_EACH_TYPE.text
    expect(checkPayload(TranscriptEntrySchema, withoutUserData).issues.map((i) => i.path)).toEqual([
      'user_data',
    ])
    expect(
      checkPayload(TranscriptEntrySchema, { ...ENTRY_OF_EACH_TYPE.text, user_data: null }).ok,
    ).toBe(false)
  })
})

describe('the chat transcript record', () => {
  it('accepts comm_type call (voice call with blended SMS) and refuses other session words', () => {
    expect(checkPayload(ChatTranscriptSchema, { ...transcript([]), comm_type: 'call' }).ok).toBe(
      true,
    )
    const result = checkPayload(ChatTranscriptSchema, { ...transcript([]), comm_type: 'sms' })
    expect(result.issues.map((i) => i.path)).toEqual(['comm_type'])
  })

  it('keeps transcript_version an open string for forward compatibility', () => {
    expect(
      checkPayload(ChatTranscriptSchema, { ...transcript([]), transcript_version: '2.3' }).ok,
    ).toBe(true)
    expect(
      checkPayload(ChatTranscriptSchema, { ...transcript([]), transcript_version: 1 }).issues[0]
        ?.path,
    ).toBe('transcript_version')
  })

  it('wants an integer comm_id and an ISO assigned_at (null allowed)', () => {
    expect(
      checkPayload(ChatTranscriptSchema, { ...transcript([]), comm_id: '73522' }).issues[0]?.path,
    ).toBe('comm_id')
    expect(
      checkPayload(ChatTranscriptSchema, { ...transcript([]), assigned_at: 1731688802 }).issues[0]
        ?.path,
    ).toBe('assigned_at')
    expect(
      checkPayload(
        ChatTranscriptSchema,
        { ...transcript([]), assigned_at: null },
        { mode: 'strict' },
      ).ok,
    ).toBe(true)
  })

  it('names the entry index of a bad entry', () => {
    const bad = { ...ENTRY_OF_EACH_TYPE.photo, body: { type: 'photo', media_id: 1.5 } }
    const result = checkPayload(ChatTranscriptSchema, transcript([ENTRY_OF_EACH_TYPE.text, bad]))
    expect(result.issues.map((i) => i.path)).toEqual(['entries[1].body.media_id'])
  })

  it('is registered as transcript.chat', () => {
    expect(TRANSCRIPT_CONTRACTS.map((c) => c.id)).toEqual(['transcript.chat'])
  })

  it('has no documented TXT line format', () => {
    expect(CHAT_TRANSCRIPT_TXT.lineFormat).toBeNull()
    expect(CHAT_TRANSCRIPT_TXT.fileName).toBe('chat-{id}.txt')
  })
})
