import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { checkPayload } from './check.js'
import { tolerantOnly } from './internal/modes.js'

const Metadata = z.object({
  id: z.int(),
  subStatus: z.string().nullish(),
  sub_status: tolerantOnly(z.string().nullish()),
  connected_at: z.union([z.iso.datetime(), z.null(), tolerantOnly(z.literal(''))]),
  agent: z.object({ name: z.string() }).optional(),
})

describe('checkPayload', () => {
  it('accepts an unknown key in tolerant mode and reports it as a note', () => {
    const result = checkPayload(Metadata, {
      id: 1,
      connected_at: null,
      extra: true,
      agent: { name: 'A', x: 1 },
    })
    expect(result.ok).toBe(true)
    expect(result.notes.map((n) => n.path)).toEqual(['agent.x', 'extra'])
  })

  it('rejects an unknown key in strict mode, naming the key', () => {
    const result = checkPayload(
      Metadata,
      { id: 1, connected_at: null, extra: true },
      { mode: 'strict' },
    )
    expect(result.ok).toBe(false)
    expect(result.issues).toEqual([
      expect.objectContaining({
        path: 'extra',
        code: 'unrecognized_keys',
        received: 'boolean true',
      }),
    ])
  })

  it('answers the same values, issues and notes with the jitless option as without it', () => {
    const inputs: unknown[] = [
      { id: 1, connected_at: null, agent: { name: 'A' } },
      { id: 1, connected_at: '', sub_status: 'x', extra: true },
      { id: 1.5, connected_at: 3, agent: { name: 2 } },
    ]
    for (const mode of ['strict', 'tolerant'] as const) {
      for (const input of inputs) {
        expect(checkPayload(Metadata, input, { mode, jitless: true })).toEqual(
          checkPayload(Metadata, input, { mode }),
        )
      }
    }
    expect(checkPayload(Metadata, inputs[2], { mode: 'strict', jitless: true }).ok).toBe(false)
  })

  it('accepts documented alternates only in tolerant mode', () => {
    const payload = { id: 1, sub_status: 'in_queue', connected_at: '' }
    expect(checkPayload(Metadata, payload).ok).toBe(true)
    expect(checkPayload(Metadata, payload).notes).toEqual([])
    const strict = checkPayload(Metadata, payload, { mode: 'strict' })
    expect(strict.ok).toBe(false)
    expect(strict.issues.map((i) => i.path).sort()).toEqual(['connected_at', 'sub_status'])
  })

  it('leaves a schema shared elsewhere untouched when an alternate wraps it', () => {
    const Shared = z.string()
    const WithAlternate = z.object({ a: z.union([z.int(), tolerantOnly(Shared)]) })
    const UsesShared = z.object({ b: Shared })
    expect(checkPayload(WithAlternate, { a: 'x' }, { mode: 'strict' }).ok).toBe(false)
    expect(checkPayload(UsesShared, { b: 'x' }, { mode: 'strict' }).ok).toBe(true)
  })

  it('names the path, the expectation and what came for a wrong type', () => {
    const result = checkPayload(Metadata, { id: 'abc', connected_at: null })
    expect(result.issues).toEqual([
      {
        path: 'id',
        code: 'invalid_type',
        expected: 'number',
        received: 'string "abc"',
        message: 'id: expected number, received string "abc"',
      },
    ])
  })

  it('says an integer is expected when a fraction comes', () => {
    expect(checkPayload(Metadata, { id: 1.5, connected_at: null }).issues[0]?.message).toBe(
      'id: expected integer, received number 1.5',
    )
  })

  it('says a required key is missing', () => {
    const result = checkPayload(Metadata, { id: 3 })
    expect(result.issues[0]?.message).toMatch(
      /^connected_at: expected .*received nothing \(the key is missing\)$/,
    )
  })
})
